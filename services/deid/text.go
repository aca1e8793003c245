package deid

import (
	"strings"
	"unicode/utf8"
)

// doc is the text a recognizer sees: the original, a normalised copy with the
// same number of code points (full-width ASCII folded to half-width, ideographic
// space to space, Chinese dashes and brackets to ASCII), and the mapping from
// byte offsets of the normalised copy to code-point offsets.
type doc struct {
	orig  string
	norm  string
	runes []rune  // normalised code points
	rOff  []int32 // byte offset in norm -> code point index (len(norm)+1 entries)
	bOff  []int32 // code point index -> byte offset in norm (len(runes)+1 entries)
	err   error   // the first error of a recognizer (a model that failed to run)
}

// fail records a recognizer's error; detection then fails as a whole, so a
// note is never passed on with a recognizer silently skipped.
func (d *doc) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000 || r == 0x00A0:
		return ' '
	case r == '—' || r == '－' || r == '–' || r == '‐' || r == '‑':
		return '-'
	case r == '（':
		return '('
	case r == '）':
		return ')'
	}
	return r
}

func newDoc(text string) *doc {
	d := &doc{orig: text}
	d.runes = make([]rune, 0, utf8.RuneCountInString(text))
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		d.runes = append(d.runes, foldRune(r))
	}
	ocrDigits(d.runes)
	for _, r := range d.runes {
		b.WriteRune(r)
	}
	d.norm = b.String()
	d.rOff = make([]int32, len(d.norm)+1)
	d.bOff = make([]int32, len(d.runes)+1)
	i := 0
	for bi, r := range d.norm {
		_ = r
		d.bOff[i] = int32(bi)
		i++
	}
	d.bOff[len(d.runes)] = int32(len(d.norm))
	for ri := 0; ri < len(d.runes); ri++ {
		for bi := d.bOff[ri]; bi < d.bOff[ri+1]; bi++ {
			d.rOff[bi] = int32(ri)
		}
	}
	d.rOff[len(d.norm)] = int32(len(d.runes))
	return d
}

// ocrDigits reads the letters OCR puts for digits (O and o for 0, l and I
// for 1) as digits where they stand in a run of digits and such letters
// that is not part of an ASCII word and holds a digit or comes right before
// 年, 月, 日 or 号 (2O24 年 lO 月 25 日, 9. l5, MZ… codes keep their letters:
// a letter before them makes the run part of a word). Code points keep their
// places, so offsets into the text stay valid.
func ocrDigits(rs []rune) {
	confusable := func(r rune) bool { return r == 'O' || r == 'o' || r == 'l' || r == 'I' }
	for i := 0; i < len(rs); {
		if !isDigit(rs[i]) && !confusable(rs[i]) {
			i++
			continue
		}
		j, digits, letters := i, 0, 0
		for j < len(rs) && (isDigit(rs[j]) || confusable(rs[j])) {
			if isDigit(rs[j]) {
				digits++
			} else {
				letters++
			}
			j++
		}
		if letters > 0 && (i == 0 || !isLetter(rs[i-1])) && (j == len(rs) || !isLetter(rs[j])) {
			k := j
			for k < len(rs) && rs[k] == ' ' {
				k++
			}
			dateUnit := k < len(rs) && strings.ContainsRune("年月日号", rs[k])
			if digits > 0 && (j-i >= 2) || dateUnit {
				for x := i; x < j; x++ {
					switch rs[x] {
					case 'O', 'o':
						rs[x] = '0'
					case 'l', 'I':
						rs[x] = '1'
					}
				}
			}
		}
		i = j
	}
}

// span builds a Span from byte offsets of d.norm.
func (d *doc) spanB(bs, be int, label string, score float64, rec string) Span {
	return Span{Start: int(d.rOff[bs]), End: int(d.rOff[be]), Label: label, Score: score, Recognizer: rec}
}

// at returns the normalised rune at code point i, or 0 outside the text.
func (d *doc) at(i int) rune {
	if i < 0 || i >= len(d.runes) {
		return 0
	}
	return d.runes[i]
}

// slice returns normalised text of code points [s,e).
func (d *doc) slice(s, e int) string {
	if s < 0 {
		s = 0
	}
	if e > len(d.runes) {
		e = len(d.runes)
	}
	if s >= e {
		return ""
	}
	return d.norm[d.bOff[s]:d.bOff[e]]
}

// before reports whether one of cues ends within window code points before i
// (ignoring spaces, colons and similar separators right before i).
func (d *doc) cueBefore(i, window int, cues []string) bool {
	s := i - window
	if s < 0 {
		s = 0
	}
	w := d.slice(s, i)
	for _, c := range cues {
		if strings.Contains(w, c) {
			return true
		}
	}
	return false
}

func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isAlnum(r rune) bool  { return isDigit(r) || isLetter(r) }
func isHan(r rune) bool    { return r >= 0x3400 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF }

// isSep reports separators allowed between a cue and its value.
func isSep(r rune) bool {
	switch r {
	case ' ', '\t', ':', '：', '=', '为', '是':
		return true
	}
	return false
}

// skipSep advances over cue/value separators (at most max code points).
func (d *doc) skipSep(i, max int) int {
	for n := 0; n < max && i < len(d.runes); n++ {
		r := d.runes[i]
		if r == ' ' || r == '\t' || r == ':' || r == '：' || r == '=' || r == '#' {
			i++
			continue
		}
		break
	}
	return i
}

// cueMatcher finds every occurrence of a fixed set of words in one pass over
// the code points (one bitset test per code point; candidates by first rune).
type cueMatcher struct {
	first [0x10000 / 64]uint64
	byR   map[rune][]int // first rune -> word indexes
	words []string
}

func newCueMatcher(words []string) *cueMatcher {
	m := &cueMatcher{byR: map[rune][]int{}, words: words}
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if r < 0x10000 {
			m.first[r/64] |= 1 << (r % 64)
		}
		m.byR[r] = append(m.byR[r], i)
	}
	return m
}

// each calls fn(word index, start, end) for every occurrence (code points).
func (m *cueMatcher) each(d *doc, fn func(w, s, e int)) {
	for i, r := range d.runes {
		if r >= 0x10000 || m.first[r/64]&(1<<(r%64)) == 0 {
			continue
		}
		rest := d.norm[d.bOff[i]:]
		for _, w := range m.byR[r] {
			if strings.HasPrefix(rest, m.words[w]) {
				fn(w, i, i+utf8.RuneCountInString(m.words[w]))
			}
		}
	}
}

// compactSpaces returns d without its single spaces between two other
// characters one of which is a Chinese character or a digit, and the index
// in d of each code point of the result; nil when there is none or when
// joins accepts none of them (a recognizer's gate: is a second reading
// worth its cost here).
func compactSpaces(d *doc, joins func(rs []rune, i int) bool) (*doc, []int) {
	rs := d.runes
	drop := func(i int) bool {
		return rs[i] == ' ' && i > 0 && i+1 < len(rs) && rs[i-1] != ' ' && rs[i+1] != ' ' && !isSpaceLike(rs[i-1]) && !isSpaceLike(rs[i+1]) &&
			(isHan(rs[i-1]) || isDigit(rs[i-1]) || isHan(rs[i+1]) || isDigit(rs[i+1]))
	}
	n, worth := 0, false
	for i := range rs {
		if drop(i) {
			n++
			worth = worth || joins(rs, i)
		}
	}
	if n == 0 || !worth {
		return nil, nil
	}
	at := make([]int, 0, len(rs)-n)
	var b strings.Builder
	b.Grow(len(d.norm))
	for i, r := range rs {
		if !drop(i) {
			at = append(at, i)
			b.WriteRune(r)
		}
	}
	return newDoc(b.String()), at
}

// rereadCompact runs find again over d without its single spaces
// (compactSpaces, gated by joins) and adds the spans that cross a removed
// space, mapped back to d: the ones the first reading could not see.
func rereadCompact(d *doc, out []Span, joins func(rs []rune, i int) bool, find func(*doc, []Span) []Span) []Span {
	c, at := compactSpaces(d, joins)
	if c == nil {
		return out
	}
	for _, s := range find(c, nil) {
		if start, end := at[s.Start], at[s.End-1]+1; end-start > s.End-s.Start {
			s.Start, s.End = start, end
			out = append(out, s)
		}
	}
	return out
}

// isSpaceLike reports whether r separates like a space does (a tab, a line
// break, a full-width space).
func isSpaceLike(r rune) bool { return r == '\t' || r == '\n' || r == '\r' || r == '\u3000' }
