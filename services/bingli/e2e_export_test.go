package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"bingli/schemas"

	"bingli/services/access"
	"bingli/services/deid"
	"bingli/services/note"
	"bingli/services/timeline"
)

// exportTestKey keys the note references writeResult gives its notes.
var exportTestKey = func() deid.Key {
	k, err := deid.NewKey([]byte("export-test-key-0123456789abcdef"))
	if err != nil {
		panic(err)
	}
	return k
}()

// writeResult writes notes.jsonl and patients.jsonl the way 'bingli
// process' leaves them: n glaucoma patients, men and women in their
// sixties (plus outliers), two visits a year apart; note ids are the
// references of archive ids "n<patient>-<visit>". No key is left beside
// them: an export needs none.
func writeResult(t *testing.T, ages []int) string {
	t.Helper()
	out := t.TempDir()
	b := timeline.NewBuilder()
	nf, _ := os.Create(filepath.Join(out, "notes.jsonl"))
	enc := json.NewEncoder(nf)
	for i, age := range ages {
		for v, date := range []string{"2019-02-01", "2020-05-01"} {
			iop := 18.0 + float64(8*v)
			n := &note.Note{SchemaVersion: note.SchemaVersion, NoteID: deid.NoteRef(exportTestKey, fmt.Sprintf("n%03d-%d", i, v)), PatientID: fmt.Sprintf("pz%03d", i),
				VisitDate: date, Text: fmt.Sprintf("性别：%s 年龄：%d岁 诊断：双眼原发性开角型青光眼", []string{"男", "女"}[i%2], age),
				Diagnoses:    []note.Diagnosis{{Text: "原发性开角型青光眼", ICD10: "H40.1", Eye: note.EyeBoth, Assertion: note.Present}},
				Measurements: []note.Measurement{{Text: "眼压", Kind: "iop", Value: &iop, Unit: "mmHg", Eye: note.EyeLeft}},
				Provenance:   []note.Provenance{{Stage: "extract", Version: "1", Model: "ner-test"}}}
			enc.Encode(n)
			b.Add(n)
		}
	}
	nf.Close()
	pf, _ := os.Create(filepath.Join(out, "patients.jsonl"))
	enc = json.NewEncoder(pf)
	for _, tl := range b.Timelines() {
		enc.Encode(tl)
	}
	pf.Close()
	os.MkdirAll(filepath.Join(out, ".bingli"), 0o700)
	return out
}

func TestExportCohortCLI(t *testing.T) {
	ages := make([]int, 30)
	for i := range ages {
		ages[i] = 60 + i%4
	}
	res := writeResult(t, ages)
	q := filepath.Join(t.TempDir(), "q.json")
	os.WriteFile(q, []byte(`{"diagnosis":{"codes":["H40"],"eye":"either"},"measurements":[{"kind":"iop","op":">","value":21,"min_count":1}],"min_follow_up_days":365}`), 0o600)

	dir := filepath.Join(t.TempDir(), "parquet")
	cmd := exec.Command(bin, "export", "--cohort", q, "--format", "parquet", "--in", filepath.Join(res, "notes.jsonl"), "--out", dir)
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("export: %v %s", err, stdout)
	}
	if !strings.Contains(string(stdout), "30 patients") {
		t.Fatalf("stdout %q", stdout)
	}
	var m datasetManifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("manifest: %v %s", err, b)
	}
	if err := schemas.ValidateDatasetManifest(b); err != nil {
		t.Fatalf("manifest.json does not follow schemas/dataset-manifest.schema.json: %v", err)
	}
	if m.Patients != 30 || m.Rows["visits"] != 60 || m.K != 10 || m.Bingli == "" || m.NoteSchema != note.SchemaVersion ||
		len(m.Pipeline) != 1 || m.Pipeline[0].Model != "ner-test" || len(m.QuerySHA256) != 64 || m.Query.MinFollowUpDays != 365 {
		t.Fatalf("manifest %+v", m)
	}
	if len(m.SHA256) != 4 {
		t.Fatalf("sha256 of %d files, want 4", len(m.SHA256))
	}
	for name, sum := range m.SHA256 {
		if got, err := fileSHA256(filepath.Join(dir, name)); err != nil || got != sum {
			t.Errorf("%s: sha256 %s, manifest says %s", name, got, sum)
		}
	}

	// Note ids leave as the notes carry them: the references de-identification
	// gave them, not hashed again.
	jres, jdir := writeResult(t, ages), filepath.Join(t.TempDir(), "jsonl")
	if out, err := exec.Command(bin, "export", "--cohort", q, "--format", "jsonl", "--in", filepath.Join(jres, "notes.jsonl"), "--out", jdir).CombinedOutput(); err != nil {
		t.Fatalf("export jsonl: %v %s", err, out)
	}
	visits, err := os.ReadFile(filepath.Join(jdir, "visits.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(visits)), "\n") {
		var row struct {
			NoteID string `json:"note_id"`
		}
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatal(err)
		}
		got[row.NoteID] = true
	}
	for i := range ages {
		for v := range 2 {
			if ref := deid.NoteRef(exportTestKey, fmt.Sprintf("n%03d-%d", i, v)); !got[ref] {
				t.Errorf("visits.jsonl lacks note n%03d-%d's reference %s: %.300s", i, v, ref, visits)
			}
		}
	}
	if len(got) != 60 {
		t.Errorf("visits.jsonl names %d notes, want 60", len(got))
	}

	// One outlier more: no rung of the ladder hides her; refused, with the
	// quasi-identifiers and k named, nothing written.
	res2 := writeResult(t, append(ages, 19))
	dir2 := filepath.Join(t.TempDir(), "refused")
	cmd = exec.Command(bin, "export", "--cohort", q, "--format", "csv", "--in", filepath.Join(res2, "notes.jsonl"), "--out", dir2)
	msg, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(msg), "quasi-identifiers age_band, sex") || !strings.Contains(string(msg), "10-anonymous") ||
		strings.Contains(string(msg), "female") {
		t.Fatalf("refusal: %v %s", err, msg)
	}
	if _, err := os.Stat(dir2); !os.IsNotExist(err) {
		t.Fatal("a refused export wrote files")
	}

	// A patient-level query on the command line is audited beside it: the
	// count it showed, never the ids it was asked for.
	qout := bingli(t, "query", "--cohort", q, "--patients", filepath.Join(res2, "patients.jsonl"))
	if !strings.Contains(qout, `"total": 31`) {
		t.Fatalf("query: %s", qout)
	}

	// Each attempt is one audit line in the run's data directory.
	for _, tc := range []struct {
		res     string
		outcome string
		rows    int
	}{{res, access.OutcomeOK, 30 + 60 + 30 + 60}, {res2, access.OutcomeRefused, 0}} {
		lines := readJSONL[access.AuditRecord](t, filepath.Join(tc.res, ".bingli", access.AuditFile))
		if tc.res == res2 {
			if len(lines) != 2 || lines[1].Action != "query --patients" || lines[1].Patients == nil || *lines[1].Patients != 31 || lines[1].QuerySHA256 != m.QuerySHA256 {
				t.Fatalf("audit of the query: %+v", lines)
			}
			lines = lines[:1]
		}
		if len(lines) != 1 {
			t.Fatalf("%d audit lines", len(lines))
		}
		r := lines[0]
		if r.Via != "cli" || r.Action != "export --format "+map[bool]string{true: "parquet", false: "csv"}[tc.res == res] || r.Outcome != tc.outcome ||
			r.QuerySHA256 != m.QuerySHA256 || (tc.rows > 0) != (r.Rows != nil) || r.Rows != nil && *r.Rows != tc.rows {
			t.Errorf("audit %+v", r)
		}
		ab, _ := os.ReadFile(filepath.Join(tc.res, ".bingli", access.AuditFile))
		if strings.Contains(string(ab), "pz0") {
			t.Error("the audit log holds a patient id")
		}
	}
}
