package events

import (
	"testing"

	"bingli/services/note"
)

func TestRelativeTimes(t *testing.T) {
	cases := []struct {
		text, visit string
		want        []note.TimeExpression
	}{
		{"双眼视物模糊2年前加重。", "2023-03-05", []note.TimeExpression{{Text: "2年前", Start: 6, End: 9, Kind: "past", Date: "2021-03-05", Precision: "year"}}},
		{"右眼白内障术后1周复查。", "2023-03-12", []note.TimeExpression{{Text: "术后1周复查", Start: 5, End: 11, Kind: "since_procedure", Date: "2023-03-05", Precision: "week"}}},
		{"嘱3个月后复查眼压。", "2023-01-31", []note.TimeExpression{{Text: "3个月后复查", Start: 1, End: 7, Kind: "follow_up", Date: "2023-04-30", Precision: "month"}}},
		{"两周后随诊", "2024-02-20", []note.TimeExpression{{Text: "两周后随诊", Start: 0, End: 5, Kind: "follow_up", Date: "2024-03-05", Precision: "week"}}},
		{"半年前曾行激光治疗", "", []note.TimeExpression{{Text: "半年前", Start: 0, End: 3, Kind: "past", Precision: "year"}}},
		{"术后第3天，视力0.6", "2023-05-04", []note.TimeExpression{{Text: "术后第3天", Start: 0, End: 5, Kind: "since_procedure", Date: "2023-05-01", Precision: "day"}}},
		{"病程3年，每日3次点眼，持续2周", "2023-05-04", nil},
		{"1个月后再次注射。", "2023-05-04", []note.TimeExpression{{Text: "1个月后再次注射", Start: 0, End: 8, Kind: "follow_up", Date: "2023-06-04", Precision: "month"}}},
	}
	for _, c := range cases {
		got := relativeTimes(c.text, c.visit)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %+v, want %+v", c.text, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %+v, want %+v", c.text, got[i], c.want[i])
			}
		}
	}
}
