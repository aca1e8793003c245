package report

import (
	"bytes"
	"strings"
	"testing"

	"bingli/services/note"
	"bingli/services/timeline"
)

func TestWriteChartsSeriesPerEye(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	b := timeline.NewBuilder()
	for i, d := range []string{"2023-01-10", "2023-04-12", "2023-09-30"} {
		b.Add(&note.Note{NoteID: "n" + d, PatientID: "p-1", VisitDate: d,
			Diagnoses: []note.Diagnosis{{Text: "原发性开角型青光眼", ICD10: "H40.1", Eye: note.EyeRight, Assertion: note.Present},
				{Text: "糖尿病", Assertion: note.Negated}},
			Measurements: []note.Measurement{
				{Kind: "iop", Value: v(30 - 5*float64(i)), Unit: "mmHg", Eye: note.EyeRight},
				{Kind: "iop", Value: v(18), Unit: "mmHg", Eye: note.EyeLeft},
				{Kind: "visual_acuity", Value: v(0.5), Eye: note.EyeRight}, // one eye, one value per visit
			}})
	}
	b.Add(&note.Note{NoteID: "x", PatientID: "p-2", VisitDate: "2024-01-01"})
	var out bytes.Buffer
	if err := Write(&out, b.Timelines(), Options{}); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	if got := strings.Count(html, "<polyline"); got != 3 { // IOP right, IOP left, acuity right
		t.Fatalf("%d polylines, want 3", got)
	}
	for _, want := range []string{"眼压 IOP (mmHg)", "右眼 OD", "左眼 OS", "H40.1", `class="neg"`, "263 days of follow-up", "2023-09-30 右眼 OD 20"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The longest follow-up comes first.
	if strings.Index(html, "p-1") > strings.Index(html, "p-2") {
		t.Error("patients not ordered by follow-up")
	}
}
