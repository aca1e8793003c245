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
// diagnoses with the annotator's eye and assertion.
type Correction struct {
	NoteID    string           `json:"note_id"`
	Annotator string           `json:"annotator"`
	At        time.Time        `json:"at"`
	Entities  []note.Entity    `json:"entities"`
	Diagnoses []note.Diagnosis `json:"diagnoses"`
	Comment   string           `json:"comment,omitempty"`
	Status    string           `json:"status"`
}

// Corrections records reviews. The latest correction of a note wins.
type Corrections interface {
	Append(ctx context.Context, c Correction) error
	Latest(ctx context.Context, noteID string) (*Correction, bool, error)
}

// MemCorrections keeps corrections in memory (tests); StreamCorrections is
// the durable one.
type MemCorrections struct {
	mu  sync.Mutex
	all []Correction
	by  map[string]int // note id -> index of its latest correction in all
}

// NewMemCorrections returns an empty in-memory Corrections.
func NewMemCorrections() *MemCorrections { return &MemCorrections{by: map[string]int{}} }

// Append records c.
func (m *MemCorrections) Append(_ context.Context, c Correction) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.all = append(m.all, c)
	m.by[c.NoteID] = len(m.all) - 1
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
