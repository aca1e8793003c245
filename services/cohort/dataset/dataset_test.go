package dataset

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"bingli/services/cohort"
	"bingli/services/deid"
	"bingli/services/note"
	"bingli/services/timeline"
)

func fv(f float64) *float64 { return &f }

// writeCohortFiles writes notes.jsonl and patients.jsonl, as de-identified
// (note ids are references), for patients with the given ages (sex alternating male, female): glaucoma patients with two
// notes a year apart and an IOP measurement each, and one cataract patient.
func writeCohortFiles(t *testing.T, ages []int) (notesPath, patientsPath string) {
	t.Helper()
	dir := t.TempDir()
	var notes []*note.Note
	for i, age := range ages {
		sex := []string{"男", "女"}[i%2]
		pid := fmt.Sprintf("p%03d", i)
		for v, date := range []string{"2020-03-01", "2021-04-01"} {
			n := &note.Note{SchemaVersion: note.SchemaVersion, NoteID: testNoteRef(fmt.Sprintf("n%03d-%d", i, v)), PatientID: pid, VisitDate: date,
				NoteType: "门诊病历", Text: fmt.Sprintf("姓名：〔姓名〕  性别：%s  年龄：%d岁\n诊断：右眼原发性开角型青光眼。", sex, age+v),
				Diagnoses:    []note.Diagnosis{{Text: "原发性开角型青光眼", Start: 30, End: 39, ICD10: "H40.1", ICD10Name: "原发性开角型青光眼", Eye: note.EyeRight, Assertion: note.Present}},
				Measurements: []note.Measurement{{Text: "眼压", Kind: "iop", Value: fv(20 + float64(v*5)), Unit: "mmHg", Eye: note.EyeRight}},
				Provenance:   []note.Provenance{{Stage: "code", Version: "1.2.0"}, {Stage: "extract", Version: "0.3.0", Model: "ccks-bilstm-v1"}},
			}
			notes = append(notes, n)
		}
	}
	notes = append(notes, &note.Note{SchemaVersion: note.SchemaVersion, NoteID: testNoteRef("cat-1"), PatientID: "pcat", VisitDate: "2020-01-01",
		Text: "性别：女 年龄：70岁 诊断：白内障", Diagnoses: []note.Diagnosis{{Text: "白内障", ICD10: "H25.9", Eye: note.EyeLeft, Assertion: note.Present}}})
	b := timeline.NewBuilder()
	nf, _ := os.Create(filepath.Join(dir, "notes.jsonl"))
	enc := json.NewEncoder(nf)
	for _, n := range notes {
		enc.Encode(n)
		b.Add(n)
	}
	nf.Close()
	pf, _ := os.Create(filepath.Join(dir, "patients.jsonl"))
	enc = json.NewEncoder(pf)
	for _, tl := range b.Timelines() {
		enc.Encode(tl)
	}
	pf.Close()
	return filepath.Join(dir, "notes.jsonl"), filepath.Join(dir, "patients.jsonl")
}

// glaucoma: POAG, IOP above 21 at least once, followed a year or more.
var glaucoma = cohort.Query{Diagnosis: &cohort.Diagnosis{Codes: []string{"H40.1"}, Eye: "either"},
	Measurements: []cohort.MeasurementCondition{{Kind: "iop", Op: ">", Value: 21, MinCount: 1}}, MinFollowUpDays: 365}

func TestExportRoundTrip(t *testing.T) {
	ages := make([]int, 24) // 12 men and 12 women, all 60-64 at first visit
	for i := range ages {
		ages[i] = 60 + i%5
	}
	notesPath, patientsPath := writeCohortFiles(t, ages)
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			var progress []int
			res, err := Export(context.Background(), Options{Patients: patientsPath, Notes: notesPath, Query: glaucoma, K: 10, Format: format, Dir: dir,
				Progress: func(done, total int) { progress = append(progress, done*100+total) }})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"patients": 24, "visits": 48, "diagnoses": 24, "measurements": 48}
			if res.Patients != 24 || fmt.Sprint(res.Rows) != fmt.Sprint(want) || res.Generalisation.Name != cohort.Ladder[0].Name {
				t.Fatalf("result %+v", res)
			}
			if len(progress) != 24 || progress[23] != 24*100+24 {
				t.Fatalf("progress %v", progress)
			}
			if !slices.Contains(res.Pipeline, Stage{Stage: "extract", Version: "0.3.0", Model: "ccks-bilstm-v1"}) {
				t.Fatalf("pipeline %+v", res.Pipeline)
			}
			pats := readPatients(t, dir, format)
			if len(pats) != 24 {
				t.Fatalf("%d patients read back", len(pats))
			}
			bands := map[string]int{}
			for _, p := range pats {
				bands[p.Sex+" "+p.AgeBand]++
				if p.PatientID == "pcat" || p.FollowUpDays < 365 || p.Visits != 2 || p.FirstVisit != "2020-03-01" {
					t.Errorf("patient row %+v", p)
				}
			}
			if fmt.Sprint(bands) != "map[female 60-64:12 male 60-64:12]" {
				t.Fatalf("quasi-identifiers %v", bands)
			}
			for _, f := range res.Files {
				if st, err := os.Stat(f); err != nil || st.Mode().Perm() != 0o600 {
					t.Errorf("%s: %v", f, err)
				}
			}
			if format == "jsonl" { // the notes' references, as de-identification gave them
				b, err := os.ReadFile(filepath.Join(dir, "visits.jsonl"))
				if err != nil {
					t.Fatal(err)
				}
				want := map[string]bool{}
				for i := range ages {
					for v := range 2 {
						want[testNoteRef(fmt.Sprintf("n%03d-%d", i, v))] = true
					}
				}
				got := map[string]bool{}
				for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
					var r VisitRow
					if err := json.Unmarshal([]byte(line), &r); err != nil {
						t.Fatal(err)
					}
					got[r.NoteID] = true
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("visit rows carry note ids %v, want the notes' references %v", got, want)
				}
			}
		})
	}
	// A standard reader, where the environment provides one (CI does).
	if py := os.Getenv("BINGLI_PYTHON"); py != "" {
		dir := filepath.Join(t.TempDir(), "pq")
		if _, err := Export(context.Background(), Options{Patients: patientsPath, Notes: notesPath, Query: glaucoma, Format: "parquet", Dir: dir}); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(py, "-c", `import sys, pyarrow.parquet as pq
for name in sys.argv[2:]:
    t = pq.read_table(sys.argv[1] + "/" + name + ".parquet")
    print(name, t.num_rows, ",".join(t.column_names))
m = pq.read_table(sys.argv[1] + "/measurements.parquet").to_pydict()
print(sorted(set(m["value"])))`, dir, "patients", "measurements").CombinedOutput()
		if err != nil {
			t.Fatalf("pyarrow: %v\n%s", err, out)
		}
		want := "patients 24 patient_id,sex,age_band,first_visit,last_visit,follow_up_days,visits\n" +
			"measurements 48 patient_id,note_id,date,kind,name,eye,value,unit\n[20.0, 25.0]\n"
		if string(out) != want {
			t.Fatalf("pyarrow read\n%s\nwant\n%s", out, want)
		}
	}
}

func readPatients(t *testing.T, dir, format string) []PatientRow {
	t.Helper()
	path := filepath.Join(dir, "patients."+format)
	switch format {
	case "parquet":
		rows, err := parquet.ReadFile[PatientRow](path)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	case "csv":
		f, _ := os.Open(path)
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil || strings.Join(recs[0], ",") != "patient_id,sex,age_band,first_visit,last_visit,follow_up_days,visits" {
			t.Fatalf("csv header %v %v", recs, err)
		}
		var out []PatientRow
		for _, r := range recs[1:] {
			var fu, v int64
			fmt.Sscan(r[5], &fu)
			fmt.Sscan(r[6], &v)
			out = append(out, PatientRow{PatientID: r[0], Sex: r[1], AgeBand: r[2], FirstVisit: r[3], LastVisit: r[4], FollowUpDays: fu, Visits: v})
		}
		return out
	}
	b, _ := os.ReadFile(path)
	var out []PatientRow
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var p PatientRow
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestExportGeneralisesAgeBands(t *testing.T) {
	// 5-year cells of 5 or 6 patients (mixed sexes): too small; 10-year
	// bands per sex hold 10 or more.
	var ages []int
	for i := range 44 {
		ages = append(ages, []int{41, 47, 52, 58}[(i/2)%4]) // each age for both sexes
	}
	notesPath, patientsPath := writeCohortFiles(t, ages)
	dir := filepath.Join(t.TempDir(), "out")
	res, err := Export(context.Background(), Options{Patients: patientsPath, Notes: notesPath, Query: glaucoma, Format: "jsonl", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if res.Generalisation.Name != cohort.Ladder[1].Name {
		t.Fatalf("generalisation %q, want %q", res.Generalisation.Name, cohort.Ladder[1].Name)
	}
	bands := map[string]int{}
	for _, p := range readPatients(t, dir, "jsonl") {
		bands[p.Sex+" "+p.AgeBand]++
	}
	if fmt.Sprint(bands) != "map[female 40-49:12 female 50-59:10 male 40-49:12 male 50-59:10]" {
		t.Fatalf("bands %v", bands)
	}
}

func TestExportRefusesWithoutKAnonymity(t *testing.T) {
	// 20 patients in their sixties and one of 35: no rung hides the one.
	ages := make([]int, 21)
	for i := range 20 {
		ages[i] = 61 + i%3
	}
	ages[20] = 35
	notesPath, patientsPath := writeCohortFiles(t, ages)
	dir := filepath.Join(t.TempDir(), "out")
	_, err := Export(context.Background(), Options{Patients: patientsPath, Notes: notesPath, Query: glaucoma, Format: "parquet", Dir: dir})
	var ke *cohort.KAnonymityError
	if !errors.As(err, &ke) || ke.K != 10 || ke.Patients != 21 {
		t.Fatalf("err %v, want a k-anonymity refusal for 21 patients at k=10", err)
	}
	if _, serr := os.Stat(dir); !os.IsNotExist(serr) {
		t.Fatalf("a refused export left %s behind", dir)
	}
	// A smaller k lets it through (the caller's choice, recorded in the
	// manifest and the audit log).
	if _, err := Export(context.Background(), Options{Patients: patientsPath, Notes: notesPath, Query: glaucoma, K: 1, Format: "csv", Dir: dir}); err != nil {
		t.Fatal(err)
	}
}

// testKey keys the note references of these tests.
var testKey = func() deid.Key {
	k, err := deid.NewKey([]byte("dataset-test-key-0123456789abcdef"))
	if err != nil {
		panic(err)
	}
	return k
}()

// testNoteRef is the reference de-identification gives the archive note id.
func testNoteRef(id string) string { return deid.NoteRef(testKey, id) }

// An output written before de-identification replaced note ids holds
// archive note ids (record numbers, say): the export refuses it, writes
// nothing and does not quote the id.
func TestExportRefusesArchiveNoteIDs(t *testing.T) {
	const archiveID = "ZY20230305001"
	ages := make([]int, 12)
	for i := range ages {
		ages[i] = 60
	}
	for _, tc := range []struct {
		name  string
		plant func(tl *timeline.Timeline)
	}{
		{"visit", func(tl *timeline.Timeline) { tl.Visits[1].NoteID = archiveID }},
		{"measurement", func(tl *timeline.Timeline) { tl.Measurements["iop"][0].NoteID = archiveID }},
		{"procedure", func(tl *timeline.Timeline) {
			tl.Procedures = append(tl.Procedures, timeline.Event{NoteID: archiveID, Text: "SLT", Eye: note.EyeRight})
		}},
		{"medication", func(tl *timeline.Timeline) {
			tl.Medications = append(tl.Medications, timeline.Event{NoteID: archiveID, Text: "噻吗洛尔", Eye: note.EyeRight})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			notesPath, patientsPath := writeCohortFiles(t, ages)
			tls := readTimelinesForTest(t, patientsPath)
			tc.plant(tls[len(tls)/2])
			var buf strings.Builder
			enc := json.NewEncoder(&buf)
			for _, tl := range tls {
				enc.Encode(tl)
			}
			if err := os.WriteFile(patientsPath, []byte(buf.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "out")
			_, err := Export(context.Background(), Options{Patients: patientsPath, Notes: notesPath, Query: glaucoma, K: 1, Format: "jsonl", Dir: dir})
			if err == nil || !strings.Contains(err.Error(), "not a note reference") || strings.Contains(err.Error(), archiveID) {
				t.Fatalf("err %v: want a refusal that does not quote the id", err)
			}
			if _, serr := os.Stat(dir); !os.IsNotExist(serr) {
				t.Fatalf("a refused export left %s behind", dir)
			}
		})
	}
}

func readTimelinesForTest(t *testing.T, path string) []*timeline.Timeline {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*timeline.Timeline
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var tl timeline.Timeline
		if err := json.Unmarshal([]byte(line), &tl); err != nil {
			t.Fatal(err)
		}
		out = append(out, &tl)
	}
	return out
}
