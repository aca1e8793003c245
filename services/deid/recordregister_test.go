package deid

import (
	"strings"
	"testing"
)

func TestRegisterNumbers(t *testing.T) {
	reg := "编号 姓名 性别 年龄 眼别\nVG0531 丁香 女 66 OD\nVG0532 甄建国 男 59 OS\n"
	checkPositives(t, []posCase{
		{reg, "RECORD_NUMBER:VG0531"},
		{reg, "RECORD_NUMBER:VG0532"},
		{"LQ-031 范玉兰 女 78\nLQ-032 王某 男 60", "RECORD_NUMBER:LQ-031"},
		{"用户：tangtang_mama（就诊人：彭语桐）", "OTHER_ID:tangtang_mama"},
		{"用户名：jd_6f2a91c07b   就诊人：仲梦瑶", "OTHER_ID:jd_6f2a91c07b"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{
		"2024 年度随访\n2023 年度随访",               // years
		"1.2 现病史\n1.3 既往史",                   // section numbers
		"20240305 复诊\n20240405 复诊",           // compact dates
		"SN60WF +21.0D 右眼\nSN60WF +22.5D 左眼", // lens models (two digits)
		"ZY20240311 王某 男\n主诉：右眼红",            // one code alone is the bare-number rule's
	} {
		for _, g := range spanTexts(t, d, s) {
			if strings.HasPrefix(g, "RECORD_NUMBER:") && !strings.HasPrefix(g, "RECORD_NUMBER:ZY") {
				t.Errorf("%q: unexpected %s", s, g)
			}
		}
	}
}
