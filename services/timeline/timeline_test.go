package timeline

import (
	"encoding/json"
	"testing"

	"bingli/services/note"
)

func val(v float64) *float64 { return &v }

func TestBuilderOrdersAndGroups(t *testing.T) {
	b := NewBuilder()
	poag := note.Diagnosis{Text: "原发性开角型青光眼", ICD10: "H40.1", ICD10Name: "原发性开角型青光眼", Eye: note.EyeRight, Assertion: note.Present}
	b.Add(&note.Note{NoteID: "n3", PatientID: "p-a", VisitDate: "2023-09-01",
		Diagnoses:    []note.Diagnosis{poag, {Text: "开角型青光眼", ICD10: "H40.1", Eye: note.EyeRight, Assertion: note.Present}},
		Measurements: []note.Measurement{{Kind: "iop", Value: val(17), Unit: "mmHg", Eye: note.EyeRight}}})
	b.Add(&note.Note{NoteID: "n1", PatientID: "p-a", VisitDate: "2023-03-05",
		Diagnoses:    []note.Diagnosis{poag, {Text: "糖尿病", Assertion: note.Negated}},
		Procedures:   []note.Procedure{{Text: "小梁切除术", Eye: note.EyeRight, Date: "2023-03-06"}},
		Measurements: []note.Measurement{{Kind: "iop", Value: val(28), Unit: "mmHg", Eye: note.EyeRight}}})
	b.Add(&note.Note{NoteID: "n2", PatientID: "p-a"}) // no visit date
	b.Add(&note.Note{NoteID: "m1", PatientID: "p-b", VisitDate: "2024-01-01"})

	ts := b.Timelines()
	if len(ts) != 2 || ts[0].PatientID != "p-a" {
		t.Fatalf("timelines %+v", ts)
	}
	a := ts[0]
	if a.FirstVisit != "2023-03-05" || a.LastVisit != "2023-09-01" || a.FollowUpDays != 180 {
		t.Errorf("follow-up %s..%s = %d days", a.FirstVisit, a.LastVisit, a.FollowUpDays)
	}
	if a.Visits[0].NoteID != "n1" || a.Visits[1].NoteID != "n3" || a.Visits[2].NoteID != "n2" {
		t.Errorf("visit order %+v", a.Visits)
	}
	if len(a.Diagnoses) != 2 {
		t.Fatalf("diagnoses %+v", a.Diagnoses)
	}
	g := a.Diagnoses[0]
	if g.ICD10 != "H40.1" || g.Notes != 2 || g.FirstSeen != "2023-03-05" || g.LastSeen != "2023-09-01" {
		t.Errorf("glaucoma seen %+v", g)
	}
	if a.Diagnoses[1].Assertion != note.Negated || a.Diagnoses[1].Name != "糖尿病" {
		t.Errorf("negated diagnosis %+v", a.Diagnoses[1])
	}
	iop := a.Measurements["iop"]
	if len(iop) != 2 || *iop[0].Value != 28 || *iop[1].Value != 17 {
		t.Errorf("iop series %+v", iop)
	}
	if len(a.Procedures) != 1 || a.Procedures[0].Date != "2023-03-06" {
		t.Errorf("procedures %+v", a.Procedures)
	}
	b2, _ := json.Marshal(a)
	var back Timeline
	if err := json.Unmarshal(b2, &back); err != nil || back.FollowUpDays != 180 {
		t.Fatalf("round trip: %v", err)
	}
}
