// Command dump writes, for every CHIP-CDN train record, the candidate names
// the re-ranker scores and their probabilities, as training data for the
// cross-encoder (models/icd10/crossenc/train.py). The output holds corpus
// text: write it outside the repository.
//
//	go run ./models/icd10/crossenc/dump --reranker /work/cdn4-data/fit5.gob.gz --holdout-fold 5 --out /work/cdn4-data/fold5.jsonl
//
// Records of the hold-out fold are scored as unseen text; the others (which
// the re-ranker was trained on) with their own contribution left out of the
// train statistics. Without --reranker the shipped re-ranker is used and
// every record is treated as a training record (--holdout-fold -1).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"

	"bingli/models/icd10"
	"bingli/services/code"
)

type row struct {
	I     int         `json:"i"`
	Held  bool        `json:"held"`
	Text  string      `json:"text"`
	Gold  []string    `json:"gold"`
	Exact string      `json:"exact"`
	Cands []candidate `json:"cands"`
}

type candidate struct {
	Name string  `json:"n"`
	P    float64 `json:"p"`
}

func main() {
	trainPath := flag.String("train", "../shared/data/chip-cdn/train.jsonl", "CHIP-CDN train JSONL")
	rrPath := flag.String("reranker", "", "re-ranker file (from the re-ranker trainer's --fit-out); empty: the shipped one")
	every := flag.Int("holdout-every", 6, "hold-out period")
	fold := flag.Int("holdout-fold", 5, "held-out residue (-1: none)")
	out := flag.String("out", "", "output JSONL (outside the repository)")
	flag.Parse()
	if err := run(*trainPath, *rrPath, *out, *every, *fold); err != nil {
		log.Fatal(err)
	}
}

func run(trainPath, rrPath, out string, every, fold int) error {
	if out == "" {
		return fmt.Errorf("dump: --out is required")
	}
	f, err := os.Open(trainPath)
	if err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	recs, err := code.ReadCDN(f)
	f.Close()
	if err != nil {
		return err
	}
	var rr *code.Reranker
	if rrPath == "" {
		rr, err = code.LoadReranker(icd10.CDNReranker, icd10.CDNRerankerSHA256)
	} else {
		var b []byte
		if b, err = os.ReadFile(rrPath); err == nil {
			rr, err = code.LoadReranker(b, "")
		}
	}
	if err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	c, err := code.New(code.Options{NoReranker: true})
	if err != nil {
		return err
	}
	w, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i, r := range recs {
		held := fold >= 0 && i%every == fold
		exact, ranked := c.Ranked(rr, r, !held)
		x := row{I: i, Held: held, Text: r.Text, Gold: r.Normalized, Exact: exact, Cands: []candidate{}}
		for _, k := range ranked {
			x.Cands = append(x.Cands, candidate{k.Name, k.P})
		}
		if err := enc.Encode(&x); err != nil {
			return fmt.Errorf("dump: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	return w.Close()
}
