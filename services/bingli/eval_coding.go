package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"bingli/services/code"
)

// evalCoding scores the code stage's normalisation on a CHIP-CDN file: each
// record's text is coded as one diagnosis and its set of standard names is
// compared with the gold set (the CHIP-CDN metric).
func evalCoding(args []string) error {
	fs := flag.NewFlagSet("eval coding", flag.ContinueOnError)
	data := fs.String("data", "", `CHIP-CDN JSONL: {"text": …, "normalized": [standard name, …]} per line`)
	noRerank := fs.Bool("no-reranker", false, "normalise with n-gram retrieval only (the pre-re-ranker baseline)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("eval coding: --data is required")
	}
	f, err := os.Open(*data)
	if err != nil {
		return fmt.Errorf("eval coding: %w", err)
	}
	defer f.Close()
	recs, err := code.ReadCDN(f)
	if err != nil {
		return fmt.Errorf("eval coding: %w", err)
	}
	c, err := code.New(code.Options{NoReranker: *noRerank})
	if err != nil {
		return err
	}
	fmt.Println(code.EvaluateCDN(recs, c).String())
	return nil
}
