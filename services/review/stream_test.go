package review

import (
	"context"
	"testing"
	"time"

	"bingli/services/bus"
	"bingli/services/bus/bustest"
	"bingli/services/note"
)

func TestStreamCorrectionsKeepTheLatestAndTheHistory(t *testing.T) {
	js := bustest.Start(t, bus.Topology{Stages: []string{"s"}})
	ctx := context.Background()
	c, err := NewStreamCorrections(ctx, js, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Latest(ctx, "n1"); ok || err != nil {
		t.Fatalf("latest of an unreviewed note: %v %v", ok, err)
	}
	for i, status := range []string{StatusCorrected, StatusAccepted} {
		err := c.Append(ctx, Correction{NoteID: "n1", Annotator: "ann1", At: time.Now().UTC(), Status: status,
			Entities: []note.Entity{{Label: "DISEASE", Start: i, End: i + 3, Text: "白内障"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	c.Append(ctx, Correction{NoteID: "EMR 0001/x.txt", Annotator: "ann2", Status: StatusRejected})
	got, ok, err := c.Latest(ctx, "n1")
	if err != nil || !ok || got.Status != StatusAccepted || got.Entities[0].Start != 1 {
		t.Fatalf("latest = %+v %v %v", got, ok, err)
	}
	if got, ok, _ := c.Latest(ctx, "EMR 0001/x.txt"); !ok || got.Annotator != "ann2" {
		t.Fatalf("note id with unsafe characters: %+v %v", got, ok)
	}
	st, _ := js.Stream(ctx, ReviewsStream)
	info, _ := st.Info(ctx)
	if info.State.Msgs != 3 {
		t.Fatalf("%d events stored, want the whole history (3)", info.State.Msgs)
	}
}
