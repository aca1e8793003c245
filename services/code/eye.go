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

// eyeOf finds the laterality of the diagnosis rs[start:end]: a cue in
// brackets right after it ("皮质性白内障(双)"), inside it, or the nearest
// cue before it in the same clause rs[ctxStart:...] (clauses end at ，。；).
// It is self-contained so that a shared laterality package can replace it.
func eyeOf(rs []rune, start, end, ctxStart, ctxEnd int) note.Eye {
	// Bracketed qualifier right after: (双) （右眼） (OD).
	if end < ctxEnd && (rs[end] == '(' || rs[end] == '（') {
		k := end + 1
		for k < ctxEnd && k-end < 8 && rs[k] != ')' && rs[k] != '）' {
			k++
		}
		if e := eyeIn(rs[end+1:k], true); e != note.EyeNone {
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

// lastEye returns the last eye cue in pre.
func lastEye(pre []rune) note.Eye {
	best, bestAt := note.EyeNone, -1
	for i := range pre {
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
