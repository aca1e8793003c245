package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"bingli/services/note"
)

// Reasons for bad records. Reasons name what is wrong, never a value.
const (
	reasonEmptyText   = "empty text"
	reasonMissingText = "missing text field"
	reasonBadDate     = "visit_date not a date"
	reasonTruncated   = "truncated JSON"
)

// record is one source record's fields, decoded to UTF-8, before checks.
type record struct {
	noteID, patientID, visitDate, noteType, text string
}

// fileParser holds what the format parsers of one file share.
type fileParser struct {
	rel    string // path relative to the walk root, slash-separated
	format string
	src    *source
	opt    Options
	fn     func(Item) error
	seq    int
}

// emit sends one item (valid or bad) and advances the record index.
func (p *fileParser) emit(line int, n *note.Note, bad string) error {
	it := Item{File: p.rel, Line: line, Seq: p.seq, Note: n, Bad: bad}
	p.seq++
	return p.fn(it)
}

// readErr wraps an error reading the file (not a bad record) with the file.
func (p *fileParser) readErr(err error) error { return fmt.Errorf("ingest %s: read: %w", p.rel, err) }

func (p *fileParser) bad(line int, reason string) error { return p.emit(line, nil, reason) }

// build checks a record and emits it as a note or a bad item.
func (p *fileParser) build(line int, r record) error {
	text := normalizeText(r.text)
	if strings.TrimSpace(text) == "" {
		return p.bad(line, reasonEmptyText)
	}
	if len(text) > p.opt.MaxNoteBytes {
		return p.bad(line, tooLarge(len(text), p.opt.MaxNoteBytes))
	}
	date := ""
	if v := strings.TrimSpace(r.visitDate); v != "" {
		d, ok := NormalizeDate(v)
		if !ok {
			return p.bad(line, reasonBadDate)
		}
		date = d
	}
	id := strings.TrimSpace(r.noteID)
	if id == "" {
		id = DerivedNoteID(p.rel, line)
	}
	return p.emit(line, &note.Note{
		SchemaVersion:   note.SchemaVersion,
		NoteID:          id,
		Source:          note.Source{File: p.rel, Line: line, Format: p.format, Encoding: p.src.enc},
		SourcePatientID: strings.TrimSpace(r.patientID),
		NoteType:        strings.TrimSpace(r.noteType),
		VisitDate:       date,
		Text:            text,
	}, "")
}

// DerivedNoteID is the note id given to a record whose source has none:
// "n-" and the first 16 hex digits of sha256(file + "\x00" + line), with
// file the slash-separated path relative to the walk root.
func DerivedNoteID(file string, line int) string {
	h := sha256.Sum256([]byte(file + "\x00" + strconv.Itoa(line)))
	return "n-" + hex.EncodeToString(h[:8])
}

// normalizeText turns CRLF into LF and drops one trailing "\r"; nothing
// else is touched, since downstream offsets index into the text.
func normalizeText(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.TrimSuffix(s, "\r")
}

// tooLarge says how far a note exceeds the limit.
func tooLarge(size, limit int) string {
	a, b := humanSize(size), humanSize(limit)
	if a == b {
		a, b = fmt.Sprintf("%d B", size), fmt.Sprintf("%d B", limit)
	}
	return fmt.Sprintf("note too large: %s > %s limit", a, b)
}

// humanSize prints a byte count in binary units, one decimal
// (1<<20 is "1.0 MB").
func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
