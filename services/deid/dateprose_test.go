package deid

import (
	"strings"
	"testing"
)

func TestProseDates(t *testing.T) {
	checkPositives(t, []posCase{
		{"左眼已注药3次（1/15、2/19、3/24），4月因春耕没来。", "DATE:2/19"},
		{"左眼已注药3次（1/15、2/19、3/24），4月因春耕没来。", "DATE:4月"},
		{"先左眼5/29，右眼6/5。", "DATE:6/5"},
		{"随访日期：① 3.5  ② 3-20  ③ 4/18  ④ 6.20", "DATE:6.20"},
		{"2025.05.28初戴 → 06.25 → 08.20，下一次复查", "DATE:08.20"},
		{"3 06-11 谢秋生 3607310", "DATE:06-11"},
		{"，4.22玻璃体腔注射康柏西普，4.25行睫状体光凝", "DATE:4.25"},
		{"2月筛查发现中度NPDR，已预约3月县医院手术。", "DATE:3月"},
		{"7/31回访：未接通，8/1再拨", "DATE:8/1"},
		{"下次复查：2Ol5 年 l2 月", "DATE:2Ol5 年 l2 月"},
		{"签名 吴惠珊   2O24. 5. 3l", "DATE:2O24. 5. 3l"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{
		"视力 6/12，矫正 6/9，OD 6/18",
		"每次服用1/2片，视野缺损约2/3象限",
		"眼压10-12mmHg，钾4.22 mmol/L",
		"视物模糊3月，3月前曾就诊，3月来加重，约3月后复查",
		"右眼IOL植入，OD 0.8，OS 1.0",
	} {
		for _, g := range spanTexts(t, d, s) {
			if strings.HasPrefix(g, "DATE:") {
				t.Errorf("%q: unexpected %s", s, g)
			}
		}
	}
}
