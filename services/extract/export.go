package extract

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"unicode/utf8"
)

// Record is one line of the normalised corpus JSONL
// ({"id","text","entities":[{"start","end","label","text"}]}, code points).
type Record struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Entities []Span `json:"entities"`
	// PHI are the identifier spans of a de-identification gold note
	// (services/deid's format; labels are the PHI types as written): the
	// PHI tagger's training data goes through the same export.
	PHI []Span `json:"phi,omitempty"`
}

// ReadRecords calls fn for each record of normalised JSONL.
func ReadRecords(r io.Reader, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	line := 0
	for {
		b, err := br.ReadBytes('\n')
		if len(b) > 0 {
			line++
			var rec Record
			if jerr := json.Unmarshal(b, &rec); jerr != nil {
				return fmt.Errorf("line %d: %w", line, jerr)
			}
			if !utf8.ValidString(rec.Text) {
				return fmt.Errorf("line %d (%s): text is not valid UTF-8", line, rec.ID)
			}
			if ferr := fn(rec); ferr != nil {
				return fmt.Errorf("line %d (%s): %w", line, rec.ID, ferr)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// ExportOptions configure ExportFeatures.
type ExportOptions struct {
	// MaxChunk is the longest sequence (code points), as in serving;
	// 0 means DefaultMaxChunk.
	MaxChunk int
}

// ExportStats count what ExportFeatures did with the corpus's entities.
type ExportStats struct {
	Records, Chunks, Entities int
	// Entities not encoded: label not in the tag set, nested in or
	// overlapping another entity, or crossing a chunk boundary.
	UnknownLabel, Overlapping, CrossChunk int
	Labels                                map[string]int // encoded entities per product label
}

// FeatureLine is one line ExportFeatures writes: one chunk of one record.
type FeatureLine struct {
	ID    string `json:"id"`    // record id
	Chunk int    `json:"chunk"` // chunk index within the record
	Start int    `json:"start"` // chunk start in the record text (code points)
	Features
	Labels []int64 `json:"labels"` // tag ids (labels.json)
}

// ExportFeatures reads normalised JSONL and writes one FeatureLine per
// chunk: the exact inputs serving gives the model, and the gold tags. Corpus
// labels of entities are mapped to product labels (CorpusLabels); PHI
// labels are taken as written.
func ExportFeatures(in io.Reader, out io.Writer, f *Featurizer, ts *TagSet, opt ExportOptions) (ExportStats, error) {
	max := opt.MaxChunk
	if max <= 0 {
		max = DefaultMaxChunk
	}
	st := ExportStats{Labels: map[string]int{}}
	bw := bufio.NewWriterSize(out, 1<<20)
	enc := json.NewEncoder(bw)
	err := ReadRecords(in, func(rec Record) error {
		st.Records++
		rs := []rune(rec.Text)
		var spans []Span
		for i, e := range append(rec.Entities, rec.PHI...) {
			st.Entities++
			if e.Start < 0 || e.End > len(rs) || e.Start >= e.End {
				return fmt.Errorf("entity [%d,%d) outside text of %d code points", e.Start, e.End, len(rs))
			}
			l, ok := e.Label, true
			if i < len(rec.Entities) {
				l, ok = ProductLabel(e.Label)
			}
			if !ok || !ts.HasLabel(l) {
				st.UnknownLabel++
				continue
			}
			e.Label = l
			spans = append(spans, e)
		}
		spans, dropped := nonOverlapping(spans)
		st.Overlapping += dropped
		feats := f.Features(rec.Text)
		for ci, c := range Chunks(rs, max) {
			var cs []Span
			for _, s := range spans {
				switch {
				case s.Start >= c.Start && s.End <= c.End:
					cs = append(cs, Span{Start: s.Start - c.Start, End: s.End - c.Start, Label: s.Label})
					st.Labels[s.Label]++
				case s.Start < c.End && s.End > c.Start:
					if s.Start >= c.Start { // count once, in the chunk it starts in
						st.CrossChunk++
					}
				}
			}
			st.Chunks++
			line := FeatureLine{ID: rec.ID, Chunk: ci, Start: c.Start, Features: feats.Slice(c.Start, c.End),
				Labels: ts.Encode(c.End-c.Start, cs)}
			if err := enc.Encode(&line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("export features: %w", err)
	}
	return st, bw.Flush()
}

// SplitRecords shuffles the lines of normalised JSONL with a fixed seed and
// writes the first n to a and the rest to b, each in the original order (so
// the split depends only on the input and the seed).
func SplitRecords(in io.Reader, a, b io.Writer, n int, seed uint64) (na, nb int, err error) {
	var lines [][]byte
	br := bufio.NewReaderSize(in, 1<<20)
	for {
		l, rerr := br.ReadBytes('\n')
		if len(l) > 0 {
			if l[len(l)-1] != '\n' {
				l = append(l, '\n')
			}
			lines = append(lines, l)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return 0, 0, rerr
		}
	}
	if n > len(lines) {
		return 0, 0, fmt.Errorf("split: %d records, asked for %d in the first part", len(lines), n)
	}
	perm := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)).Perm(len(lines))
	first := make([]bool, len(lines))
	for _, i := range perm[:n] {
		first[i] = true
	}
	for i, l := range lines {
		w := b
		if first[i] {
			w, na = a, na+1
		} else {
			nb++
		}
		if _, err := w.Write(l); err != nil {
			return na, nb, err
		}
	}
	return na, nb, nil
}
