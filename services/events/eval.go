package events

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"bingli/services/jsonl"

	"bingli/services/note"
)

// GoldMeasurement is one annotated measurement (code-point offsets,
// end-exclusive; unit normalised as in measure.go).
type GoldMeasurement struct {
	Start int      `json:"start"`
	End   int      `json:"end"`
	Text  string   `json:"text"`
	Kind  string   `json:"kind"`
	Value float64  `json:"value"`
	Unit  string   `json:"unit"`
	Eye   note.Eye `json:"eye"`
}

// GoldNote is one line of a measurement gold file: testdata/measurements.jsonl
// or the gold.jsonl that `bingli synth` writes (extra keys are ignored).
type GoldNote struct {
	ID           string            `json:"id"`
	Split        string            `json:"split,omitempty"` // dev or test (hand-annotated set)
	Text         string            `json:"text"`
	Measurements []GoldMeasurement `json:"measurements"`
}

// KindScore counts one measurement kind.
type KindScore struct {
	Gold, Predicted, Correct int
}

// Report is the result of Evaluate; counts only, never text.
//
// A predicted measurement is correct when it overlaps a gold one of the same
// kind, the same value (±1e-6; category acuities compare by their coded
// value) and the same eye; each gold and each prediction matches at most
// once. Laterality accuracy is the share of same eye among the pairs that
// match on span overlap, kind and value regardless of eye.
type Report struct {
	Notes      int
	Kinds      map[string]*KindScore
	EyePairs   int // pairs matched ignoring eye
	EyeCorrect int // of which the eye agrees
}

func (r Report) totals() (gold, pred, correct int) {
	for _, k := range r.Kinds {
		gold += k.Gold
		pred += k.Predicted
		correct += k.Correct
	}
	return
}

func prf(gold, pred, correct int) (p, rec, f1 float64) {
	p, rec = 1, 1
	if pred > 0 {
		p = float64(correct) / float64(pred)
	}
	if gold > 0 {
		rec = float64(correct) / float64(gold)
	}
	if p+rec > 0 {
		f1 = 2 * p * rec / (p + rec)
	}
	return
}

// Precision, Recall and F1 over all kinds.
func (r Report) Precision() float64 { g, p, c := r.totals(); v, _, _ := prf(g, p, c); return v }
func (r Report) Recall() float64    { g, p, c := r.totals(); _, v, _ := prf(g, p, c); return v }
func (r Report) F1() float64        { g, p, c := r.totals(); _, _, v := prf(g, p, c); return v }

// LateralityAccuracy is EyeCorrect/EyePairs (1 when there are no pairs).
func (r Report) LateralityAccuracy() float64 {
	if r.EyePairs == 0 {
		return 1
	}
	return float64(r.EyeCorrect) / float64(r.EyePairs)
}

// String renders the report; its last line is
// "measurement_f1=0.XXXX laterality_acc=0.XXXX".
func (r Report) String() string {
	var b strings.Builder
	g, p, c := r.totals()
	fmt.Fprintf(&b, "notes=%d gold=%d predicted=%d correct=%d\n", r.Notes, g, p, c)
	fmt.Fprintf(&b, "%-24s %5s %5s %5s %9s %7s %7s\n", "kind", "gold", "pred", "corr", "precision", "recall", "f1")
	kinds := make([]string, 0, len(r.Kinds))
	for k := range r.Kinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		s := r.Kinds[k]
		pp, rr, ff := prf(s.Gold, s.Predicted, s.Correct)
		fmt.Fprintf(&b, "%-24s %5d %5d %5d %9.4f %7.4f %7.4f\n", k, s.Gold, s.Predicted, s.Correct, pp, rr, ff)
	}
	fmt.Fprintf(&b, "precision=%.4f recall=%.4f laterality_pairs=%d\n", r.Precision(), r.Recall(), r.EyePairs)
	fmt.Fprintf(&b, "measurement_f1=%.4f laterality_acc=%.4f", r.F1(), r.LateralityAccuracy())
	return b.String()
}

func (r *Report) kind(k string) *KindScore {
	s := r.Kinds[k]
	if s == nil {
		s = &KindScore{}
		r.Kinds[k] = s
	}
	return s
}

// Evaluate runs s over a gold JSONL stream and scores its measurements.
func Evaluate(rd io.Reader, s *Stage) (Report, error) {
	rep := Report{Kinds: map[string]*KindScore{}}
	err := jsonl.Each(rd, func(_ int, g *GoldNote) error {
		pred, _, _ := s.Extract(g.Text)
		rep.add(g.Measurements, pred)
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("gold %w", err)
	}
	return rep, nil
}

func sameValue(a, b float64) bool { return math.Abs(a-b) <= 1e-6 }

func overlaps(g GoldMeasurement, p note.Measurement) bool {
	return g.Start < p.End && p.Start < g.End
}

func (r *Report) add(gold []GoldMeasurement, pred []note.Measurement) {
	r.Notes++
	for _, g := range gold {
		r.kind(g.Kind).Gold++
	}
	for _, p := range pred {
		r.kind(p.Kind).Predicted++
	}
	match := func(withEye bool, found func(g GoldMeasurement, p note.Measurement)) {
		used := make([]bool, len(pred))
		for _, g := range gold {
			for j, p := range pred {
				if used[j] || p.Kind != g.Kind || p.Value == nil || !sameValue(*p.Value, g.Value) || !overlaps(g, p) {
					continue
				}
				if withEye && p.Eye != g.Eye {
					continue
				}
				used[j] = true
				found(g, p)
				break
			}
		}
	}
	match(true, func(g GoldMeasurement, _ note.Measurement) { r.kind(g.Kind).Correct++ })
	match(false, func(g GoldMeasurement, p note.Measurement) {
		r.EyePairs++
		if g.Eye == p.Eye {
			r.EyeCorrect++
		}
	})
}
