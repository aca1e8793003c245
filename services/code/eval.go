package code

import (
	"fmt"
	"io"
	"strings"

	"bingli/services/jsonl"

	"bingli/services/note"
)

// GoldDiagnosis is one annotated diagnosis (code-point offsets,
// end-exclusive), as `bingli synth` writes them to gold.jsonl.
type GoldDiagnosis struct {
	Start     int            `json:"start"`
	End       int            `json:"end"`
	Text      string         `json:"text"`
	ICD10     string         `json:"icd10"`
	Eye       note.Eye       `json:"eye"`
	Assertion note.Assertion `json:"assertion"`
}

// GoldNote is one line of a gold JSONL file.
type GoldNote struct {
	ID        string          `json:"id"`
	Text      string          `json:"text"`
	Diagnoses []GoldDiagnosis `json:"diagnoses"`
}

// Report is the result of Evaluate. It holds counts only, never text.
//
// Rules: a gold diagnosis is found when a predicted diagnosis overlaps its
// span; among overlapping predictions the one agreeing best (code, then
// eye and assertion) is compared. Code, eye and assertion accuracies are
// over found gold diagnoses. A code is exact when the predicted code equals
// the gold code or refines it (gold H25.9, predicted H25.901: the dictionary
// is more specific than the gold's granularity); category compares the
// first three characters. Mention precision counts predicted spans
// (distinct start/end) overlapping some gold diagnosis.
type Report struct {
	Notes          int
	Gold           int // gold diagnoses
	Found          int // gold diagnoses overlapped by a prediction
	Predicted      int // distinct predicted spans
	PredictedHit   int // predicted spans overlapping a gold diagnosis
	CodeExact      int
	CodeCategory   int
	Uncoded        int // found gold diagnoses whose prediction has no code
	EyeCorrect     int
	AssertCorrect  int
	AssertConfused map[string]int // "gold->predicted" for wrong assertions
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (r Report) ICD10Accuracy() float64     { return ratio(r.CodeExact, r.Found) }
func (r Report) CategoryAccuracy() float64  { return ratio(r.CodeCategory, r.Found) }
func (r Report) EyeAccuracy() float64       { return ratio(r.EyeCorrect, r.Found) }
func (r Report) AssertionAccuracy() float64 { return ratio(r.AssertCorrect, r.Found) }
func (r Report) MentionRecall() float64     { return ratio(r.Found, r.Gold) }
func (r Report) MentionPrecision() float64  { return ratio(r.PredictedHit, r.Predicted) }

// String renders the report; its last line is
// "icd10_acc=0.XXXX eye_acc=0.XXXX assertion_acc=0.XXXX".
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notes=%d gold=%d found=%d predicted_spans=%d\n", r.Notes, r.Gold, r.Found, r.Predicted)
	fmt.Fprintf(&b, "mention_precision=%.4f mention_recall=%.4f\n", r.MentionPrecision(), r.MentionRecall())
	fmt.Fprintf(&b, "icd10_exact=%.4f icd10_category=%.4f uncoded=%d\n", r.ICD10Accuracy(), r.CategoryAccuracy(), r.Uncoded)
	if len(r.AssertConfused) > 0 {
		keys := make([]string, 0, len(r.AssertConfused))
		for k := range r.AssertConfused {
			keys = append(keys, k)
		}
		sortStrings(keys)
		b.WriteString("assertion_errors:")
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%d", k, r.AssertConfused[k])
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "icd10_acc=%.4f eye_acc=%.4f assertion_acc=%.4f", r.ICD10Accuracy(), r.EyeAccuracy(), r.AssertionAccuracy())
	return b.String()
}

// codeMatches: predicted equals gold or refines it (H25.901 under H25.9,
// I10xx02 under I10).
func codeMatches(pred, gold string) bool {
	if pred == "" || gold == "" {
		return false
	}
	if pred == gold {
		return true
	}
	if !strings.HasPrefix(pred, gold) {
		return false
	}
	if len(gold) == 3 {
		return true
	}
	// H25.9 refined by H25.901, not H25.91x of another subcategory: v601
	// extension codes add digits after the 4th character.
	return strings.Contains(gold, ".")
}

func category(c string) string {
	if len(c) < 3 {
		return c
	}
	return c[:3]
}

// Evaluate runs c over every note of a gold JSONL stream and compares.
func Evaluate(r io.Reader, c *Coder) (Report, error) {
	rep := Report{AssertConfused: map[string]int{}}
	err := jsonl.Each(r, func(_ int, gp *GoldNote) error {
		g := *gp
		rep.Notes++
		pred := c.Diagnose(g.Text)
		spans := map[[2]int]bool{}
		hit := map[[2]int]bool{}
		for _, p := range pred {
			spans[[2]int{p.Start, p.End}] = true
		}
		for _, gd := range g.Diagnoses {
			rep.Gold++
			best, bestScore := -1, -1
			for i, p := range pred {
				if p.Start >= gd.End || gd.Start >= p.End {
					continue
				}
				hit[[2]int{p.Start, p.End}] = true
				s := 0
				if codeMatches(p.ICD10, gd.ICD10) {
					s += 4
				} else if p.ICD10 != "" && category(p.ICD10) == category(gd.ICD10) {
					s += 2
				}
				if p.Eye == gd.Eye {
					s++
				}
				if p.Assertion == gd.Assertion {
					s++
				}
				if s > bestScore {
					best, bestScore = i, s
				}
			}
			if best < 0 {
				continue
			}
			p := pred[best]
			rep.Found++
			if p.ICD10 == "" {
				rep.Uncoded++
			}
			if codeMatches(p.ICD10, gd.ICD10) {
				rep.CodeExact++
			}
			if p.ICD10 != "" && category(p.ICD10) == category(gd.ICD10) {
				rep.CodeCategory++
			}
			if p.Eye == gd.Eye {
				rep.EyeCorrect++
			}
			if p.Assertion == gd.Assertion {
				rep.AssertCorrect++
			} else {
				rep.AssertConfused[string(gd.Assertion)+"->"+string(p.Assertion)]++
			}
		}
		rep.Predicted += len(spans)
		for s := range spans {
			if hit[s] {
				rep.PredictedHit++
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("gold %w", err)
	}
	return rep, nil
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
