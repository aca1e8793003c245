package timeline

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"bingli/services/bus"
	"bingli/services/bus/bustest"
	"bingli/services/note"
)

func TestSinkKeepsTimelinesUnderConcurrencyAndReplays(t *testing.T) {
	js := bustest.Start(t, bus.Topology{Stages: []string{"s"}})
	kv, err := js.KeyValue(context.Background(), bus.TimelineBucket)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSink(kv)
	v := 20.0
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				n := &note.Note{NoteID: fmt.Sprintf("n%02d", i), PatientID: "p-1", VisitDate: fmt.Sprintf("2023-01-%02d", i+1),
					Measurements: []note.Measurement{{Kind: "iop", Value: &v, Eye: note.EyeRight}}}
				if err := s.Process(context.Background(), n); err != nil { // every worker replays every note
					t.Errorf("worker %d: %v", w, err)
				}
			}
		}()
	}
	wg.Wait()
	s.Process(context.Background(), &note.Note{NoteID: "m1", PatientID: "p 2 with spaces", VisitDate: "2024-01-01"})
	ts, err := ReadAll(context.Background(), kv)
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
}

// TestEachSeesEveryLatestTimelineOnce: reading the bucket in storage order
// gives each patient's latest timeline exactly once, though every key has
// older revisions stored before it.
func TestEachSeesEveryLatestTimelineOnce(t *testing.T) {
	js := bustest.Start(t, bus.Topology{Stages: []string{"s"}})
	ctx := context.Background()
	kv, err := js.KeyValue(ctx, bus.TimelineBucket)
	if err != nil {
		t.Fatal(err)
	}
	s := NewSink(kv)
	for i := range 60 { // 20 patients, 3 visits each
		n := &note.Note{NoteID: fmt.Sprintf("n%02d", i), PatientID: fmt.Sprintf("p-%02d", i%20), VisitDate: fmt.Sprintf("2023-01-%02d", i/20+1)}
		if err := s.Process(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	calls, visits := 0, map[string]int{}
	if err := Each(ctx, kv, func(tl *Timeline) error { calls++; visits[tl.PatientID] = len(tl.Visits); return nil }); err != nil {
		t.Fatal(err)
	}
	if calls != 20 || len(visits) != 20 {
		t.Fatalf("%d calls for %d patients, want 20 once each", calls, len(visits))
	}
	for p, v := range visits {
		if v != 3 {
			t.Fatalf("%s: %d visits, want its latest timeline (3)", p, v)
		}
	}
}
