package timeline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// JSONLWriter writes one timeline per line (patients.jsonl), streaming.
type JSONLWriter struct {
	f   *os.File
	bw  *bufio.Writer
	enc *json.Encoder
	n   int
}

// CreateJSONL creates (or truncates) path for writing timelines.
func CreateJSONL(path string) (*JSONLWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("timelines: %w", err)
	}
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{f: f, bw: bw, enc: enc}, nil
}

// Write appends one timeline.
func (w *JSONLWriter) Write(t *Timeline) error {
	if err := w.enc.Encode(t); err != nil {
		return fmt.Errorf("timelines: %w", err)
	}
	w.n++
	return nil
}

// Count is the number of timelines written.
func (w *JSONLWriter) Count() int { return w.n }

// Close flushes and closes the file.
func (w *JSONLWriter) Close() error {
	if err := w.bw.Flush(); err != nil {
		w.f.Close()
		return fmt.Errorf("timelines: %w", err)
	}
	return w.f.Close()
}
