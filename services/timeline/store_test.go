package timeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
	"bingli/services/bus/bustest"
	"bingli/services/note"
)

func TestSinkKeepsTimelinesUnderConcurrencyAndReplays(t *testing.T) {
	ctx, js := bucket(t)
	s := NewSink(js)
	v := 20.0
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				n := &note.Note{NoteID: fmt.Sprintf("n%02d", i), PatientID: "p-1", VisitDate: fmt.Sprintf("2023-01-%02d", i+1),
					Text:         "不存",
					Measurements: []note.Measurement{{Kind: "iop", Value: &v, Eye: note.EyeRight}}}
				if err := s.Process(ctx, n); err != nil { // every worker replays every note
					t.Errorf("worker %d: %v", w, err)
				}
			}
		}()
	}
	wg.Wait()
	if err := s.Process(ctx, &note.Note{NoteID: "m 1", PatientID: "p 2 with spaces", VisitDate: "2024-01-01"}); err != nil {
		t.Fatal(err)
	}
	ts, err := ReadAll(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts[0].PatientID != "p 2 with spaces" || ts[1].PatientID != "p-1" {
		t.Fatalf("timelines %+v", ts)
	}
	p1 := ts[1]
	if len(p1.Visits) != 10 || len(p1.Measurements["iop"]) != 10 || p1.FollowUpDays != 9 {
		t.Fatalf("p-1: %d visits, %d iop, %d days", len(p1.Visits), len(p1.Measurements["iop"]), p1.FollowUpDays)
	}
	st, err := js.Stream(ctx, bus.TimelineStream)
	if err != nil {
		t.Fatal(err)
	}
	if n := st.CachedInfo().State.Msgs; n != 11 {
		t.Fatalf("%d note parts stored, want 11 (replays within the window dropped)", n)
	}
	m, err := st.GetLastMsgForSubject(ctx, Subject("p-1"))
	if err != nil {
		t.Fatal(err)
	}
	var stored note.Note
	if err := json.Unmarshal(m.Data, &stored); err != nil || stored.Text != "" || len(stored.Measurements) != 1 {
		t.Fatalf("stored part: text kept %v, %d measurements, err %v", stored.Text != "", len(stored.Measurements), err)
	}
}

// bucket starts a JetStream server with the pipeline's streams.
func bucket(t *testing.T) (context.Context, jetstream.JetStream) {
	t.Helper()
	return context.Background(), bustest.Start(t, bus.Topology{Stages: []string{"s"}})
}

// store writes 3 notes for each of 20 patients, in visit order across
// patients, with diagnoses, events and measurements.
func store(t *testing.T, ctx context.Context, s *Sink) *Builder {
	t.Helper()
	want := NewBuilder()
	for i := range 60 {
		v := float64(10 + i)
		n := &note.Note{NoteID: fmt.Sprintf("n%02d", i), PatientID: fmt.Sprintf("p-%02d", i%20), VisitDate: fmt.Sprintf("2023-01-%02d", i/20+1),
			Diagnoses:    []note.Diagnosis{{ICD10: "H40.1", ICD10Name: "青光眼", Eye: note.EyeLeft, Assertion: note.Present}},
			Procedures:   []note.Procedure{{Text: "小梁切除术", Eye: note.EyeLeft}},
			Measurements: []note.Measurement{{Kind: "iop", Value: &v, Unit: "mmHg", Eye: note.EyeLeft}}}
		if err := s.Process(ctx, n); err != nil {
			t.Fatal(err)
		}
		want.Add(n)
	}
	return want
}

// TestEachFoldsEveryPatientOnce reads the bucket in memory and in spilled
// parts (a limit of a few hundred bytes forces many): both give every
// patient exactly once, equal to folding the notes directly.
func TestEachFoldsEveryPatientOnce(t *testing.T) {
	ctx, js := bucket(t)
	want := map[string]string{}
	for _, tl := range store(t, ctx, NewSink(js)).Timelines() {
		b, _ := json.Marshal(tl)
		want[tl.PatientID] = string(b)
	}
	// a note replayed after the de-duplication window is stored again;
	// folding must still count it once
	st, err := js.Stream(ctx, bus.TimelineStream)
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.GetMsg(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, m.Subject, m.Data); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []uint64{partBytes, 500} {
		got := map[string]string{}
		err := each(ctx, js, limit, func(tl *Timeline) error {
			if _, dup := got[tl.PatientID]; dup {
				return fmt.Errorf("%s given twice", tl.PatientID)
			}
			b, _ := json.Marshal(tl)
			got[tl.PatientID] = string(b)
			return nil
		})
		if err != nil {
			t.Fatalf("limit %d: %v", limit, err)
		}
		if len(got) != 20 {
			t.Fatalf("limit %d: %d patients, want 20", limit, len(got))
		}
		for p, w := range want {
			if got[p] != w {
				t.Fatalf("limit %d: %s folded differently from the notes:\n got %s\nwant %s", limit, p, got[p], w)
			}
		}
	}
}

func TestGetFoldsOnePatient(t *testing.T) {
	ctx, js := bucket(t)
	store(t, ctx, NewSink(js))
	tl, err := Get(ctx, js, "p-07")
	if err != nil {
		t.Fatal(err)
	}
	if tl.PatientID != "p-07" || len(tl.Visits) != 3 || len(tl.Diagnoses) != 1 || tl.Diagnoses[0].Notes != 3 ||
		len(tl.Procedures) != 3 || len(tl.Measurements["iop"]) != 3 || tl.FollowUpDays != 2 {
		t.Fatalf("p-07: %+v", tl)
	}
	if _, err := Get(ctx, js, "p-99"); !errors.Is(err, ErrNoPatient) {
		t.Fatalf("unknown patient: %v, want ErrNoPatient", err)
	}
	// A patient id that is a prefix of another's must not take its notes.
	if _, err := Get(ctx, js, "p-0"); !errors.Is(err, ErrNoPatient) {
		t.Fatalf("prefix patient: %v, want ErrNoPatient", err)
	}
}
