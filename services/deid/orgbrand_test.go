package deid

import "testing"

func TestBrandAndSuffixOrganizations(t *testing.T) {
	checkPositives(t, []posCase{
		{"患者在腾讯上班，久坐。", "ORGANIZATION:腾讯"},
		{"外卖骑手（饿了么），夜班多", "ORGANIZATION:饿了么"},
		{"在苏州富士康任线长", "ORGANIZATION:苏州富士康"},
		{"在京东物流华东分部工作", "ORGANIZATION:京东物流华东分部"},
		{"原沈阳重型机械厂车工", "ORGANIZATION:沈阳重型机械厂"},
		{"工作单位：松下（中国）电器有限公司", "ORGANIZATION:松下（中国）电器有限公司"},
		{"（平安人寿保险股份有限公司成都分公司）理赔", "ORGANIZATION:平安人寿保险股份有限公司成都分公司"},
		{"委托律师（四川金沙律师事务所）", "ORGANIZATION:四川金沙律师事务所"},
		{"由城南派出所民警送来", "ORGANIZATION:城南派出所"},
		{"见证人：甘肃省红十字会", "ORGANIZATION:甘肃省红十字会"},
		{"退休前在茂名石化工作", "ORGANIZATION:茂名石化"},
	})
}

// Brands inside drug names, generic factories and places named like
// organisations are left alone.
func TestOrganizationLookalikesSurvive(t *testing.T) {
	d := testDeid(t, Options{})
	for _, s := range []string{
		"化疗方案：伊立替康联合氟尿嘧啶。",
		"在化工厂上班，完美团队，三星期前发病。",
		"在一家食品厂工作，公司体检发现眼压高。",
		"该公司安排体检。本集团员工。",
	} {
		if got := spanTexts(t, d, s); len(got) > 0 {
			t.Errorf("%q: unexpected spans %v", s, got)
		}
	}
}
