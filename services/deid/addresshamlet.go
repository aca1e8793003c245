package deid

import "strings"

// Hamlets, teams and villages named alone, as village doctors and nursing
// homes write them: 上午去后山组看何长贵, 下午给三队吕老蔫儿换药, 住在老寨,
// 12.28 上张家湾, 接回孙庄行政村后孙庄安葬. A run of Chinese characters that
// ends in a settlement word (组, 队, 屯, 社, 寨, 湾, 坝, 庄, 村 …) is an address
// after a verb of going or living; a numbered team or group (三队, 七组) is
// one at a clause start too. Generic heads (本村, 该组, 城中村, 农村) are not.

// hamletVerbs go or live somewhere (the place follows).
var hamletVerbs = []string{"去", "上", "到", "回", "住在", "住", "来自", "家住", "老家在", "老家", "搬到", "搬去", "接回", "送回", "返回", "迁到"}

// hamletStarts are the first characters of hamletVerbs (a cheap gate: the
// scan runs at every character of every note).
var hamletStarts = func() map[rune]bool {
	m := map[rune]bool{}
	for _, v := range hamletVerbs {
		m[[]rune(v)[0]] = true
	}
	return m
}()

// hamletEnds end a settlement's name.
var hamletEnds = []string{"嘎查", "组", "队", "屯", "社", "寨", "湾", "坝", "庄", "村", "沟", "岭", "坪", "洼", "坡", "岗", "营", "堡", "峪", "冲", "垭"}

// hamletGeneric start words that are not a settlement's name.
const hamletGeneric = "本该同邻外各全此这那其农乡山城每整小大下上一第"

func hamlets(d *doc, out []Span) []Span {
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		s := -1
		if !hamletStarts[rs[i]] && !cnNumeral(rs[i]) {
			continue
		}
		if v := longestAt(rs, i, hamletVerbs); v > 0 && (v-i >= 2 || i == 0 || !isHan(rs[i-1]) || strings.ContainsRune("午晚早天他她来要想", rs[i-1])) {
			s = v
		} else if (i == 0 || strings.ContainsRune("\n，,。；; 给在去到回从住", rs[i-1])) && cnNumeral(rs[i]) && i+1 < len(rs) && strings.ContainsRune("组队社", rs[i+1]) {
			// 三队王老幺, 七组周桂香
			if i+2 >= len(rs) || !strings.ContainsRune("长员人成", rs[i+2]) {
				out = append(out, Span{Start: i, End: i + 2, Label: Address, Score: 0.8, Recognizer: "address"})
				i++
			}
			continue
		}
		if s < 0 || s >= len(rs) || !isHan(rs[s]) || strings.ContainsRune(hamletGeneric, rs[s]) && !cnNumeral(rs[s]) {
			continue
		}
		// the longest run of 2-8 characters ending in a settlement word
		best := 0
		for e := s + 2; e <= s+8 && e <= len(rs); e++ {
			if !isHan(rs[e-1]) || strings.ContainsRune(hardStop, rs[e-1]) && !endsWithAny(rs[:e], hamletEnds) {
				break
			}
			if endsWithAny(rs[:e], hamletEnds) && !generalWords()[string(rs[s:e])] {
				best = e
			}
		}
		if best > 0 {
			out = append(out, Span{Start: s, End: best, Label: Address, Score: 0.8, Recognizer: "address"})
			i = best - 1
		}
	}
	return out
}
