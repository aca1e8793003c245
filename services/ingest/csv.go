package ingest

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errRecordTooLarge is returned by limitedReader once a CSV record has
// pulled more than the read limit from the file.
var errRecordTooLarge = errors.New("csv record exceeds read limit")

// limitedReader fails once more than max bytes are read between resets; it
// keeps encoding/csv from buffering a whole file when a quote is never closed.
type limitedReader struct {
	r        io.Reader
	n, max   int
	exceeded bool
}

func (l *limitedReader) Read(b []byte) (int, error) {
	if l.n > l.max {
		l.exceeded = true
		return 0, errRecordTooLarge
	}
	n, err := l.r.Read(b)
	l.n += n
	return n, err
}

// parseCSV emits one item per data row of a CSV file with a header row.
// Rows are RFC 4180: quoted fields may hold commas, quotes ("") and
// newlines. A malformed row is a bad item and parsing resumes at the next
// line; a row whose quote never closes swallows the rest of the file, which
// is then reported as one bad item.
func (p *fileParser) parseCSV(ctx context.Context) error {
	lim := &limitedReader{r: p.src.br, max: p.opt.readLimit()}
	cr := csv.NewReader(bufio.NewReaderSize(lim, 64<<10))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	header, err := cr.Read()
	switch {
	case err == io.EOF:
		return p.bad(0, "no CSV header (empty file)")
	case lim.exceeded:
		return p.bad(1, fmt.Sprintf("CSV header exceeds the %s read limit; file not parsed", humanSize(lim.max)))
	case err != nil:
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return p.bad(1, "malformed CSV header; file not parsed")
		}
		return p.readErr(err)
	}
	cols := make([]string, len(header))
	for i, h := range header {
		h, ok := p.src.dec.string(h)
		if !ok {
			return p.bad(1, p.src.dec.badReason()+" in CSV header; file not parsed")
		}
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		cols[i] = strings.TrimSpace(h)
	}
	index := map[string]int{}
	for _, t := range targets {
		index[t] = -1
		for _, name := range p.opt.Mapping.candidates(t) {
			if i := indexOf(cols, name); i >= 0 {
				index[t] = i
				break
			}
		}
		if index[t] >= 0 {
			continue
		}
		if src, mapped := p.opt.Mapping[t]; mapped {
			return p.bad(1, fmt.Sprintf("mapped column for %s (%q) not in CSV header; file not parsed", t, src))
		}
		if t == FieldText {
			return p.bad(1, "no text column in CSV header (want one of "+strings.Join(defaultAliases[FieldText], ", ")+"); file not parsed")
		}
	}

	nextLine := 2 // best guess at where the next record starts, for errors without a position
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		lim.n = 0
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if lim.exceeded {
			return p.bad(nextLine, fmt.Sprintf("CSV record exceeds the %s read limit (unclosed quote?); rest of file not parsed", humanSize(lim.max)))
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			nextLine = pe.Line + 1
			if err := p.bad(pe.StartLine, csvReason(pe)); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return p.readErr(err)
		}
		line, _ := cr.FieldPos(0)
		last, _ := cr.FieldPos(len(row) - 1)
		nextLine = last + strings.Count(row[len(row)-1], "\n") + 1
		if len(row) != len(cols) {
			err = p.bad(line, fmt.Sprintf("wrong field count: %d fields, header has %d", len(row), len(cols)))
		} else {
			err = p.csvRecord(line, row, index)
		}
		if err != nil {
			return err
		}
	}
}

// csvRecord decodes a row and emits it.
func (p *fileParser) csvRecord(line int, row []string, index map[string]int) error {
	var vals [5]string
	for i, t := range targets {
		if j := index[t]; j >= 0 {
			v, ok := p.src.dec.string(row[j])
			if !ok {
				return p.bad(line, p.src.dec.badReason())
			}
			vals[i] = v
		}
	}
	// Columns not mapped to a field must decode too: the record is judged whole.
	for j, v := range row {
		if !isMapped(index, j) {
			if _, ok := p.src.dec.string(v); !ok {
				return p.bad(line, p.src.dec.badReason())
			}
		}
	}
	return p.build(line, record{noteID: vals[0], patientID: vals[1], visitDate: vals[2], noteType: vals[3], text: vals[4]})
}

func isMapped(index map[string]int, j int) bool {
	for _, i := range index {
		if i == j {
			return true
		}
	}
	return false
}

func indexOf(cols []string, name string) int {
	for i, c := range cols {
		if c == name {
			return i
		}
	}
	return -1
}

// csvReason describes a CSV syntax error by position only.
func csvReason(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("malformed CSV: bare quote in unquoted field at line %d byte column %d", pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
		return fmt.Sprintf("malformed CSV: quoted field starting at line %d not closed properly (error at line %d byte column %d); lines %d-%d skipped",
			pe.StartLine, pe.Line, pe.Column, pe.StartLine, pe.Line)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("malformed CSV: extraneous or missing quote at line %d byte column %d", pe.Line, pe.Column)
	}
	return fmt.Sprintf("malformed CSV at line %d byte column %d", pe.Line, pe.Column)
}
