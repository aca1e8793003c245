package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// readLimit is the most bytes of one raw record (a JSONL line, a CSV
// record) held in memory. It is generous enough that a record whose note is
// just over MaxNoteBytes (even with every character \u-escaped) is read and
// rejected with its real size; past it the record is drained unread.
func (o Options) readLimit() int { return 8*o.MaxNoteBytes + 1<<20 }

// parseJSONL emits one item per non-blank line: a JSON object whose keys are
// matched against the mapping and the default aliases.
func (p *fileParser) parseJSONL(ctx context.Context) error {
	lr := &lineReader{br: p.src.br, max: p.opt.readLimit()}
	keys := map[string][]string{}
	for _, t := range targets {
		keys[t] = p.opt.Mapping.candidates(t)
	}
	var obj map[string]json.RawMessage
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		raw, size, tooLong, err := lr.next()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return p.readErr(err)
		}
		line := lr.line
		if tooLong {
			if err := p.bad(line, fmt.Sprintf("record too large: line of %s > %s read limit", humanSize(size), humanSize(lr.max))); err != nil {
				return err
			}
			continue
		}
		if len(bytes.TrimLeft(raw, " \t\r\f\v")) == 0 {
			continue // blank line: not a record
		}
		b, ok := p.src.dec.bytes(raw)
		if !ok {
			if err := p.bad(line, p.src.dec.badReason()); err != nil {
				return err
			}
			continue
		}
		if len(bytes.TrimSpace(b)) == 0 {
			continue // blank line (Unicode spaces only)
		}
		clear(obj)
		rec, reason := decodeJSONObject(b, &obj, keys)
		if reason != "" {
			err = p.bad(line, reason)
		} else {
			err = p.build(line, rec)
		}
		if err != nil {
			return err
		}
	}
}

// decodeJSONObject parses one JSONL line into a record, or says why not.
func decodeJSONObject(b []byte, obj *map[string]json.RawMessage, keys map[string][]string) (record, string) {
	if err := json.Unmarshal(b, obj); err != nil {
		return record{}, jsonReason(err)
	}
	if *obj == nil {
		return record{}, "JSON line is not an object"
	}
	var rec record
	var present bool
	for _, t := range targets {
		v, found, ok := lookupJSON(*obj, keys[t])
		if !ok {
			return record{}, "field " + t + " is not a string or number"
		}
		switch t {
		case FieldNoteID:
			rec.noteID = v
		case FieldPatientID:
			rec.patientID = v
		case FieldVisitDate:
			rec.visitDate = v
		case FieldNoteType:
			rec.noteType = v
		case FieldText:
			rec.text, present = v, found
		}
	}
	if !present {
		return record{}, reasonMissingText
	}
	return rec, ""
}

// lookupJSON returns the first of names present in obj as text: strings
// as themselves, numbers as written, null as "". ok is false for booleans,
// arrays and objects.
func lookupJSON(obj map[string]json.RawMessage, names []string) (v string, found, ok bool) {
	for _, name := range names {
		raw, has := obj[name]
		if !has {
			continue
		}
		raw = bytes.TrimSpace(raw)
		switch {
		case len(raw) == 0:
			return "", true, true
		case raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return "", true, false
			}
			return s, true, true
		case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
			return string(raw), true, true
		case string(raw) == "null":
			return "", true, true
		}
		return "", true, false
	}
	return "", false, true
}

// jsonReason describes a JSON syntax error by position only: the messages
// of encoding/json quote the offending character, which may be note text.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return "JSON line is not an object"
	case errors.As(err, &se):
		if strings.Contains(se.Error(), "unexpected end of JSON input") {
			return reasonTruncated
		}
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	return "invalid JSON"
}
