// Package review is the annotator review app: a web page where annotators
// check the entities, diagnoses and measurements the models extracted from a
// de-identified note, correct them with the keyboard, and submit corrections
// that become ground truth for evaluation and retraining.
package review

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"

	"bingli/services/note"
)

// ErrNotFound is returned by a Store for an unknown note id.
var ErrNotFound = errors.New("note not found")

// Store gives the review app the de-identified notes to review. The store
// must only ever hold de-identified notes; the server refuses any note that
// still carries a source patient id.
type Store interface {
	// List returns the note ids in review order.
	List(ctx context.Context) ([]string, error)
	// Get returns one note, or ErrNotFound.
	Get(ctx context.Context, noteID string) (*note.Note, error)
}

// FileStore is a Store over a notes.jsonl file, loaded into memory.
type FileStore struct {
	ids   []string
	notes map[string]*note.Note
}

// NewFileStore reads every note of a JSONL file (one note document a line).
func NewFileStore(path string) (*FileStore, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("review store: %w", err)
	}
	defer f.Close()
	s := &FileStore{notes: map[string]*note.Note{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		n, err := note.Unmarshal(sc.Bytes())
		if err != nil {
			return nil, fmt.Errorf("review store %s:%d: %w", path, line, err)
		}
		if n.SourcePatientID != "" {
			return nil, fmt.Errorf("review store %s:%d: note %s is not de-identified", path, line, n.NoteID)
		}
		if _, dup := s.notes[n.NoteID]; dup {
			return nil, fmt.Errorf("review store %s:%d: duplicate note id %s", path, line, n.NoteID)
		}
		s.ids = append(s.ids, n.NoteID)
		s.notes[n.NoteID] = n
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("review store %s: %w", path, err)
	}
	return s, nil
}

// List returns the note ids in file order.
func (s *FileStore) List(context.Context) ([]string, error) {
	return append([]string(nil), s.ids...), nil
}

// Get returns a copy of one note.
func (s *FileStore) Get(_ context.Context, noteID string) (*note.Note, error) {
	n, ok := s.notes[noteID]
	if !ok {
		return nil, fmt.Errorf("review store %s: %w", noteID, ErrNotFound)
	}
	c := *n
	c.Entities = append([]note.Entity(nil), n.Entities...)
	c.Diagnoses = append([]note.Diagnosis(nil), n.Diagnoses...)
	c.Measurements = append([]note.Measurement(nil), n.Measurements...)
	return &c, nil
}
