package deid

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"bingli/services/note"
)

var markupOpen = regexp.MustCompile(`\[\[[A-Z_]+\|`)

// BenchmarkDeid measures Process over the hand-written notes (bytes of
// note text per second, one goroutine).
func BenchmarkDeid(b *testing.B) {
	data, err := os.ReadFile("testdata/handwritten.txt")
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, blk := range strings.Split(string(data), "\n## ")[1:] {
		_, body, _ := strings.Cut(blk, "\n")
		texts = append(texts, strings.ReplaceAll(markupOpen.ReplaceAllString(body, ""), "]]", ""))
	}
	total := 0
	for _, t := range texts {
		total += len(t)
	}
	d := testDeid(b, Options{})
	ctx := context.Background()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, t := range texts {
			n := &note.Note{NoteID: "n", SourcePatientID: "H" + string(rune('a'+j%26)), VisitDate: "2023-03-05", Text: t}
			if err := d.Process(ctx, n); err != nil {
				b.Fatal(err)
			}
		}
	}
}
