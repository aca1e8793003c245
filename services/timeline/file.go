package timeline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"bingli/services/note"
)

// WriteFile reads a notes.jsonl file and writes one timeline per patient to
// out (patients.jsonl). It returns the number of patients.
func WriteFile(notesPath, out string) (int, error) {
	f, err := os.Open(notesPath)
	if err != nil {
		return 0, fmt.Errorf("timelines: %w", err)
	}
	defer f.Close()
	b := NewBuilder()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		var n note.Note
		if err := json.Unmarshal(sc.Bytes(), &n); err != nil {
			return 0, fmt.Errorf("timelines: %s line %d is not a note document", notesPath, line)
		}
		b.Add(&n)
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("timelines: %w", err)
	}
	w, err := os.Create(out)
	if err != nil {
		return 0, fmt.Errorf("timelines: %w", err)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	ts := b.Timelines()
	for _, t := range ts {
		if err := enc.Encode(t); err != nil {
			w.Close()
			return 0, fmt.Errorf("timelines: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		w.Close()
		return 0, fmt.Errorf("timelines: %w", err)
	}
	return len(ts), w.Close()
}
