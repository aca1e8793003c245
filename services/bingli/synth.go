package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"bingli/services/synth"
)

func cmdSynth(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("synth", flag.ContinueOnError)
	patients := fs.Int("patients", 100, "number of patients")
	visits := fs.Int("visits", 6, "mean notes per patient")
	seed := fs.Int64("seed", 1, "random seed (same seed, same archive)")
	broken := fs.Bool("broken", false, "also write broken records (listed in manifest.json)")
	out := fs.String("out", "", "output directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("synth: --out is required")
	}
	s, err := synth.Write(ctx, synth.Config{Patients: *patients, Seed: *seed, MeanVisits: *visits, Broken: *broken}, *out)
	if err != nil {
		return err
	}
	fmt.Printf("synth: %d patients, %d notes, %d broken records in %s (gold.jsonl, manifest.json)\n", s.Patients, s.Notes, s.Broken, *out)
	return nil
}
