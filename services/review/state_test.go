package review

import (
	"fmt"
	"testing"
	"time"
)

func TestStateStatus(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	corr := func(id, ann, status string, min int) Event {
		return Event{Correction: &Correction{NoteID: id, Annotator: ann, Status: status, At: t0.Add(time.Duration(min) * time.Minute)}}
	}
	assign := func(id string, anns ...string) Event {
		return Event{Assignment: &Assignment{NoteID: id, Annotators: anns, At: t0}}
	}
	for _, c := range []struct {
		name   string
		events []Event
		want   string // status and annotators
	}{
		{"nothing", nil, "unreviewed []"},
		{"one correction", []Event{corr("n", "a", StatusAccepted, 1)}, "reviewed [a]"},
		{"assigned, none submitted", []Event{assign("n", "a", "b")}, "in_review []"},
		{"assigned, one of two submitted", []Event{assign("n", "a", "b"), corr("n", "a", StatusCorrected, 1)}, "in_review [a]"},
		{"assigned, both submitted", []Event{assign("n", "a", "b"), corr("n", "b", StatusCorrected, 2), corr("n", "a", StatusCorrected, 1)}, "reviewed [a b]"},
		{"a third annotator does not complete an assignment", []Event{assign("n", "a", "b"), corr("n", "a", StatusCorrected, 1), corr("n", "c", StatusCorrected, 2)}, "in_review [a c]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := NewState()
			for _, ev := range c.events {
				s.Apply(ev)
			}
			st := s.Status("n")
			if got := fmt.Sprintf("%s %v", st.Status, st.Annotators); got != c.want {
				t.Errorf("status %s, want %s", got, c.want)
			}
		})
	}
}

func TestStateLatestIgnoresOlderAndRepeatedEvents(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	newer := Correction{NoteID: "n", Annotator: "a", Status: StatusCorrected, Comment: "new", At: t0.Add(time.Minute)}
	older := Correction{NoteID: "n", Annotator: "a", Status: StatusAccepted, Comment: "old", At: t0}
	s := NewState()
	if _, changed := s.Apply(Event{Correction: &newer}); !changed {
		t.Fatal("first event changed nothing")
	}
	if _, changed := s.Apply(Event{Correction: &newer}); changed {
		t.Error("the same event applied twice changed the state")
	}
	if _, changed := s.Apply(Event{Correction: &older}); changed {
		t.Error("an older event replaced a newer one")
	}
	if c, _ := s.Latest("n"); c.Comment != "new" {
		t.Errorf("latest %q, want new", c.Comment)
	}
	other := Correction{NoteID: "n", Annotator: "b", Status: StatusRejected, At: t0.Add(2 * time.Minute)}
	s.Apply(Event{Correction: &other})
	if c, _ := s.LatestBy("n", "a"); c.Comment != "new" {
		t.Errorf("a's latest %q", c.Comment)
	}
	if c, _ := s.Latest("n"); c.Annotator != "b" {
		t.Errorf("latest by %s, want b", c.Annotator)
	}
	if got := s.Reviewed(); len(got) != 0 {
		t.Errorf("a note whose latest review rejects it is exported: %+v", got)
	}
}
