package extract

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"bingli/services/note"
)

// LabelScore counts one label's strict matches.
type LabelScore struct {
	Label          string
	Gold, Pred, TP int
}

// Precision, Recall and F1 of the label (0 when undefined).
func (s LabelScore) Precision() float64 { return ratio(s.TP, s.Pred) }
func (s LabelScore) Recall() float64    { return ratio(s.TP, s.Gold) }
func (s LabelScore) F1() float64        { return f1(s.Precision(), s.Recall()) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Report is a strict (exact span and label) evaluation.
type Report struct {
	Model   string
	Records int
	Labels  []LabelScore // sorted by label
	Micro   LabelScore   // all labels together
}

// String is a table of per-label scores ending with "micro_f1=0.XXXX".
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "model=%s records=%d (strict: exact span and label)\n", r.Model, r.Records)
	fmt.Fprintf(&b, "%-12s %6s %6s %6s %9s %7s %7s\n", "label", "gold", "pred", "tp", "precision", "recall", "f1")
	for _, s := range append(append([]LabelScore(nil), r.Labels...), r.Micro) {
		fmt.Fprintf(&b, "%-12s %6d %6d %6d %9.4f %7.4f %7.4f\n", s.Label, s.Gold, s.Pred, s.TP, s.Precision(), s.Recall(), s.F1())
	}
	fmt.Fprintf(&b, "micro_p=%.4f micro_r=%.4f micro_f1=%.4f", r.Micro.Precision(), r.Micro.Recall(), r.Micro.F1())
	return b.String()
}

type spanKey struct {
	start, end int
	label      string
}

// Evaluate runs e on every record of normalised JSONL (corpus labels are
// mapped with ProductLabel; a gold label the model lacks counts as missed)
// and scores strict matches. Records are processed concurrently.
func Evaluate(r io.Reader, e *Extractor) (Report, error) {
	var recs []Record
	if err := ReadRecords(r, func(rec Record) error { recs = append(recs, rec); return nil }); err != nil {
		return Report{}, fmt.Errorf("evaluate: %w", err)
	}
	preds := make([][]note.Entity, len(recs))
	errs := make([]error, len(recs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				preds[i], errs[i] = e.Extract(recs[i].Text)
			}
		}()
	}
	for i := range recs {
		next <- i
	}
	close(next)
	wg.Wait()
	scores := map[string]*LabelScore{}
	get := func(l string) *LabelScore {
		if scores[l] == nil {
			scores[l] = &LabelScore{Label: l}
		}
		return scores[l]
	}
	for i, rec := range recs {
		if errs[i] != nil {
			return Report{}, fmt.Errorf("evaluate %s: %w", rec.ID, errs[i])
		}
		gold := map[spanKey]bool{}
		for _, g := range rec.Entities {
			l, ok := ProductLabel(g.Label)
			if !ok {
				l = g.Label
			}
			k := spanKey{g.Start, g.End, l}
			if !gold[k] {
				gold[k] = true
				get(l).Gold++
			}
		}
		for _, p := range preds[i] {
			s := get(p.Label)
			s.Pred++
			if gold[spanKey{p.Start, p.End, p.Label}] {
				s.TP++
			}
		}
	}
	rep := Report{Model: e.Model(), Records: len(recs), Micro: LabelScore{Label: "micro"}}
	for _, s := range scores {
		rep.Labels = append(rep.Labels, *s)
		rep.Micro.Gold += s.Gold
		rep.Micro.Pred += s.Pred
		rep.Micro.TP += s.TP
	}
	sort.Slice(rep.Labels, func(i, j int) bool { return rep.Labels[i].Label < rep.Labels[j].Label })
	return rep, nil
}
