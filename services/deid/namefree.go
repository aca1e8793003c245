package deid

import (
	"strings"
)

// Names that the surname gazetteer does not explain: Tibetan, Yi, Uyghur and
// Mongolian names (平措, 吉克阿木, 边巴次仁), rare surnames, and form fields
// whose label names a person's role (受理人：, 验配师：, 夜班：).

// nameFollowers are words that often follow a person's name in notes: verbs
// of accompanying, answering, signing and speaking, and 在/不 starting a
// clause about the person (儿子平措在外地工作, 其父吉克阿木不识字).
var nameFollowers = []string{"陪同", "陪护", "陪诊", "陪床", "接听", "协助", "签字", "签名", "代签", "不识字", "表示", "同意", "拒绝", "进行", "负责", "回复", "回电",
	"照顾", "翻译", "随同", "在", "称", "诉", "说", "已", "也", "均", "来", "到"}

// nameEndAt reports whether a name may end at j: the end of the text, a
// separator or clause punctuation, or a word that follows names.
func nameEndAt(d *doc, j int) bool {
	if j >= len(d.runes) {
		return true
	}
	if strings.ContainsRune(" \t\n\r,，。;；、()（）:：!?！？", d.runes[j]) {
		return true
	}
	return hasWordAt(d, j, nameFollowers) > 0
}

// freeNameAt returns the end of a 2–5 character name at i that needs no
// gazetteer surname (after a cue only): Chinese characters that are never
// function or clinical words, where no dictionary word starts the run, and
// that end where a name ends (nameEndAt). It returns 0 when there is none.
func freeNameAt(d *doc, i int) int {
	words, med := generalWords(), medicalWords()
	n := 0
	for n < 5 && i+n < len(d.runes) {
		r := d.runes[i+n]
		// 次 is common in Tibetan names (次旦, 边巴次仁); 子 may start one; 巴 is a
		// clinical character (淋巴) but common in transliterated names
		// inside a Mongolian or Tibetan name: 格日勒图, 其其格, 次仁多吉
		inner := n > 0 && (r == '日' && isHan(d.at(i+n+1)) || r == '其' && (d.at(i+n+1) == '其' || d.at(i+n-1) == '其') ||
			r == '多' && strings.ContainsRune("吉杰", d.at(i+n+1)))
		if !isHan(r) || strings.ContainsRune(hardStop, r) && r != '次' && !(n == 0 && r == '子') && !inner ||
			strings.ContainsRune(clinicalChars, r) && r != '巴' && !inner {
			break
		}
		n++
	}
	for l := 2; l <= 4 && l <= n; l++ {
		if w := d.slice(i, i+l); words[w] && !nameLikeWords()[w] || med[w] || clinicalWords[w] || fieldStops[w] || contactWords[w] || nameCueMatcherHas(w) {
			n = min(n, l-1) // 家属商议, 患者精神可: a word starts the run (a transliterated name
			// or place such as 扎西 does not)
			break
		}
	}
	if hasWordAt(d, i, nameFollowers) > 0 {
		return 0 // 家属称…, 家属陪同
	}
	for l := n; l >= 2; l-- {
		if nameEndAt(d, i+l) && !wordStartsIn(d, i+1, i+l) {
			return i + l
		}
	}
	return 0
}

// contactWords name a contact channel, not a person (家属微信：…).
var contactWords = map[string]bool{"微信": true, "手机": true, "电话": true, "邮箱": true, "地址": true, "住址": true, "单位": true}

// lineHead reports whether i starts a line's text: only a row number, a
// bullet or a time stands before it on its line (6 化改英 女 81, 21:05 吐尔洪江 男).
func lineHead(d *doc, i int) bool {
	for k := i - 1; k >= 0 && i-k <= 12; k-- {
		r := d.runes[k]
		if r == '\n' || r == '\r' {
			return true
		}
		if isHan(r) || isLetter(r) {
			return false
		}
	}
	return i <= 12 && !strings.ContainsFunc(d.slice(0, i), func(r rune) bool { return isHan(r) || isLetter(r) })
}

// boundaryLoose reports whether a name may start at i after a title's
// surname check: a boundary, or a dictionary word ending right before it
// (今日揭海燕主治医师, 已告知郑医生), while the surname does not end a word
// with the character before it (主管医生, 眼科主任).
func boundaryLoose(d *doc, i int) bool {
	if i > 0 && generalWords()[d.slice(i-1, i+1)] {
		return false
	}
	return boundaryBefore(d, i) || d.at(i-1) == '科' || i >= 2 && generalWords()[d.slice(i-2, i)] || i >= 3 && generalWords()[d.slice(i-3, i)]
}

// wordStartsIn reports whether a dictionary word starts inside [s,e) (田建国沟通:
// the gazetteer name is followed by a word, not by more of the name).
func wordStartsIn(d *doc, s, e int) bool {
	words, med, names := generalWords(), medicalWords(), nameLikeWords()
	for k := s; k < e; k++ {
		for l := 2; l <= 3; l++ {
			if w := d.slice(k, k+l); (words[w] || med[w]) && !names[w] {
				return true
			}
		}
	}
	return false
}

// nameInWord reports whether the run [s,e) is or starts a dictionary word.
func nameInWord(d *doc, s, e int) bool {
	words, med := generalWords(), medicalWords()
	for l := 2; l <= e-s; l++ {
		if w := d.slice(s, s+l); words[w] || med[w] || clinicalWords[w] {
			return true
		}
	}
	return false
}

// cueLabelTails may follow a name cue inside a longer form label
// (联系人及电话：, 联系人姓名：).
var cueLabelTails = []string{"及电话", "及联系电话", "及联系方式", "姓名"}

// nameLikeWords are dictionary words of two or three characters that jieba
// tags as transliterated names or places (nrt, nrfg, ns: 米拉, 波拉): inside
// a run they do not show that the run is ordinary text.
var nameLikeWords = jiebaWords(func(_ string, n int, tag string) bool {
	return n <= 3 && (tag == "nrt" || tag == "nrfg" || tag == "ns")
})

// verbWords are two-character dictionary words that jieba tags as verbs,
// adjectives or adverbs (商议, 考虑, 留言, 镇静, 继续, 避免): after 患者 or
// 家属 such a word starts the clause, not a name.
var verbWords = jiebaWords(func(_ string, n int, tag string) bool {
	switch tag {
	case "v", "vn", "vd", "vi", "a", "ad", "an", "d":
		return n == 2
	}
	return false
})

// roleLabelEnds end a form label that names a person's role (受理人,
// 检验者, 收费员, 验配师, 签约居民, 夜班).
var roleLabelEnds = []string{"人", "者", "员", "师", "居民", "夜班", "白班", "交班", "接班", "大夜", "小夜", "主任", "院长", "组长", "科长"}

// fieldLabels finds names filling form fields whose label ends in a role
// word and a colon (受理人：蒯晓东, 鉴定人：晁立明、勾小川).
func (nr nameRecognizer) fieldLabels(d *doc, out []Span) []Span {
	for c := 1; c < len(d.runes); c++ {
		if r := d.runes[c]; r != ':' && r != '：' {
			continue
		}
		if !strings.ContainsRune("人者员师民班夜任长", d.runes[c-1]) || hasWordBefore(d, c, roleLabelEnds) == 0 {
			continue
		}
		i := d.skipSep(c+1, 3)
		for n := 0; n < 4; n++ {
			if hasWordAt(d, i, nameCues) > 0 || hasWordAt(d, i, kinWords) > 0 {
				break
			}
			e := nr.fieldValue(d, i)
			if e == 0 {
				break
			}
			out = append(out, Span{Start: i, End: e, Label: Name, Score: 0.85, Recognizer: "name"})
			if d.at(e) != '、' && d.at(e) != '/' {
				break
			}
			i = e + 1
		}
	}
	return out
}

// hasWordBefore returns the length of the first of words ending right
// before j, or 0.
func hasWordBefore(d *doc, j int, words []string) int {
	for _, w := range words {
		l := runeLen(w)
		if j-l >= 0 && d.slice(j-l, j) == w {
			return l
		}
	}
	return 0
}
