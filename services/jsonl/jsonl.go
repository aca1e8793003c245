// Package jsonl reads JSON Lines files of any record type: gold sets,
// notes.jsonl, exports. One place for long-line buffering and line-numbered
// errors that never quote the line (it may hold note text).
package jsonl

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// MaxLine is the longest line read (a 2 MB note is about 6 MB of JSON).
const MaxLine = 64 << 20

// Each decodes every non-blank line of r into a T and calls fn with its
// 1-based line number. fn's error stops the reading and is returned.
func Each[T any](r io.Reader, fn func(line int, v *T) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), MaxLine)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return fmt.Errorf("line %d: not a valid %T record", line, v)
		}
		if err := fn(line, &v); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("after line %d: %w", line, err)
	}
	return nil
}

// Marshal encodes values as JSON Lines, one json.Marshal encoding a line.
func Marshal[T any](values []T) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i, v := range values {
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
	}
	return buf.Bytes(), nil
}
