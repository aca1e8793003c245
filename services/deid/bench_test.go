package deid

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bingli/services/jsonl"
	"bingli/services/note"
	"bingli/services/synth"
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

// BenchmarkDeidSynth measures Process over synthetic archive notes
// (bingli synth, seed 7): ordinary clinical notes, where identifiers are
// sparser than in the hand-written set above.
func BenchmarkDeidSynth(b *testing.B) {
	dir := b.TempDir()
	if _, err := synth.Write(context.Background(), synth.Config{Patients: 40, Seed: 7}, dir); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "gold.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var notes []GoldNote
	if err := jsonl.Each(f, func(_ int, g *GoldNote) error { notes = append(notes, *g); return nil }); err != nil {
		b.Fatal(err)
	}
	total := 0
	for _, g := range notes {
		total += len(g.Text)
	}
	for _, c := range []struct {
		name string
		opt  Options
	}{{"rules+lac", Options{}}, {"rules", Options{Registry: NewRegistry()}}} {
		b.Run(c.name, func(b *testing.B) {
			d := testDeid(b, c.opt)
			ctx := context.Background()
			b.SetBytes(int64(total))
			for i := 0; i < b.N; i++ {
				for _, g := range notes {
					n := &note.Note{NoteID: g.ID, SourcePatientID: g.PatientID, VisitDate: g.VisitDate, Text: g.Text}
					if err := d.Process(ctx, n); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
