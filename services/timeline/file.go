package timeline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// WriteJSONL writes one timeline per line (patients.jsonl).
func WriteJSONL(path string, ts []*Timeline) error {
	w, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("timelines: %w", err)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for _, t := range ts {
		if err := enc.Encode(t); err != nil {
			w.Close()
			return fmt.Errorf("timelines: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		w.Close()
		return fmt.Errorf("timelines: %w", err)
	}
	return w.Close()
}
