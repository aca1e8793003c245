package deid

import (
	"strconv"
	"strings"
)

// numberRecognizer finds identifiers made of digits: resident ID numbers
// (18/15 digits), mobile and landline phones, bank cards and other long
// digit runs. One linear scan builds "number tokens" (digit groups joined by
// single spaces or dashes, full-width digits already folded), each token is
// then classified. Decimals (0.8, 24.5) and numbers glued to letters on the
// left are never tokens, so clinical measurements are not touched.
type numberRecognizer struct{}

func (numberRecognizer) Name() string { return "number" }
func (numberRecognizer) Labels() []string {
	return []string{IDNumber, Phone, OtherID, RecordNumber}
}
func (numberRecognizer) Context() []string {
	return []string{"电话", "手机", "联系", "号码", "分机", "座机", "总机", "传真", "热线", "身份证", "证件", "卡号", "编号", "号:", "号：", "Tel", "TEL", "tel", "No", "NO"}
}

// numTok is one number token in code points [start,end).
type numTok struct {
	start, end int
	digits     string // digits only (a final X kept)
	groups     []int  // digit count of each group
	paren      bool   // first group was written in parentheses: (010)
	plus       bool   // preceded by '+'
}

// scanNumbers returns the number tokens of d.
func scanNumbers(d *doc) []numTok {
	var toks []numTok
	rs := d.runes
	n := len(rs)
	buf := make([]byte, 0, 32)
	for i := 0; i < n; i++ {
		if !isDigit(rs[i]) {
			continue
		}
		if i > 0 && (rs[i-1] == '.' && i > 1 && isDigit(rs[i-2]) || rs[i-1] == '_') {
			// a decimal fraction: skip to the end of this digit run (digits glued to
			// letters, Tel13812345678 or ZY2023..., are still tokens)
			for i < n && isDigit(rs[i]) {
				i++
			}
			continue
		}
		t := numTok{start: i}
		if i > 0 && rs[i-1] == '(' {
			t.paren = true
			t.start = i - 1
		}
		if i > 0 && rs[i-1] == '+' {
			t.plus = true
			t.start = i - 1
			if i > 1 && rs[i-2] == '(' { // (+86)138-…
				t.paren = true
				t.start = i - 2
			}
		}
		buf = buf[:0]
		g := 0
		j := i
		for j < n {
			r := rs[j]
			if isDigit(r) {
				buf = append(buf, byte(r))
				g++
				j++
				continue
			}
			if (r == 'X' || r == 'x') && len(buf) == 17 && (j+1 >= n || !isAlnum(rs[j+1])) {
				buf = append(buf, 'X')
				g++
				j++
				break
			}
			// separators: one space or dash, or ")" closing a parenthesised area code
			if (r == ' ' || r == '-') && j+1 < n && (isDigit(rs[j+1]) || rs[j+1] == ' ' && j+2 < n && isDigit(rs[j+2]) && r == '-') {
				t.groups = append(t.groups, g)
				g = 0
				j++
				if rs[j] == ' ' {
					j++
				}
				continue
			}
			// a dash with spaces around it: 023 - 7555 1036
			if r == ' ' && j+2 < n && rs[j+1] == '-' && (isDigit(rs[j+2]) || rs[j+2] == ' ' && j+3 < n && isDigit(rs[j+3])) {
				t.groups = append(t.groups, g)
				g = 0
				j += 2
				if rs[j] == ' ' {
					j++
				}
				continue
			}
			if r == ')' && t.paren && len(t.groups) == 0 {
				t.groups = append(t.groups, g)
				g = 0
				j++
				if j < n && (rs[j] == ' ' || rs[j] == '-') {
					j++
				}
				if j < n && isDigit(rs[j]) {
					continue
				}
				break
			}
			break
		}
		t.groups = append(t.groups, g)
		// trailing decimal: "12.5" is a measurement, not an identifier
		if j+1 < n && rs[j] == '.' && isDigit(rs[j+1]) {
			for j < n && (isDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			i = j
			continue
		}
		t.end = j
		// a token must end on a digit or X
		for t.end > i && !isAlnum(rs[t.end-1]) {
			t.end--
		}
		t.digits = string(buf)
		toks = append(toks, t)
		i = j - 1
	}
	return toks
}

func (numberRecognizer) find(d *doc, out []Span) []Span {
	for _, t := range scanNumbers(d) {
		label, score := classifyNumber(t)
		if label == "" || label == RecordNumber && (referenceRange(d.slice(t.start, t.end)) || dateThenHour(d, t.start, t.end)) {
			continue
		}
		end := t.end
		if label == Phone {
			end = extension(d, end)
		}
		start := t.start
		if t.paren && label != Phone {
			start++
		}
		out = append(out, Span{Start: start, End: end, Label: label, Score: score, Recognizer: "number"})
	}
	return out
}

// extension extends a phone span over "转123", "-123" style extensions, "ext 12".
func extension(d *doc, end int) int {
	i := end
	for i < len(d.runes) && d.runes[i] == ' ' {
		i++
	}
	switch {
	case d.at(i) == '转' || d.at(i) == '#':
		i++
	case d.at(i) == '分' && d.at(i+1) == '机':
		i += 2
	case (d.at(i) == 'e' || d.at(i) == 'E') && (d.at(i+1) == 'x' || d.at(i+1) == 'X') && (d.at(i+2) == 't' || d.at(i+2) == 'T'):
		i += 3
		if d.at(i) == '.' {
			i++
		}
	default:
		return end
	}
	for i < len(d.runes) && d.runes[i] == ' ' {
		i++
	}
	j := i
	for j < len(d.runes) && isDigit(d.runes[j]) && j-i < 6 {
		j++
	}
	if j == i {
		return end
	}
	return j
}

func isMobile(s string) bool {
	return len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9'
}

// classifyNumber decides what a number token is (or "" for nothing).
func classifyNumber(t numTok) (string, float64) {
	s := t.digits
	n := len(s)
	if n < 6 {
		return "", 0
	}
	switch {
	case n == 18:
		shape, sum := idShape18(s)
		if shape && sum {
			return IDNumber, 1
		}
		if shape {
			return IDNumber, 0.6 // a mistyped check digit is still an ID
		}
	case n == 15 && ValidID15(s):
		return IDNumber, 0.85
	case isMobile(s):
		return Phone, 0.95
	case n == 13 && s[:2] == "86" && isMobile(s[2:]), n == 15 && s[:4] == "0086" && isMobile(s[4:]):
		return Phone, 0.95
	}
	if s[len(s)-1] == 'X' {
		return RecordNumber, 0.6
	}
	if s[0] == '0' && n >= 10 && n <= 12 && s[1] != '0' {
		return Phone, 0.85 // area code + 7/8 digits
	}
	if t.paren && s[0] == '0' && len(t.groups) >= 2 {
		return Phone, 0.9
	}
	if n == 10 && (s[:3] == "400" || s[:3] == "800") {
		return Phone, 0.8
	}
	if (n == 7 || n == 8) && s[0] != '0' && len(t.groups) <= 2 {
		if n == 8 && isCompactDate(s) {
			return "", 0 // 20230305: the date recognizer owns it
		}
		return Phone, 0.45 // local number: needs a context word
	}
	if n >= 16 && n <= 19 && luhn(s) {
		return OtherID, 0.7 // bank card
	}
	if n >= 9 {
		return RecordNumber, 0.55
	}
	if n == 8 && isCompactDate(s) {
		return "", 0
	}
	return RecordNumber, 0.35
}

func isCompactDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	y := atoi(s[:4])
	return y >= 1900 && y <= 2099 && validYMD(y, atoi(s[4:6]), atoi(s[6:8]))
}

// referenceRange reports whether a short-grouped number is a lab value and
// its reference range (血红蛋白 128 115-150) rather than an identifier: the
// last group is "low-high" with low < high, every group at most 4 digits.
func referenceRange(s string) bool {
	parts := strings.Fields(s)
	last := parts[len(parts)-1]
	lo, hi, ok := strings.Cut(last, "-")
	if !ok || len(lo) == 0 || len(hi) == 0 || len(lo) > 4 || len(hi) > 4 {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if len(p) > 4 {
			return false
		}
	}
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	return err1 == nil && err2 == nil && a < b
}

// dateThenHour reports whether the digit run [s,e) is a full date with
// separators followed by the hour of a clock time (2025-05-08 17:25): the
// date recognizer owns the date, and the time is no identifier.
func dateThenHour(d *doc, s, e int) bool {
	end, p, ok := parseDateAt(d.runes, s)
	return ok && p.hasD && p.sep != 0 && end < e && d.at(e) == ':'
}
