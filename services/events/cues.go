package events

import (
	"sort"

	"bingli/services/laterality"
)

// Measurement kinds (note.Measurement.Kind).
const (
	KindVA       = "visual_acuity"
	KindBCVA     = "corrected_visual_acuity"
	KindIOP      = "iop"
	KindAxial    = "axial_length"
	KindSphere   = "refraction_sphere"
	KindCylinder = "refraction_cylinder"
	KindCupDisc  = "cup_disc_ratio"
	KindCMT      = "cmt"
	KindHbA1c    = "hba1c"
	KindSchirmer = "schirmer"
	KindTBUT     = "tbut"
	KindOther    = "other"
)

// Context kinds that are not measurement kinds.
const (
	ctxRefraction = "refraction" // values become sphere / cylinder
	ctxSkip       = "skip"       // a measure we do not extract (K1, CCT, RNFL, near vision): its numbers are ignored
	ctxLogMAR     = "logmar"     // marks the acuity context as logMAR, keeps the kind
)

// cue is a word that opens a measurement context.
type cue struct {
	word []rune // folded
	kind string
	name string // test name for KindOther
}

// cueList holds every cue; matching is longest-first at each position.
// Words are written folded (lower-case ASCII, half-width).
var cueList = []struct{ word, kind, name string }{
	// visual acuity
	{"视力", KindVA, ""}, {"裸眼视力", KindVA, ""}, {"远视力", KindVA, ""}, {"裸眼远视力", KindVA, ""},
	{"va", KindVA, ""}, {"ucva", KindVA, ""}, {"vision", KindVA, ""}, {"vsc", KindVA, ""},
	{"vod", KindVA, ""}, {"vos", KindVA, ""}, {"vou", KindVA, ""}, {"v", KindVA, ""},
	{"矫正视力", KindBCVA, ""}, {"最佳矫正视力", KindBCVA, ""}, {"最佳矫正", KindBCVA, ""}, {"矫正", KindBCVA, ""},
	{"bcva", KindBCVA, ""}, {"bscva", KindBCVA, ""}, {"vcc", KindBCVA, ""}, {"戴镜视力", KindBCVA, ""}, {"矫正远视力", KindBCVA, ""},
	{"logmar", ctxLogMAR, ""},
	{"近视力", ctxSkip, ""}, {"针孔视力", ctxSkip, ""}, {"矫正无助", ctxSkip, ""}, {"矫正不提高", ctxSkip, ""}, {"矫正无提高", ctxSkip, ""},
	// intraocular pressure
	{"眼压", KindIOP, ""}, {"iop", KindIOP, ""}, {"tn", KindIOP, ""}, {"nct", KindIOP, ""}, {"非接触眼压", KindIOP, ""},
	{"眼内压", KindIOP, ""}, {"压平眼压", KindIOP, ""}, {"眼压计", KindIOP, ""},
	{"目标眼压", ctxSkip, ""}, {"眼压控制在", ctxSkip, ""}, {"基线眼压", KindIOP, ""}, {"tod", KindIOP, ""}, {"tos", KindIOP, ""}, {"tou", KindIOP, ""},
	// axial length
	{"眼轴", KindAxial, ""}, {"眼轴长度", KindAxial, ""}, {"眼轴长", KindAxial, ""}, {"al", KindAxial, ""}, {"axl", KindAxial, ""}, {"a超", KindAxial, ""},
	// refraction
	{"验光", ctxRefraction, ""}, {"电脑验光", ctxRefraction, ""}, {"散瞳验光", ctxRefraction, ""}, {"主觉验光", ctxRefraction, ""},
	{"综合验光", ctxRefraction, ""}, {"小瞳验光", ctxRefraction, ""}, {"检影", ctxRefraction, ""}, {"屈光度", ctxRefraction, ""},
	{"屈光状态", ctxRefraction, ""}, {"插片", ctxRefraction, ""}, {"refraction", ctxRefraction, ""}, {"ar", ctxRefraction, ""}, {"mr", ctxRefraction, ""},
	// cup/disc
	{"c/d", KindCupDisc, ""}, {"杯盘比", KindCupDisc, ""}, {"c/d比", KindCupDisc, ""}, {"cd比", KindCupDisc, ""}, {"杯/盘", KindCupDisc, ""},
	{"视杯/视盘", KindCupDisc, ""}, {"cdr", KindCupDisc, ""}, {"杯盘比值", KindCupDisc, ""},
	// central macular thickness
	{"黄斑中心凹厚度", KindCMT, ""}, {"黄斑中心厚度", KindCMT, ""}, {"中心凹厚度", KindCMT, ""}, {"黄斑厚度", KindCMT, ""},
	{"中心厚度", KindCMT, ""}, {"黄斑区厚度", KindCMT, ""}, {"视网膜中央厚度", KindCMT, ""}, {"中心视网膜厚度", KindCMT, ""},
	{"cmt", KindCMT, ""}, {"crt", KindCMT, ""}, {"cft", KindCMT, ""}, {"cst", KindCMT, ""},
	{"rnfl", ctxSkip, ""}, {"神经纤维层", ctxSkip, ""}, {"cct", ctxSkip, ""}, {"角膜厚度", ctxSkip, ""}, {"中央角膜厚度", ctxSkip, ""},
	{"角膜曲率", ctxSkip, ""}, {"k1", ctxSkip, ""}, {"k2", ctxSkip, ""}, {"km", ctxSkip, ""}, {"前房深度", ctxSkip, ""}, {"acd", ctxSkip, ""},
	{"晶体厚度", ctxSkip, ""}, {"晶状体厚度", ctxSkip, ""}, {"视野", ctxSkip, ""}, {"md", ctxSkip, ""}, {"iol度数", ctxSkip, ""}, {"人工晶体度数", ctxSkip, ""},
	{"角膜内皮", ctxSkip, ""}, {"内皮细胞", ctxSkip, ""}, {"ecd", ctxSkip, ""}, {"白到白", ctxSkip, ""}, {"瞳孔直径", ctxSkip, ""},
	// HbA1c
	{"糖化血红蛋白", KindHbA1c, ""}, {"hba1c", KindHbA1c, ""}, {"糖化", KindHbA1c, ""}, {"a1c", KindHbA1c, ""}, {"ghb", KindHbA1c, ""},
	// tear tests
	{"泪液分泌试验", KindSchirmer, ""}, {"泪液分泌", KindSchirmer, ""}, {"schirmer", KindSchirmer, ""}, {"sit", KindSchirmer, ""},
	{"基础泪液分泌", KindSchirmer, ""}, {"希尔默", KindSchirmer, ""},
	{"泪膜破裂时间", KindTBUT, ""}, {"泪膜破裂", KindTBUT, ""}, {"but", KindTBUT, ""}, {"tbut", KindTBUT, ""}, {"nibut", KindTBUT, ""}, {"破裂时间", KindTBUT, ""},
	// general labs and vital signs (KindOther, Name = the test)
	{"空腹血糖", KindOther, "空腹血糖"}, {"fpg", KindOther, "空腹血糖"}, {"空腹葡萄糖", KindOther, "空腹血糖"},
	{"血糖", KindOther, "血糖"}, {"随机血糖", KindOther, "随机血糖"}, {"餐后血糖", KindOther, "餐后血糖"},
	{"餐后2小时血糖", KindOther, "餐后2小时血糖"}, {"餐后2h血糖", KindOther, "餐后2小时血糖"}, {"2hpg", KindOther, "餐后2小时血糖"},
	{"血压", KindOther, "血压"}, {"bp", KindOther, "血压"},
	{"总胆固醇", KindOther, "总胆固醇"}, {"tc", KindOther, "总胆固醇"}, {"甘油三酯", KindOther, "甘油三酯"}, {"tg", KindOther, "甘油三酯"},
	{"低密度脂蛋白", KindOther, "低密度脂蛋白胆固醇"}, {"低密度脂蛋白胆固醇", KindOther, "低密度脂蛋白胆固醇"}, {"ldl-c", KindOther, "低密度脂蛋白胆固醇"}, {"ldl", KindOther, "低密度脂蛋白胆固醇"},
	{"高密度脂蛋白", KindOther, "高密度脂蛋白胆固醇"}, {"高密度脂蛋白胆固醇", KindOther, "高密度脂蛋白胆固醇"}, {"hdl-c", KindOther, "高密度脂蛋白胆固醇"}, {"hdl", KindOther, "高密度脂蛋白胆固醇"},
	{"肌酐", KindOther, "肌酐"}, {"血肌酐", KindOther, "肌酐"}, {"scr", KindOther, "肌酐"}, {"cr", KindOther, "肌酐"},
	{"尿素氮", KindOther, "尿素氮"}, {"尿素", KindOther, "尿素"}, {"bun", KindOther, "尿素氮"}, {"尿酸", KindOther, "尿酸"}, {"血尿酸", KindOther, "尿酸"},
	{"血红蛋白", KindOther, "血红蛋白"}, {"hb", KindOther, "血红蛋白"}, {"hgb", KindOther, "血红蛋白"},
	{"白细胞", KindOther, "白细胞"}, {"白细胞计数", KindOther, "白细胞"}, {"wbc", KindOther, "白细胞"},
	{"血小板", KindOther, "血小板"}, {"血小板计数", KindOther, "血小板"}, {"plt", KindOther, "血小板"},
	{"红细胞", KindOther, "红细胞"}, {"rbc", KindOther, "红细胞"},
	{"谷丙转氨酶", KindOther, "谷丙转氨酶"}, {"alt", KindOther, "谷丙转氨酶"}, {"谷草转氨酶", KindOther, "谷草转氨酶"}, {"ast", KindOther, "谷草转氨酶"},
	{"总胆红素", KindOther, "总胆红素"}, {"白蛋白", KindOther, "白蛋白"}, {"糖化白蛋白", KindOther, "糖化白蛋白"},
	{"c反应蛋白", KindOther, "C反应蛋白"}, {"crp", KindOther, "C反应蛋白"}, {"血沉", KindOther, "血沉"}, {"esr", KindOther, "血沉"},
	{"同型半胱氨酸", KindOther, "同型半胱氨酸"}, {"hcy", KindOther, "同型半胱氨酸"},
	{"血钾", KindOther, "血钾"}, {"血钠", KindOther, "血钠"}, {"尿微量白蛋白", KindOther, "尿微量白蛋白"},
	{"egfr", KindOther, "eGFR"}, {"肾小球滤过率", KindOther, "eGFR"},
	{"心率", KindOther, "心率"}, {"hr", KindOther, "心率"}, {"脉搏", KindOther, "脉搏"}, {"体温", KindOther, "体温"},
	{"体重", KindOther, "体重"}, {"身高", KindOther, "身高"}, {"bmi", KindOther, "BMI"}, {"体重指数", KindOther, "BMI"},
	{"呼吸", ctxSkip, ""},
}

// cueIndex maps a folded first code point to its cues, longest first.
var cueIndex = func() map[rune][]cue {
	m := map[rune][]cue{}
	for _, c := range cueList {
		w := []rune(c.word)
		m[w[0]] = append(m[w[0]], cue{word: w, kind: c.kind, name: c.name})
	}
	for _, cs := range m {
		sort.SliceStable(cs, func(i, j int) bool { return len(cs[i].word) > len(cs[j].word) })
	}
	return m
}()

// matchCue returns the longest cue at i in the folded text f. A cue that
// begins or ends with an ASCII letter must not continue an ASCII word (so
// "al" is not found in "normal", nor "but" in "button"). The bare "v" cue
// only counts before od/os/ou.
func matchCue(f []rune, i int) (cue, bool) {
	cs := cueIndex[f[i]]
	if cs == nil {
		return cue{}, false
	}
	for _, c := range cs {
		if i+len(c.word) > len(f) {
			continue
		}
		ok := true
		for k, r := range c.word {
			if f[i+k] != r {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		end := i + len(c.word)
		if isLetter(c.word[0]) && i > 0 && isLetter(f[i-1]) {
			continue
		}
		if isLetter(c.word[len(c.word)-1]) && end < len(f) && isLetter(f[end]) {
			if !(len(c.word) == 1 && c.word[0] == 'v' && end+1 < len(f) && f[end] == 'o' && (f[end+1] == 'd' || f[end+1] == 's' || f[end+1] == 'u')) {
				continue
			}
		} else if len(c.word) == 1 && c.word[0] == 'v' {
			continue
		}
		if len(c.word) == 2 && c.word[0] == 'c' && c.word[1] == 'r' && end < len(f) && f[end] != ':' && f[end] != ' ' && !isDigit(f[end]) {
			continue
		}
		return c, true
	}
	return cue{}, false
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isHan(r rune) bool    { return r >= 0x4E00 && r <= 0x9FFF }

// foldText folds text code point by code point (laterality.Fold).
func foldText(t []rune, buf []rune) []rune {
	buf = buf[:0]
	for _, r := range t {
		buf = append(buf, laterality.Fold(r))
	}
	return buf
}
