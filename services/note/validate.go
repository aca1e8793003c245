package note

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Validate checks the structural invariants of a note: required ids, text,
// and that every span lies inside the text.
func (n *Note) Validate() error {
	if n.NoteID == "" {
		return errors.New("note has no note_id")
	}
	if n.Text == "" {
		return fmt.Errorf("note %s: empty text", n.NoteID)
	}
	size := utf8.RuneCountInString(n.Text)
	check := func(layer string, i, start, end int) error {
		if start < 0 || end > size || start >= end {
			return fmt.Errorf("note %s: %s[%d] span [%d,%d) outside text of %d code points", n.NoteID, layer, i, start, end, size)
		}
		return nil
	}
	for i, t := range n.Tokens {
		if err := check("tokens", i, t.Start, t.End); err != nil {
			return err
		}
	}
	for i, e := range n.Entities {
		if err := check("entities", i, e.Start, e.End); err != nil {
			return err
		}
	}
	for i, d := range n.Diagnoses {
		if err := check("diagnoses", i, d.Start, d.End); err != nil {
			return err
		}
	}
	for i, m := range n.Measurements {
		if err := check("measurements", i, m.Start, m.End); err != nil {
			return err
		}
	}
	for i, p := range n.Procedures {
		if err := check("procedures", i, p.Start, p.End); err != nil {
			return err
		}
	}
	for i, t := range n.Times {
		if err := check("times", i, t.Start, t.End); err != nil {
			return err
		}
	}
	for i, m := range n.Medications {
		if err := check("medications", i, m.Start, m.End); err != nil {
			return err
		}
	}
	return nil
}
