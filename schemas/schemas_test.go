package schemas

import (
	"strings"
	"testing"
	"time"

	"bingli/services/note"
)

func TestNoteDocumentsValidate(t *testing.T) {
	v := 0.5
	n := note.Note{
		SchemaVersion: note.SchemaVersion, NoteID: "n1", PatientID: "p-1", VisitDate: "2023-03-05",
		Source: note.Source{File: "a.jsonl", Line: 3, Format: "jsonl", Encoding: "utf-8"},
		Text:   "右眼视力0.5，诊断：右眼白内障",
		Tokens: []note.Token{{Start: 0, End: 2, POS: "n"}},
		Diagnoses: []note.Diagnosis{{Text: "白内障", Start: 13, End: 16, ICD10: "H25.9", Eye: note.EyeRight, Assertion: note.Present},
			{Text: "白内障", Start: 13, End: 16, Eye: note.EyeNone, Assertion: note.Negated}},
		Measurements: []note.Measurement{{Text: "视力0.5", Start: 2, End: 7, Kind: "visual_acuity", Value: &v, Eye: note.EyeRight}},
		Deid:         map[string]int{"NAME": 1},
		Provenance:   []note.Provenance{{Stage: "segment", Version: "1", At: time.Now().UTC()}},
	}
	b, err := n.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateNote(b); err != nil {
		t.Fatalf("valid note rejected: %v\n%s", err, b)
	}
	if !strings.Contains(string(b), `"eye":null`) {
		t.Errorf("eye none must encode as null: %s", b)
	}
	bad := []string{
		`{"schema_version":"1.0.0","note_id":"n","source":{"file":"a","format":"jsonl","encoding":"utf-8"},"text":""}`,
		`{"schema_version":"1.0.0","note_id":"n","source":{"file":"a","format":"xml","encoding":"utf-8"},"text":"x"}`,
		`{"schema_version":"1.0.0","note_id":"n","source":{"file":"a","format":"jsonl","encoding":"utf-8"},"text":"x","visit_date":"5/3/2023"}`,
		`{"schema_version":"1.0.0","note_id":"n","source":{"file":"a","format":"jsonl","encoding":"utf-8"},"text":"x","diagnoses":[{"text":"x","start":0,"end":1,"eye":"up","assertion":"present"}]}`,
		`{"schema_version":"1.0.0","note_id":"n","source":{"file":"a","format":"jsonl","encoding":"utf-8"},"text":"x","surprise":1}`,
	}
	for _, s := range bad {
		if err := ValidateNote([]byte(s)); err == nil {
			t.Errorf("invalid note accepted: %s", s)
		}
	}
}

func TestCohortSchema(t *testing.T) {
	good := `{"diagnosis":{"codes":["H40.1"],"eye":"either","assertions":["present"]},"measurements":[{"kind":"iop","op":">","value":21,"min_count":2}],"min_follow_up_days":365,"aggregations":["eye","first_visit_year"]}`
	if err := ValidateCohort([]byte(good)); err != nil {
		t.Fatalf("example rejected: %v", err)
	}
	for _, bad := range []string{
		`{"measurements":[{"kind":"iop","op":"~","value":21}]}`,
		`{"aggregations":["patient_name"]}`,
		`{"min_follow_up_days":-1}`,
		`{"who":"me"}`,
	} {
		if err := ValidateCohort([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
