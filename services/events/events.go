// Package events is the events stage: it reads a de-identified Chinese
// ophthalmology note and fills three layers of the note document —
// measurements (visual acuity, IOP, axial length, refraction, C/D, CMT,
// HbA1c, tear tests, general labs), procedures (surgery, lasers,
// injections, with eye and date) and medications (eye drops and systemic
// drugs, with eye, dose, frequency and route).
//
// Everything is rule-based and runs in one pass per layer over the text
// folded code point for code point (full-width to half-width, ASCII to
// lower case), so offsets are code points into n.Text, end-exclusive.
// Laterality comes from package laterality. See measure.go for the
// measurement conventions (paired forms, units) and acuity.go for the
// acuity conversions and category values.
package events

import (
	"context"
	"sync"
	"unicode/utf8"

	"bingli/services/note"
	"bingli/services/stage"
)

// Version of the extraction rules and lexicons.
const Version = "1.0.0"

// Stage is the events stage. It is safe for concurrent use.
type Stage struct {
	pool sync.Pool // *[]rune scratch for folded text
}

var _ stage.Stage = (*Stage)(nil)

// New returns the events stage.
func New() *Stage { return &Stage{} }

func (s *Stage) Name() string    { return "events" }
func (s *Stage) Version() string { return Version }

// Process replaces n.Measurements, n.Procedures and n.Medications with what
// it finds in n.Text (a redelivered note gives the same result).
func (s *Stage) Process(ctx context.Context, n *note.Note) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !utf8.ValidString(n.Text) {
		return stage.BadInput("events %s: text is not valid UTF-8", n.NoteID)
	}
	t := []rune(n.Text)
	var f []rune
	if p, ok := s.pool.Get().(*[]rune); ok {
		f = *p
	}
	f = foldText(t, f)
	m := measurer{t: t, f: f}
	m.run()
	n.Measurements = m.out
	n.Procedures = procedures(t, f)
	n.Medications = medications(t, f)
	n.Times = relativeTimes(n.Text, n.VisitDate)
	s.pool.Put(&f)
	return nil
}

// Extract runs the stage on a bare text and returns its layers (for tests,
// evaluation and tools).
func (s *Stage) Extract(text string) ([]note.Measurement, []note.Procedure, []note.Medication) {
	n := note.Note{NoteID: "extract", Text: text}
	_ = s.Process(context.Background(), &n)
	return n.Measurements, n.Procedures, n.Medications
}
