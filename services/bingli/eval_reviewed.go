package main

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strings"

	"bingli/services/extract"
)

// reviewedReport is the model's output scored against the reviewed notes.
type reviewedReport struct {
	NER extract.Report
	// Diagnoses the annotators kept on the model's span, and how many of
	// them kept the model's code, eye and assertion.
	Diagnoses, Code, Eye, Assertion int
}

func (r reviewedReport) String() string {
	pct := func(a int) float64 {
		if r.Diagnoses == 0 {
			return 0
		}
		return float64(a) / float64(r.Diagnoses)
	}
	var b strings.Builder
	b.WriteString("against reviewed notes: model output = the original extraction in the index, gold = the latest correction\n")
	b.WriteString(r.NER.String())
	fmt.Fprintf(&b, "\ndiagnoses on the same span=%d icd10_acc=%.4f eye_acc=%.4f assertion_acc=%.4f", r.Diagnoses, pct(r.Code), pct(r.Eye), pct(r.Assertion))
	return b.String()
}

type evalSpan struct {
	start, end int
	label      string
}

// scoreReviewed scores each note's model entities against its correction
// (strict: exact span and label) and the diagnoses kept on the same span.
func scoreReviewed(notes []reviewedNote) reviewedReport {
	scores := map[string]*extract.LabelScore{}
	get := func(l string) *extract.LabelScore {
		if scores[l] == nil {
			scores[l] = &extract.LabelScore{Label: l}
		}
		return scores[l]
	}
	var r reviewedReport
	modelName := map[string]bool{}
	for _, n := range notes {
		gold := map[evalSpan]bool{}
		for _, e := range n.gold.Entities {
			k := evalSpan{e.Start, e.End, e.Label}
			if !gold[k] {
				gold[k] = true
				get(e.Label).Gold++
			}
		}
		seen := map[evalSpan]bool{}
		for _, e := range n.model.Entities {
			k := evalSpan{e.Start, e.End, e.Label}
			if seen[k] {
				continue
			}
			seen[k] = true
			s := get(e.Label)
			s.Pred++
			if gold[k] {
				s.TP++
			}
		}
		for _, m := range n.modelDx {
			for _, g := range n.gold.Diagnoses {
				if g.Start != m.Start || g.End != m.End {
					continue
				}
				r.Diagnoses++
				if strings.EqualFold(g.ICD10, m.ICD10) {
					r.Code++
				}
				if g.Eye == m.Eye {
					r.Eye++
				}
				if g.Assertion == m.Assertion {
					r.Assertion++
				}
				break
			}
		}
		for _, m := range n.modelNames {
			modelName[m] = true
		}
	}
	names := make([]string, 0, len(modelName))
	for m := range modelName {
		names = append(names, m)
	}
	sort.Strings(names)
	r.NER = extract.Report{Model: strings.Join(names, "+"), Records: len(notes), Micro: extract.LabelScore{Label: "micro"}}
	for _, s := range scores {
		r.NER.Labels = append(r.NER.Labels, *s)
		r.NER.Micro.Gold += s.Gold
		r.NER.Micro.Pred += s.Pred
		r.NER.Micro.TP += s.TP
	}
	sort.Slice(r.NER.Labels, func(i, j int) bool { return r.NER.Labels[i].Label < r.NER.Labels[j].Label })
	return r
}

// evalReviewed is 'bingli eval --reviewed --data DIR'.
func evalReviewed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("eval --reviewed", flag.ContinueOnError)
	fs.Bool("reviewed", true, "score the model against the reviewed notes")
	data := fs.String("data", ".data", "data directory of the run (its REVIEWS stream and embedded index)")
	natsURL := fs.String("nats", "", "read the REVIEWS stream from this NATS server instead of DATA/jetstream")
	if err := fs.Parse(args); err != nil {
		return err
	}
	notes, err := loadReviewed(ctx, *data, *natsURL)
	if err != nil {
		return fmt.Errorf("eval --reviewed: %w", err)
	}
	if len(notes) == 0 {
		return fmt.Errorf("eval --reviewed: no reviewed notes in %s", *data)
	}
	fmt.Println(scoreReviewed(notes).String())
	return nil
}
