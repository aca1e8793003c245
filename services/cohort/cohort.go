// Package cohort answers patient-level cohort questions over follow-up
// timelines — "primary open-angle glaucoma in either eye, IOP above
// 21 mmHg at least twice, followed for 12 months or more" — with counts
// guarded against re-identification: cells below k are suppressed, and so
// is the complementary cell that would reveal a lone suppressed one.
package cohort

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"bingli/services/index"
	"bingli/services/note"
	"bingli/services/timeline"
)

// SchemaVersion of the patient query (schemas/cohort.schema.json).
const SchemaVersion = "1.0.0"

// Query selects patients by their timelines; every condition must hold.
type Query struct {
	SchemaVersion string `json:"schema_version,omitempty"`
	// Diagnosis: at least one diagnosis entry of the patient matches.
	Diagnosis *Diagnosis `json:"diagnosis,omitempty"`
	// Measurements: each condition must be met.
	Measurements []MeasurementCondition `json:"measurements,omitempty"`
	// MinFollowUpDays: first to last dated visit.
	MinFollowUpDays int `json:"min_follow_up_days,omitempty"`
	// Aggregations: "eye" (of the matching diagnosis), "first_visit_year",
	// "icd10_category" (of the matching diagnoses).
	Aggregations []string `json:"aggregations,omitempty"`
	// IncludeIDs returns the pseudonymous patient ids (only when the cohort
	// is at least k patients).
	IncludeIDs bool `json:"include_ids,omitempty"`
}

// Diagnosis matches one diagnosis entry of a timeline.
type Diagnosis struct {
	Codes      []string         `json:"codes,omitempty"` // ICD-10 codes or prefixes
	Eye        string           `json:"eye,omitempty"`   // right, left, both, either (any eye), none, "" (any)
	Assertions []note.Assertion `json:"assertions,omitempty"`
}

// MeasurementCondition counts a patient's measurements of a kind that
// compare with Value; at least MinCount (default 1) must.
type MeasurementCondition struct {
	Kind     string  `json:"kind"`
	Op       string  `json:"op"` // > >= < <= =
	Value    float64 `json:"value"`
	MinCount int     `json:"min_count,omitempty"`
	Eye      string  `json:"eye,omitempty"` // right, left, both, either/"" (any)
}

// Result is the answer: counts only, unless ids were asked for and the
// cohort is large enough.
type Result struct {
	SchemaVersion string `json:"schema_version"`
	// Total is the number of patients; nil when suppressed (below k).
	Total        *int                      `json:"total"`
	PatientIDs   []string                  `json:"patient_ids,omitempty"`
	Aggregations map[string][]index.Bucket `json:"aggregations,omitempty"`
	MinCellSize  int                       `json:"min_cell_size"`
}

var aggregations = []string{"eye", "first_visit_year", "icd10_category"}

// Validate checks the query.
func (q *Query) Validate() error {
	var errs []error
	if q.Diagnosis != nil && !slices.Contains([]string{"", "right", "left", "both", "either", "none"}, q.Diagnosis.Eye) {
		errs = append(errs, fmt.Errorf("diagnosis.eye %q", q.Diagnosis.Eye))
	}
	for i, m := range q.Measurements {
		if m.Kind == "" || !slices.Contains([]string{">", ">=", "<", "<=", "="}, m.Op) {
			errs = append(errs, fmt.Errorf("measurements[%d]: need kind and op (> >= < <= =)", i))
		}
		if !slices.Contains([]string{"", "right", "left", "both", "either"}, m.Eye) {
			errs = append(errs, fmt.Errorf("measurements[%d].eye %q", i, m.Eye))
		}
	}
	for _, a := range q.Aggregations {
		if !slices.Contains(aggregations, a) {
			errs = append(errs, fmt.Errorf("aggregation %q (known: %v)", a, aggregations))
		}
	}
	if q.MinFollowUpDays < 0 {
		errs = append(errs, errors.New("min_follow_up_days < 0"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("bad cohort query: %w", errors.Join(errs...))
	}
	return nil
}

// Run evaluates q over the timelines with small-cell suppression at k.
func Run(ts []*timeline.Timeline, q Query, k int) (Result, error) {
	if err := q.Validate(); err != nil {
		return Result{}, err
	}
	if k <= 0 {
		k = index.DefaultMinCellSize
	}
	counts := map[string]map[string]int{}
	for _, a := range q.Aggregations {
		counts[a] = map[string]int{}
	}
	var ids []string
	for _, t := range ts {
		diags, ok := match(t, q)
		if !ok {
			continue
		}
		ids = append(ids, t.PatientID)
		for _, a := range q.Aggregations {
			for _, key := range keys(a, t, diags) {
				counts[a][key]++
			}
		}
	}
	res := Result{SchemaVersion: SchemaVersion, MinCellSize: k, Aggregations: map[string][]index.Bucket{}}
	if n := len(ids); n >= k {
		res.Total = &n
		if q.IncludeIDs {
			res.PatientIDs = ids
		}
	}
	for _, a := range q.Aggregations {
		bs := index.Suppress(counts[a], k)
		if a != "icd10_category" { // eye and first-visit year partition the cohort
			bs = index.Complement(bs)
		}
		res.Aggregations[a] = bs
	}
	return res, nil
}

// Select returns the timelines of the patients q selects, in input order,
// without any suppression: for record-level exports, which apply their own
// privacy guard (k-anonymity) before anything leaves.
func Select(ts []*timeline.Timeline, q Query) ([]*timeline.Timeline, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var out []*timeline.Timeline
	for _, t := range ts {
		if _, ok := match(t, q); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// match reports whether t is in the cohort, with its matching diagnoses.
func match(t *timeline.Timeline, q Query) ([]timeline.DiagnosisSeen, bool) {
	diags, ok := matchDiagnosis(t, q.Diagnosis)
	if !ok || t.FollowUpDays < q.MinFollowUpDays || !matchMeasurements(t, q.Measurements) {
		return nil, false
	}
	return diags, true
}

func matchDiagnosis(t *timeline.Timeline, f *Diagnosis) ([]timeline.DiagnosisSeen, bool) {
	if f == nil {
		return nil, true
	}
	var out []timeline.DiagnosisSeen
	for _, d := range t.Diagnoses {
		if len(f.Assertions) > 0 && !slices.Contains(f.Assertions, d.Assertion) {
			continue
		}
		if len(f.Codes) > 0 && !slices.ContainsFunc(f.Codes, func(c string) bool {
			return d.ICD10 != "" && strings.HasPrefix(strings.ToUpper(d.ICD10), strings.ToUpper(c))
		}) {
			continue
		}
		if !eyeMatches(f.Eye, d.Eye) {
			continue
		}
		out = append(out, d)
	}
	return out, len(out) > 0
}

func eyeMatches(want string, got note.Eye) bool {
	switch want {
	case "":
		return true
	case "either":
		return got != note.EyeNone
	case "none":
		return got == note.EyeNone
	case "right", "left":
		return string(got) == want || got == note.EyeBoth
	}
	return string(got) == want
}

func matchMeasurements(t *timeline.Timeline, conds []MeasurementCondition) bool {
	for _, c := range conds {
		n := 0
		for _, m := range t.Measurements[c.Kind] {
			if m.Value == nil || !eyeMatches(cmpEye(c.Eye), m.Eye) {
				continue
			}
			if compare(*m.Value, c.Op, c.Value) {
				n++
			}
		}
		if n < max(c.MinCount, 1) {
			return false
		}
	}
	return true
}

func cmpEye(e string) string {
	if e == "either" {
		return ""
	}
	return e
}

func compare(v float64, op string, x float64) bool {
	switch op {
	case ">":
		return v > x
	case ">=":
		return v >= x
	case "<":
		return v < x
	case "<=":
		return v <= x
	}
	return v == x
}

func keys(agg string, t *timeline.Timeline, diags []timeline.DiagnosisSeen) []string {
	switch agg {
	case "first_visit_year":
		if len(t.FirstVisit) >= 4 {
			return []string{t.FirstVisit[:4]}
		}
		return []string{"unknown"}
	case "eye":
		// one eye per patient: both if the matching diagnoses cover both eyes
		var r, l bool
		for _, d := range diags {
			r = r || d.Eye == note.EyeRight || d.Eye == note.EyeBoth
			l = l || d.Eye == note.EyeLeft || d.Eye == note.EyeBoth
		}
		switch {
		case r && l:
			return []string{"both"}
		case r:
			return []string{"right"}
		case l:
			return []string{"left"}
		}
		return []string{"none"}
	default: // icd10_category: each category the patient has, once
		seen := map[string]bool{}
		var out []string
		for _, d := range diags {
			if len(d.ICD10) >= 3 && !seen[d.ICD10[:3]] {
				seen[d.ICD10[:3]] = true
				out = append(out, d.ICD10[:3])
			}
		}
		return out
	}
}
