package deid

import "testing"

// Names in running prose, with no cue the rules know: only the LAC
// recognizer finds them. All names here are invented.
func TestPersonNamesInProse(t *testing.T) {
	checkPositives(t, []posCase{
		{"今日复诊，陈晓梅诉左眼仍畏光，较前好转。", "NAME:陈晓梅"},
		{"昨日下午刘振华自行停用滴眼液后眼红加重。", "NAME:刘振华"},
		{"术前谈话时徐桂英表示理解手术风险。", "NAME:徐桂英"},
		{"电话随访：何建平诉术眼无不适，视力稳定。", "NAME:何建平"},
		{"查房时向黄志强交代病情。", "NAME:黄志强"},
	})
}

// Propagation: a name LAC finds once is removed wherever it recurs.
func TestPersonNamePropagates(t *testing.T) {
	d := testDeid(t, Options{})
	got := spanTexts(t, d, "今日复诊，陈晓梅诉左眼仍畏光。嘱陈晓梅按时点药")
	n := 0
	for _, s := range got {
		if s == "NAME:陈晓梅" {
			n++
		}
	}
	if n != 2 {
		t.Fatalf("spans %v: want NAME:陈晓梅 twice", got)
	}
}

// Clinical words that LAC may read as names, or that begin with a surname,
// stay: drugs, procedures, eponyms.
func TestPersonNamesKeepClinicalWords(t *testing.T) {
	d := testDeid(t, Options{})
	for _, s := range []string{
		"处理：1.更昔洛韦眼用凝胶 每日四次",
		"右眼YAG激光虹膜周切；嘱注意用眼卫生",
		"左眼玻璃体腔注射阿柏西普0.05ml。",
		"诊断：右眼霍纳综合征；双眼高度近视。",
		"予左氧氟沙星滴眼液、妥布霉素地塞米松眼膏。",
		"患者左眼视力下降3月，左上睑肿胀。",
	} {
		for _, x := range mustDetect(t, d, s) {
			if x.Label == Name {
				rs := []rune(s)
				t.Errorf("%q: NAME %q (%s)", s, string(rs[x.Start:x.End]), x.Recognizer)
			}
		}
	}
}

// Cue-only surnames (左, 单) name a patient only where demographics follow.
func TestCueOnlySurnames(t *testing.T) {
	checkPositives(t, []posCase{
		{"患者左强力，男，40岁。", "NAME:左强力"},
		{"姓名：左萍一  性别：女", "NAME:左萍一"},
		{"联系人：其夫周子 电话：13012345678", "NAME:周子"},
	})
}

// Form fields, lists with titles, bed numbers, compound surnames, names
// that are also words, transliterated names. All names are invented.
func TestNameFieldsAndLists(t *testing.T) {
	checkPositives(t, []posCase{
		{"记录医师：武新月    审核：上级医师", "NAME:武新月"},
		{"医师：温和", "NAME:温和"},
		{"值班医师：石磊  二线：东方煜", "NAME:东方煜"},
		{"经办人：俄玉珍", "NAME:俄玉珍"},
		{"见证人（护士）：区伟明", "NAME:区伟明"},
		{"筛查人员：禤志明、全海燕    审核：栾", "NAME:全海燕"},
		{"参加人员：上官婉清主任医师、邝美玲副主任医师、方圆主治医师", "NAME:方圆"},
		{"10:15  司马云飞副主任医师查房", "NAME:司马云飞"},
		{"血糖9.8mmol/L。欧阳建华诉右眼仍视物不清", "NAME:欧阳建华"},
		{"注意：3床毛小平需保持面向下体位", "NAME:毛小平"},
		{"23床 宁德贵，糖尿病", "NAME:宁德贵"},
		{"党红军诉单位在延安市", "NAME:党红军"},
		{"5 单丽娜 女 52 临泉", "NAME:单丽娜"},
		{"扎西顿珠，男，28岁，藏族", "NAME:扎西顿珠"},
		{"由同事艾克拜尔·吐尔逊开车送来", "NAME:艾克拜尔·吐尔逊"},
		{"联系人：孙子 骆振兴  15012345678", "NAME:骆振兴"},
		{"手术医师：李  明", "NAME:李  明"},
		{"医生签字：张 三", "NAME:张 三"},
		{"Name: Zhang Wei  Sex: M", "NAME:Zhang Wei"},
		{"姓名拼音：WANG XIAOMING", "NAME:WANG XIAOMING"},
	})
	d := testDeid(t, Options{})
	for _, s := range []string{"联系人：孙子 骆振兴", "家庭医生：敖琳", "接班护士：程丽", "患者仰卧位，常规消毒铺巾", "余窥不清。", "家属同意，签字。"} {
		for _, x := range mustDetect(t, d, s) {
			rs := []rune(s)
			if w := string(rs[x.Start:x.End]); x.Label == Name && (w == "孙子" || w == "家庭" || w == "接班" || w == "仰卧" || w == "余窥" || w == "同意" || w == "家属") {
				t.Errorf("%q: NAME %q", s, w)
			}
		}
	}
}
