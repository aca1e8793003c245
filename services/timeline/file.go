package timeline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"bingli/services/jsonl"

	"bingli/services/note"
)

// WriteFile reads a notes.jsonl file and writes one timeline per patient to
// out (patients.jsonl). It returns the timelines.
func WriteFile(notesPath, out string) ([]*Timeline, error) {
	f, err := os.Open(notesPath)
	if err != nil {
		return nil, fmt.Errorf("timelines: %w", err)
	}
	defer f.Close()
	b := NewBuilder()
	if err := jsonl.Each(f, func(_ int, n *note.Note) error { b.Add(n); return nil }); err != nil {
		return nil, fmt.Errorf("timelines: %s %w", notesPath, err)
	}
	w, err := os.Create(out)
	if err != nil {
		return nil, fmt.Errorf("timelines: %w", err)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	ts := b.Timelines()
	for _, t := range ts {
		if err := enc.Encode(t); err != nil {
			w.Close()
			return nil, fmt.Errorf("timelines: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		w.Close()
		return nil, fmt.Errorf("timelines: %w", err)
	}
	return ts, w.Close()
}
