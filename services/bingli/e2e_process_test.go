package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"bingli/schemas"
	"bingli/services/dlq"
	"bingli/services/note"
	"bingli/services/synth"
)

func synthArchive(t *testing.T, patients int, broken bool) (dir string, sum synth.Summary) {
	t.Helper()
	dir = t.TempDir()
	sum, err := synth.Write(context.Background(), synth.Config{Patients: patients, Seed: 7, Broken: broken}, dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

// TestProcessMixedArchive runs the whole embedded pipeline over a messy
// archive: a GB18030 CSV with multi-line fields, UTF-8 JSONL, UTF-8 and
// UTF-16 text files, a truncated JSON line, empty texts, undecodable bytes
// and a 2.5 MB note.
func TestProcessMixedArchive(t *testing.T) {
	dir, sum := synthArchive(t, 60, true)
	out := filepath.Join(t.TempDir(), "out")
	stdout := bingli(t, "process", "--in", filepath.Join(dir, synth.DirArchive), "--out", out, "--quiet")
	for _, want := range []string{
		fmt.Sprintf("valid notes %d, bad records %d", sum.Notes, sum.Broken),
		fmt.Sprintf("deid       processed %d, dead-lettered 0", sum.Notes),
		fmt.Sprintf("segment    processed %d, dead-lettered 0", sum.Notes),
		fmt.Sprintf("code       processed %d, dead-lettered 0", sum.Notes),
		fmt.Sprintf("events     processed %d, dead-lettered 0", sum.Notes),
		fmt.Sprintf("index      processed %d, dead-lettered 0", sum.Notes),
		"lost       0",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}

	// Every valid note exactly once, valid against the schema, de-identified
	// and named by its reference under the run's key.
	gold := readJSONL[synth.GoldNote](t, filepath.Join(dir, synth.FileGold))
	archiveIDs := goldNoteIDs(t, dir)
	refs := noteRefs(t, filepath.Join(out, ".bingli", "deid.key"), archiveIDs)
	wantIDs := map[string]bool{}
	for _, ref := range refs {
		wantIDs[ref] = true
	}
	b, err := os.ReadFile(filepath.Join(out, "notes.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	seen := map[string]bool{}
	for i, line := range lines {
		if err := schemas.ValidateNote([]byte(line)); err != nil {
			t.Fatalf("notes.jsonl line %d does not match the schema: %v", i+1, err)
		}
		var n struct {
			NoteID          string         `json:"note_id"`
			PatientID       string         `json:"patient_id"`
			SourcePatientID string         `json:"source_patient_id"`
			Tokens          []any          `json:"tokens"`
			Deid            map[string]int `json:"deid"`
			Provenance      []struct{ Stage string }
		}
		json.Unmarshal([]byte(line), &n)
		if seen[n.NoteID] || !wantIDs[n.NoteID] {
			t.Fatalf("line %d: note %s duplicated or unknown", i+1, n.NoteID)
		}
		seen[n.NoteID] = true
		if !strings.HasPrefix(n.PatientID, "p-") || n.SourcePatientID != "" || len(n.Tokens) == 0 || len(n.Deid) == 0 {
			t.Fatalf("line %d: note %s not de-identified and segmented", i+1, n.NoteID)
		}
		var stages []string
		for _, p := range n.Provenance {
			stages = append(stages, p.Stage)
		}
		if strings.Join(stages, ",") != "ingest,"+strings.Join(pipelineStages(t), ",") {
			t.Fatalf("line %d: provenance %+v", i+1, n.Provenance)
		}
	}
	if len(seen) != sum.Notes {
		t.Fatalf("notes.jsonl holds %d notes, want %d", len(seen), sum.Notes)
	}
	// One timeline per pseudonymous patient, every note in one of them.
	patients := map[string]bool{}
	for _, line := range lines {
		var n struct {
			PatientID string `json:"patient_id"`
		}
		json.Unmarshal([]byte(line), &n)
		patients[n.PatientID] = true
	}
	pb, err := os.ReadFile(filepath.Join(out, "patients.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	plines := strings.Split(strings.TrimSuffix(string(pb), "\n"), "\n")
	visits := 0
	for i, pl := range plines {
		if err := schemas.ValidatePatient([]byte(pl)); err != nil {
			t.Fatalf("patients.jsonl line %d does not match the schema: %v", i+1, err)
		}
		var p struct {
			PatientID string `json:"patient_id"`
			Visits    []any  `json:"visits"`
		}
		json.Unmarshal([]byte(pl), &p)
		if !patients[p.PatientID] {
			t.Fatalf("timeline of unknown patient %s", p.PatientID)
		}
		visits += len(p.Visits)
	}
	if len(plines) != len(patients) || visits != sum.Notes {
		t.Fatalf("%d timelines with %d visits; want %d patients, %d notes", len(plines), visits, len(patients), sum.Notes)
	}

	// No ID number or phone from the gold survives anywhere in the output.
	for _, g := range gold {
		for _, p := range g.PHI {
			if (p.Label == "ID_NUMBER" || p.Label == "PHONE") && strings.Contains(string(b), p.Text) {
				t.Fatalf("a %s of note %s leaked into notes.jsonl", p.Label, g.ID)
			}
		}
	}

	// Each broken record is one dead letter at its file and line.
	var man synth.Manifest
	mb, _ := os.ReadFile(filepath.Join(dir, synth.FileManifest))
	if err := json.Unmarshal(mb, &man); err != nil {
		t.Fatal(err)
	}
	dead := readJSONL[dlq.Record](t, filepath.Join(out, "dlq.jsonl"))
	got := map[string]string{}
	for _, d := range dead {
		if d.Stage != "ingest" || d.Reason == "" {
			t.Errorf("dead letter %+v", d)
		}
		got[fmt.Sprintf("%s:%d", d.File, d.Line)] = d.Reason
	}
	for _, br := range man.BrokenList {
		if _, ok := got[fmt.Sprintf("%s:%d", br.File, br.Line)]; !ok {
			t.Errorf("broken record %s:%d (%s) has no dead letter; got %v", br.File, br.Line, br.Reason, got)
		}
	}
	if len(dead) != len(man.BrokenList) {
		t.Errorf("%d dead letters for %d broken records", len(dead), len(man.BrokenList))
	}

	// A cohort query over the embedded index agrees with notes.jsonl.
	withPOAG := 0
	for _, line := range lines {
		var n note.Note
		json.Unmarshal([]byte(line), &n)
		for _, d := range n.Diagnoses {
			if strings.HasPrefix(d.ICD10, "H40") && d.Assertion == note.Present {
				withPOAG++
				break
			}
		}
	}
	qf := filepath.Join(t.TempDir(), "q.json")
	os.WriteFile(qf, []byte(`{"diagnosis":{"codes":["H40"],"eye":"either","assertions":["present"]},"aggregations":["eye","visit_year"]}`), 0o600)
	var res struct {
		Total        int                         `json:"total"`
		Aggregations map[string][]map[string]any `json:"aggregations"`
	}
	if err := json.Unmarshal([]byte(bingli(t, "query", "--data", filepath.Join(out, ".bingli"), "--cohort", qf)), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total != withPOAG || withPOAG == 0 || len(res.Aggregations["eye"]) == 0 {
		t.Fatalf("cohort H40: total %d, notes.jsonl has %d; aggregations %v", res.Total, withPOAG, res.Aggregations)
	}

	// A patient-level cohort: glaucoma in either eye, IOP measured twice.
	pq := filepath.Join(t.TempDir(), "p.json")
	os.WriteFile(pq, []byte(`{"diagnosis":{"codes":["H40"],"eye":"either","assertions":["present"]},"measurements":[{"kind":"iop","op":">","value":0,"min_count":2}],"aggregations":["eye"]}`), 0o600)
	var pres struct {
		Total       *int `json:"total"`
		MinCellSize int  `json:"min_cell_size"`
	}
	if err := json.Unmarshal([]byte(bingli(t, "query", "--patients", filepath.Join(out, "patients.jsonl"), "--cohort", pq)), &pres); err != nil || pres.MinCellSize != 10 {
		t.Fatalf("patient cohort: %+v %v", pres, err)
	}

	// The report charts measurement series.
	rep, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil || strings.Count(string(rep), "<polyline") < 10 {
		t.Fatalf("report.html: %d charts, err %v", strings.Count(string(rep), "<polyline"), err)
	}

	// The OMOP-shaped export reconciles with notes.jsonl.
	omopDir := filepath.Join(t.TempDir(), "omop")
	bingli(t, "export", "--format", "omop", "--in", filepath.Join(out, "notes.jsonl"), "--out", omopDir)
	var em exportManifest
	mb2, _ := os.ReadFile(filepath.Join(omopDir, "manifest.json"))
	if err := json.Unmarshal(mb2, &em); err != nil {
		t.Fatal(err)
	}
	wantRows := map[string]int{"note": sum.Notes, "visit_occurrence": sum.Notes, "person": len(patients)}
	for _, line := range lines {
		var n note.Note
		json.Unmarshal([]byte(line), &n)
		for _, d := range n.Diagnoses {
			wantRows["note_nlp"]++
			if d.Assertion == note.Present || d.Assertion == note.Possible || d.Assertion == note.History {
				wantRows["condition_occurrence"]++
			}
		}
		wantRows["measurement"] += len(n.Measurements)
		wantRows["procedure_occurrence"] += len(n.Procedures)
		wantRows["drug_exposure"] += len(n.Medications)
	}
	for table, n := range wantRows {
		if em.Rows[table] != n {
			t.Errorf("omop %s: %d rows, notes.jsonl implies %d", table, em.Rows[table], n)
		}
		if em.SHA256[table+".parquet"] == "" || em.SHA256[table+".csv"] == "" {
			t.Errorf("omop manifest lacks checksums of %s", table)
		}
	}
	if wantRows["condition_occurrence"] == 0 || wantRows["measurement"] == 0 {
		t.Fatalf("the pipeline found no diagnoses or measurements: %v", wantRows)
	}

	// No archive note id anywhere in the output (notes, timelines, report,
	// index, post-deid dead letters) nor in the OMOP export.
	checkNoArchiveNoteIDs(t, out, archiveIDs)
	checkNoArchiveNoteIDs(t, omopDir, archiveIDs)
	// The hospital maps a note back with the run's key: 'bingli ref'.
	refOut := bingli(t, "ref", "--data", filepath.Join(out, ".bingli"), "note", archiveIDs[0], archiveIDs[1])
	if want := archiveIDs[0] + "\t" + refs[archiveIDs[0]] + "\n" + archiveIDs[1] + "\t" + refs[archiveIDs[1]] + "\n"; refOut != want || !seen[refs[archiveIDs[0]]] {
		t.Fatalf("bingli ref: %q, want %q (references in notes.jsonl)", refOut, want)
	}

	// Running it again adds nothing.
	stdout = bingli(t, "process", "--in", filepath.Join(dir, synth.DirArchive), "--out", out, "--quiet")
	if !strings.Contains(stdout, fmt.Sprintf("%d notes in", sum.Notes)) || !strings.Contains(stdout, "(0 new this run)") {
		t.Fatalf("rerun summary:\n%s", stdout)
	}
	if n := countLines(filepath.Join(out, "notes.jsonl")); n != sum.Notes {
		t.Fatalf("rerun left %d lines, want %d", n, sum.Notes)
	}
}

// TestProcessSurvivesKill9 kills `bingli process` mid-archive and runs the
// same command again: every valid note ends up in the output exactly once.
func TestProcessSurvivesKill9(t *testing.T) {
	dir, sum := synthArchive(t, 500, false)
	out := filepath.Join(t.TempDir(), "out")
	notes := filepath.Join(out, "notes.jsonl")
	args := []string{"process", "--in", filepath.Join(dir, synth.DirArchive), "--out", out, "--quiet"}

	cmd := exec.Command(bin, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 2*time.Minute, "the first notes in the output", func() bool { return countLines(notes) >= 200 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	atKill := countLines(notes)
	if atKill >= sum.Notes {
		t.Fatalf("the run finished (%d notes) before it was killed; the test needs a bigger archive", atKill)
	}
	t.Logf("killed with %d of %d notes written", atKill, sum.Notes)

	stdout := bingli(t, args...)
	if !strings.Contains(stdout, "lost       0") {
		t.Fatalf("rerun summary:\n%s", stdout)
	}
	type idOnly struct {
		NoteID string `json:"note_id"`
	}
	seen := map[string]int{}
	for _, n := range readJSONL[idOnly](t, notes) {
		seen[n.NoteID]++
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("note %s written %d times", id, c)
		}
	}
	if len(seen) != sum.Notes {
		t.Fatalf("%d distinct notes after the rerun, want %d", len(seen), sum.Notes)
	}
	// The reference is deterministic: both runs named each note alike.
	for id, ref := range noteRefs(t, filepath.Join(out, ".bingli", "deid.key"), goldNoteIDs(t, dir)) {
		if seen[ref] != 1 {
			t.Errorf("note %s (reference %s) written %d times", id, ref, seen[ref])
		}
	}
}
