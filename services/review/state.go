package review

import (
	"slices"
	"sort"
	"sync"
)

// Review states of a note, as the index keeps them.
const (
	NoteUnreviewed = "unreviewed" // no correction and no assignment
	NoteInReview   = "in_review"  // assigned, and not every assigned annotator has submitted
	NoteReviewed   = "reviewed"   // corrected, by every assigned annotator if it was assigned
)

// NoteStatus is a note's review state materialised from the review log.
type NoteStatus struct {
	NoteID string `json:"note_id"`
	Status string `json:"status"`
	// Annotators who submitted a correction, sorted.
	Annotators []string `json:"annotators,omitempty"`
	// Assigned are the annotators of the note's QA assignment, if any.
	Assigned []string `json:"assigned,omitempty"`
}

type noteState struct {
	latest      *Correction
	byAnnotator map[string]*Correction
	assignment  *Assignment
}

// State is the current review state of every note, folded from the review
// log: the latest correction (the reviewed state), each annotator's latest
// correction (for agreement) and the QA assignment. An event no newer than
// what the state holds (the same event again, or an older one) changes
// nothing, so the state may be fed both by the server as it appends and by
// a watch of the log.
type State struct {
	mu    sync.RWMutex
	notes map[string]*noteState
}

// NewState returns an empty State.
func NewState() *State { return &State{notes: map[string]*noteState{}} }

func (s *State) note(id string) *noteState {
	n := s.notes[id]
	if n == nil {
		n = &noteState{byAnnotator: map[string]*Correction{}}
		s.notes[id] = n
	}
	return n
}

// Apply folds one event in and reports whether the note's state changed.
func (s *State) Apply(ev Event) (noteID string, changed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case ev.Correction != nil:
		c := *ev.Correction
		n := s.note(c.NoteID)
		if old := n.byAnnotator[c.Annotator]; old == nil || c.At.After(old.At) {
			n.byAnnotator[c.Annotator] = &c
			changed = true
		}
		if n.latest == nil || c.At.After(n.latest.At) {
			n.latest = &c
			changed = true
		}
		return c.NoteID, changed
	case ev.Assignment != nil:
		a := *ev.Assignment
		n := s.note(a.NoteID)
		if n.assignment == nil || a.At.After(n.assignment.At) {
			n.assignment = &a
			changed = true
		}
		return a.NoteID, changed
	}
	return "", false
}

// Status returns a note's review state.
func (s *State) Status(noteID string) NoteStatus {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.status(noteID)
}

func (s *State) status(noteID string) NoteStatus {
	st := NoteStatus{NoteID: noteID, Status: NoteUnreviewed}
	n := s.notes[noteID]
	if n == nil {
		return st
	}
	for a := range n.byAnnotator {
		st.Annotators = append(st.Annotators, a)
	}
	sort.Strings(st.Annotators)
	if n.assignment != nil {
		st.Assigned = slices.Clone(n.assignment.Annotators)
		for _, a := range st.Assigned {
			if n.byAnnotator[a] == nil {
				st.Status = NoteInReview
				return st
			}
		}
	}
	if len(st.Annotators) > 0 {
		st.Status = NoteReviewed
	} else if n.assignment != nil && len(n.assignment.Annotators) > 0 {
		st.Status = NoteInReview
	}
	return st
}

// Statuses returns the state of every note the log mentions, by note id.
func (s *State) Statuses() []NoteStatus {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]NoteStatus, 0, len(s.notes))
	for id := range s.notes {
		out = append(out, s.status(id))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NoteID < out[j].NoteID })
	return out
}

// Latest returns a note's latest correction by anyone.
func (s *State) Latest(noteID string) (*Correction, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := s.notes[noteID]
	if n == nil || n.latest == nil {
		return nil, false
	}
	c := *n.latest
	return &c, true
}

// LatestBy returns one annotator's latest correction of a note.
func (s *State) LatestBy(noteID, annotator string) (*Correction, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := s.notes[noteID]
	if n == nil || n.byAnnotator[annotator] == nil {
		return nil, false
	}
	c := *n.byAnnotator[annotator]
	return &c, true
}

// AssignedTo returns the notes assigned to an annotator, by note id.
func (s *State) AssignedTo(annotator string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for id, n := range s.notes {
		if n.assignment != nil && slices.Contains(n.assignment.Annotators, annotator) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// IsAssigned says whether a note is in an annotator's QA assignment.
func (s *State) IsAssigned(noteID, annotator string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := s.notes[noteID]
	return n != nil && n.assignment != nil && slices.Contains(n.assignment.Annotators, annotator)
}

// Reviewed returns the reviewed state (latest correction) of every note
// whose status is reviewed and whose latest correction does not reject it,
// by note id.
func (s *State) Reviewed() []Correction {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Correction
	for id, n := range s.notes {
		if n.latest == nil || n.latest.Status == StatusRejected || s.status(id).Status != NoteReviewed {
			continue
		}
		out = append(out, *n.latest)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NoteID < out[j].NoteID })
	return out
}

// annotatorCorrections returns, per note, each annotator's latest
// correction (the input of agreement).
func (s *State) annotatorCorrections() map[string]map[string]Correction {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]map[string]Correction, len(s.notes))
	for id, n := range s.notes {
		if len(n.byAnnotator) < 2 {
			continue
		}
		m := make(map[string]Correction, len(n.byAnnotator))
		for a, c := range n.byAnnotator {
			m[a] = *c
		}
		out[id] = m
	}
	return out
}
