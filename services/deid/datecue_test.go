package deid

import "testing"

func TestFieldDates(t *testing.T) {
	checkPositives(t, []posCase{
		{"随访日期 3.5 血压 150/90 空腹血糖 7.8", "DATE:3.5"},
		{"复诊：4/12 眼压16mmHg", "DATE:4/12"},
		{"| 随访日期 | 血压 | 血糖 |\n| 3/5 | 150/90 | 7.8 |\n| 6/4 | 140/85 | 7.1 |", "DATE:6/4"},
		{"姓名,随访日期,血压\n王某,3.5,150/90\n王某,6.4,140/85", "DATE:6.4"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{
		"凝血酶原时间 11.8 9.4-12.5 s",
		"| 眼别 | 视力 | 眼压 |\n| OD | 1.2 | 15 |\n| OS | 1.5 | 16 |",
		"| 日期 | 视力 |\n| 2024.3.5 | 1.2 |", // the acuity column stays
		"复查时间：2.5h后",
	} {
		for _, g := range spanTexts(t, d, s) {
			if g == "DATE:1.2" || g == "DATE:1.5" || g == "DATE:11.8" || g == "DATE:2.5" {
				t.Errorf("%q: unexpected %s", s, g)
			}
		}
	}
}

func TestTableAges(t *testing.T) {
	checkPositives(t, []posCase{
		{"| 姓名 | 年龄 | 血压 |\n| 王某 | 93 | 150/90 |\n| 李某 | 71 | 140/80 |", "AGE:93"},
		{"床号\t姓名\t年龄\n3\t王某\t91", "AGE:91"},
	})
	d := testDeid(t, Options{})
	for _, g := range spanTexts(t, d, "| 姓名 | 年龄 | 血压 |\n| 王某 | 71 | 150/90 |") {
		if g == "AGE:71" {
			t.Errorf("an age under 90 marked: %s", g)
		}
	}
}

func TestTableAddresses(t *testing.T) {
	checkPositives(t, []posCase{
		{"编号|姓名|性别|年龄|村组|类别\n52120250003|龙某|男|94|箐口村新寨组|老年人", "ADDRESS:箐口村新寨组"},
	})
}
