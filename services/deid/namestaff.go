package deid

import "strings"

// Names of staff in lists and forms: a department before a name (放射科伍建国、
// 外科江山医师), a role label before it (操作：盛秋月, 巡回：云美娇,
// 麻醉牛芳。), and the words that start a clause after 患者 or 家属 rather
// than a name (患者职业为…, 家属商议后).

// particles end an utterance, never a name (患者：好的, 回访人：是吗).
const particles = "的了吗呢吧啊呀哦嗯么"

// proseCues are cues followed by running text as often as by a name.
var proseCues = map[string]bool{"患者": true, "患儿": true, "病人": true, "患方": true, "家属": true}

// notNameHeads start a field or clause, never a name (身份证号, 电话 …).
var notNameHeads = []string{"身份证", "证件", "电话", "手机", "联系", "住址", "地址", "现住", "单位", "微信", "邮箱", "年龄", "性别", "职业", "民族"}

// prepClause reports whether the candidate [i,e) starts with a preposition
// that is also a surname and a word starts after it (患者为老年女性,
// 患者于受凉后): a clause, even with a sex after it.
func prepClause(d *doc, i, e int) bool {
	return strings.ContainsRune(prepSurnames+"为", d.at(i)) && e-i >= 3 && wordStartsIn(d, i+1, e)
}

// lineEndAt reports whether only spaces stand between e and the end of its line.
func lineEndAt(d *doc, e int) bool {
	for k := e; k < len(d.runes); k++ {
		switch d.runes[k] {
		case '\n', '\r':
			return true
		case ' ', '\t':
			continue
		}
		return false
	}
	return true
}

// proseNotName reports whether the candidate [i,e) after 患者/家属 (no colon,
// no sex or age after it) reads as the start of a clause: it is or starts a
// dictionary word and running text follows (患者职业为, 患者汉语交流,
// 家属商议后), or a word starts at its given name and running text follows
// (患者留固定电话, 患者为老年女性).
func proseNotName(d *doc, i, e int) bool {
	if !isHan(d.at(e)) || hasWordAt(d, e, nameFollowers) > 0 {
		return false // the run ends where a name ends
	}
	return nameInWord(d, i, e) || e-i >= 3 && wordStartsIn(d, i+1, e)
}

// deptName reports whether [s,e) right after a department (…科) is a
// person's name: a gazetteer surname and given name that is not a verb,
// a clinical or a medical word (外科江山医师; not 眼科会诊医师).
func deptName(d *doc, nr nameRecognizer, s, e int) bool {
	if e-s < 2 || e-s > 3 || nr.candidate(d, s, false) != e {
		return false
	}
	w := d.slice(s, e)
	return !verbWords()[d.slice(s, s+2)] && !medicalWords()[w] && !clinicalWords[w] && !generalWords()[w] || nameLikeWords()[w]
}

// staffLabels name a person's part in an operation or a report; a name
// follows them after a colon (操作：盛秋月, 报告：郇建平, 巡回：云美娇) or,
// in a staff list, directly (术者王于蓝，麻醉牛芳。).
var staffLabels = []string{"操作", "报告", "巡回", "器械", "视光", "麻醉", "洗手", "核对", "审阅", "阅片", "分诊", "登记"}

// listEnds end an item of a staff list.
const listEnds = "、，,；;。 \t\n\r"

// staffNames finds names after a staff label or a department in a list.
func (nr nameRecognizer) staffNames(d *doc, out []Span) []Span {
	for i := 1; i < len(d.runes); i++ {
		if d.runes[i] != '科' || !isHan(d.runes[i-1]) {
			continue
		}
		if c := d.at(i + 1); c == ':' || c == '：' {
			// 眼科：柏青 (a department's signature field)
			if s := d.skipSep(i+1, 3); s > i+1 {
				if e := nr.staffValue(d, s); e > 0 {
					out = append(out, Span{Start: s, End: e, Label: Name, Score: 0.85, Recognizer: "name"})
				}
			}
			continue
		}
		// 参会：眼科肖利华、放射科伍建国、病理科甘毅
		s := i + 1
		if e := nr.candidate(d, s, false); e-s >= 2 && (e >= len(d.runes) || strings.ContainsRune(listEnds, d.runes[e])) &&
			!nameInWord(d, s, e) && !verbWords()[d.slice(s, s+2)] {
			out = append(out, Span{Start: s, End: e, Label: Name, Score: 0.8, Recognizer: "name"})
			i = e - 1
		}
	}
	staffMatcher.each(d, func(_, i, k int) {
		if i > 0 && isHan(d.runes[i-1]) && !strings.ContainsRune("，,、；; ", d.runes[i-1]) && !lineStartAt(d, i) {
			return // 全麻, 检查报告: inside a word
		}
		s := d.skipSep(k, 3)
		if strings.ContainsAny(d.slice(k, s), ":：") {
			if e := nr.staffValue(d, s); e > 0 {
				out = append(out, Span{Start: s, End: e, Label: Name, Score: 0.85, Recognizer: "name"})
			}
			return
		}
		// no colon: a common surname and given name ending the list item
		if e := nr.candidate(d, s, true); s == k && e-s >= 2 && e < len(d.runes) && strings.ContainsRune(listEnds, d.runes[e]) && !nameInWord(d, s, e) {
			out = append(out, Span{Start: s, End: e, Label: Name, Score: 0.8, Recognizer: "name"})
		}
	})
	return out
}

var staffMatcher = newCueMatcher(staffLabels)

// lineStartAt reports whether only spaces stand before i on its line.
func lineStartAt(d *doc, i int) bool { return lineStartBefore(d.runes, i) }

// staffValue returns the end of a name filling a staff field at i: a
// gazetteer surname (any rank) or a middle-dot name, 2–4 characters ending at
// the field's end, not a dictionary, medical or clinical word (麻醉：局麻,
// 报告：阴性 are not names).
func (nr nameRecognizer) staffValue(d *doc, i int) int {
	e := nr.fieldValue(d, i)
	if e == 0 {
		return 0
	}
	if strings.ContainsFunc(d.slice(i, e), isNameDot) {
		return e
	}
	if sl, _ := nr.surnameAt(d, i); sl == 0 || e-i > 4 {
		return 0
	}
	if w := d.slice(i, e); generalWords()[w] || medicalWords()[w] || clinicalWords[w] || verbWords()[d.slice(i, i+2)] {
		return 0
	}
	return e
}
