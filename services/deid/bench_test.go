package deid

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

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

// synthNotes are the notes of a small synthetic archive (bingli synth,
// seed 7, 40 patients): ordinary clinical notes, where identifiers are
// sparser than in the hand-written sets. It returns them with their total
// size in bytes and in characters.
func synthNotes(b *testing.B) (notes []GoldNote, bytes, chars int) {
	dir := b.TempDir()
	if _, err := synth.Write(context.Background(), synth.Config{Patients: 40, Seed: 7}, dir); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "gold.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := jsonl.Each(f, func(_ int, g *GoldNote) error { notes = append(notes, *g); return nil }); err != nil {
		b.Fatal(err)
	}
	for _, g := range notes {
		bytes += len(g.Text)
		chars += utf8.RuneCountInString(g.Text)
	}
	return notes, bytes, chars
}

// BenchmarkDeidSynth measures Process over synthNotes with the default
// recognizers (rules + LAC), the rules alone, and the default with the
// learned PHI tagger (bytes of note text per second, one goroutine; the
// tagger's variant also reports CPU time, the cost on a shared machine).
func BenchmarkDeidSynth(b *testing.B) {
	notes, total, chars := synthNotes(b)
	for _, c := range []struct {
		name string
		deid func(testing.TB) *Deidentifier
	}{
		{"rules+lac", func(t testing.TB) *Deidentifier { return testDeid(t, Options{}) }},
		{"rules", func(t testing.TB) *Deidentifier { return testDeid(t, Options{Registry: NewRegistry()}) }},
		{"rules+lac+model", testDeidWithModel},
	} {
		b.Run(c.name, func(b *testing.B) {
			d := c.deid(b)
			ctx := context.Background()
			b.SetBytes(int64(total))
			cpu0 := cpuSeconds(b)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, g := range notes {
					n := &note.Note{NoteID: g.ID, SourcePatientID: g.PatientID, VisitDate: g.VisitDate, Text: g.Text}
					if err := d.Process(ctx, n); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(chars)*float64(b.N)/(cpuSeconds(b)-cpu0), "chars/cpu-s")
		})
	}
}
