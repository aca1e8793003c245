package code

import (
	"strings"

	"bingli/services/note"
)

// eyeWords are laterality cues, longest first. The one-character forms
// (右, 左, 双) count only directly before the diagnosis or in brackets.
var eyeWords = []struct {
	w   string
	eye note.Eye
}{
	{"双侧眼", note.EyeBoth}, {"右眼", note.EyeRight}, {"左眼", note.EyeLeft}, {"双眼", note.EyeBoth},
	{"右侧", note.EyeRight}, {"左侧", note.EyeLeft}, {"双侧", note.EyeBoth},
	{"od", note.EyeRight}, {"os", note.EyeLeft}, {"ou", note.EyeBoth},
}

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
	for _, w := range eyeWords {
		if n := hasFoldedPrefix(rs[ls:], w.w); n > 0 && ls+n < len(rs) && (rs[ls+n] == '：' || rs[ls+n] == ':') {
			return w.eye
		}
	}
	return note.EyeNone
}

// lineEye is the nearest eye cue before start on its line, up to a stop
// (诊断：双眼急性结膜炎，考虑病毒性结膜炎).
func lineEye(rs []rune, start int) note.Eye {
	ls := start
	for ls > 0 && !isStop(rs[ls-1]) {
		ls--
	}
	return lastEye(rs[ls:start])
}

// eyeOf finds the laterality of the diagnosis rs[start:end]: a cue in
// brackets right after it ("皮质性白内障(双)"), inside it, or the nearest
// cue before it in the same clause rs[ctxStart:...] (clauses end at ，。；).
// It is self-contained so that a shared laterality package can replace it.
func eyeOf(rs []rune, start, end, ctxStart, ctxEnd int) note.Eye {
	if e := eyeNear(rs, start, end, ctxStart, ctxEnd); e != note.EyeNone {
		return e
	}
	// a list line's header (右眼：…), else an earlier cue on the same line
	if e := lineHeaderEye(rs, start); e != note.EyeNone {
		return e
	}
	return lineEye(rs, start)
}

// eyeNear finds the eye from the mention and its cue context.
func eyeNear(rs []rune, start, end, ctxStart, ctxEnd int) note.Eye {
	// Bracketed qualifier right after, possibly behind an assertion suffix:
	// (双) （右眼） (OD), 圆锥角膜待排（双）.
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
	// Directly before: 右/左/双 + diagnosis.
	if start > ctxStart {
		if e, ok := eyeShort[rs[start-1]]; ok {
			return e
		}
	}
	// Nearest cue before, within the clause.
	cs := start
	for cs > ctxStart && !isStop(rs[cs-1]) && !isComma(rs[cs-1]) {
		cs--
	}
	if e := lastEye(rs[cs:start]); e != note.EyeNone {
		return e
	}
	// Else the nearest cue earlier in the sentence (双眼视力下降…，外院考虑
	// 青光眼), else the first one after it (…，左眼视物变形).
	if e := lastEye(rs[ctxStart:cs]); e != note.EyeNone {
		return e
	}
	if end < ctxEnd {
		return eyeIn(rs[end:ctxEnd], false)
	}
	return note.EyeNone
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

// lastEye returns the last eye cue in pre.
func lastEye(pre []rune) note.Eye {
	best, bestAt := note.EyeNone, -1
	for i := range pre {
		if e, n := partEye(pre[i:]); n > 0 && i >= bestAt {
			best, bestAt = e, i
			continue
		}
		for _, w := range eyeWords {
			if n := hasFoldedPrefix(pre[i:], w.w); n > 0 {
				if n == 2 && w.w[0] < 128 && i > 0 && isASCIIAlnum(pre[i-1]) {
					continue
				}
				if i >= bestAt {
					best, bestAt = w.eye, i
				}
				break
			}
		}
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
	for _, c := range codes {
		k := c.Code
		switch {
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
	return false
}
