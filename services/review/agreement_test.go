package review

import (
	"math"
	"testing"

	"bingli/services/note"
)

// labels expands counts of (a, b) label pairs into two paired label lists.
func labels(pairs map[[2]string]int) (a, b []string) {
	for p, n := range pairs {
		for range n {
			a, b = append(a, p[0]), append(b, p[1])
		}
	}
	return a, b
}

func TestCohenKappa(t *testing.T) {
	for _, c := range []struct {
		name          string
		pairs         map[[2]string]int
		po, pe, kappa float64
		undefined     bool
	}{
		// Wikipedia's example: 50 items, 20 yes/yes, 5 yes/no, 10 no/yes,
		// 15 no/no: po = 0.7, pe = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4.
		{"wikipedia yes/no", map[[2]string]int{{"yes", "yes"}: 20, {"yes", "no"}: 5, {"no", "yes"}: 10, {"no", "no"}: 15}, 0.7, 0.5, 0.4, false},
		// Second Wikipedia example: 45/15/25/15 → po = 0.6, pe = 0.54, κ = 0.1304.
		{"wikipedia low kappa", map[[2]string]int{{"yes", "yes"}: 45, {"yes", "no"}: 15, {"no", "yes"}: 25, {"no", "no"}: 15}, 0.6, 0.54, 0.06 / 0.46, false},
		// Perfect agreement over two categories.
		{"perfect", map[[2]string]int{{"right", "right"}: 3, {"left", "left"}: 2}, 1, 0.52, 1, false},
		// Systematic disagreement: po = 0, pe = 0.5, κ = -1.
		{"opposite", map[[2]string]int{{"present", "negated"}: 2, {"negated", "present"}: 2}, 0, 0.5, -1, false},
		// Three categories: a = [p p p n h h], b = [p p n n h p]:
		// po = 4/6; pa = (3,1,2)/6, pb = (3,2,1)/6; pe = (9+2+2)/36 = 13/36;
		// κ = (24/36 - 13/36) / (23/36) = 11/23.
		{"three categories", map[[2]string]int{{"p", "p"}: 2, {"p", "n"}: 1, {"n", "n"}: 1, {"h", "h"}: 1, {"h", "p"}: 1}, 4.0 / 6, 13.0 / 36, 11.0 / 23, false},
		// One category used by both for everything: pe = 1, κ undefined.
		{"one category", map[[2]string]int{{"present", "present"}: 4}, 1, 1, 0, true},
		{"no items", nil, 0, 0, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := labels(c.pairs)
			k := CohenKappa(a, b)
			near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
			if k.N != len(a) || !near(k.Observed, c.po) || !near(k.Expected, c.pe) {
				t.Fatalf("n=%d po=%v pe=%v, want n=%d po=%v pe=%v", k.N, k.Observed, k.Expected, len(a), c.po, c.pe)
			}
			if c.undefined {
				if k.Kappa != nil {
					t.Fatalf("kappa %v, want undefined", *k.Kappa)
				}
				return
			}
			if k.Kappa == nil || !near(*k.Kappa, c.kappa) {
				t.Fatalf("kappa %v, want %v", k.Kappa, c.kappa)
			}
		})
	}
}

func ent(label string, start, end int) note.Entity {
	return note.Entity{Label: label, Start: start, End: end}
}

func dx(start, end int, eye note.Eye, a note.Assertion) note.Diagnosis {
	return note.Diagnosis{Start: start, End: end, Eye: eye, Assertion: a}
}

func TestAgree(t *testing.T) {
	// Note 1: A marks DISEASE[0,3) DISEASE[5,8) DRUG[10,14); B marks
	// DISEASE[0,3) (match), DISEASE[5,9) (span differs), DRUG[10,14) (match),
	// SYMPTOM[20,22) (only B). Note 2: A and B both mark SYMPTOM[1,3); A
	// also DRUG[4,6) twice (counted once). Note 3 is rejected by B.
	a := []Correction{
		{Status: StatusCorrected, Entities: []note.Entity{ent("DISEASE", 0, 3), ent("DISEASE", 5, 8), ent("DRUG", 10, 14)},
			Diagnoses: []note.Diagnosis{dx(0, 3, note.EyeRight, note.Present), dx(5, 8, note.EyeLeft, note.Present)}},
		{Status: StatusAccepted, Entities: []note.Entity{ent("SYMPTOM", 1, 3), ent("DRUG", 4, 6), ent("DRUG", 4, 6)},
			Diagnoses: []note.Diagnosis{dx(1, 3, note.EyeNone, note.Negated), dx(7, 9, note.EyeBoth, note.Present)}},
		{Status: StatusCorrected, Entities: []note.Entity{ent("DRUG", 0, 2)}},
	}
	b := []Correction{
		{Status: StatusCorrected, Entities: []note.Entity{ent("DISEASE", 0, 3), ent("DISEASE", 5, 9), ent("DRUG", 10, 14), ent("SYMPTOM", 20, 22)},
			Diagnoses: []note.Diagnosis{dx(0, 3, note.EyeRight, note.Present), dx(5, 9, note.EyeLeft, note.Present)}},
		{Status: StatusCorrected, Entities: []note.Entity{ent("SYMPTOM", 1, 3)},
			Diagnoses: []note.Diagnosis{dx(1, 3, note.EyeNone, note.Present), dx(7, 9, note.EyeRight, note.Present)}},
		{Status: StatusRejected},
	}
	p := Agree("ann1", "ann2", a, b)
	if p.Notes != 2 || p.Rejected != 1 {
		t.Fatalf("notes %d rejected %d, want 2 and 1", p.Notes, p.Rejected)
	}
	want := map[string]SpanAgreement{
		"DISEASE": {Label: "DISEASE", A: 2, B: 2, Matched: 1},
		"DRUG":    {Label: "DRUG", A: 2, B: 1, Matched: 1},
		"SYMPTOM": {Label: "SYMPTOM", A: 1, B: 2, Matched: 1},
	}
	if len(p.Labels) != len(want) {
		t.Fatalf("labels %+v", p.Labels)
	}
	for _, s := range p.Labels {
		if s != want[s.Label] {
			t.Errorf("%s: %+v, want %+v", s.Label, s, want[s.Label])
		}
	}
	// all: A 5, B 5, matched 3 → P = R = F1 = 0.6.
	if p.All.A != 5 || p.All.B != 5 || p.All.Matched != 3 || math.Abs(p.All.F1()-0.6) > 1e-9 {
		t.Errorf("all: %+v f1 %v", p.All, p.All.F1())
	}
	// DRUG: P = 1/1, R = 1/2, F1 = 2/3.
	d := want["DRUG"]
	if d.Precision() != 1 || d.Recall() != 0.5 || math.Abs(d.F1()-2.0/3) > 1e-9 {
		t.Errorf("DRUG P/R/F1 %v %v %v", d.Precision(), d.Recall(), d.F1())
	}
	// Matched diagnoses: [0,3) right/present both; [1,3) none/negated vs
	// none/present; [7,9) both/present vs right/present. ([5,8) vs [5,9)
	// do not match.)
	if p.Diagnoses.Matched != 3 || p.Diagnoses.A != 4 || p.Diagnoses.B != 4 {
		t.Errorf("diagnoses %+v", p.Diagnoses)
	}
	// Assertion: a = [present negated present], b = [present present
	// present]: po = 2/3, pe = (2/3)(1) + (1/3)(0) = 2/3 → κ = 0.
	if k := p.Assertion; k.N != 3 || k.Kappa == nil || math.Abs(*k.Kappa) > 1e-9 {
		t.Errorf("assertion kappa %+v", k)
	}
	// Eye: a = [right none both], b = [right none right]: po = 2/3,
	// pe = (1/3)(2/3) + (1/3)(1/3) + 0 = 1/3 → κ = (1/3)/(2/3) = 0.5.
	if k := p.Eye; k.N != 3 || k.Kappa == nil || math.Abs(*k.Kappa-0.5) > 1e-9 {
		t.Errorf("eye kappa %+v", k)
	}
}
