package deid

import "testing"

func TestFestivalDates(t *testing.T) {
	checkPositives(t, []posCase{
		{"患者去年国庆节后出现右眼视物模糊", "DATE:去年国庆节"},
		{"今年春节期间眼红加重", "DATE:今年春节"},
		{"2023年春节后发现视力下降", "DATE:2023年春节"},
		{"23年中秋前后左眼胀痛", "DATE:23年中秋"},
		{"春节回老家未按时点药", "DATE:春节"},
		{"元旦前复查眼压", "DATE:元旦"},
		{"家属诉五一假期外出", "DATE:五一"},
		{"国庆期间未用药", "DATE:国庆"},
		{"冬至那天晨起眼痛", "DATE:冬至"},
		{"今年立秋后症状反复", "DATE:今年立秋"},
		{"3月8日妇女节来院", "DATE:3月8日"},
		{"3月8日妇女节来院", "DATE:妇女节"},
		{"除夕夜被烟花炸伤", "DATE:除夕"},
		{"平安夜当晚急诊", "DATE:平安夜"},
		{"去年腊月开始眼干", "DATE:去年腊月"},
		{"2023年底行白内障手术", "DATE:2023年底"},
		{"23年底曾在当地医院就诊", "DATE:23年底"},
		{"中元节前后再复诊", "DATE:中元节"},
		{"端午节后第二天就诊", "DATE:端午节"},
		{"患者自述元旦聚餐饮酒后右眼红", "DATE:元旦"},
		{"女儿称春节后陪同就诊", "DATE:春节"},
		{"因为五一假期回老家未复诊", "DATE:五一"},
		{"腊月二十三小年前后回来", "DATE:小年"},
		{"孩子双十一那天摔了一跤", "DATE:双十一"},
		{"奶奶说腊月二十三（小年）前后回来", "DATE:小年"},
		{"患者5天前（清明上坟回来后）低头提水", "DATE:清明"},
		{"等十月初一上完坟再说", "DATE:十月初一"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{
		"谷雨陪同患者来院复查。",           // a given name that is also a solar term
		"护士白露已宣教滴眼方法。",          // same
		"患儿小满，男，6岁。",            // same
		"患者今年视力下降明显。",           // a relative year alone is not a date
		"上周三开始眼红，去年冬天加重，3天前就诊。", // purely relative
		"寒假期间加强户外活动。",
		"春分秋分时节注意用眼卫生。", // no date of this patient: a season's advice
		"国庆陪同其母亲来诊。",    // 国庆 as a name, no date context
		"隆冬至今反复眼干。",     // 冬至 inside 隆冬 + 至今
	} {
		got := spanTexts(t, d, s)
		for _, g := range got {
			if len(g) > 5 && g[:5] == "DATE:" {
				t.Errorf("%q: unexpected date span %v", s, got)
			}
		}
	}
}
