package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"bingli/services/index"
	"bingli/services/review"
)

const reviewUsage = `usage: bingli review qa|agreement --data DIR [--nats URL]
  qa --sample N --annotators a,b[,c] [--seed S]   draw N unreviewed notes at random and assign each to two annotators
  agreement [--json]                              span F1 per label and Cohen's kappa (assertion, eye) per annotator pair`

// cmdReview is 'bingli review': QA samples and agreement over a run's
// REVIEWS stream. (Register it in commands() as {"review", ..., cmdReview}.)
func cmdReview(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(reviewUsage)
	}
	switch args[0] {
	case "qa":
		return reviewQA(ctx, args[1:])
	case "agreement":
		return reviewAgreement(ctx, args[1:])
	}
	return errors.New(reviewUsage)
}

func reviewQA(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("review qa", flag.ContinueOnError)
	data := fs.String("data", ".data", "data directory of the run")
	natsURL := fs.String("nats", "", "a running 'bingli run' NATS server (e.g. nats://127.0.0.1:4222) instead of DATA/jetstream")
	n := fs.Int("sample", 0, "how many notes to draw")
	anns := fs.String("annotators", "", "annotators, comma-separated (two or more)")
	seed := fs.Uint64("seed", 0, "random seed (default: from the clock)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ids, err := runNoteIDs(ctx, *data)
	if err != nil {
		return fmt.Errorf("review qa: %w", err)
	}
	rl, err := openReviewLog(ctx, *data, *natsURL, true)
	if err != nil {
		return fmt.Errorf("review qa: %w", err)
	}
	defer rl.close()
	st := review.NewState()
	if err := rl.log.Replay(ctx, func(ev review.Event) { st.Apply(ev) }); err != nil {
		return fmt.Errorf("review qa: %w", err)
	}
	pool := ids[:0]
	for _, id := range ids {
		if st.Status(id).Status == review.NoteUnreviewed {
			pool = append(pool, id)
		}
	}
	s := *seed
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	now := time.Now().UTC()
	as, err := review.DrawSample(pool, *n, strings.Split(*anns, ","), "qa-"+now.Format("20060102T150405Z"), now,
		rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15)))
	if err != nil {
		return fmt.Errorf("review qa: %w", err)
	}
	if err := rl.log.Assign(ctx, as); err != nil {
		return fmt.Errorf("review qa: %w", err)
	}
	per := map[string]int{}
	for _, a := range as {
		for _, x := range a.Annotators {
			per[x]++
		}
	}
	fmt.Printf("sample %s: %d of %d unreviewed notes assigned (seed %d)\n", as[0].Sample, len(as), len(pool), s)
	for _, x := range strings.Split(*anns, ",") {
		fmt.Printf("  %-16s %d notes\n", x, per[x])
	}
	return nil
}

// runNoteIDs lists a run's notes from its embedded index.
func runNoteIDs(ctx context.Context, dataDir string) ([]string, error) {
	b, err := openRunIndex(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	res, err := b.Search(ctx, index.Query{Size: index.MaxSize})
	if err != nil {
		return nil, err
	}
	return res.NoteIDs, nil
}

func reviewAgreement(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("review agreement", flag.ContinueOnError)
	data := fs.String("data", ".data", "data directory of the run")
	natsURL := fs.String("nats", "", "a running 'bingli run' NATS server instead of DATA/jetstream")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := reviewState(ctx, *data, *natsURL)
	if err != nil {
		return fmt.Errorf("review agreement: %w", err)
	}
	pairs := st.Agreement()
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(pairs)
	}
	if len(pairs) == 0 {
		fmt.Println("no note has been reviewed by two annotators yet")
		return nil
	}
	kappa := func(k review.Kappa) string {
		if k.Kappa == nil {
			return "n/a"
		}
		return fmt.Sprintf("%.4f", *k.Kappa)
	}
	for _, p := range pairs {
		fmt.Printf("%s × %s: %d notes (%d rejected, left out)\n", p.A, p.B, p.Notes, p.Rejected)
		fmt.Printf("  %-12s %6s %6s %7s %9s %7s %7s\n", "label", p.A, p.B, "matched", "precision", "recall", "f1")
		for _, s := range append(append([]review.SpanAgreement(nil), p.Labels...), p.All) {
			fmt.Printf("  %-12s %6d %6d %7d %9.4f %7.4f %7.4f\n", s.Label, s.A, s.B, s.Matched, s.Precision(), s.Recall(), s.F1())
		}
		fmt.Printf("  diagnoses on the same span=%d assertion_kappa=%s eye_kappa=%s\n", p.Diagnoses.Matched, kappa(p.Assertion), kappa(p.Eye))
	}
	return nil
}
