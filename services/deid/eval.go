package deid

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"bingli/services/jsonl"
)

// GoldSpan is one annotated identifier (code-point offsets, end-exclusive).
type GoldSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// GoldNote is one line of a gold JSONL file (the format `bingli synth`
// writes to gold.jsonl).
type GoldNote struct {
	ID        string     `json:"id"`
	PatientID string     `json:"patient_id"`
	VisitDate string     `json:"visit_date"`
	Text      string     `json:"text"`
	PHI       []GoldSpan `json:"phi"`
}

// TypeScore is the evaluation of one entity type.
type TypeScore struct {
	Gold      int // gold spans
	Caught    int // gold spans fully covered by detected spans (any type)
	Predicted int // detected spans of this type
	Correct   int // detected spans overlapping a gold span of the same type
	Leaks     int // gold strings of this type still present in the output
}

func (t TypeScore) Recall() float64 {
	if t.Gold == 0 {
		return 1
	}
	return float64(t.Caught) / float64(t.Gold)
}

func (t TypeScore) Precision() float64 {
	if t.Predicted == 0 {
		return 1
	}
	return float64(t.Correct) / float64(t.Predicted)
}

// Report is the result of Evaluate. It holds counts only, never text.
//
// Rules:
//   - recall: a gold span is caught when every code point of it is covered by
//     some detected span, whatever that span's type (what matters is that the
//     identifier is gone);
//   - per-type precision: a detected span is correct when it overlaps a gold
//     span of the same type; overall precision counts a detected span as
//     correct when it overlaps any gold span;
//   - leaks: gold strings (at least 2 code points; not DATE, which is shifted
//     and whose short forms recur by chance; not purely numeric strings under
//     5 digits such as bed numbers) still found anywhere in the de-identified
//     output of their note.
type Report struct {
	Notes            int
	Types            map[string]*TypeScore
	Predicted        int // all detected spans
	PredictedCorrect int // detected spans overlapping any gold span
	GuardFailures    int // notes the leak guard would dead-letter
}

// PHIRecall is caught/gold over all types.
func (r Report) PHIRecall() float64 {
	g, c := 0, 0
	for _, t := range r.Types {
		g += t.Gold
		c += t.Caught
	}
	if g == 0 {
		return 1
	}
	return float64(c) / float64(g)
}

// Precision is the overall (type-agnostic) precision.
func (r Report) Precision() float64 {
	if r.Predicted == 0 {
		return 1
	}
	return float64(r.PredictedCorrect) / float64(r.Predicted)
}

// Leaks is the total number of leaked gold strings.
func (r Report) Leaks() int {
	n := 0
	for _, t := range r.Types {
		n += t.Leaks
	}
	return n
}

// String renders the report; its last line is "phi_recall=0.XXXX leaks=N".
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notes=%d guard_failures=%d\n", r.Notes, r.GuardFailures)
	fmt.Fprintf(&b, "%-14s %6s %6s %8s %6s %6s %9s %6s\n", "type", "gold", "caught", "recall", "pred", "corr", "precision", "leaks")
	labels := make([]string, 0, len(r.Types))
	for l := range r.Types {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		t := r.Types[l]
		fmt.Fprintf(&b, "%-14s %6d %6d %8.4f %6d %6d %9.4f %6d\n", l, t.Gold, t.Caught, t.Recall(), t.Predicted, t.Correct, t.Precision(), t.Leaks)
	}
	fmt.Fprintf(&b, "precision(any type)=%.4f (%d/%d)\n", r.Precision(), r.PredictedCorrect, r.Predicted)
	fmt.Fprintf(&b, "phi_recall=%.4f leaks=%d", r.PHIRecall(), r.Leaks())
	return b.String()
}

func (r *Report) typ(l string) *TypeScore {
	t := r.Types[l]
	if t == nil {
		t = &TypeScore{}
		r.Types[l] = t
	}
	return t
}

// Evaluate runs d over a gold JSONL stream and scores it.
func Evaluate(rd io.Reader, d *Deidentifier) (Report, error) {
	rep := Report{Types: map[string]*TypeScore{}}
	err := jsonl.Each(rd, func(line int, g *GoldNote) error {
		if err := rep.add(d, *g); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("gold %w", err)
	}
	return rep, nil
}

func (rep *Report) add(d *Deidentifier, g GoldNote) error {
	rep.Notes++
	n := utf8.RuneCountInString(g.Text)
	for _, p := range g.PHI {
		if p.Start < 0 || p.End > n || p.Start >= p.End {
			return fmt.Errorf("span offsets out of range")
		}
	}
	spans, err := d.Detect(g.Text, g.PatientID)
	if err != nil {
		return err
	}
	covered := make([]bool, n)
	for _, s := range spans {
		for i := s.Start; i < s.End; i++ {
			covered[i] = true
		}
		rep.Predicted++
		t := rep.typ(s.Label)
		t.Predicted++
		anyHit, sameHit := false, false
		for _, p := range g.PHI {
			if s.Start < p.End && p.Start < s.End {
				anyHit = true
				if p.Label == s.Label {
					sameHit = true
				}
			}
		}
		if anyHit {
			rep.PredictedCorrect++
		}
		if sameHit {
			t.Correct++
		}
	}
	scope := patientScope(g.PatientID, g.ID)
	refYear := 0
	if len(g.VisitDate) >= 4 {
		refYear, _ = strconv.Atoi(g.VisitDate[:4])
	}
	out, _, err := d.apply(g.Text, scope, DateOffset(d.key, scope), refYear)
	if err != nil {
		return err
	}
	if len(leakCheck(out)) > 0 {
		rep.GuardFailures++
	}
	for _, p := range g.PHI {
		t := rep.typ(p.Label)
		t.Gold++
		ok := true
		for i := p.Start; i < p.End; i++ {
			if !covered[i] {
				ok = false
				break
			}
		}
		if ok {
			t.Caught++
		}
		if leakable(p) && strings.Contains(out, p.Text) {
			t.Leaks++
		}
	}
	return nil
}

func leakable(p GoldSpan) bool {
	if p.Label == Date || utf8.RuneCountInString(p.Text) < 2 {
		return false
	}
	digits := 0
	for _, r := range p.Text {
		if !isDigit(foldRune(r)) {
			return true
		}
		digits++
	}
	return digits >= 5
}
