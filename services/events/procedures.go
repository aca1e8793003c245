package events

import (
	"fmt"
	"regexp"
	"strconv"

	"bingli/services/laterality"
	"bingli/services/note"
)

// procedureCores are the words that make a phrase a procedure. A mention is
// widened left over an anatomical prefix (白内障, 青光眼, ...) and right over
// the rest of the phrase up to its last 术 / 治疗 (超声乳化白内障吸除联合人工
// 晶体植入术 is one procedure) or, for injections, over the drug injected
// (玻璃体腔注射雷珠单抗).
var procedureCores = newLexicon(map[string]string{
	"超声乳化": "", "白内障摘除": "", "白内障囊外摘除": "", "白内障吸除": "", "白内障手术": "", "白内障术": "",
	"人工晶体植入": "", "人工晶状体植入": "", "iol植入": "", "人工晶体置换": "", "人工晶体悬吊": "",
	"小梁切除": "", "小梁切开": "", "青光眼手术": "", "抗青光眼手术": "", "引流阀植入": "", "青光眼阀植入": "", "ahmed阀植入": "",
	"玻璃体切割": "", "玻璃体切除": "", "玻切": "", "ppv": "",
	"玻璃体腔注射": "inj", "玻璃体内注射": "inj", "玻璃体腔注药": "inj", "球后注射": "inj", "结膜下注射": "inj", "球旁注射": "inj",
	"激光光凝": "", "视网膜光凝": "", "全视网膜光凝": "", "视网膜激光": "", "眼底激光": "", "prp": "", "格栅样光凝": "",
	"slt": "", "选择性激光小梁成形": "", "yag激光": "", "yag": "", "nd:yag": "", "激光虹膜周切": "", "虹膜周切": "", "周边虹膜切除": "", "lpi": "",
	"角膜移植": "", "穿透性角膜移植": "", "板层角膜移植": "", "羊膜移植": "", "结膜瓣遮盖": "",
	"翼状胬肉切除": "", "胬肉切除": "", "巩膜扣带": "", "巩膜外加压": "", "巩膜环扎": "", "硅油取出": "", "硅油填充": "", "硅油置换": "",
	"气体填充": "", "视网膜复位": "", "泪道探通": "", "泪道冲洗": "", "泪囊鼻腔吻合": "", "鼻腔泪囊吻合": "",
	"睫状体光凝": "", "睫状体冷凝": "", "光动力疗法": "", "光动力治疗": "", "pdt": "",
	"lasik": "", "准分子激光": "", "全飞秒": "", "smile": "", "icl植入": "", "斜视矫正": "", "眼球摘除": "", "眼内容物剜除": "",
	"异物取出": "", "前房穿刺": "", "前房冲洗": "", "房角分离": "", "房角切开": "", "霰粒肿切除": "", "睑内翻矫正": "",
	"上睑下垂矫正": "", "眼睑肿物切除": "", "角膜清创": "", "黄斑前膜剥除": "", "内界膜剥除": "", "抗vegf治疗": "", "角膜交联": "",
})

// procedurePrefixes may stand before a core and belong to the mention.
var procedurePrefixes = newLexicon(map[string]string{
	"白内障": "", "青光眼": "", "抗青光眼": "", "复合式": "", "微创": "", "晶状体": "", "经睫状体平坦部": "",
	"25g": "", "23g": "", "27g": "", "微切口": "", "飞秒激光辅助": "", "小切口": "",
})

var reDate = regexp.MustCompile(`(\d{4})\s?[-/.年]\s?(\d{1,2})(?:\s?[-/.月]\s?(\d{1,2})日?|月)?`)

func procedures(t, f []rune) []note.Procedure {
	var out []note.Procedure
	for i := 0; i < len(f); {
		e, ok := procedureCores.match(f, i)
		if !ok {
			i++
			continue
		}
		start, coreEnd := i, i+len(e.word)
		// Left: anatomical prefixes directly before.
		for moved := true; moved; {
			moved = false
			for k := max(0, start-8); k < start; k++ {
				if p, ok := procedurePrefixes.match(f, k); ok && k+len(p.word) == start {
					start, moved = k, true
					break
				}
			}
		}
		// Right: the phrase up to its last 术 / 治疗 / injected drug.
		end := coreEnd
		for k := coreEnd; k < len(f) && k-coreEnd < 40; k++ {
			r := f[k]
			if !(isHan(r) || isLetter(r) || r == '+' || isDigit(r) || r == '-' || r == ':') {
				break
			}
			if _, n := laterality.WordAt(t, k); n > 0 && k > coreEnd {
				break
			}
			if r == '术' {
				end = k + 1
				if k+1 < len(f) && (f[k+1] == '后' || f[k+1] == '前' || f[k+1] == '中') {
					break // 术后1周: the phrase ends at 术
				}
			}
			if r == '治' && k+1 < len(f) && f[k+1] == '疗' {
				end = k + 2
			}
			if d, ok := drugs.match(f, k); ok && (e.tag == "inj" || k == coreEnd) {
				end = k + len(d.word)
				k = end - 1
			}
			if c, ok := procedureCores.match(f, k); ok && k+len(c.word) > end {
				end = k + len(c.word)
			}
		}
		p := note.Procedure{Text: string(t[start:end]), Start: start, End: end, Eye: laterality.At(t, start, end)}
		p.Date = procedureDate(t, start, end)
		out = append(out, p)
		i = end
	}
	return out
}

// procedureDate finds a date written right before the mention in its clause
// (2023-03-05 行右眼..., 于2023年6月8日行...) or right after it in
// parentheses. It returns YYYY-MM-DD, or YYYY-MM when no day is written.
func procedureDate(t []rune, start, end int) string {
	lo := start
	for lo > 0 && start-lo < 24 {
		r := laterality.Fold(t[lo-1])
		if r == '。' || r == ';' || r == '\n' {
			break
		}
		lo--
	}
	before := string(t[lo:start])
	if ms := reDate.FindAllStringSubmatchIndex(before, -1); len(ms) > 0 {
		m := ms[len(ms)-1]
		gap := []rune(before[m[1]:])
		if len(gap) <= 10 {
			return dateString(before, m)
		}
	}
	hi := min(len(t), end+16)
	after := string(t[end:hi])
	if m := reDate.FindStringSubmatchIndex(after); m != nil && len([]rune(after[:m[0]])) <= 2 {
		return dateString(after, m)
	}
	return ""
}

func dateString(s string, m []int) string {
	y, _ := strconv.Atoi(s[m[2]:m[3]])
	mo, _ := strconv.Atoi(s[m[4]:m[5]])
	if y < 1900 || y > 2100 || mo < 1 || mo > 12 {
		return ""
	}
	if m[6] >= 0 {
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		if d >= 1 && d <= 31 {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
		}
	}
	return fmt.Sprintf("%04d-%02d", y, mo)
}
