package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
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
			s, ok := unquoteJSON(raw)
			return s, true, ok
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

// unquoteJSON decodes a JSON string literal already validated by
// encoding/json (as part of its line), without validating it a second time.
// A lone surrogate escape becomes U+FFFD, as in encoding/json.
func unquoteJSON(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	raw = raw[1 : len(raw)-1]
	i := bytes.IndexByte(raw, '\\')
	if i < 0 {
		return string(raw), true
	}
	out := make([]byte, 0, len(raw))
	for {
		out = append(out, raw[:i]...)
		raw = raw[i:]
		if len(raw) < 2 {
			return "", false
		}
		switch c := raw[1]; c {
		case '"', '\\', '/':
			out = append(out, c)
			raw = raw[2:]
		case 'b':
			out, raw = append(out, '\b'), raw[2:]
		case 'f':
			out, raw = append(out, '\f'), raw[2:]
		case 'n':
			out, raw = append(out, '\n'), raw[2:]
		case 'r':
			out, raw = append(out, '\r'), raw[2:]
		case 't':
			out, raw = append(out, '\t'), raw[2:]
		case 'u':
			r, ok := hex4(raw[2:])
			if !ok {
				return "", false
			}
			raw = raw[6:]
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if len(raw) >= 6 && raw[0] == '\\' && raw[1] == 'u' {
					r2, ok = hex4(raw[2:])
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					raw = raw[6:]
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return "", false
		}
		i = bytes.IndexByte(raw, '\\')
		if i < 0 {
			out = append(out, raw...)
			return string(out), true
		}
	}
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
