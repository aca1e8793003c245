package omop

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"bingli/services/note"
)

func v(f float64) *float64 { return &f }

func writeNotes(t *testing.T, notes ...note.Note) string {
	t.Helper()
	var b bytes.Buffer
	for _, n := range notes {
		j, _ := json.Marshal(n)
		b.Write(j)
		b.WriteByte('\n')
	}
	p := filepath.Join(t.TempDir(), "notes.jsonl")
	os.WriteFile(p, b.Bytes(), 0o600)
	return p
}

func TestExportReconcilesWithNotes(t *testing.T) {
	text := "右眼原发性开角型青光眼，否认糖尿病史。眼压：右眼28mmHg。行右眼小梁切除术。"
	notes := writeNotes(t,
		note.Note{NoteID: "N1", PatientID: "p-a", VisitDate: "2023-03-05", NoteType: "门诊病历", Text: text,
			Diagnoses: []note.Diagnosis{
				{Text: "原发性开角型青光眼", Start: 2, End: 11, ICD10: "H40.1", ICD10Name: "原发性开角型青光眼", Eye: note.EyeRight, Assertion: note.Present},
				{Text: "糖尿病", Start: 14, End: 17, ICD10: "E14.9", Assertion: note.Negated}},
			Measurements: []note.Measurement{{Text: "右眼28mmHg", Start: 22, End: 30, Kind: "iop", Value: v(28), Unit: "mmHg", Eye: note.EyeRight}},
			Procedures:   []note.Procedure{{Text: "右眼小梁切除术", Start: 32, End: 39, Eye: note.EyeRight}}},
		note.Note{NoteID: "N2", PatientID: "p-a", VisitDate: "2023-04-05", NoteType: "入院记录", Text: "双眼干眼症。",
			Medications: []note.Medication{{Text: "玻璃酸钠滴眼液", Start: 0, End: 5, Eye: note.EyeBoth, Frequency: "qid"}}},
		note.Note{NoteID: "N3", PatientID: "p-b", Text: "随访。"},
	)
	dir := t.TempDir()
	counts, err := Export(notes, dir, Options{System: "bingli test", Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{"person": 2, "visit_occurrence": 3, "note": 3, "condition_occurrence": 1, "note_nlp": 2,
		"measurement": 1, "procedure_occurrence": 1, "drug_exposure": 1}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: %d rows, want %d", k, counts[k], n)
		}
	}
	// Read back with a Parquet reader.
	conds, err := parquet.ReadFile[ConditionOccurrence](filepath.Join(dir, "condition_occurrence.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(conds) != 1 || conds[0].ConditionSourceValue != "H40.1" || conds[0].BingliEye != "right" || conds[0].PersonID != 1 || conds[0].ConditionStartDate != "2023-03-05" {
		t.Fatalf("conditions %+v", conds)
	}
	nlp, err := parquet.ReadFile[NoteNLP](filepath.Join(dir, "note_nlp.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if nlp[1].TermExists != "N" || !strings.Contains(nlp[1].TermModifiers, "assertion=negated") || nlp[1].Offset != "14" {
		t.Fatalf("negated note_nlp row %+v", nlp[1])
	}
	ms, _ := parquet.ReadFile[Measurement](filepath.Join(dir, "measurement.parquet"))
	if len(ms) != 1 || ms[0].ValueAsNumber == nil || *ms[0].ValueAsNumber != 28 || ms[0].MeasurementSourceValue != "iop" {
		t.Fatalf("measurements %+v", ms)
	}
	visits, _ := parquet.ReadFile[VisitOccurrence](filepath.Join(dir, "visit_occurrence.parquet"))
	if visits[0].VisitConceptID != 9202 || visits[1].VisitConceptID != 9201 {
		t.Fatalf("visit concepts %+v", visits)
	}
	// CSV has a header and the same rows.
	f, _ := os.Open(filepath.Join(dir, "note.csv"))
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 4 || recs[0][0] != "note_id" || recs[1][4] != text {
		t.Fatalf("note.csv: %v %v", recs, err)
	}
	// A standard reader, where the environment provides one (CI does).
	if py := os.Getenv("BINGLI_PYTHON"); py != "" {
		out, err := exec.Command(py, "-c", `import sys, pyarrow.parquet as pq
for name in sys.argv[2:]:
    t = pq.read_table(sys.argv[1] + "/" + name + ".parquet")
    print(name, t.num_rows)`, dir, "person", "note", "condition_occurrence", "measurement", "note_nlp").CombinedOutput()
		if err != nil {
			t.Fatalf("pyarrow: %v\n%s", err, out)
		}
		if got := string(out); got != "person 2\nnote 3\ncondition_occurrence 1\nmeasurement 1\nnote_nlp 2\n" {
			t.Fatalf("pyarrow read %q", got)
		}
	}
}
