package deid

import "strings"

// Dates of a running log: progress notes, nursing records, follow-up call
// sheets and registers often open each entry with the day alone, written
// M.D, M/D or M-D (3.7  术后第1天 … / 3.8  前房清 … / 7.13傍晚被划伤). One such
// line could be a list or section number (1.2 病史) and a two-part measure
// at a line start is rare but possible, so a single entry is a date only
// when its day has two digits; when two or more lines of a note open this
// way the note is a log and every one of them is a date. Entries are
// recognised and replaced by the tag (no year to shift them by).

// logDateAt matches M.D, M/D or M-D at a line start at i: a valid month and
// day, then (after spaces) a Chinese character that is not a unit (3.5倍,
// 1.2分) or a clock time (3.7 08:30 测眼压); not a measure (1.5 mg, 1.2 D).
// It returns the end and the number of the day's digits, or 0.
func logDateAt(rs []rune, i int) (end, dayDigits int) {
	if !lineStartBefore(rs, i) && !rowNumberBefore(rs, i) {
		return 0, 0
	}
	md, ok := monthDayAt(rs, i)
	if !ok {
		return 0, 0
	}
	e, dn := md.end, md.dn
	t := skipSpaces(rs, e)
	switch {
	case t == len(rs):
		return 0, 0
	case isHan(rs[t]) && (t > e || !strings.ContainsRune(logUnits, rs[t])):
		return e, dn
	case t > e && clockAt(rs, t):
		return e, dn
	}
	return 0, 0
}

// rowNumberBefore reports whether a table row's number (1 to 3 digits at
// the line start, then two spaces or more) stands before i: 4    3-8    红光闪烁.
func rowNumberBefore(rs []rune, i int) bool {
	k := i - 1
	sp := 0
	for k >= 0 && (rs[k] == ' ' || rs[k] == '\t') {
		k--
		sp++
	}
	if sp < 2 {
		return false
	}
	n := 0
	for k >= 0 && isDigit(rs[k]) {
		k--
		n++
	}
	return n >= 1 && n <= 3 && lineStartBefore(rs, k+1)
}

// clockAt reports whether a clock time (8:30, 08：30) starts at i.
func clockAt(rs []rune, i int) bool {
	_, n := digitsAt(rs, i, 3)
	return n >= 1 && n <= 2 && i+n+1 < len(rs) && (rs[i+n] == ':' || rs[i+n] == '：') && isDigit(rs[i+n+1])
}

// logUnits are the characters after a number that make it a measure or a
// count, not a day (1.5倍, 2.5分, 3.5度, 1.2米, 4-5天, 3-4次).
const logUnits = "倍分度米厘毫克升岁斤公千万元次个天周月年小秒号日级期型层型例组粒片支瓶滴"

func logDates(d *doc, out []Span) []Span {
	rs := d.runes
	type entry struct{ start, end, dn int }
	var entries []entry
	for i := 0; i < len(rs); i++ {
		if !isDigit(rs[i]) || i > 0 && isDigit(rs[i-1]) {
			continue
		}
		if e, dn := logDateAt(rs, i); e > 0 {
			entries = append(entries, entry{i, e, dn})
			i = e - 1
		}
	}
	for _, en := range entries {
		if len(entries) >= 2 || en.dn == 2 {
			out = append(out, Span{Start: en.start, End: en.end, Label: Date, Score: 0.8, Recognizer: "date"})
		}
	}
	return out
}
