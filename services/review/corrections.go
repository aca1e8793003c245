package review

import (
	"context"
	"sync"
	"time"

	"bingli/services/note"
)

// Review statuses of a Correction.
const (
	StatusAccepted  = "accepted"  // the model output was right as it was
	StatusCorrected = "corrected" // the annotator changed spans, labels or diagnoses
	StatusRejected  = "rejected"  // the note is unusable (bad text, wrong document)
)

// Correction is one annotator's review of one note. Entities is the full
// corrected entity list (it replaces the model's); Diagnoses carries the
// diagnoses with the annotator's code, eye and assertion.
type Correction struct {
	NoteID    string           `json:"note_id"`
	Annotator string           `json:"annotator"`
	At        time.Time        `json:"at"`
	Entities  []note.Entity    `json:"entities"`
	Diagnoses []note.Diagnosis `json:"diagnoses"`
	Comment   string           `json:"comment,omitempty"`
	Status    string           `json:"status"`
}

// Assignment puts a note in the queues of the named annotators, each of
// whom reviews it without seeing the others' corrections (a QA sample for
// inter-annotator agreement). The latest assignment of a note wins.
type Assignment struct {
	NoteID     string    `json:"note_id"`
	Annotators []string  `json:"annotators"`
	Sample     string    `json:"sample"`
	At         time.Time `json:"at"`
}

// Event is one entry of the review log: a correction or an assignment.
type Event struct {
	Correction *Correction
	Assignment *Assignment
}

// Corrections is the review log (the REVIEWS stream, or memory in tests).
// The latest correction of a note is its reviewed state; every event stays.
type Corrections interface {
	Append(ctx context.Context, c Correction) error
	Latest(ctx context.Context, noteID string) (*Correction, bool, error)
	Assign(ctx context.Context, as []Assignment) error
	// Replay calls fn for every event logged so far, in order, and returns.
	Replay(ctx context.Context, fn func(Event)) error
	// Watch calls fn for every event logged so far and then for each new
	// one, until ctx ends or the log fails.
	Watch(ctx context.Context, fn func(Event)) error
}

// MemCorrections keeps the review log in memory (tests); StreamCorrections
// is the durable one.
type MemCorrections struct {
	mu    sync.Mutex
	all   []Correction
	log   []Event
	by    map[string]int // note id -> index of its latest correction in all
	watch map[int]func(Event)
	next  int
}

// NewMemCorrections returns an empty in-memory Corrections.
func NewMemCorrections() *MemCorrections {
	return &MemCorrections{by: map[string]int{}, watch: map[int]func(Event){}}
}

func (m *MemCorrections) publish(ev Event) {
	m.log = append(m.log, ev)
	fns := make([]func(Event), 0, len(m.watch))
	for _, fn := range m.watch {
		fns = append(fns, fn)
	}
	m.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
	m.mu.Lock()
}

// Append records c.
func (m *MemCorrections) Append(_ context.Context, c Correction) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.all = append(m.all, c)
	m.by[c.NoteID] = len(m.all) - 1
	cc := c
	m.publish(Event{Correction: &cc})
	return nil
}

// Assign records assignments.
func (m *MemCorrections) Assign(_ context.Context, as []Assignment) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range as {
		aa := a
		m.publish(Event{Assignment: &aa})
	}
	return nil
}

// Latest returns the last correction appended for noteID.
func (m *MemCorrections) Latest(_ context.Context, noteID string) (*Correction, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.by[noteID]
	if !ok {
		return nil, false, nil
	}
	c := m.all[i]
	return &c, true, nil
}

// All returns every correction in append order.
func (m *MemCorrections) All() []Correction {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Correction(nil), m.all...)
}

// Replay calls fn for every event so far.
func (m *MemCorrections) Replay(_ context.Context, fn func(Event)) error {
	m.mu.Lock()
	log := append([]Event(nil), m.log...)
	m.mu.Unlock()
	for _, ev := range log {
		fn(ev)
	}
	return nil
}

// Watch replays the log, then calls fn for each new event until ctx ends.
func (m *MemCorrections) Watch(ctx context.Context, fn func(Event)) error {
	m.mu.Lock()
	log := append([]Event(nil), m.log...)
	id := m.next
	m.next++
	m.watch[id] = fn
	m.mu.Unlock()
	for _, ev := range log {
		fn(ev)
	}
	<-ctx.Done()
	m.mu.Lock()
	delete(m.watch, id)
	m.mu.Unlock()
	return ctx.Err()
}
