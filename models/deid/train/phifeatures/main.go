// Command phifeatures writes silver PHI training notes for the deid stage's
// tagger: it labels unannotated clinical text ({id, text} lines, e.g. a
// clinical NER corpus) with the deid rules' spans (no LAC, no tagger), so
// the tagger sees much more clinical prose (measurements, drug and disease
// words labelled O) without unlabelled dates teaching it to skip dates.
//
//	phifeatures silver [-n 600] [-drop NAME] < texts.jsonl > silver.jsonl
//
// Its output, like the hand-written gold sets, is turned into the tagger's
// inputs by services/extract/cmd/features (vocab, export), the featurizer
// that serves the model.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"bingli/services/deid"
	"bingli/services/extract"
)

func main() {
	if len(os.Args) < 2 || os.Args[1] != "silver" {
		fmt.Fprintln(os.Stderr, "usage: phifeatures silver [flags] < texts.jsonl > silver.jsonl")
		os.Exit(2)
	}
	if err := silver(os.Args[2:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "phifeatures:", err)
		os.Exit(1)
	}
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
	err = extract.ReadRecords(in, func(g extract.Record) error {
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
