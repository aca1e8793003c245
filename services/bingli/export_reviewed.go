package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"bingli/services/extract"
	"bingli/services/note"
	"bingli/services/review"
)

// reviewedNote is a reviewed note's de-identified text with its model
// output (from the index) and its reviewed state (from the REVIEWS stream).
type reviewedNote struct {
	text string
	// model is the original extraction, gold the latest correction.
	model      extract.Record
	modelDx    []note.Diagnosis
	modelNames []string // the models that produced the entities
	gold       review.Correction
}

// loadReviewed reads every reviewed note of a run: the review log replayed
// and each reviewed note's stored document from the index.
func loadReviewed(ctx context.Context, dataDir, natsURL string) ([]reviewedNote, error) {
	st, err := reviewState(ctx, dataDir, natsURL)
	if err != nil {
		return nil, err
	}
	b, err := openRunIndex(ctx, dataDir)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	var out []reviewedNote
	for _, c := range st.Reviewed() {
		n, ok, err := b.Get(ctx, c.NoteID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("reviewed note %s is not in the index of %s", c.NoteID, dataDir)
		}
		rec := extract.Record{ID: n.NoteID, Text: n.Text, Entities: make([]extract.Span, 0, len(n.Entities))}
		models := map[string]bool{}
		for _, e := range n.Entities {
			rec.Entities = append(rec.Entities, extract.Span{Start: e.Start, End: e.End, Label: e.Label, Text: e.Text})
			if e.Model != "" && !models[e.Model] {
				models[e.Model] = true
			}
		}
		rn := reviewedNote{text: n.Text, model: rec, modelDx: n.Diagnoses, gold: c}
		for m := range models {
			rn.modelNames = append(rn.modelNames, m)
		}
		out = append(out, rn)
	}
	return out, nil
}

// goldRecord is a reviewed note as normalised JSONL (the format of
// ../shared/data): text and the corrected entities, code-point offsets,
// end exclusive, sorted by (start, end).
func goldRecord(r reviewedNote) extract.Record {
	rec := extract.Record{ID: r.model.ID, Text: r.text, Entities: make([]extract.Span, 0, len(r.gold.Entities))}
	for _, e := range r.gold.Entities {
		rec.Entities = append(rec.Entities, extract.Span{Start: e.Start, End: e.End, Label: e.Label, Text: e.Text})
	}
	sort.SliceStable(rec.Entities, func(i, j int) bool {
		a, b := rec.Entities[i], rec.Entities[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End < b.End
	})
	return rec
}

// exportReviewed is 'bingli export --reviewed --data DIR --out FILE'.
func exportReviewed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export --reviewed", flag.ContinueOnError)
	fs.Bool("reviewed", true, "export the reviewed notes as training data")
	data := fs.String("data", ".data", "data directory of the run (its REVIEWS stream and embedded index)")
	natsURL := fs.String("nats", "", "read the REVIEWS stream from this NATS server instead of DATA/jetstream")
	out := fs.String("out", "", "output JSONL file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("export --reviewed: --out FILE is required")
	}
	notes, err := loadReviewed(ctx, *data, *natsURL)
	if err != nil {
		return fmt.Errorf("export --reviewed: %w", err)
	}
	n, ents, err := writeGold(*out, notes)
	if err != nil {
		return fmt.Errorf("export --reviewed: %w", err)
	}
	fmt.Printf("wrote %d reviewed notes (%d entities) to %s\n", n, ents, *out)
	return nil
}

// writeGold writes the reviewed notes as normalised JSONL, atomically.
func writeGold(path string, notes []reviewedNote) (n, ents int, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".reviewed-*.jsonl")
	if err != nil {
		return 0, 0, err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range notes {
		rec := goldRecord(r)
		if err := enc.Encode(rec); err != nil {
			tmp.Close()
			return 0, 0, err
		}
		n++
		ents += len(rec.Entities)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return 0, 0, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return 0, 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, 0, err
	}
	return n, ents, os.Rename(tmp.Name(), path)
}
