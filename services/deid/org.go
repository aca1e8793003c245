package deid

import (
	"strings"
	"unicode/utf8"
)

// orgRecognizer finds employers and schools: after 工作单位/单位/学校/就读于/
// 就职于/工作于/任职于 the organisation name up to punctuation, and without a
// cue names ending in 有限公司/集团/大学/中学/小学/幼儿园.
type orgRecognizer struct{}

func (orgRecognizer) Name() string      { return "organization" }
func (orgRecognizer) Labels() []string  { return []string{Organization} }
func (orgRecognizer) Context() []string { return nil }

var orgCues = []string{"工作单位", "所在单位", "就读学校", "单位", "学校", "就读于", "就职于", "工作于", "供职于", "任职于", "受雇于"}

var orgSuffixes = []string{"股份有限公司", "有限责任公司", "有限公司", "委员会", "幼儿园", "研究所", "公司", "集团", "大学", "中学", "小学", "学院", "学校", "医院", "银行", "中心", "工厂", "厂", "局", "所", "站", "店", "社", "部"}

var bareOrgSuffixes = []string{"有限公司", "集团", "大学", "中学", "小学", "幼儿园", "学院"}

var (
	orgCueMatcher  = newCueMatcher(orgCues)
	bareOrgMatcher = newCueMatcher(bareOrgSuffixes)
)

const orgStop = "，。；;,、：:\n\t ()（）在于是为的到从患者"

func (orgRecognizer) find(d *doc, out []Span) []Span {
	orgCueMatcher.each(d, func(_, ci, ce int) {
		if ci > 0 && (isDigit(d.runes[ci-1]) || d.runes[ci-1] == '计') {
			return // 3单位, 计量单位
		}
		{
			s := d.skipSep(ce, 3)
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
			} else if e-s > 15 {
				return
			}
			out = append(out, Span{Start: s, End: e, Label: Organization, Score: 0.85, Recognizer: "organization"})
		}
	})
	bareOrgMatcher.each(d, func(w, i, e int) {
		suf := bareOrgSuffixes[w]
		{
			s := i
			for s > 0 && i-s < 10 && (isHan(d.runes[s-1]) || isAlnum(d.runes[s-1])) && !strings.ContainsRune(orgStop, d.runes[s-1]) {
				s--
			}
			if i-s < 2 || suf == "小学" && d.at(e) == '文' {
				return
			}
			out = append(out, Span{Start: s, End: e, Label: Organization, Score: 0.7, Recognizer: "organization"})
		}
	})
	return out
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
