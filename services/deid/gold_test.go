package deid

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"bingli/services/jsonl"
)

// parseMarkup turns testdata/handwritten.txt (identifiers marked
// [[LABEL|text]]) into gold notes with exact code-point offsets.
func parseMarkup(t *testing.T, src string) []GoldNote {
	t.Helper()
	var notes []GoldNote
	var cur *GoldNote
	var body strings.Builder
	flush := func() {
		if cur == nil {
			return
		}
		text := strings.TrimRight(body.String(), "\n")
		var out strings.Builder
		for {
			i := strings.Index(text, "[[")
			if i < 0 {
				out.WriteString(text)
				break
			}
			out.WriteString(text[:i])
			j := strings.Index(text[i:], "]]")
			if j < 0 {
				t.Fatalf("%s: unclosed [[", cur.ID)
			}
			label, val, ok := strings.Cut(text[i+2:i+j], "|")
			if !ok {
				t.Fatalf("%s: bad markup", cur.ID)
			}
			start := utf8.RuneCountInString(out.String())
			out.WriteString(val)
			cur.PHI = append(cur.PHI, GoldSpan{Start: start, End: start + utf8.RuneCountInString(val), Label: label, Text: val})
			text = text[i+j+2:]
		}
		cur.Text = out.String()
		notes = append(notes, *cur)
		body.Reset()
	}
	for _, line := range strings.Split(src, "\n") {
		if strings.HasPrefix(line, "## ") {
			flush()
			f := strings.Split(strings.TrimPrefix(line, "## "), "|")
			if len(f) != 3 {
				t.Fatalf("bad header %q", line)
			}
			cur = &GoldNote{ID: f[0], PatientID: f[1], VisitDate: f[2]}
			continue
		}
		if cur == nil || strings.HasPrefix(line, "# ") {
			continue
		}
		body.WriteString(line + "\n")
	}
	flush()
	return notes
}

// markupFileJSONL renders a markup file as gold JSONL.
func markupFileJSONL(t *testing.T, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := jsonl.Marshal(parseMarkup(t, string(src)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
