package code

import (
	"strings"
	"testing"

	"bingli/services/note"
)

func TestEyeOf(t *testing.T) {
	tests := []struct {
		text string
		want note.Eye
	}{
		{"右眼[青光眼]", note.EyeRight},
		{"左眼[白内障]", note.EyeLeft},
		{"双眼[白内障]", note.EyeBoth},
		{"OD [视网膜脱离]", note.EyeRight},
		{"os[视网膜脱离]", note.EyeLeft},
		{"OU：[干眼]", note.EyeBoth},
		{"[皮质性白内障](双)", note.EyeBoth},
		{"[白内障]（右眼）", note.EyeRight},
		{"[白内障](OS)", note.EyeLeft},
		{"右[白内障]", note.EyeRight},
		{"双眼视力下降伴左眼[青光眼]", note.EyeLeft},
		{"双眼视力下降，外院考虑[青光眼]", note.EyeBoth},
		{"[年龄相关性黄斑变性]，左眼视物变形", note.EyeLeft},
		{"[白内障]", note.EyeNone},
		{"GOOD [白内障]", note.EyeNone},
		{"右眼视力下降。[白内障]", note.EyeNone},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			rs, start, end, cs, ce := bracketed(tt.text)
			if got := eyeOf(rs, start, end, cs, ce); got != tt.want {
				t.Errorf("eye %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListItems(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"1.双眼年龄相关性白内障 2.右眼原发性开角型青光眼", []string{"双眼年龄相关性白内障 ", "右眼原发性开角型青光眼"}},
		{"1、白内障\n2．青光眼\n3)高血压", []string{"白内障", "青光眼", "高血压"}},
		{"高血压、糖尿病；冠心病，近视", []string{"高血压", "糖尿病", "冠心病", "近视"}},
		{"皮质性白内障(双、右)；干眼", []string{"皮质性白内障(双、右)", "干眼"}},
		{"1.青光眼？2.2型糖尿病", []string{"青光眼？", "2型糖尿病"}},
	}
	for _, tt := range tests {
		rs := []rune(tt.text)
		var got []string
		for _, it := range listItems(rs, 0, len(rs)) {
			got = append(got, string(rs[it[0]:it[1]]))
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("listItems(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
