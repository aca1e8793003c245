package laterality

import "strings"

// Whether a mention can have an eye at all. Clinicians write an eye word
// once and let it govern what follows (双眼视物模糊，伴头痛、恶心), but the
// eye concerns only what is in an eye: general symptoms, systemic diseases,
// findings at another body site and symptoms of binocular vision take none.

// ocularMorphemes name a part, function or disease of the eye; a mention
// holding one is ocular whatever else it holds (高血压视网膜病变,
// 糖尿病性白内障, 甲状腺相关眼病).
var ocularMorphemes = []string{
	"眼", "视", "目", "睑", "睫", "泪", "眶", "瞳", "结膜", "角膜", "巩膜", "虹膜", "葡萄膜", "脉络膜",
	"黄斑", "玻璃体", "晶状体", "晶体", "前房", "房角", "青光", "白内障", "内障", "近视", "远视", "散光",
	"屈光", "斜", "弱视", "盲", "畏光", "流泪", "虹视", "飞蚊", "复像", "重影", "眩光", "amd", "dme",
	"dr", "cnv", "poag", "pacg", "rvo", "rp", "csc", "mgd", "暗点", "中心凹",
}

// systemicMorphemes name a systemic disease, a general symptom or an organ
// outside the eye.
var systemicMorphemes = []string{
	"妊娠", "子痫", "孕", "产", "高血压", "低血压", "糖尿病", "血糖", "血脂", "高脂", "冠心病", "心", "脑",
	"肾", "肝", "肺", "胃", "肠", "胆", "胰", "脾", "甲状腺", "甲亢", "甲减", "贫血", "白血病", "淋巴瘤",
	"癫痫", "哮喘", "关节", "风湿", "狼疮", "痛风", "感冒", "发热", "发烧", "头痛", "头晕", "眩晕", "恶心",
	"呕吐", "乏力", "晨僵", "皮疹", "咳嗽", "腹泻", "腹痛", "胸闷", "胸痛", "心悸", "多饮", "多尿", "消瘦",
	"肥胖", "失眠", "抑郁", "焦虑", "言语", "肢体", "偏瘫", "麻木", "耳鸣", "鼻塞", "咽痛", "口干", "水痘",
	"结核", "梅毒", "艾滋", "hiv", "乙肝", "hellp", "综合征",
}

// binocularSymptoms concern the two eyes seen together; an eye word that
// governs the sentence does not make them one-eyed (右眼视物模糊，伴复视).
var binocularSymptoms = []string{"复视", "视物重影", "重影", "复像", "视物成双"}

// nonOcularSites before a finding put it outside the eye (耳前淋巴结肿大,
// 左侧肢体乏力, 颈部皮疹).
var nonOcularSites = []string{
	"淋巴结", "耳前", "耳后", "颌下", "颈部", "颈", "肢体", "上肢", "下肢", "双手", "手指", "足", "皮肤",
	"关节", "口腔", "口唇", "鼻部", "鼻腔", "耳部", "面部", "颜面", "头部", "头皮", "胸部", "腹部", "腰部",
	"背部", "牙龈", "咽部", "扁桃体", "肺部", "肝脏", "肾脏", "心脏", "脑部",
}

func folded(s string) string { return strings.Map(Fold, s) }

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Ocular reports whether the mention names a part, function or disease of
// the eye.
func Ocular(mention string) bool { return containsAny(folded(mention), ocularMorphemes) }

// Systemic reports whether the mention names a systemic disease, a general
// symptom or an organ outside the eye, and nothing of the eye: 子痫前期,
// 发热, 脑梗死 are systemic; 高血压视网膜病变 and 糖尿病性白内障 are not.
func Systemic(mention string) bool {
	m := folded(mention)
	return !containsAny(m, ocularMorphemes) && containsAny(m, systemicMorphemes)
}

// Binocular reports a symptom of binocular vision (复视, 视物重影).
func Binocular(mention string) bool {
	m := folded(mention)
	for _, w := range binocularSymptoms {
		if strings.HasSuffix(m, w) {
			return true
		}
	}
	return false
}

// SiteBefore reports whether the text just before start (after dropping
// 的/处/部/区) names a body site outside the eye: 耳前淋巴结[肿大],
// 左侧肢体[乏力].
func SiteBefore(text []rune, start int) bool {
	i := start
	for i > 0 && strings.ContainsRune("的处区 ", text[i-1]) {
		i--
	}
	pre := folded(string(text[max(0, i-4):i]))
	for _, w := range nonOcularSites {
		if strings.HasSuffix(pre, w) {
			return true
		}
	}
	return false
}

// SiteAfter reports whether a body site outside the eye follows the
// side word ending at i: 左侧[肢体], 右侧[颈部] (a side, not an eye).
func SiteAfter(text []rune, i int) bool {
	post := folded(string(text[min(i, len(text)):min(len(text), i+3)]))
	for _, w := range nonOcularSites {
		if strings.HasPrefix(post, w) {
			return true
		}
	}
	return false
}
