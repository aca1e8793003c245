package code

import (
	"strings"

	"bingli/services/laterality"
	"bingli/services/note"
)

// eyeWords are laterality cues, longest first. The one-character forms
// (右, 左, 双) count only directly before the diagnosis or in brackets.
var eyeWords = []struct {
	w   string
	eye note.Eye
}{
	{"双侧眼", note.EyeBoth}, {"左右眼", note.EyeBoth}, {"右眼", note.EyeRight}, {"左眼", note.EyeLeft}, {"双眼", note.EyeBoth},
	{"两眼", note.EyeBoth}, {"右侧", note.EyeRight}, {"左侧", note.EyeLeft}, {"双侧", note.EyeBoth},
	{"vod", note.EyeRight}, {"vos", note.EyeLeft}, {"vou", note.EyeBoth},
	{"od", note.EyeRight}, {"os", note.EyeLeft}, {"ou", note.EyeBoth},
}

// operatedEyeWords stand for the eye an operation record is about (术眼角膜
// 水肿) or the affected eye (患眼).
var operatedEyeWords = []string{"术眼", "患眼"}

// operationHeaders name the operation (手术名称：右眼白内障超声乳化…);
// operationBodies describe it: what they find is in the operated eye.
var (
	operationHeaders = map[string]bool{"手术名称": true, "术式": true, "手术方式": true, "拟行手术": true, "手术": true, "术前诊断": true}
	operationBodies  = map[string]bool{"手术经过": true, "手术过程": true, "术中所见": true, "术中情况": true, "术中": true}
)

var eyeShort = map[rune]note.Eye{'右': note.EyeRight, '左': note.EyeLeft, '双': note.EyeBoth}

// ocularParts after 右/左/双 make a laterality cue (左上睑, 右眶, 双眼睑).
var ocularParts = []string{"上睑", "下睑", "眼睑", "眼眶", "眶", "睑", "泪囊", "泪道", "结膜", "角膜", "瞳孔", "眼球", "眼底"}

// partEye returns the eye of a 右/左/双 + ocular-part cue at rs[0], and its length.
func partEye(rs []rune) (note.Eye, int) {
	if len(rs) < 2 {
		return note.EyeNone, 0
	}
	e, ok := eyeShort[rs[0]]
	if !ok {
		return note.EyeNone, 0
	}
	for _, p := range ocularParts {
		if n := hasFoldedPrefix(rs[1:], p); n > 0 {
			return e, n + 1
		}
	}
	return note.EyeNone, 0
}

// lineHeaderEye is the eye a line's header sets for the items on it
// (右眼：1.白内障 2.黄斑前膜; OD：…), or none.
func lineHeaderEye(rs []rune, start int) note.Eye {
	ls := start
	for ls > 0 && rs[ls-1] != '\n' {
		ls--
	}
	for ls < start && (rs[ls] == ' ' || rs[ls] == '\t') {
		ls++
	}
	// 右眼： OD: R： 左侧：
	for k := ls; k < start && k-ls <= 4; k++ {
		if rs[k] == '：' || rs[k] == ':' {
			return laterality.Parse(string(rs[ls:k]))
		}
	}
	return note.EyeNone
}

// operatedEye is the one eye the note's operation header names
// (手术名称：右眼白内障超声乳化吸除+人工晶状体植入术), else the chief
// complaint's; ok is false when neither names one eye.
func operatedEye(rs []rune) (note.Eye, bool) {
	for _, s := range sections(rs) {
		if !operationHeaders[s.header] {
			continue
		}
		e := s.start
		for e < s.end && rs[e] != '\n' {
			e++
		}
		if eye := singleEye(rs[s.start:e]); eye != note.EyeNone {
			return eye, true
		}
	}
	if eye := complaintEye(rs); eye != note.EyeNone {
		return eye, true
	}
	return note.EyeNone, false
}

// singleEye is the one eye rs names, or none when it names none or several.
func singleEye(rs []rune) note.Eye {
	eye := note.EyeNone
	for i := range rs {
		for _, w := range eyeWords {
			if n := hasFoldedPrefix(rs[i:], w.w); n > 0 {
				if w.w[0] < 128 && i > 0 && isASCIIAlnum(rs[i-1]) {
					break
				}
				if eye != note.EyeNone && eye != w.eye {
					return note.EyeNone
				}
				eye = w.eye
				break
			}
		}
	}
	return eye
}

// complaintEye is the one eye the chief complaint (主诉) names, or none when
// it names none or several (右眼视物模糊1年，左眼眼红3天).
func complaintEye(rs []rune) note.Eye {
	for _, s := range sections(rs) {
		if s.header != "主诉" {
			continue
		}
		e := s.start
		for e < s.end && rs[e] != '\n' {
			e++
		}
		return singleEye(rs[s.start:e])
	}
	return note.EyeNone
}

// inOperation reports whether start lies in an operation record's account
// of the operation (手术经过：…).
func inOperation(rs []rune, start int) bool {
	for _, s := range sections(rs) {
		if start >= s.start && start < s.end {
			return operationBodies[s.header]
		}
	}
	return false
}

// isSentenceEnd ends the scope an eye word governs: 。！？ and the end of a
// line. Unlike assertion cues, an eye carries over ；(右眼…；未见出血).
func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '!', '\n', '\r':
		return true
	}
	return false
}

// itemAt reports a numbered item starting at rs[i] ("1.", "2、") that is
// not part of a word or a number.
func itemAt(rs []rune, i int) bool {
	if rs[i] < '0' || rs[i] > '9' || itemNumberLen(rs, i) == 0 {
		return false
	}
	return i == 0 || !isASCIIAlnum(rs[i-1]) && rs[i-1] != '.' && rs[i-1] != '-'
}

// lineEye is the eye that governs start from earlier in its sentence (up to
// 。！？ or a line break, across ；), the nearest cue winning. Numbered items
// are scopes of their own (诊断：1.视神经萎缩（双眼） 2.X: X gets none), but a
// cue before the first item governs them all (诊断：双眼 1.X 2.Y).
func lineEye(rs []rune, start int) note.Eye {
	ls := start
	for ls > 0 && !isSentenceEnd(rs[ls-1]) {
		ls--
	}
	first, last := -1, -1
	for i := ls; i < start; i++ {
		if itemAt(rs, i) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if last < 0 {
		return lastEye(rs, ls, start)
	}
	if e := lastEye(rs, last, start); e != note.EyeNone {
		return e
	}
	return lastEye(rs, ls, first)
}

// eyeOf finds the laterality of the diagnosis rs[start:end] whose cue
// context is rs[ctxStart:ctxEnd] (its list item or its sentence):
//  1. a cue attached to it: in brackets right after (皮质性白内障(双)), inside
//     it, or directly before (右眼X, 右X);
//  2. none for what has no eye: binocular symptoms (复视), findings at another
//     body site (耳前淋巴结肿大) and systemic diseases and general symptoms
//     that no dictionary code placed (子痫前期);
//  3. the column of a text table under 右眼/左眼 (OD/OS);
//  4. the nearest governing cue before it: in its comma clause, its context,
//     a list header (右眼：1.… 2.…), then its sentence across ；;
//  5. else the first cue after it in its context (…，左眼视物变形).
//
// A cue followed by 为著/为主 after both eyes were named (双眼视力下降，右眼
// 为著) only weighs one of them and leaves both; one followed by 亦/也/均 (右眼X，左眼亦然)
// means both eyes, and so does a right/left cue when the sentence later says
// the other eye is the same.
func eyeOf(rs []rune, start, end, ctxStart, ctxEnd int) note.Eye {
	e := eyeGoverning(rs, start, end, ctxStart, ctxEnd)
	if e == note.EyeRight || e == note.EyeLeft {
		if otherEyeAlso(rs, end, e) {
			return note.EyeBoth
		}
	}
	return e
}

func eyeGoverning(rs []rune, start, end, ctxStart, ctxEnd int) note.Eye {
	if e := eyeAttached(rs, start, end, ctxStart, ctxEnd); e != note.EyeNone {
		return e
	}
	mention := string(rs[start:end])
	if laterality.Binocular(mention) || laterality.SiteBefore(rs, start) || laterality.Systemic(mention) {
		return note.EyeNone
	}
	if e := laterality.Cell(rs, start); e != note.EyeNone {
		return e
	}
	// The nearest cue before it in its context.
	if e := lastEye(rs, ctxStart, start); e != note.EyeNone {
		return e
	}
	// A list line's header (右眼：…), else the sentence across ；.
	if e := lineHeaderEye(rs, start); e != note.EyeNone {
		return e
	}
	if e := lineEye(rs, start); e != note.EyeNone {
		return e
	}
	// A header line above (右眼：\n 结膜充血\n 角膜水肿).
	if e := laterality.HeaderAbove(rs, start); e != note.EyeNone {
		return e
	}
	// An operation's findings are in the operated eye.
	if inOperation(rs, start) {
		if e, ok := operatedEye(rs); ok {
			return e
		}
	}
	if end < ctxEnd {
		return eyeIn(rs[end:ctxEnd], false)
	}
	return note.EyeNone
}

// eyeAttached finds a cue attached to the mention: a bracketed qualifier
// right after it, possibly behind an assertion suffix ((双) （右眼） (OD),
// 圆锥角膜待排（双）), a cue inside it, or 右/左/双 directly before it.
func eyeAttached(rs []rune, start, end, ctxStart, ctxEnd int) note.Eye {
	b := end
	for _, suf := range []string{"待排", "待查", "可能", "？", "?"} {
		if n := hasFoldedPrefix(rs[b:min(ctxEnd, b+4)], suf); n > 0 {
			b += n
			break
		}
	}
	if b < ctxEnd && (rs[b] == '(' || rs[b] == '（') {
		k := b + 1
		for k < ctxEnd && k-b < 16 && rs[k] != ')' && rs[k] != '）' {
			k++
		}
		if e := eyeIn(rs[b+1:k], true); e != note.EyeNone {
			// (右眼湿性注药后，左眼干性): both eyes named
			if e != note.EyeBoth && eyesNamed(rs[b+1:k]) > 1 {
				return note.EyeBoth
			}
			return e
		}
	}
	if e := eyeIn(rs[start:end], false); e != note.EyeNone {
		return e
	}
	if start > ctxStart {
		if e, ok := eyeShort[rs[start-1]]; ok {
			return e
		}
		// 右眼X, OD X: an eye word just before it, behind spaces only
		k := start
		for k > ctxStart && rs[k-1] == ' ' {
			k--
		}
		for _, w := range eyeWords {
			if n := len([]rune(w.w)); k-n >= ctxStart && hasFoldedPrefix(rs[k-n:k], w.w) == n &&
				!(w.w[0] < 128 && k-n > 0 && isASCIIAlnum(rs[k-n-1])) {
				if laterality.SiteAfter(rs, k) || laterality.Systemic(string(rs[start:end])) {
					break // 左侧肢体麻木, 右侧偏瘫: a side, not an eye
				}
				return w.eye
			}
		}
	}
	return trailingEye(rs, b, ctxEnd)
}

// trailingEye is an eye word standing alone after the mention, behind
// spaces only (POAG? OD, 湿性AMD 左, 视网膜脱离 右眼): it must end at the
// end of the context, a space or a punctuation mark.
func trailingEye(rs []rune, b, ctxEnd int) note.Eye {
	for b < ctxEnd && (rs[b] == ' ' || rs[b] == '\t' || rs[b] == 0x3000) {
		b++
	}
	if b >= ctxEnd {
		return note.EyeNone
	}
	e, n := note.EyeNone, 0
	for _, w := range eyeWords {
		if k := hasFoldedPrefix(rs[b:ctxEnd], w.w); k > 0 {
			e, n = w.eye, k
			break
		}
	}
	if n == 0 {
		if se, ok := eyeShort[rs[b]]; ok {
			e, n = se, 1
		}
	}
	if n == 0 {
		return note.EyeNone
	}
	if b+n == ctxEnd || strings.ContainsRune(" \t\u3000，。；、,.;:：？?)）\n", rs[b+n]) {
		return e
	}
	return note.EyeNone
}

// otherEyeAlso reports that the rest of the sentence after end says the
// other eye has the same (右眼X，左眼亦然; 右眼X，左眼同前).
func otherEyeAlso(rs []rune, end int, e note.Eye) bool {
	for i := end; i < len(rs) && !isSentenceEnd(rs[i]) && !itemAt(rs, i); i++ {
		for _, w := range eyeWords {
			n := hasFoldedPrefix(rs[i:], w.w)
			if n == 0 {
				continue
			}
			if w.eye != e && w.eye != note.EyeBoth && cueAlso(rs, i+n) {
				return true
			}
			break
		}
	}
	return false
}

// cueAlso: the cue ending at i repeats what was said of the other eye
// (右眼…，左眼亦然; 左眼同样; 两眼均…): it means both. 左眼亦可见X names
// only what follows, and 左眼同前 (unchanged since the last visit) is no
// comparison.
func cueAlso(rs []rune, i int) bool {
	for _, w := range []string{"亦然", "亦同", "亦如此", "也一样", "也是", "同样", "相同", "均"} {
		if hasFoldedPrefix(rs[i:], w) > 0 {
			return true
		}
	}
	return false
}

// cueWeighs: the cue ending at i weighs one eye within what is already said
// of both (双眼视力下降，右眼为著).
func cueWeighs(rs []rune, i int) bool {
	for _, w := range []string{"为著", "为主", "为重", "较重", "更重", "较明显", "更明显", "稍重", "尤甚", "更甚"} {
		if hasFoldedPrefix(rs[i:], w) > 0 {
			return true
		}
	}
	return false
}

// eyesNamed counts the distinct eyes rs names.
func eyesNamed(rs []rune) int {
	seen := map[note.Eye]bool{}
	for i := range rs {
		for _, w := range eyeWords {
			if n := hasFoldedPrefix(rs[i:], w.w); n > 0 {
				seen[w.eye] = true
				break
			}
		}
	}
	return len(seen)
}

// lastEye returns the eye that governs the end of rs[from:to]: its last
// cue, except that a cue weighing one eye of two (双眼…，右眼为著) leaves
// both, a cue with 亦/均 means both, and 左侧/右侧 before a body site
// (左侧肢体) is no eye.
func lastEye(rs []rune, from, to int) note.Eye {
	best := note.EyeNone
	for i := from; i < to; i++ {
		e, n := partEye(rs[i:to])
		if n == 0 {
			for _, w := range eyeWords {
				if k := hasFoldedPrefix(rs[i:to], w.w); k > 0 {
					if k == 2 && w.w[0] < 128 && i > 0 && isASCIIAlnum(rs[i-1]) {
						break
					}
					if (w.w == "右侧" || w.w == "左侧" || w.w == "双侧") && laterality.SiteAfter(rs, i+k) {
						break
					}
					e, n = w.eye, k
					break
				}
			}
		}
		if n == 0 {
			for _, w := range operatedEyeWords {
				if k := hasFoldedPrefix(rs[i:to], w); k > 0 {
					if oe, ok := operatedEye(rs); ok {
						e, n = oe, k
					}
				}
			}
		}
		if n == 0 {
			continue
		}
		switch {
		case cueAlso(rs, i+n):
			best = note.EyeBoth
		case cueWeighs(rs, i+n) && best == note.EyeBoth:
			// 双眼…，右眼为著: still both
		default:
			best = e
		}
		i += n - 1
	}
	return best
}

// eyeIn finds a cue inside rs; short allows the one-character forms.
func eyeIn(rs []rune, short bool) note.Eye {
	for i := range rs {
		if e, n := partEye(rs[i:]); n > 0 {
			return e
		}
		for _, w := range eyeWords {
			if n := hasFoldedPrefix(rs[i:], w.w); n > 0 {
				if w.w[0] < 128 && i > 0 && isASCIIAlnum(rs[i-1]) {
					continue
				}
				return w.eye
			}
		}
		if short {
			if e, ok := eyeShort[rs[i]]; ok {
				return e
			}
		}
	}
	return note.EyeNone
}

// ocular reports whether a code can carry laterality: ICD-10 chapter VII
// (H00-H59), eye injuries and tumours, eye-related status codes, and
// dagger/asterisk pairs whose manifestation is ocular. Uncoded diagnoses
// keep what the text says.
func ocular(codes []codeRef) bool {
	if len(codes) == 0 {
		return true
	}
	morphology := 0
	for _, c := range codes {
		k := c.Code
		switch {
		// ICD-O morphology (视网膜母细胞瘤 M951000/3) says what, not where
		case strings.Contains(k, "/"):
			morphology++
		// local signs, abscesses and head injuries (出血 R58, 水肿 R60, 疼痛
		// R52, 包块 R22, 脓肿 L02, 眶壁骨折 S02.3) take the eye the text gives
		// them; systemic symptoms (发热, 头痛, 呕吐) do not
		case strings.HasPrefix(k, "R22"), strings.HasPrefix(k, "R23"), strings.HasPrefix(k, "R52"), strings.HasPrefix(k, "R58"),
			strings.HasPrefix(k, "R60"), strings.HasPrefix(k, "L0"), strings.HasPrefix(k, "S0"), strings.HasPrefix(k, "G45.3"):
			return true
		case strings.HasPrefix(k, "H") && k < "H6":
			return true
		case strings.HasPrefix(k, "S05"), strings.HasPrefix(k, "T15"), strings.HasPrefix(k, "T26"),
			strings.HasPrefix(k, "C69"), strings.HasPrefix(k, "D31"), strings.HasPrefix(k, "Z96.1"),
			strings.HasPrefix(k, "T85.2"), strings.HasPrefix(k, "Q1"), strings.HasPrefix(k, "B00.5"),
			strings.HasPrefix(k, "B49xx14"):
			return true
		}
	}
	return morphology == len(codes)
}
