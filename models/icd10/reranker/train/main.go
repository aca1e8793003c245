// Command train learns the code stage's CHIP-CDN re-ranker
// (models/icd10/reranker/cdn-rerank-v2.gob.gz) from CHIP-CDN train only.
//
// Train is split deterministically: every sixth record is held out. The
// network is trained on the other five sixths and the emission thresholds
// are chosen on the held-out sixth; then the network is retrained on the
// whole train split with the same hyperparameters and the chosen
// thresholds, and written as one file. Dev is never read here.
//
//	go run ./models/icd10/reranker/train --train ../shared/data/chip-cdn/train.jsonl
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"bingli/services/code"
)

func main() {
	trainPath := flag.String("train", "../shared/data/chip-cdn/train.jsonl", "CHIP-CDN train JSONL")
	out := flag.String("out", "models/icd10/reranker/cdn-rerank-v2.gob.gz", "re-ranker file to write (empty: hold-out only)")
	hidden := flag.Int("hidden", 32, "hidden units")
	epochs := flag.Int("epochs", 6, "training epochs")
	lr := flag.Float64("lr", 0.003, "Adam step")
	members := flag.Int("members", 1, "network pairs trained from different seeds and averaged")
	cross := flag.Int("cross-folds", 2, "folds over which the second stage's first-stage scores are cross-fitted")
	every := flag.Int("holdout-every", 6, "hold out every n-th train record for choosing thresholds")
	fold := flag.Int("holdout-fold", -1, "which residue of holdout-every is held out (default the last: records every-1, 2*every-1, …); the other folds are for comparing changes, the shipped thresholds come from the default")
	sweep := flag.Bool("sweep", false, "print every threshold pair of the sweep")
	fitOut := flag.String("fit-out", "", "also write the networks trained without the hold-out here (to analyse the hold-out)")
	flag.Parse()
	if err := run(*trainPath, *out, *fitOut, code.TrainConfig{Hidden: *hidden, Epochs: *epochs, LR: *lr, Members: *members, CrossFolds: *cross}, *every, *fold, *sweep); err != nil {
		log.Fatal(err)
	}
}

func run(trainPath, out, fitOut string, cfg code.TrainConfig, every, fold int, sweep bool) error {
	f, err := os.Open(trainPath)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	recs, err := code.ReadCDN(f)
	f.Close()
	if err != nil {
		return err
	}
	if fold < 0 {
		fold = every - 1
	}
	if fold >= every {
		return fmt.Errorf("train: holdout-fold %d, want 0..%d", fold, every-1)
	}
	var fit, held []code.CDNRecord
	for i, r := range recs {
		if i%every == fold {
			held = append(held, r)
		} else {
			fit = append(fit, r)
		}
	}
	// The shipped re-ranker is not needed (and may predate this build's
	// features): only the dictionary and retrieval index are.
	c, err := code.New(code.Options{NoReranker: true})
	if err != nil {
		return err
	}
	t0 := time.Now()
	rr, ts, err := c.TrainReranker(fit, cfg)
	if err != nil {
		return err
	}
	fmt.Printf("fit (train minus hold-out): %v in %s\n", ts, time.Since(t0).Round(time.Second))
	var logf func(code.ThresholdChoice)
	if sweep {
		logf = func(ch code.ThresholdChoice) {
			fmt.Printf("  threshold=%.3f top=%.3f P=%.4f R=%.4f F1=%.4f\n", ch.Threshold, ch.TopThreshold, ch.Report.Precision(), ch.Report.Recall(), ch.Report.F1())
		}
	}
	best := c.ChooseThresholds(rr, held, logf)
	fmt.Printf("hold-out (%d train records, fold %d of %d): threshold=%.3f top=%.3f precision=%.4f recall=%.4f f1=%.4f\n",
		len(held), fold, every, best.Threshold, best.TopThreshold, best.Report.Precision(), best.Report.Recall(), best.Report.F1())
	if fitOut != "" {
		rr.Threshold, rr.TopThreshold = best.Threshold, best.TopThreshold
		if err := write(rr, fitOut); err != nil {
			return err
		}
	}
	if out == "" {
		return nil
	}
	t0 = time.Now()
	final, ts, err := c.TrainReranker(recs, cfg)
	if err != nil {
		return err
	}
	fmt.Printf("final (all %d train records): %v in %s\n", len(recs), ts, time.Since(t0).Round(time.Second))
	final.Threshold, final.TopThreshold = best.Threshold, best.TopThreshold
	final.Note = fmt.Sprintf("CHIP-CDN train (%d records); hidden=%d epochs=%d lr=%g members=%d; thresholds chosen on every %d-th train record held out (hold-out F1 %.4f)",
		len(recs), cfg.Hidden, cfg.Epochs, cfg.LR, cfg.Members, every, best.Report.F1())
	return write(final, out)
}

// write saves r to path and prints its size and checksum.
func write(r *code.Reranker, path string) error {
	w, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	h := sha256.New()
	n, err := r.WriteTo(io.MultiWriter(w, h))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("train: write %s: %w", path, err)
	}
	fmt.Printf("wrote %s (%d bytes) sha256 %s\n", path, n, hex.EncodeToString(h.Sum(nil)))
	return nil
}
