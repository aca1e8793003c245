package events

import "strconv"

// number is a number token in the folded text.
type number struct {
	start, end int // the whole token, sign included
	digits     int // where the digits start (after any sign)
	value      float64
	signed     bool
	intDigits  int
	frac       int // digits after the point
}

// scanNumber reads [+-]?digits(.digits)? at i. It reports false for
// date-like and version-like runs (2023.3.5, 2023-03-05, 10:30, 2023年) and
// returns in skip the index after the whole run so the caller can jump it.
func scanNumber(f []rune, i int) (n number, skip int, ok bool) {
	n.start = i
	j := i
	if j < len(f) && (f[j] == '+' || f[j] == '-') {
		n.signed = true
		j++
	}
	n.digits = j
	for j < len(f) && isDigit(f[j]) {
		j++
	}
	n.intDigits = j - n.digits
	if n.intDigits == 0 {
		return n, i + 1, false
	}
	if j+1 < len(f) && f[j] == '.' && isDigit(f[j+1]) {
		j++
		fs := j
		for j < len(f) && isDigit(f[j]) {
			j++
		}
		n.frac = j - fs
		if j+1 < len(f) && f[j] == '.' && isDigit(f[j+1]) { // 2023.3.5, 1.2.3
			for j < len(f) && (isDigit(f[j]) || f[j] == '.') {
				j++
			}
			return n, j, false
		}
	}
	n.end = j
	if j < len(f) {
		next := f[j]
		if n.intDigits == 4 && n.frac == 0 && (next == '-' || next == '/' || next == '.' || next == '年') {
			return n, skipDate(f, j), false
		}
		if next == ':' && j+1 < len(f) && isDigit(f[j+1]) && n.frac == 0 && n.intDigits <= 2 { // 10:30
			k := j + 1
			for k < len(f) && isDigit(f[k]) {
				k++
			}
			return n, k, false
		}
		if (next == '-' || next == '.') && n.frac == 0 && n.intDigits <= 2 && j+1 < len(f) && isDigit(f[j+1]) {
			// 3-5 (a range) or 03-05 / 3.5.1: a range or part of a date
			if next == '-' && j+2 < len(f) && isDigit(f[j+1]) && (f[j+2] == '-' || isDigit(f[j+2]) && j+3 < len(f) && f[j+3] == '-') {
				return n, skipDate(f, j), false
			}
		}
	}
	v, err := strconv.ParseFloat(string(f[n.digits:n.end]), 64)
	if err != nil {
		return n, j, false
	}
	if n.signed && f[n.start] == '-' {
		v = -v
	}
	n.value = v
	return n, n.end, true
}

// skipDate jumps the rest of a date or time written with - / . 年 月 日.
func skipDate(f []rune, j int) int {
	for j < len(f) && (isDigit(f[j]) || f[j] == '-' || f[j] == '/' || f[j] == '.' || f[j] == '年' || f[j] == '月' || f[j] == '日' || f[j] == ':') {
		j++
	}
	return j
}
