package review

import (
	"encoding/json"
	"sort"

	"bingli/services/note"
)

// Kappa is Cohen's kappa of two annotators' labels of the same items:
// (Observed - Expected) / (1 - Expected), where Observed is the share of
// items they label alike and Expected the share expected by chance from
// each annotator's label frequencies. Kappa is nil when it is undefined
// (no items, or both used one and the same label for everything).
type Kappa struct {
	N        int      `json:"n"`
	Observed float64  `json:"observed"`
	Expected float64  `json:"expected"`
	Kappa    *float64 `json:"kappa"`
}

// CohenKappa computes kappa over paired labels a[i], b[i].
func CohenKappa(a, b []string) Kappa {
	n := min(len(a), len(b))
	k := Kappa{N: n}
	if n == 0 {
		return k
	}
	fa, fb := map[string]int{}, map[string]int{}
	agree := 0
	for i := 0; i < n; i++ {
		fa[a[i]]++
		fb[b[i]]++
		if a[i] == b[i] {
			agree++
		}
	}
	N := float64(n)
	k.Observed = float64(agree) / N
	for l, ca := range fa {
		k.Expected += float64(ca) / N * float64(fb[l]) / N
	}
	if k.Expected < 1 {
		v := (k.Observed - k.Expected) / (1 - k.Expected)
		k.Kappa = &v
	}
	return k
}

// SpanAgreement counts exact (span and label) matches between annotator A,
// taken as the reference, and annotator B.
type SpanAgreement struct {
	Label   string `json:"label"`
	A       int    `json:"a"`       // spans A marked
	B       int    `json:"b"`       // spans B marked
	Matched int    `json:"matched"` // spans both marked alike
}

// Precision of B against A.
func (s SpanAgreement) Precision() float64 { return ratio(s.Matched, s.B) }

// Recall of B against A.
func (s SpanAgreement) Recall() float64 { return ratio(s.Matched, s.A) }

// F1 is 2·matched / (A + B); it does not depend on who is the reference.
func (s SpanAgreement) F1() float64 { return ratio(2*s.Matched, s.A+s.B) }

// MarshalJSON adds precision, recall and F1 to the counts.
func (s SpanAgreement) MarshalJSON() ([]byte, error) {
	type counts SpanAgreement
	return json.Marshal(struct {
		counts
		Precision float64 `json:"precision"`
		Recall    float64 `json:"recall"`
		F1        float64 `json:"f1"`
	}{counts(s), s.Precision(), s.Recall(), s.F1()})
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// PairAgreement is the agreement of two annotators over the notes both
// reviewed (and neither rejected).
type PairAgreement struct {
	A     string `json:"a"`
	B     string `json:"b"`
	Notes int    `json:"notes"`
	// Rejected counts notes both reviewed where at least one rejected the
	// note; they are left out of the scores.
	Rejected int `json:"rejected"`
	// Labels are the entity span scores per label, sorted; All pools them.
	Labels []SpanAgreement `json:"labels"`
	All    SpanAgreement   `json:"all"`
	// Diagnoses counts the diagnoses both marked on the same span; Assertion
	// and Eye are kappa over them.
	Diagnoses SpanAgreement `json:"diagnoses"`
	Assertion Kappa         `json:"assertion"`
	Eye       Kappa         `json:"eye"`
}

type spanKey struct {
	start, end int
	label      string
}

// Agree compares two annotators' corrections of the same notes (paired by
// index) and returns their agreement.
func Agree(annA, annB string, a, b []Correction) PairAgreement {
	p := PairAgreement{A: annA, B: annB, All: SpanAgreement{Label: "all"}, Diagnoses: SpanAgreement{Label: "diagnosis"}}
	labels := map[string]*SpanAgreement{}
	get := func(l string) *SpanAgreement {
		if labels[l] == nil {
			labels[l] = &SpanAgreement{Label: l}
		}
		return labels[l]
	}
	var assertA, assertB, eyeA, eyeB []string
	for i := range min(len(a), len(b)) {
		ca, cb := a[i], b[i]
		if ca.Status == StatusRejected || cb.Status == StatusRejected {
			p.Rejected++
			continue
		}
		p.Notes++
		inA := map[spanKey]bool{}
		for _, e := range ca.Entities {
			k := spanKey{e.Start, e.End, e.Label}
			if !inA[k] {
				inA[k] = true
				get(e.Label).A++
			}
		}
		seenB := map[spanKey]bool{}
		for _, e := range cb.Entities {
			k := spanKey{e.Start, e.End, e.Label}
			if seenB[k] {
				continue
			}
			seenB[k] = true
			s := get(e.Label)
			s.B++
			if inA[k] {
				s.Matched++
			}
		}
		dA := map[[2]int]note.Diagnosis{}
		for _, d := range ca.Diagnoses {
			dA[[2]int{d.Start, d.End}] = d
		}
		p.Diagnoses.A += len(dA)
		seenD := map[[2]int]bool{}
		for _, d := range cb.Diagnoses {
			k := [2]int{d.Start, d.End}
			if seenD[k] {
				continue
			}
			seenD[k] = true
			p.Diagnoses.B++
			da, ok := dA[k]
			if !ok {
				continue
			}
			p.Diagnoses.Matched++
			assertA, assertB = append(assertA, string(da.Assertion)), append(assertB, string(d.Assertion))
			eyeA, eyeB = append(eyeA, eyeLabel(da.Eye)), append(eyeB, eyeLabel(d.Eye))
		}
	}
	for _, s := range labels {
		p.Labels = append(p.Labels, *s)
		p.All.A += s.A
		p.All.B += s.B
		p.All.Matched += s.Matched
	}
	sort.Slice(p.Labels, func(i, j int) bool { return p.Labels[i].Label < p.Labels[j].Label })
	p.Assertion = CohenKappa(assertA, assertB)
	p.Eye = CohenKappa(eyeA, eyeB)
	return p
}

func eyeLabel(e note.Eye) string {
	if e == note.EyeNone {
		return "none"
	}
	return string(e)
}

// Agreement returns the agreement of every pair of annotators who both
// reviewed at least one note, pairs ordered by name (A < B).
func (s *State) Agreement() []PairAgreement {
	type pair struct{ a, b string }
	paired := map[pair][2][]Correction{}
	byNote := s.annotatorCorrections()
	ids := make([]string, 0, len(byNote))
	for id := range byNote {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		m := byNote[id]
		anns := make([]string, 0, len(m))
		for a := range m {
			anns = append(anns, a)
		}
		sort.Strings(anns)
		for i := range anns {
			for j := i + 1; j < len(anns); j++ {
				k := pair{anns[i], anns[j]}
				v := paired[k]
				v[0], v[1] = append(v[0], m[anns[i]]), append(v[1], m[anns[j]])
				paired[k] = v
			}
		}
	}
	out := make([]PairAgreement, 0, len(paired))
	for k, v := range paired {
		out = append(out, Agree(k.a, k.b, v[0], v[1]))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	return out
}
