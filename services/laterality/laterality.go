// Package laterality finds which eye a mention in a Chinese ophthalmology
// note refers to. It is shared by the stages that attach an eye to what they
// find (events for measurements, procedures and medications; ICD-10 coding
// for diagnoses).
//
// All positions are code-point indexes into the text ([]rune), end-exclusive.
// Matching folds full-width ASCII to half-width and ASCII to lower case, one
// code point for one code point, so offsets never move.
package laterality

import (
	"strings"

	"bingli/services/note"
)

// Fold maps one code point to its matching form: full-width ASCII
// (０-９, Ａ-Ｚ, ：, ；, ，, ／, ...) to half-width, the ideographic space to a
// space, U+2212 minus to '-', and ASCII letters to lower case.
func Fold(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A'
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r == 0x3000:
		return ' '
	case r == 0x2212 || r == 0xFE63:
		return '-'
	case r == 0x3001: // 、
		return ','
	}
	return r
}

// Parse maps an eye word to an eye: 右眼/右/右侧/OD/R → right,
// 左眼/左/左侧/OS/L → left, 双眼/双侧/双/OU/BE → both. Case, width,
// surrounding spaces and a trailing colon are ignored; anything else is
// EyeNone.
func Parse(word string) note.Eye {
	w := strings.Map(Fold, word)
	w = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(w), ":"))
	switch w {
	case "右眼", "右", "右侧", "od", "r", "vod", "tod":
		return note.EyeRight
	case "左眼", "左", "左侧", "os", "l", "vos", "tos":
		return note.EyeLeft
	case "双眼", "双侧", "双", "ou", "be", "vou":
		return note.EyeBoth
	}
	return note.EyeNone
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool       { return r >= '0' && r <= '9' }

// fold returns the folded code point at i, or 0 outside the text.
func fold(text []rune, i int) rune {
	if i < 0 || i >= len(text) {
		return 0
	}
	return Fold(text[i])
}

// nextSolid returns the folded code point after skipping spaces and tabs
// from i.
func nextSolid(text []rune, i int) (rune, int) {
	for i < len(text) {
		r := fold(text, i)
		if r != ' ' && r != '\t' {
			return r, i
		}
		i++
	}
	return 0, i
}

// valueLike reports whether r can start a value written after a bare eye
// letter or character (右18, R 0.5, 左：光感, L -3.00DS).
func valueLike(r rune) bool {
	switch r {
	case ':', '+', '-', '指', '数', '手', '光', '无', '(':
		return true
	}
	return isDigit(r)
}

// WordAt reports the eye word that starts at i, and its length in code
// points (0 when there is none). Two-character words (右眼, 左侧, 双眼) always
// count; a bare 右/左/双 or R/L only when a value follows (右18, R: 0.5), so
// 左右 and mmol/L are not eyes; OD/OS/OU/BE must stand alone as ASCII words
// (VOD/VOS count: visus of the right/left eye).
func WordAt(text []rune, i int) (note.Eye, int) {
	if i < 0 || i >= len(text) {
		return note.EyeNone, 0
	}
	r := fold(text, i)
	switch r {
	case '右', '左', '双':
		n := fold(text, i+1)
		switch n {
		case '眼', '侧':
			if r == '左' && fold(text, i-1) == '右' || r == '右' && fold(text, i-1) == '左' {
				return note.EyeNone, 0 // 左右眼 is rare; 右左侧 is not an eye
			}
			return Parse(string(text[i : i+2])), 2
		}
		p := fold(text, i-1)
		if p == '左' || p == '右' || n == '左' || n == '右' {
			return note.EyeNone, 0
		}
		if v, _ := nextSolid(text, i+1); valueLike(v) {
			return Parse(string(r)), 1
		}
		return note.EyeNone, 0
	}
	if !isASCIILetter(text[i]) && !(text[i] >= 0xFF21 && text[i] <= 0xFF5A) {
		return note.EyeNone, 0
	}
	p := fold(text, i-1)
	if p == '/' && (r == 'r' || r == 'l') { // mmol/L, 10^9/L
		return note.EyeNone, 0
	}
	if isASCIILetter(p) || isDigit(p) || p == '^' {
		if !((p == 'v' || p == 't') && !isASCIILetter(fold(text, i-2)) && (r == 'o')) {
			return note.EyeNone, 0
		}
	}
	a, b := r, fold(text, i+1)
	if isASCIILetter(fold(text, i+2)) && isASCIILetter(b) {
		return note.EyeNone, 0
	}
	if isASCIILetter(b) {
		switch {
		case a == 'o' && b == 'd':
			return note.EyeRight, 2
		case a == 'o' && b == 's':
			return note.EyeLeft, 2
		case a == 'o' && b == 'u':
			return note.EyeBoth, 2
		case a == 'b' && b == 'e' && text[i] == 'B' && text[i+1] == 'E':
			return note.EyeBoth, 2
		}
		return note.EyeNone, 0
	}
	if a == 'r' || a == 'l' {
		if v, _ := nextSolid(text, i+1); valueLike(v) && v != '(' {
			return Parse(string(a)), 1
		}
	}
	return note.EyeNone, 0
}

// isBoundary reports a clause boundary: 。 ； and the end of a line.
func isBoundary(r rune) bool { return r == '。' || r == ';' || r == '\n' || r == '\r' }

// At returns the eye that applies to the mention at [start, end):
//  1. an eye word inside the mention (右眼白内障);
//  2. else the nearest eye word before it in the same clause (右眼：眼压
//     18mmHg; 视力：右眼0.5，左眼0.8 gives 左眼 for 0.8), a clause ending at
//     。；or a line break, and a nearer eye word overriding a farther one;
//  3. else a header that sets the eye for the items below it: an eye word
//     that starts its clause and is followed by a colon or ends its line
//     (右眼：\n 视力0.5\n 眼压18 ... 左眼：...; 【左眼】; OD:). The search for
//     a header goes up across clauses and lines and stops at a blank line,
//     an eye word that is not a header, or a section title line (诊断：).
//
// It returns EyeNone when nothing applies. Out-of-range positions are
// clamped.
func At(text []rune, start, end int) note.Eye {
	if start < 0 {
		start = 0
	}
	if end > len(text) {
		end = len(text)
	}
	if start > end {
		return note.EyeNone
	}
	for i := start; i < end; i++ {
		if e, n := WordAt(text, i); n > 0 && i+n <= end {
			return e
		}
	}
	// Same clause, going back.
	i := start - 1
	for ; i >= 0; i-- {
		if isBoundary(fold(text, i)) {
			break
		}
		if e, n := WordAt(text, i); n > 0 {
			return e
		}
	}
	return header(text, i)
}

// HeaderAbove returns the eye that a header line above the line holding
// start sets for it (右眼：\n 结膜充血\n 角膜水肿 gives right for both
// findings), found as At finds headers; EyeNone when there is none.
func HeaderAbove(text []rune, start int) note.Eye {
	if start > len(text) {
		start = len(text)
	}
	i := start - 1
	for i >= 0 && text[i] != '\n' {
		i--
	}
	if i < 0 {
		return note.EyeNone
	}
	return header(text, i)
}

// header looks up from the boundary at b for an eye header.
func header(text []rune, b int) note.Eye {
	const maxBack = 2000
	lineHasEye := false
	lineEnd := b // index of the '\n' that ends the line being scanned
	for i := b; i >= 0 && b-i < maxBack; i-- {
		r := fold(text, i)
		if r == '\n' {
			if i != lineEnd && i+1 <= lineEnd {
				// Finished scanning the line (i, lineEnd).
				line := text[i+1 : lineEnd]
				if blank(line) {
					return note.EyeNone
				}
				if !lineHasEye && sectionTitle(line) {
					return note.EyeNone
				}
			}
			if i > 0 && fold(text, i-1) == '\n' {
				return note.EyeNone // blank line
			}
			lineEnd = i
			lineHasEye = false
			continue
		}
		e, n := WordAt(text, i)
		if n == 0 {
			continue
		}
		lineHasEye = true
		if isHeader(text, i, n) {
			return e
		}
		return note.EyeNone
	}
	return note.EyeNone
}

// isHeader reports whether the eye word at [i, i+n) starts its clause and is
// followed by a colon, a closing bracket or the end of its line, possibly
// after 检查/情况.
func isHeader(text []rune, i, n int) bool {
	for j := i - 1; j >= 0; j-- {
		r := fold(text, j)
		if isBoundary(r) {
			break
		}
		if r == ' ' || r == '\t' || r == '[' || r == '【' || r == '(' || r == '（' || r == '*' || r == '-' || r == '·' || r == '•' || r == '.' || isDigit(r) || r == ',' {
			continue
		}
		return false
	}
	j := i + n
	for _, suffix := range []string{"检查", "情况", "专科检查", "所见"} {
		if hasPrefixAt(text, j, suffix) {
			j += len([]rune(suffix))
			break
		}
	}
	r, _ := nextSolid(text, j)
	switch r {
	case ':', ']', '】', ')', '）', '\n', '\r', 0:
		return true
	}
	return false
}

func hasPrefixAt(text []rune, i int, s string) bool {
	for _, c := range s {
		if i >= len(text) || Fold(text[i]) != c {
			return false
		}
		i++
	}
	return true
}

func blank(line []rune) bool {
	for _, r := range line {
		if r != ' ' && r != '\t' && r != '\r' && r != 0x3000 {
			return false
		}
	}
	return true
}

// sectionTitle reports a line that opens a new section: up to 10
// characters of Chinese text followed by a colon at its start (诊断：,
// 处理意见：), or a bracketed title (【辅助检查】).
func sectionTitle(line []rune) bool {
	k := 0
	for k < len(line) && (line[k] == ' ' || line[k] == '\t' || line[k] == 0x3000) {
		k++
	}
	if k < len(line) && (line[k] == '【' || line[k] == '[') {
		return true
	}
	for j := k; j < len(line) && j-k <= 10; j++ {
		r := Fold(line[j])
		if r == ':' {
			return j > k
		}
		if !(r >= 0x4E00 && r <= 0x9FFF) {
			return false
		}
	}
	return false
}

// Columns returns the eyes of a column header above the line holding pos: a
// line of two or more eye words and no digits (“      右眼    左眼”, “OD  OS”)
// heading a table of values flattened to text. The lines between the header
// and pos must all hold digits (table rows); a blank line or any other line
// ends the search. It returns nil when there is no such header.
func Columns(text []rune, pos int) []note.Eye {
	if pos > len(text) {
		pos = len(text)
	}
	ls := pos
	for ls > 0 && text[ls-1] != '\n' {
		ls--
	}
	for rows := 0; ls > 0 && rows < 12; rows++ {
		le := ls - 1 // the '\n' ending the previous line
		ls = le
		for ls > 0 && text[ls-1] != '\n' {
			ls--
		}
		line := text[ls:le]
		if blank(line) {
			return nil
		}
		var eyes []note.Eye
		digits := false
		for i := ls; i < le; i++ {
			if isDigit(fold(text, i)) {
				digits = true
				break
			}
			if e, n := WordAt(text, i); n > 0 {
				eyes = append(eyes, e)
				i += n - 1
			}
		}
		switch {
		case digits:
			continue
		case len(eyes) >= 2:
			return eyes
		default:
			return nil
		}
	}
	return nil
}
