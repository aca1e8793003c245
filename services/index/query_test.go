package index

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	indexschema "bingli/schemas/index"
	"bingli/services/note"
)

// Every contract query, as JSON, is valid against query.schema.json, and
// decodes back to the same query.
func TestQueriesMatchSchema(t *testing.T) {
	sch, err := indexschema.Query()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range contractQueries {
		q := tc.q
		q.SchemaVersion = QuerySchemaVersion
		b, _ := json.Marshal(q)
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: %s does not match the schema: %v", tc.name, b, err)
		}
	}
}

func TestSchemaRejects(t *testing.T) {
	sch, err := indexschema.Query()
	if err != nil {
		t.Fatal(err)
	}
	for _, js := range []string{
		`{"diagnosis":{"eye":"up"}}`,
		`{"diagnosis":{"codes":["H40|x"]}}`,
		`{"visit_from":"2020-13-01"}`,
		`{"size":20000}`,
		`{"aggregations":["patient_id"]}`,
		`{"schema_version":"2.0.0"}`,
		`{"min_cell_size":1}`,
	} {
		doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(js))
		if sch.Validate(doc) == nil {
			t.Errorf("schema accepts %s", js)
		}
		var q Query
		if json.Unmarshal([]byte(js), &q) == nil && js != `{"min_cell_size":1}` {
			if err := q.Validate(); !errors.Is(err, ErrBadQuery) {
				t.Errorf("Validate(%s) = %v, want ErrBadQuery", js, err)
			}
		}
	}
}

func TestDiagnosisFilterRegexpAgreesWithMatches(t *testing.T) {
	keys := []string{}
	for _, a := range []note.Assertion{note.Present, note.Negated, ""} {
		for _, e := range []note.Eye{note.EyeRight, note.EyeLeft, note.EyeBoth, note.EyeNone} {
			for _, c := range []string{"H40.1", "H40.11", "H401", "H25.9", ""} {
				keys = append(keys, diagnosisKey(note.Diagnosis{ICD10: c, Eye: e, Assertion: a}))
			}
		}
	}
	filters := []DiagnosisFilter{
		{}, {Codes: []string{"H40.1"}}, {Codes: []string{"H40"}, Eye: "right"}, {Eye: "none"},
		{Eye: "either", Assertions: []note.Assertion{note.Negated}}, {Codes: []string{"H25", "H40.11"}, Eye: "both"},
	}
	for _, f := range filters {
		re := mustCompileAnchored(t, f.regexp())
		for _, k := range keys {
			if got, want := re.MatchString(k), f.matches(k); got != want {
				t.Errorf("filter %+v key %q: regexp %v, matches %v", f, k, got, want)
			}
		}
	}
}

func TestSuppress(t *testing.T) {
	got := suppress(map[string]int{"H40": 10, "H25": 9, "E11": 1, "Z00": 0}, 10)
	want := []Bucket{{Key: "E11", Suppressed: true}, {Key: "H25", Suppressed: true}, {Key: "H40", Count: 10}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bucket %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if minCellSize(0) != DefaultMinCellSize || minCellSize(5) != 5 {
		t.Error("minCellSize")
	}
}

func TestCategory(t *testing.T) {
	for in, want := range map[string]string{"H40.11": "H40", "h40": "H40", "E11": "E11", "": "", " H25.9 ": "H25"} {
		if got := Category(in); got != want {
			t.Errorf("Category(%q) = %q, want %q", in, got, want)
		}
	}
}

func mustCompileAnchored(t *testing.T, expr string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile("^(?:" + expr + ")$")
	if err != nil {
		t.Fatal(err)
	}
	return re
}
