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
		// an eye carries over ；but not past 。
		{"右眼前房闪辉；[玻璃体混浊]", note.EyeRight},
		// 左眼亦然 / 均: both eyes
		{"右眼视盘[水肿]，左眼亦然", note.EyeBoth},
		{"右眼出血，左眼亦然；[黄斑水肿]", note.EyeBoth},
		{"右眼、左眼均见[玻璃膜疣]", note.EyeBoth},
		{"右眼少量出血，左眼亦可见[渗出]", note.EyeLeft},
		{"右眼视力0.5，左眼同前，[玻璃体混浊]", note.EyeLeft},
		// 右眼为著 weighs one eye of two: the sentence is about both
		{"双眼干涩，右眼为著，伴[异物感]", note.EyeBoth},
		{"左眼眼痛，右眼明显[充血]", note.EyeRight},
		{"右眼为著[充血]", note.EyeRight},
		// numbered items are scopes of their own; a cue before the first
		// governs all
		{"诊断：1.黄斑裂孔（右） 2.[视网膜前膜]待排", note.EyeNone},
		{"诊断：双眼 1.干眼 2.[睑板腺功能障碍]", note.EyeBoth},
		// what has no eye
		{"左眼胀痛，伴[复视]", note.EyeNone},
		{"右眼[复视]", note.EyeRight},
		{"双眼视物模糊，既往[子痫前期]", note.EyeNone},
		{"右眼红肿，伴耳前淋巴结[肿大]", note.EyeNone},
		{"左侧肢体[麻木]，右眼视物模糊", note.EyeNone},
		{"左侧[肢体麻木]", note.EyeNone},
		{"右侧[偏瘫]", note.EyeNone},
		// cues after, alone: trailing eye words
		{"诊断：[POAG]? OD", note.EyeRight},
		{"诊断：[湿性AMD] 左", note.EyeLeft},
		{"[黄斑前膜] 右眼；", note.EyeRight},
		// more cue words
		{"两眼[干涩]", note.EyeBoth},
		{"VOS 0.2，[角膜水肿]", note.EyeLeft},
		{"R：[视网膜出血]", note.EyeRight},
		// a header line above
		{"检查：\n左眼：\n  前房[积脓]", note.EyeLeft},
		// the operated eye
		{"手术名称：左眼小梁切除术\n手术经过：术眼[结膜充血]", note.EyeLeft},
		{"手术名称：右眼玻璃体切割术\n手术经过：见视网膜[裂孔]", note.EyeRight},
		// a column of a text table
		{"            右眼        左眼\n角膜        透明        [水肿]\n", note.EyeLeft},
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
