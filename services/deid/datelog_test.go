package deid

import "testing"

func TestLogDates(t *testing.T) {
	checkPositives(t, []posCase{
		{"3.7  术后第1天，眼压12mmHg。\n3.8  前房清。", "DATE:3.7"},
		{"3.7  术后第1天，眼压12mmHg。\n3.8  前房清。", "DATE:3.8"},
		{"电话随访记录\n3.5 电话：药水用完了\n5.8 已复诊", "DATE:3.5"},
		{"病程记录\n7.13傍晚在地里干活时被划伤右眼。", "DATE:7.13"},
		{"4/2 08:30 测眼压\n4/3 08:30 测眼压", "DATE:4/2"},
		{"序号 日期 内容\n1    2-15   红光闪烁  覃丽娟\n3    3-1    视觉训练软件  覃丽娟", "DATE:3-1"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{
		"1.2 现病史：右眼视力下降。",          // one section number with a one-digit part
		"1.5 mg qd\n0.5 mg bid",    // doses at line starts
		"1.25倍放大\n2.5倍放大",          // measures
		"视力：\n1.0 右眼\n0.8 左眼",      // acuities (no month 0, no day 0)
		"眼压 15-18 mmHg，视力 0.3-0.5", // ranges inside a line
	} {
		for _, g := range spanTexts(t, d, s) {
			if len(g) > 5 && g[:5] == "DATE:" {
				t.Errorf("%q: unexpected date span %s", s, g)
			}
		}
	}
}
