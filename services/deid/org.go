package deid

import (
	"strings"
	"unicode/utf8"
)

// orgRecognizer finds employers and schools: after 工作单位/单位/学校/就读于/
// 就职于/工作于/任职于 the organisation name up to punctuation, and without a
// cue names ending in 有限公司/集团/大学/中学/小学/幼儿园.
type orgRecognizer struct {
	places addressRecognizer // place names before a brand (昆山富士康)
}

func (orgRecognizer) Name() string      { return "organization" }
func (orgRecognizer) Labels() []string  { return []string{Organization} }
func (orgRecognizer) Context() []string { return nil }

var orgCues = []string{"工作单位", "所在单位", "就读学校", "开户行", "开户银行", "单位", "学校", "就读于", "就职于", "工作于", "供职于", "任职于", "受雇于"}

var orgSuffixes = []string{"股份有限公司", "有限责任公司", "有限公司", "委员会", "幼儿园", "研究所", "公司", "集团", "大学", "中学", "小学", "学院", "学校", "医院", "支行", "分行", "银行", "中心", "工厂", "厂", "局", "所", "站", "店", "社", "部"}

var bareOrgSuffixes = []string{"有限公司", "有限责任公司", "集团", "大学", "中学", "小学", "幼儿园", "学院", "发展银行", "商业银行", "农商银行", "支行", "分行", "钢管厂", "机械厂", "纺织厂", "化肥厂", "水泥厂", "发电厂", "制药厂",
	"事务所", "派出所", "公安局", "交通支队", "交警支队", "交警大队", "红十字会", "伦理委员会", "颐养院", "养老院", "敬老院", "福利院", "研究院", "研究所",
	"村民委员会", "居民委员会", "眼镜连锁", "眼镜店", "眼镜公司", "视光连锁",
	"实验学校", "双语学校", "外国语学校", "职业学校", "技工学校", "卫生学校", "寄宿学校", "特殊教育学校"}

// bareOrgScore lets an organisation named with its place (重庆长安汽车股份有限公司)
// outrank the address recognizer's reading of its first words (0.85), but
// not an address after a cue (0.9).
const bareOrgScore = 0.88

// placeOrgSuffixes end an organisation only when its name starts with a
// place (哈尔滨电机厂, 大连造船厂, 镇海炼化): alone they are generic (化工厂).
var placeOrgSuffixes = []string{"厂", "公司", "炼化", "石化", "矿", "钢铁"}

// orgTails may follow an organisation's suffix and belong to it
// (…有限公司济南分公司, …股份有限公司长沙供电分公司).
var orgTails = []string{"分公司", "分部", "分厂", "分行", "支行", "分院", "营业部"}

var (
	orgCueMatcher   = newCueMatcher(orgCues)
	bareOrgMatcher  = newCueMatcher(bareOrgSuffixes)
	placeOrgMatcher = newCueMatcher(placeOrgSuffixes)
)

const orgStop = "，。；;,、：:\n\t ()（）在于是为的到从患者由向被给请让"

func (o orgRecognizer) find(d *doc, out []Span) []Span {
	orgCueMatcher.each(d, func(_, ci, ce int) {
		if ci > 0 && (isDigit(d.runes[ci-1]) || d.runes[ci-1] == '计') {
			return // 3单位, 计量单位
		}
		if strings.ContainsRune("及和与或", d.at(ce)) {
			return // 工作单位及地址: a form label, not a name
		}
		{
			s := d.skipSep(ce, 3)
			// the short cues 单位/学校 also open ordinary prose (单位体检, 学校
			// 组织的筛查): there only a name with an organisation suffix counts.
			weak := s == ce && (d.slice(ci, ce) == "单位" || d.slice(ci, ce) == "学校")
			e := s
			for e < len(d.runes) && e-s < 25 && (isHan(d.runes[e]) || isAlnum(d.runes[e])) && !strings.ContainsRune("，。；、", d.runes[e]) {
				e++
			}
			if e-s < 2 {
				return
			}
			// trim to the last organisation suffix when there is one
			best := 0
			for j := s + 1; j < e; j++ {
				if w := hasWordAt(d, j, orgSuffixes); w > 0 && w <= e {
					best = w
				}
			}
			if best > 0 {
				e = best
			} else if e-s > 15 || weak {
				return
			}
			out = append(out, Span{Start: s, End: e, Label: Organization, Score: 0.85, Recognizer: "organization"})
		}
	})
	bareOrgMatcher.each(d, func(w, i, e int) {
		suf := bareOrgSuffixes[w]
		s := orgHead(d, i, 20)
		if i-s < 2 || suf == "小学" && d.at(e) == '文' || genericOrgHead(d.slice(s, i)) || placePartNext(d, e) {
			return
		}
		out = append(out, Span{Start: s, End: orgTail(d, e), Label: Organization, Score: bareOrgScore, Recognizer: "organization"})
	})
	placeOrgMatcher.each(d, func(w, i, e int) {
		named := runeLen(placeOrgSuffixes[w]) == 2 && placeOrgSuffixes[w] != "公司" // 镇海炼化: the place alone names it
		if placePartNext(d, e) {
			return // 鹿厂镇, 学院路, 厂区: part of a place name
		}
		s := orgHead(d, i, 12)
		for s < i-1 && o.places.adminAt(d, s) == 0 {
			s++ // the name starts at its place: 原哈尔滨电机厂, 在一家大连造船厂
		}
		if i-s < 2 || o.places.adminAt(d, s) == 0 || o.places.adminAt(d, s) >= i && !named {
			return // 化工厂, 大连厂: no name between the place and the suffix
		}
		out = append(out, Span{Start: s, End: orgTail(d, e), Label: Organization, Score: bareOrgScore, Recognizer: "organization"})
	})
	out = o.findBrands(d, out)
	return findFacilities(d, out, o.places.admin2)
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// orgHead walks back from an organisation suffix at i over its name (at most
// max code points): Chinese characters, letters and digits, and short
// parenthesised parts (三星（中国）投资, 太原钢铁（集团）), up to punctuation or
// a preposition.
func orgHead(d *doc, i, max int) int {
	s := i
	for s > 0 && i-s < max {
		r := d.runes[s-1]
		if r == ')' && s >= 2 {
			k := s - 2
			for k > 0 && s-k <= 5 && isHan(d.runes[k]) {
				k--
			}
			if d.runes[k] == '(' && k < s-2 && k > 0 && isHan(d.runes[k-1]) {
				s = k
				continue
			}
			break
		}
		if !(isHan(r) || isAlnum(r)) || strings.ContainsRune(orgStop, r) || strings.ContainsRune("年月日号", r) && s >= 2 && isDigit(d.runes[s-2]) {
			break // 1990年广东省…研究所: a date ends the name
		}
		s--
	}
	if d.at(s) == '原' && s+1 < i {
		s++ // 原重庆长安汽车股份有限公司: formerly
	}
	return s
}

// orgTail extends an organisation ending at e over a branch name after it
// (…有限公司济南分公司).
func orgTail(d *doc, e int) int {
	for j := e; j < len(d.runes) && j-e <= 8 && isHan(d.runes[j]); j++ {
		if t := hasWordAt(d, j, orgTails); t > 0 {
			return t
		}
	}
	return e
}

// placePartNext reports whether a place or street part follows e (学院路,
// 鹿厂镇, 99号厂区): the suffix is then inside a place name.
func placePartNext(d *doc, e int) bool {
	return strings.ContainsRune("路街道巷镇乡村区里弄", d.at(e))
}

// genericOrgHeads are heads that do not name an organisation (该公司, 本集团).
var genericOrgHeads = map[string]bool{"该": true, "本": true, "我": true, "其": true, "一家": true, "某": true, "当地": true, "附近": true, "这家": true, "那家": true}

func genericOrgHead(h string) bool {
	return genericOrgHeads[h]
}

// Health facilities: a run of Han characters ending in a facility word
// (医院, 卫生院, 诊所, 眼科中心, 卫生服务中心, ...) is an organisation when
// its head carries a proper name: what is left after dropping generic words
// from the left (当地, 上级, 我院, 县, ...) and qualifiers from the right
// (人民, 中医, 第一, 附属, 市, ...) is at least two characters. So
// 重庆市第一人民医院, 海淀区人民医院, 爱尔眼科医院 and 仁爱诊所 are
// tagged; 县人民医院, 当地医院, 上级医院, 我院, 本院眼科, 白内障中心 are not.
// A following 分院/院区 name is kept with it.

var facilityWords = []string{
	"中医院", "医院", "卫生院", "诊所", "卫生所", "卫生室", "卫生站", "门诊部", "保健院", "保健所", "防治院", "防治所",
	"眼科中心", "眼视光中心", "医学中心", "医疗中心", "卫生服务中心", "卫生服务站", "体检中心", "疾病预防控制中心", "疾控中心",
}

var (
	facilityMatcher = newCueMatcher(facilityWords)
	branchWords     = []string{"分院", "院区", "门诊部"}
)

// facilityStop ends the head of a facility name when walking back: clause
// punctuation, prepositions and verbs of care (于/在/至/转/诊 ...).
const facilityStop = "在于至到往从经由及与或的是为曾转赴去回入住诊送向给被请并已即再患者作做查示见称"

// genericHeads are words that do not name a facility. Single characters
// that begin place names (大连, 本溪, 小店区) are deliberately absent.
var genericHeads = []string{
	"当地", "本地", "外地", "外院", "附近", "上级", "下级", "基层", "社区", "乡镇", "街道", "村级", "县级", "市级", "省级",
	"我院", "本院", "该院", "本市", "本县", "本区", "本省", "我", "该", "此", "某", "其他", "其它", "别的", "各", "多家", "一家", "两家", "几家",
	"私人", "私立", "公立", "民营", "正规", "大型", "小型", "定点", "综合", "专科", "三级甲等", "二级甲等",
	"三甲", "二甲", "三级", "二级", "一级", "甲等", "眼科", "中医", "中西医结合", "西医", "口腔", "儿童", "妇幼", "肿瘤",
	"精神", "传染病", "康复", "医学院", "医科大学", "附属", "人民", "中心", "省", "市", "县", "区", "乡", "镇", "村",
}

// genericNext are generic words that, right before the facility word,
// make the whole phrase generic whatever precedes them (建议上级医院).
var genericNext = []string{"当地", "本地", "外地", "附近", "上级", "下级", "基层", "社区", "乡镇", "我院", "本院", "该院", "手术", "首诊", "就诊", "治疗", "住院", "转诊", "原",
	"其他", "其它", "别的", "多家", "一家", "两家", "几家", "私人", "私立", "公立", "民营", "正规", "大型", "小型", "定点", "三甲", "二甲"}

// hasPlaceEnd reports whether s ends like a place name (..街道, ..镇, ..县).
func hasPlaceEnd(s string) bool {
	for _, suf := range []string{"街道", "镇", "乡", "村", "县", "区", "市", "省", "路", "街"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// facilityVerbs open a clause before a facility name and are not part of it.
var facilityVerbs = []string{"建议", "推荐", "介绍", "联系", "前往", "就诊", "就医", "复诊", "随诊", "收入", "收住", "转入", "转诊", "外院", "既往"}

// qualifierTails are generic words at the end of a facility head
// (重庆市第一人民 -> 重庆市 -> 重庆).
var qualifierTails = []string{
	"中西医结合", "妇幼保健", "附属", "人民", "中医", "眼科", "中心", "儿童", "口腔", "肿瘤", "专科", "综合", "精神", "康复", "总", "市", "省", "县", "区",
}

const ordinals = "一二三四五六七八九十百0123456789"

// properHead reports whether head (normalised text) names something.
func properHead(head []rune, counties map[string]bool) bool {
	h := string(head)
	for changed := true; changed && h != ""; {
		changed = false
		for _, g := range genericHeads {
			if strings.HasPrefix(h, g) {
				h, changed = h[len(g):], true
				break
			}
		}
	}
	for changed := true; changed && h != ""; {
		changed = false
		if counties[h] {
			return true // 陇县人民医院: a two-character county names it
		}
		for _, q := range qualifierTails {
			if strings.HasSuffix(h, q) {
				h, changed = h[:len(h)-len(q)], true
				break
			}
		}
		// 第一, 第十二, 第3
		if rs := []rune(h); len(rs) >= 2 {
			k := len(rs)
			for k > 0 && strings.ContainsRune(ordinals, rs[k-1]) {
				k--
			}
			if k < len(rs) && k > 0 && rs[k-1] == '第' {
				h, changed = string(rs[:k-1]), true
			}
		}
	}
	if runeLen(h) < 2 {
		return false
	}
	// the word next to the facility word is generic: 建议上级医院, 到当地医院
	// unless a named place comes first (三合街道社区卫生服务中心)
	for _, g := range genericNext {
		if rest, ok := strings.CutSuffix(h, g); ok {
			if runeLen(rest) >= 2 && hasPlaceEnd(rest) {
				break
			}
			return false
		}
	}
	return !strings.ContainsRune("我该此某各", []rune(h)[runeLen(h)-1])
}

func findFacilities(d *doc, out []Span, counties map[string]bool) []Span {
	lastEnd := -1
	facilityMatcher.each(d, func(_, i, e int) {
		if i < lastEnd {
			return // 医院 inside 中医院 or a branch name already taken
		}
		s := i
		for s > 0 && i-s < 16 {
			r := d.runes[s-1]
			if isDigit(r) || isHan(r) && s >= 2 && isDigit(d.runes[s-2]) {
				// digits only as an ordinal (第3人民医院); a Han character
				// after other digits is a unit (2017年3月5日) and ends the head
				k := s - 1
				if isHan(r) {
					k--
				}
				for k > 0 && isDigit(d.runes[k-1]) {
					k--
				}
				if k == 0 || d.runes[k-1] != '第' {
					break
				}
				s = k - 1
				continue
			}
			if !isHan(r) || strings.ContainsRune(facilityStop, r) ||
				r == '自' && strings.ContainsRune("转来出源", d.at(s-2)) { // 转自, 来自; not 自贡
				break
			}
			s--
		}
		for trimmed := true; trimmed && s < i; {
			trimmed = false
			for _, v := range facilityVerbs {
				if strings.HasPrefix(d.slice(s, i), v) {
					s, trimmed = s+runeLen(v), true
					break
				}
			}
		}
		if s == i || !properHead(d.runes[s:i], counties) {
			return
		}
		// a branch named after it: 江北分院, 东院区, 南坪门诊部
		for j := e; j < len(d.runes) && j-e < 6 && isHan(d.runes[j]) && !strings.ContainsRune(facilityStop, d.runes[j]); j++ {
			if t := hasWordAt(d, j, branchWords); t > 0 {
				e = t
				break
			}
		}
		lastEnd = e
		out = append(out, Span{Start: s, End: e, Label: Organization, Score: 0.85, Recognizer: "organization"})
	})
	return out
}
