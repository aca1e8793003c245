package deid

import (
	"os"
	"strings"
	"testing"

	"bingli/services/goldmarkup"
	"bingli/services/jsonl"
)

// parseMarkup turns a gold markup file (blocks headed "## id|patient|visit",
// identifiers marked [[LABEL|text]]) into gold notes with exact code-point
// offsets.
func parseMarkup(t *testing.T, src string) []GoldNote {
	t.Helper()
	var notes []GoldNote
	for _, b := range goldmarkup.Blocks(src) {
		f := strings.Split(b.Header, "|")
		if len(f) != 3 {
			t.Fatalf("bad header %q", b.Header)
		}
		g := GoldNote{ID: f[0], PatientID: f[1], VisitDate: f[2]}
		text, marks, err := goldmarkup.Strip(b.Body, 1)
		if err != nil {
			t.Fatalf("%s: %v", g.ID, err)
		}
		g.Text = text
		for _, m := range marks {
			if len(m.Fields) != 2 {
				t.Fatalf("%s: bad markup %q", g.ID, m.Raw)
			}
			g.PHI = append(g.PHI, GoldSpan{Start: m.Start, End: m.End, Label: m.Fields[0], Text: m.Fields[1]})
		}
		notes = append(notes, g)
	}
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
