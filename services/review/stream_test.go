package review

import (
	"context"
	"strings"
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

// TestServerFollowsTheReviewsStream: a server replays the stream when it
// starts and follows events logged by someone else (the QA CLI).
func TestServerFollowsTheReviewsStream(t *testing.T) {
	js := bustest.Start(t, bus.Topology{Stages: []string{"s"}})
	ctx := context.Background()
	log1, err := NewStreamCorrections(ctx, js, 1)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC()
	if err := log1.Append(ctx, Correction{NoteID: "n3", Annotator: "ann2", Status: StatusAccepted, At: t0}); err != nil {
		t.Fatal(err)
	}
	st, err := NewFileStore(writeNotes(t, smallNote(), bigNote(), thirdNote()))
	if err != nil {
		t.Fatal(err)
	}
	s, err := newServer(st, log1, map[string]string{"ann1": HashKey(testKey)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.state.Status("n3"); got.Status != NoteReviewed {
		t.Fatalf("replayed status of n3: %+v", got)
	}
	// Another process assigns n1 through its own handle on the stream.
	log2, _ := NewStreamCorrections(ctx, js, 1)
	if err := log2.Assign(ctx, []Assignment{{NoteID: "n1", Annotators: []string{"ann1", "ann2"}, Sample: "qa", At: t0}}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !s.state.IsAssigned("n1", "ann1") {
		if time.Now().After(deadline) {
			t.Fatal("the server never saw the assignment")
		}
		time.Sleep(10 * time.Millisecond)
	}
	var events []string
	if err := log2.Replay(ctx, func(ev Event) {
		if ev.Assignment != nil {
			events = append(events, "assign "+ev.Assignment.NoteID)
		} else {
			events = append(events, "correct "+ev.Correction.NoteID)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(events, ",") != "correct n3,assign n1" {
		t.Errorf("replay: %v", events)
	}
}
