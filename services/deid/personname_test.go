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
