package schemas

import (
	"strings"
	"testing"
)

func TestDatasetManifestSchema(t *testing.T) {
	good := `{"format":"parquet","query":{"diagnosis":{"codes":["H40"],"eye":"either"},"min_follow_up_days":365},
"query_sha256":"` + strings.Repeat("a", 64) + `","patients":30,"rows":{"patients":30,"visits":60,"diagnoses":30,"measurements":60},
"k":10,"quasi_identifiers":["age_band","sex"],"generalisation":{"name":"5-year age bands, sex","age_band_years":5,"top_age":90},
"bingli_version":"0.1.0","note_schema_version":"1.0.0","cohort_schema_version":"1.0.0","pipeline":[{"stage":"extract","version":"1","model":"m"}],
"source":["notes.jsonl","patients.jsonl"],"created_at":"2026-11-28T04:00:00Z","sha256":{"patients.parquet":"` + strings.Repeat("b", 64) + `"},"notes":""}`
	if err := ValidateDatasetManifest([]byte(good)); err != nil {
		t.Fatalf("valid manifest rejected: %v", err)
	}
	for name, bad := range map[string]string{
		"unknown query field": strings.Replace(good, `"min_follow_up_days":365`, `"follow_up":365`, 1),
		"short hash":          strings.Replace(good, strings.Repeat("a", 64), "abc", 1),
		"unknown file":        strings.Replace(good, `"patients.parquet"`, `"notes.parquet"`, 1),
		"k of 0":              strings.Replace(good, `"k":10`, `"k":0`, 1),
		"format omop":         strings.Replace(good, `"format":"parquet"`, `"format":"omop"`, 1),
	} {
		if err := ValidateDatasetManifest([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
