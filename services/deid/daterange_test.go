package deid

import (
	"context"
	"strings"
	"testing"

	"bingli/services/note"
)

func TestDateRangesAndRelativeDays(t *testing.T) {
	checkPositives(t, []posCase{
		{"2024.3.5-3.9住院", "DATE:3.9"},
		{"3月5日-7日输液", "DATE:7日"},
		{"2024年3月5日至9日", "DATE:9日"},
		{"2024-03-05~03-09", "DATE:03-09"},
		{"2024年3-4月复查", "DATE:3-4月"},
		{"2023.12-2024.02随访", "DATE:2023.12"},
		{"2023.12-2024.02随访", "DATE:2024.02"},
		{"2024年元月5日", "DATE:元月5日"},
		{"本月15日复查", "DATE:本月15日"},
		{"下月10号来院", "DATE:下月10号"},
		{"2024年3月初五发病", "DATE:2024年3月初五"},
		{"2024年3月5、12日注射", "DATE:2024年3月5、12日"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{
		"血钾3.5-5.5 mmol/L，钠 135-145",
		"眼压 15-18 mmHg，视力 0.3-0.5",
		"术后3-4月复查，每月1-2次",
	} {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
	// a lunar day or a list of days cannot be shifted: the whole date is tagged
	for _, s := range []string{"2024年3月初五发病", "2024年3月5、12日注射"} {
		n := &note.Note{NoteID: "x", SourcePatientID: "p1", VisitDate: "2024-03-20", Text: s}
		if err := d.Process(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(n.Text, "〔") || strings.ContainsAny(n.Text, "0123456789五") {
			t.Errorf("%q: de-identified to %q, want the date tagged whole", s, n.Text)
		}
	}
}
