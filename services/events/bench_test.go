package events

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"bingli/services/note"
)

// benchNotes are the dev gold notes joined to about 500 code points each.
func benchNotes(b *testing.B) []string {
	var out []string
	var cur strings.Builder
	for _, g := range readGold(b, "dev") {
		cur.WriteString(g.Text)
		cur.WriteString("\n")
		if utf8.RuneCountInString(cur.String()) >= 500 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	return out
}

// BenchmarkProcess measures one core on ~500-code-point notes:
//
//	go test ./services/events -run '^$' -bench BenchmarkProcess -benchmem -cpu 1
func BenchmarkProcess(b *testing.B) {
	notes := benchNotes(b)
	s := New()
	size := 0
	for _, t := range notes {
		size += len(t)
	}
	b.SetBytes(int64(size / len(notes)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := note.Note{NoteID: "b", Text: notes[i%len(notes)]}
		if err := s.Process(context.Background(), &n); err != nil {
			b.Fatal(err)
		}
	}
}
