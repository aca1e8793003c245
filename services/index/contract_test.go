package index

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"bingli/services/note"
)

// The contract every Backend must meet. It runs against the embedded
// backend (TestEmbeddedContract) and a real OpenSearch node
// (TestOpenSearchContract), and asserts that both answer every query
// exactly as the brute-force oracle over the same fixture does.

const fixtureSize = 200

var allAggs = []Aggregation{ByCategory, ByEye, ByVisitYear}

// contractQueries are the cohort queries both backends must answer alike.
var contractQueries = []struct {
	name string
	q    Query
}{
	{"all notes, counts", Query{Size: 0, Aggregations: allAggs}},
	{"POAG either eye present", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H40.1"}, Eye: EyeFilterEither, Assertions: []note.Assertion{note.Present}}, Size: 1000, Aggregations: allAggs}},
	{"H40 prefix right eye", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H40"}, Eye: EyeFilterRight}, Size: 1000, Aggregations: allAggs}},
	{"H40 left negated", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H40"}, Eye: EyeFilterLeft, Assertions: []note.Assertion{note.Negated}}, Size: 1000, Aggregations: allAggs}},
	{"any diagnosis both eyes", Query{Diagnosis: &DiagnosisFilter{Eye: EyeFilterBoth}, Size: 1000, Aggregations: allAggs}},
	{"no laterality", Query{Diagnosis: &DiagnosisFilter{Eye: EyeFilterNone}, Size: 1000, Aggregations: []Aggregation{ByEye}}},
	{"any diagnosis", Query{Diagnosis: &DiagnosisFilter{}, Size: 1000}},
	{"lower-case code", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"h40.1"}}, Size: 1000}},
	{"H40.11 exact-ish", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H40.11"}}, Size: 1000, Aggregations: allAggs}},
	{"cataract codes", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H25", "H26"}, Assertions: []note.Assertion{note.Present, note.Possible}}, Size: 1000, Aggregations: allAggs}},
	{"rare code (small cells)", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"E11"}}, Size: 1000, Aggregations: allAggs}},
	{"unknown code", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"Z99"}}, Size: 1000, Aggregations: allAggs}},
	{"surgery notes", Query{NoteTypes: []string{"手术记录"}, Size: 1000, Aggregations: []Aggregation{ByVisitYear}}},
	{"two note types", Query{NoteTypes: []string{"手术记录", "住院病历"}, Size: 1000}},
	{"visits 2020-2021", Query{VisitFrom: "2020-01-01", VisitTo: "2021-12-31", Size: 1000, Aggregations: allAggs}},
	{"visits from 2023", Query{VisitFrom: "2023-01-01", Size: 1000, Aggregations: []Aggregation{ByVisitYear}}},
	{"visits to 2018", Query{VisitTo: "2018-12-31", Size: 1000}},
	{"text 视野", Query{Text: "视野", Size: 1000}},
	{"text 拉坦前列素", Query{Text: "拉坦前列素", Size: 1000, Aggregations: allAggs}},
	{"text and POAG right", Query{Text: "杯盘比", Diagnosis: &DiagnosisFilter{Codes: []string{"H40.1"}, Eye: EyeFilterRight}, Size: 1000}},
	{"everything", Query{Text: "复查", Diagnosis: &DiagnosisFilter{Codes: []string{"H40"}, Eye: EyeFilterEither}, NoteTypes: []string{"门诊病历"}, VisitFrom: "2019-01-01", VisitTo: "2022-12-31", Size: 1000, Aggregations: allAggs}},
	{"page", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H40"}}, Size: 5, From: 10}},
}

// runContract runs the suite against a fresh, ensured, empty backend.
func runContract(t *testing.T, b Backend) {
	ctx := context.Background()
	notes := fixtureNotes(fixtureSize, 120)

	t.Run("ensure is idempotent", func(t *testing.T) {
		if err := b.Ensure(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("upsert get", func(t *testing.T) {
		for i := 0; i < len(notes); i += 64 {
			if err := b.Upsert(ctx, notes[i:min(i+64, len(notes))]); err != nil {
				t.Fatal(err)
			}
		}
		got, ok, err := b.Get(ctx, notes[3].NoteID)
		if err != nil || !ok {
			t.Fatalf("Get: ok=%v err=%v", ok, err)
		}
		if !reflect.DeepEqual(jsonOf(t, got), jsonOf(t, notes[3])) {
			t.Errorf("Get returned a different note:\n got %s\nwant %s", jsonOf(t, got), jsonOf(t, notes[3]))
		}
		if _, ok, err := b.Get(ctx, "no-such-note"); ok || err != nil {
			t.Errorf("Get(missing): ok=%v err=%v", ok, err)
		}
	})
	t.Run("upsert is idempotent", func(t *testing.T) {
		// Storing the same notes again (a redelivery) changes nothing.
		if err := b.Upsert(ctx, notes[:50]); err != nil {
			t.Fatal(err)
		}
		if err := b.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		res, err := b.Search(ctx, Query{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != len(notes) {
			t.Errorf("total after re-upsert = %d, want %d", res.Total, len(notes))
		}
	})
	t.Run("queries", func(t *testing.T) {
		for _, tc := range contractQueries {
			t.Run(tc.name, func(t *testing.T) {
				q := cloneQuery(tc.q)
				got, err := b.Search(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want := oracle(notes, cloneQuery(tc.q), DefaultMinCellSize)
				if want.Total == 0 && tc.name != "unknown code" {
					t.Fatalf("fixture does not exercise this query (no matching notes)")
				}
				t.Logf("total %d, aggregations %s", want.Total, jsonOf(t, want.Aggregations))
				if got.Total != want.Total {
					t.Errorf("total = %d, want %d", got.Total, want.Total)
				}
				if !reflect.DeepEqual(got.NoteIDs, want.NoteIDs) {
					t.Errorf("note ids = %v\nwant %v", got.NoteIDs, want.NoteIDs)
				}
				if !reflect.DeepEqual(got.Aggregations, want.Aggregations) {
					t.Errorf("aggregations = %s\nwant %s", jsonOf(t, got.Aggregations), jsonOf(t, want.Aggregations))
				}
			})
		}
	})
	t.Run("small cells suppressed", func(t *testing.T) {
		res, err := b.Search(ctx, Query{Diagnosis: &DiagnosisFilter{Codes: []string{"E11"}}, Aggregations: allAggs})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total == 0 || res.Total >= DefaultMinCellSize {
			t.Fatalf("fixture: want a rare code with 0 < n < %d notes, got %d", DefaultMinCellSize, res.Total)
		}
		for _, a := range allAggs {
			for _, bk := range res.Aggregations[a] {
				if !bk.Suppressed || bk.Count != 0 {
					t.Errorf("%s bucket %q = %+v: want suppressed without a count", a, bk.Key, bk)
				}
			}
		}
		if len(res.Aggregations[ByCategory]) != 1 || res.Aggregations[ByCategory][0].Key != "E11" {
			t.Errorf("category buckets = %+v, want one suppressed E11", res.Aggregations[ByCategory])
		}
		// The JSON a dataset builder sees carries no count for the cell.
		js, _ := json.Marshal(res.Aggregations[ByCategory][0])
		if string(js) != `{"key":"E11","suppressed":true}` {
			t.Errorf("suppressed bucket JSON = %s", js)
		}
		// Large cells keep their counts.
		all, err := b.Search(ctx, Query{Aggregations: []Aggregation{ByCategory}})
		if err != nil {
			t.Fatal(err)
		}
		for _, bk := range all.Aggregations[ByCategory] {
			if bk.Key == "H40" && (bk.Suppressed || bk.Count < DefaultMinCellSize) {
				t.Errorf("H40 bucket = %+v, want a count", bk)
			}
		}
	})
	t.Run("bad query", func(t *testing.T) {
		_, err := b.Search(ctx, Query{Diagnosis: &DiagnosisFilter{Eye: "up"}})
		if !errors.Is(err, ErrBadQuery) {
			t.Errorf("err = %v, want ErrBadQuery", err)
		}
	})
}

func sortDurations(ds []time.Duration) {
	slices.Sort(ds)
}

func cloneQuery(q Query) Query {
	b, _ := json.Marshal(q)
	var c Query
	_ = json.Unmarshal(b, &c)
	return c
}

func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// timeQueries runs every contract query reps times and returns the p50 and
// p95 latency.
func timeQueries(b Backend, reps int) (p50, p95 time.Duration, err error) {
	var ds []time.Duration
	for range reps {
		for _, tc := range contractQueries {
			start := time.Now()
			if _, err := b.Search(context.Background(), cloneQuery(tc.q)); err != nil {
				return 0, 0, err
			}
			ds = append(ds, time.Since(start))
		}
	}
	sortDurations(ds)
	return ds[len(ds)/2], ds[len(ds)*95/100], nil
}
