// Command phifeatures turns PHI gold notes ({id, text, phi: [{start, end,
// label}]}, code points, as services/deid/testdata/*.jsonl and
// models/deid/train/augment.py write them) into the inputs of the PHI
// tagger's training script (models/ner/train/train.py), computed by the same
// Go featurizer that serves the model (services/extract), so training and
// serving cannot drift apart.
//
//	phifeatures vocab  -min-freq 2 -o vocab.txt TRAIN.jsonl...
//	phifeatures export -vocab vocab.txt [-labels NAME,...] [-labels-out labels.json] < gold.jsonl > features.jsonl
//	phifeatures silver [-n 600] < texts.jsonl > silver.jsonl
//
// silver labels unannotated clinical text ({id, text} lines, e.g. a
// clinical NER corpus) with the deid rules' spans (no LAC, no tagger): the
// tagger then sees much more clinical prose (measurements, drug and disease
// words labelled O) without unlabelled dates teaching it to skip dates.
//
// export writes one line per chunk (extract.FeatureLine: id, chunk, start,
// char_ids, seg_tags, lex_tags, labels), chunked as serving chunks a note.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"bingli/services/deid"
	"bingli/services/extract"
)

// Labels are the PHI types the tagger learns, in tag order. EMAIL and URL
// are left to the rules (exact patterns, recall 1.0 on every set): fewer
// tags keep the CRF fast.
var Labels = []string{"NAME", "ADDRESS", "ORGANIZATION", "DATE", "DATE_OF_BIRTH", "AGE", "PHONE", "ID_NUMBER", "RECORD_NUMBER", "OTHER_ID"}

// gold is one line of a PHI gold file.
type gold struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	PHI  []struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Label string `json:"label"`
	} `json:"phi"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: phifeatures vocab|export [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "vocab":
		err = vocab(os.Args[2:])
	case "export":
		err = export(os.Args[2:], os.Stdin, os.Stdout)
	case "silver":
		err = silver(os.Args[2:], os.Stdin, os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q: want vocab, export or silver", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "phifeatures:", err)
		os.Exit(1)
	}
}

func readGold(r io.Reader, fn func(gold) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(strings.TrimSpace(string(b))) > 0 {
			var g gold
			if jerr := json.Unmarshal(b, &g); jerr != nil {
				return fmt.Errorf("line %d: %w", line, jerr)
			}
			if !utf8.ValidString(g.Text) {
				return fmt.Errorf("line %d: text is not valid UTF-8", line)
			}
			if ferr := fn(g); ferr != nil {
				return fmt.Errorf("line %d (%s): %w", line, g.ID, ferr)
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

func vocab(args []string) error {
	fs := flag.NewFlagSet("vocab", flag.ExitOnError)
	minFreq := fs.Int("min-freq", 2, "keep characters seen at least this often")
	out := fs.String("o", "vocab.txt", "output file")
	fs.Parse(args)
	var texts []string
	for _, p := range fs.Args() {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = readGold(f, func(g gold) error { texts = append(texts, g.Text); return nil })
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	v := extract.BuildVocab(texts, *minFreq)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if _, err := v.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	fmt.Fprintf(os.Stderr, "vocab: %d texts, %d ids -> %s\n", len(texts), v.Len(), *out)
	return f.Close()
}

func export(args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	vocabPath := fs.String("vocab", "", "vocab.txt")
	labels := fs.String("labels", strings.Join(Labels, ","), "PHI labels, in tag order")
	labelsOut := fs.String("labels-out", "", "write labels.json here")
	maxChunk := fs.Int("max-chunk", extract.DefaultMaxChunk, "longest chunk (code points)")
	fs.Parse(args)
	vf, err := os.Open(*vocabPath)
	if err != nil {
		return err
	}
	v, err := extract.LoadVocab(vf)
	vf.Close()
	if err != nil {
		return err
	}
	ts, err := extract.NewTagSet(strings.Split(*labels, ","), "BIOES")
	if err != nil {
		return err
	}
	if *labelsOut != "" {
		b, _ := json.MarshalIndent(ts, "", " ")
		if err := os.WriteFile(*labelsOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	feat, err := extract.NewFeaturizer(v, nil)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	enc := json.NewEncoder(bw)
	counts := map[string]int{}
	var notes, chunks, skipped int
	err = readGold(in, func(g gold) error {
		notes++
		rs := []rune(g.Text)
		var spans []extract.Span
		for _, p := range g.PHI {
			if p.Start < 0 || p.End > len(rs) || p.Start >= p.End {
				return fmt.Errorf("span [%d,%d) outside text of %d code points", p.Start, p.End, len(rs))
			}
			if !ts.HasLabel(p.Label) {
				continue
			}
			spans = append(spans, extract.Span{Start: p.Start, End: p.End, Label: p.Label})
		}
		sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		kept := spans[:0]
		end := -1
		for _, s := range spans {
			if s.Start < end {
				skipped++
				continue
			}
			kept = append(kept, s)
			end = s.End
		}
		f := feat.Features(g.Text)
		for ci, c := range extract.Chunks(rs, *maxChunk) {
			var cs []extract.Span
			for _, s := range kept {
				switch {
				case s.Start >= c.Start && s.End <= c.End:
					cs = append(cs, extract.Span{Start: s.Start - c.Start, End: s.End - c.Start, Label: s.Label})
					counts[s.Label]++
				case s.Start < c.End && s.End > c.Start && s.Start >= c.Start:
					skipped++ // crosses a chunk boundary
				}
			}
			chunks++
			line := extract.FeatureLine{ID: g.ID, Chunk: ci, Start: c.Start, Features: f.Slice(c.Start, c.End),
				Labels: ts.Encode(c.End-c.Start, cs)}
			if err := enc.Encode(&line); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(os.Stderr, "export: %d notes, %d chunks, spans %v, %d overlapping or crossing a chunk\n", notes, chunks, counts, skipped)
	return bw.Flush()
}

// silverSpan is a gold span written by silver.
type silverSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

func silver(args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("silver", flag.ExitOnError)
	n := fs.Int("n", 0, "label at most this many texts (0: all)")
	drop := fs.String("drop", "NAME", "rule labels left out (their characters stay O): in clinical corpora the rules' few names are mostly verbs after a cue")
	fs.Parse(args)
	dropped := map[string]bool{}
	for _, l := range strings.Split(*drop, ",") {
		dropped[l] = true
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	k, err := deid.NewKey(key)
	if err != nil {
		return err
	}
	d, err := deid.New(k, deid.Options{})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	count, spans := 0, map[string]int{}
	err = readGold(in, func(g gold) error {
		if *n > 0 && count >= *n {
			return nil
		}
		count++
		found, err := d.Detect(g.Text, "")
		if err != nil {
			return err
		}
		rs := []rune(g.Text)
		phi := []silverSpan{}
		for _, s := range found {
			if dropped[s.Label] {
				continue
			}
			phi = append(phi, silverSpan{Start: s.Start, End: s.End, Label: s.Label, Text: string(rs[s.Start:s.End])})
			spans[s.Label]++
		}
		return enc.Encode(map[string]any{"id": g.ID, "text": g.Text, "phi": phi})
	})
	if err != nil {
		return fmt.Errorf("silver: %w", err)
	}
	fmt.Fprintf(os.Stderr, "silver: %d texts, rule spans %v\n", count, spans)
	return bw.Flush()
}
