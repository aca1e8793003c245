package cohort

import (
	"fmt"
	"testing"

	"bingli/services/note"
	"bingli/services/timeline"
)

// patient builds a timeline: a diagnosis on the first visit, one IOP value
// per visit, visits a year apart when long is set.
func patient(id string, code string, eye note.Eye, a note.Assertion, iops []float64, long bool) *timeline.Timeline {
	t := timeline.New(id)
	for i, v := range iops {
		v := v
		date := fmt.Sprintf("2021-03-%02d", i+1)
		if long {
			date = fmt.Sprintf("%d-03-01", 2020+i)
		}
		t.Add(&note.Note{NoteID: fmt.Sprintf("%s-%d", id, i), PatientID: id, VisitDate: date,
			Diagnoses:    []note.Diagnosis{{Text: "青光眼", ICD10: code, Eye: eye, Assertion: a}},
			Measurements: []note.Measurement{{Kind: "iop", Value: &v, Eye: eye}}})
	}
	return t
}

func cohort() []*timeline.Timeline {
	var ts []*timeline.Timeline
	for i := range 12 { // the cohort: POAG right eye, IOP > 21 twice, 2 years
		ts = append(ts, patient(fmt.Sprintf("p-r%02d", i), "H40.101", note.EyeRight, note.Present, []float64{25, 23, 19}, true))
	}
	for i := range 3 { // POAG left eye, qualifies too (a small cell)
		ts = append(ts, patient(fmt.Sprintf("p-l%02d", i), "H40.1", note.EyeLeft, note.Present, []float64{30, 28}, true))
	}
	ts = append(ts,
		patient("p-once", "H40.1", note.EyeRight, note.Present, []float64{25, 18, 17}, true), // IOP > 21 only once
		patient("p-short", "H40.1", note.EyeRight, note.Present, []float64{25, 26}, false),   // followed 1 day
		patient("p-neg", "H40.1", note.EyeRight, note.Negated, []float64{25, 26, 27}, true),  // 否认青光眼
		patient("p-cat", "H25.9", note.EyeRight, note.Present, []float64{25, 26, 27}, true),  // cataract
	)
	return ts
}

func TestGlaucomaCohort(t *testing.T) {
	q := Query{
		Diagnosis:       &Diagnosis{Codes: []string{"H40.1"}, Eye: "either", Assertions: []note.Assertion{note.Present}},
		Measurements:    []MeasurementCondition{{Kind: "iop", Op: ">", Value: 21, MinCount: 2}},
		MinFollowUpDays: 365,
		Aggregations:    []string{"eye", "first_visit_year", "icd10_category"},
		IncludeIDs:      true,
	}
	res, err := Run(cohort(), q, 10)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == nil || *res.Total != 15 || len(res.PatientIDs) != 15 {
		t.Fatalf("total %v ids %d, want 15", res.Total, len(res.PatientIDs))
	}
	// eye: right 12 shown, left 3 suppressed; with only two cells, showing
	// right (and the total) would reveal left: right is suppressed too.
	eye := res.Aggregations["eye"]
	if len(eye) != 2 || !eye[0].Suppressed || !eye[1].Suppressed || eye[0].Count != 0 {
		t.Fatalf("eye buckets %+v: both must be suppressed (complementary suppression)", eye)
	}
	if cat := res.Aggregations["icd10_category"]; len(cat) != 1 || cat[0].Key != "H40" || cat[0].Count != 15 {
		t.Fatalf("category buckets %+v", cat)
	}
	if yr := res.Aggregations["first_visit_year"]; len(yr) != 1 || yr[0].Count != 15 {
		t.Fatalf("year buckets %+v", yr)
	}

	// A cohort below k reports no total and no ids.
	q.Diagnosis.Eye = "left"
	res, err = Run(cohort(), q, 10)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != nil || res.PatientIDs != nil {
		t.Fatalf("small cohort leaked: total %v ids %v", res.Total, res.PatientIDs)
	}
}

func TestQueryValidation(t *testing.T) {
	for _, q := range []Query{
		{Diagnosis: &Diagnosis{Eye: "up"}},
		{Measurements: []MeasurementCondition{{Kind: "iop", Op: "~"}}},
		{Aggregations: []string{"name"}},
		{MinFollowUpDays: -1},
	} {
		if _, err := Run(nil, q, 10); err == nil {
			t.Errorf("query %+v accepted", q)
		}
	}
}
