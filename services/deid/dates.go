package deid

import "strings"

// dateRecognizer finds calendar dates in the forms Chinese notes use:
//
//	2023年3月5日  2023年03月05号  2023年3月  2019年   (年月日, spaces allowed)
//	2023-03-05  2023/3/5  2023.3.5  2023-03  2023.03   (4-digit year)
//	23/3/5  23-03-05                                     (2-digit year, / or - only)
//	3月5日  12月31号                                      (month and day)
//	20230305                                             (compact, isolated)
//
// Dates after 出生日期/出生年月/生日/出生于/DOB are DATE_OF_BIRTH. Two-part
// fractions (20/40), decimals (0.8) and durations (3个月) never match.
type dateRecognizer struct{}

func newDateRecognizer() dateRecognizer { return dateRecognizer{} }

func (dateRecognizer) Name() string      { return "date" }
func (dateRecognizer) Labels() []string  { return []string{Date, DateOfBirth} }
func (dateRecognizer) Context() []string { return nil }

var dobCues = []string{"出生日期", "出生年月", "出生", "生日", "生于", "DOB", "D.O.B", "Birth", "birth"}

func (dateRecognizer) find(d *doc, out []Span) []Span {
	rs := d.runes
	first := len(out) // this recognizer's spans start here
	for i := 0; i < len(rs); i++ {
		if !isDigit(rs[i]) {
			continue
		}
		enum := listNumberBefore(rs, i)
		// not inside a code (RJ-20241015-077)
		if i > 0 && (isAlnum(rs[i-1]) || rs[i-1] == '.' && !enum || rs[i-1] == '/' || rs[i-1] == '_' || rs[i-1] == '-' && i > 1 && isLetter(rs[i-2])) {
			for i < len(rs) && isDigit(rs[i]) {
				i++
			}
			continue
		}
		end, p, ok := parseDateAt(rs, i)
		if !ok && !enum {
			end, p, ok = shortDateAt(rs, i)
		}
		// after a list number (3.5月23日复诊) only a month and day in 月日 form
		if ok && enum && !(p.hasM && p.hasD && !p.hasY && p.sep == 0) {
			ok = false
		}
		if !ok {
			for i < len(rs) && isDigit(rs[i]) {
				i++
			}
			continue
		}
		end, _ = dateSuffixEnd(rs, end, p)
		label, score := Date, 0.9
		if !p.hasY && !p.hasD && !p.dmy {
			score = 0.5
		}
		if d.cueBefore(i, 8, dobCues) {
			label, score = DateOfBirth, 0.95
		}
		out = append(out, Span{Start: i, End: end, Label: label, Score: score, Recognizer: "date"})
		i = end - 1
	}
	out = monthDates(d, out)
	out = festivalDates(d, out)
	out = logDates(d, out)
	out = fieldDates(d, out)
	out = proseDates(d, out)
	out = dateSeries(d, out)
	for k := first; k < len(out); k++ {
		// a weekday after a day without a year (04-09 周三) is tagged with it
		if out[k].Label == Date {
			out[k].End = weekdayEnd(rs, out[k].End)
		}
	}
	out = dateRanges(d, out)
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune(cnDigits+"十", rs[i]) || i > 0 && strings.ContainsRune(cnDigits+"十", rs[i-1]) {
			continue
		}
		end := cnDateAt(rs, i)
		if end == 0 {
			end = cnMonthDayAt(rs, i)
		}
		if end > 0 {
			label := Date
			if d.cueBefore(i, 8, dobCues) {
				label = DateOfBirth
			}
			out = append(out, Span{Start: i, End: end, Label: label, Score: 0.9, Recognizer: "date"})
			i = end - 1
		}
	}
	return out
}

// dateParts is a parsed date and how it was written.
type dateParts struct {
	y, m, d          int
	hasY, hasM, hasD bool
	y2               bool // two-digit year
	mPad, dPad       bool // zero-padded month/day
	sep              rune // 0 for 年月日, else '-', '/', '.'
	dayChar          rune // 日 or 号 (年月日 form)
	compact          bool // 20230305
	dmy              bool // 5/3/2023: recognised, replaced by the tag (not shifted)
}

// dmyAt reports whether rs[i:] is D/M/YYYY with a valid date that does not
// run on into more digits.
func dmyAt(rs []rune, i int) bool {
	dv, dn := digitsAt(rs, i, 3)
	if dn < 1 || dn > 2 || i+dn >= len(rs) || rs[i+dn] != '/' {
		return false
	}
	k := i + dn + 1
	mv, mn := digitsAt(rs, k, 3)
	if mn < 1 || mn > 2 || k+mn >= len(rs) || rs[k+mn] != '/' {
		return false
	}
	k += mn + 1
	yv, yn := digitsAt(rs, k, 5)
	if yn != 4 || yv < 1900 || yv > 2099 || k+yn < len(rs) && (isAlnum(rs[k+yn]) || rs[k+yn] == '/') {
		return false
	}
	return validYMD(yv, mv, dv)
}

// mdTimeAt reports whether rs[i:] is M-D (a valid month and day) followed by
// a space and a clock time HH:MM.
func mdTimeAt(rs []rune, i int) bool {
	mv, mn := digitsAt(rs, i, 3)
	if mn < 1 || mn > 2 || i+mn >= len(rs) || rs[i+mn] != '-' {
		return false
	}
	k := i + mn + 1
	dv, dn := digitsAt(rs, k, 3)
	if dn < 1 || dn > 2 || !validYMD(2000, mv, dv) {
		return false
	}
	k = skipSpaces(rs, k+dn)
	if k == i+mn+1+dn {
		return false
	}
	hv, hn := digitsAt(rs, k, 3)
	if hn < 1 || hn > 2 || hv > 23 || k+hn+2 >= len(rs) || rs[k+hn] != ':' {
		return false
	}
	_, min := digitsAt(rs, k+hn+1, 3)
	return min == 2
}

// cnDigits are the characters of dates written in Chinese numerals.
const cnDigits = "〇零一二三四五六七八九"

// cnDateAt matches a date in Chinese numerals at i: a four-numeral year
// with 年 (二〇二三年), then optionally 月 (三月, 十二月) and 日/号 (五日,
// 二十三日). It returns the end, or 0.
func cnDateAt(rs []rune, i int) int {
	k := i
	for k < len(rs) && k-i < 4 && strings.ContainsRune(cnDigits, rs[k]) {
		k++
	}
	if k-i != 4 || k >= len(rs) || rs[k] != '年' || k+1 < len(rs) && rs[k+1] == '代' {
		return 0
	}
	end := k + 1
	if m := cnNumberAt(rs, end, 12); m > end && m < len(rs) && rs[m] == '月' {
		end = m + 1
		if dd := cnNumberAt(rs, end, 31); dd > end && dd < len(rs) && (rs[dd] == '日' || rs[dd] == '号') {
			end = dd + 1
		}
	}
	return end
}

// cnMonthDayAt matches a month and day in Chinese numerals without a year
// (九月十八日, 十二月三号). It returns the end, or 0.
func cnMonthDayAt(rs []rune, i int) int {
	m := cnNumberAt(rs, i, 12)
	if m == i || m >= len(rs) || rs[m] != '月' {
		return 0
	}
	if dd := cnNumberAt(rs, m+1, 31); dd > m+1 && dd < len(rs) && (rs[dd] == '日' || rs[dd] == '号') {
		return dd + 1
	}
	return 0
}

// listNumberBefore reports whether rs[i-1] is the dot of a list number
// (1. 2. … at a line or clause start: "3.5月23日复诊"), not a decimal point.
func listNumberBefore(rs []rune, i int) bool {
	if i < 2 || rs[i-1] != '.' {
		return false
	}
	k := i - 2
	for k >= 0 && i-2-k < 2 && isDigit(rs[k]) {
		k--
	}
	if k == i-2 || k >= 0 && isDigit(rs[k]) {
		return false
	}
	return k < 0 || strings.ContainsRune("\n\r ;；。,，、:：", rs[k])
}

// dateFollowers follow a short date written M/D in a visit's schedule
// (4/11 复诊, 10/17抽血, 3/8 下午).
var dateFollowers = []string{"复诊", "复查", "随访", "上午", "下午", "晚上", "中午", "抽血", "入院", "出院", "手术", "门诊", "就诊", "来院", "返院"}

// lineStartBefore reports whether only spaces stand between the start of
// rs[i]'s line and i.
func lineStartBefore(rs []rune, i int) bool {
	for k := i - 1; k >= 0; k-- {
		switch rs[k] {
		case '\n', '\r':
			return true
		case ' ', '\t':
			continue
		}
		return false
	}
	return true
}

var monthAbbr = map[string]bool{"Jan": true, "Feb": true, "Mar": true, "Apr": true, "May": true, "Jun": true, "Jul": true, "Aug": true, "Sep": true, "Oct": true, "Nov": true, "Dec": true}

// shortDateAt parses the forms that are dates only in context, recognised
// and replaced by the tag (not shifted): M/D at a line start or before a
// schedule word (4/11 复诊), YY.M.D at a line start (24.6.5), and
// DD-Mon-YYYY (19-Feb-2024). Snellen fractions (6/12, 20/40) stand after
// 视力 or between measurements, not at a line start before 复诊.
func shortDateAt(rs []rune, i int) (int, dateParts, bool) {
	v, n := digitsAt(rs, i, 3)
	j := i + n
	if n == 0 || n > 2 || j+1 >= len(rs) {
		return 0, dateParts{}, false
	}
	switch rs[j] {
	case '/':
		dv, dn := digitsAt(rs, j+1, 3)
		e := j + 1 + dn
		if dn == 0 || dn > 2 || !validYMD(2000, v, dv) || e < len(rs) && (isAlnum(rs[e]) || strings.ContainsRune("./-", rs[e])) {
			break
		}
		if lineStartBefore(rs, i) && (e == len(rs) || rs[e] == ' ' || rs[e] == '\t' || rs[e] == '\n') || hasRunesAt(rs, skipSpaces(rs, e), dateFollowers) {
			return e, dateParts{dmy: true}, true
		}
	case '.':
		mv, mn := digitsAt(rs, j+1, 3)
		k := j + 1 + mn
		if mn == 0 || mn > 2 {
			break
		}
		if k >= len(rs) || rs[k] != '.' {
			// M.D: at a line start or after a wide gap, before a space and
			// text (2.27 奉建华, 门诊  3.21  蓝海), or before a schedule
			// word (4.11复诊); a two-digit day unless a schedule word follows
			// (not 1.2, 0.8: acuities)
			if k < len(rs) && (isAlnum(rs[k]) || strings.ContainsRune("./-%", rs[k])) || !validYMD(2000, v, mv) {
				break
			}
			gap := lineStartBefore(rs, i) || i >= 2 && rs[i-1] == ' ' && rs[i-2] == ' '
			t := skipSpaces(rs, k)
			text := k < len(rs) && rs[k] == ' ' && t < len(rs) && isHan(rs[t])
			if mn == 2 && gap && text || hasRunesAt(rs, skipSpaces(rs, k), dateFollowers) && (gap || i > 0 && rs[i-1] == ' ') {
				return k, dateParts{dmy: true}, true
			}
			break
		}
		dv, dn := digitsAt(rs, k+1, 3)
		e := k + 1 + dn
		if n != 2 || dn == 0 || dn > 2 || !validYMD(2000+v, mv, dv) || e < len(rs) && (isAlnum(rs[e]) || rs[e] == '.') {
			break
		}
		// YY.M.D at a line start, or set off by spaces elsewhere with a
		// plausible year (医师 许文彬  25.1.8)
		if lineStartBefore(rs, i) || i > 0 && rs[i-1] == ' ' && v >= 10 && v <= 39 && (e == len(rs) || strings.ContainsRune(" \t\n\r,，;；。)", rs[e])) {
			return e, dateParts{dmy: true}, true
		}
	case '-':
		if n == 2 && j+9 <= len(rs) && monthAbbr[string(rs[j+1:j+4])] && rs[j+4] == '-' {
			if y, yn := digitsAt(rs, j+5, 5); yn == 4 && y >= 1900 && y <= 2099 && validYMD(y, 1, v) {
				return j + 9, dateParts{dmy: true}, true
			}
		}
	}
	return 0, dateParts{}, false
}

// dateSuffixEnd extends a parsed date ending at end over what still belongs
// to the date expression: a part of the month after a year and month
// (2024年3月中旬, 2023年3月份, 2024年5月初) and 日 or 号 after a dotted or
// dashed date (2024.3.5日), which shiftDate keeps after the shifted date
// (shift true); a lunar day (2024年3月初五) or a list of days (2024年3月5、12日),
// which it cannot shift (shift false: the date is replaced by the tag).
func dateSuffixEnd(rs []rune, end int, p dateParts) (e int, shift bool) {
	e, shift = monthSuffixEnd(rs, end, p)
	if we := weekdayEnd(rs, e); we > e {
		// a weekday names the day too, and kept as written beside a
		// shifted date it would tell the shift modulo 7: shiftDate writes
		// the shifted date's weekday; a date without a year cannot have
		// its weekday computed, so it is tagged whole
		return we, shift && p.hasY && p.hasM && p.hasD
	}
	return e, shift
}

// monthSuffixEnd is dateSuffixEnd without the weekday.
func monthSuffixEnd(rs []rune, end int, p dateParts) (e int, shift bool) {
	switch {
	case p.hasY && p.hasM && !p.hasD && end > 0 && rs[end-1] == '月':
		if le := lunarDayAt(rs, end); le > end && rs[end] == '初' {
			return le, false
		}
		if de := dayListEnd(rs, end); de > end {
			return de, false
		}
		if e, ok := monthDayEnd(rs, end); ok && e > end && !isDigit(rs[end]) && !cnNumeral(rs[end]) {
			return e, true
		}
	case p.sep != 0 && p.hasD && end < len(rs) && (rs[end] == '日' || rs[end] == '号'):
		return end + 1, true
	}
	return end, true
}

// dayListEnd reads a list of days at i (5、12日, 3,17,24号) and returns its
// end after 日 or 号, or i.
func dayListEnd(rs []rune, i int) int {
	k, days := i, 0
	for {
		v, n := digitsAt(rs, k, 3)
		if n < 1 || n > 2 || v < 1 || v > 31 || k+n >= len(rs) {
			return i
		}
		k += n
		days++
		switch {
		case rs[k] == '日' || rs[k] == '号':
			if days < 2 {
				return i // one day: the main scan's
			}
			return k + 1
		case strings.ContainsRune("、,，", rs[k]):
			k++
		default:
			return i
		}
	}
}

// hasRunesAt reports whether one of words starts at rs[i].
func hasRunesAt(rs []rune, i int, words []string) bool {
	for _, w := range words {
		if runesAt(rs, i, w) > 0 {
			return true
		}
	}
	return false
}

// runesAt returns the length in code points of w when it starts at rs[i],
// else 0 (without allocating: this runs at every character of every note).
func runesAt(rs []rune, i int, w string) int {
	n := 0
	for _, r := range w {
		if i+n >= len(rs) || rs[i+n] != r {
			return 0
		}
		n++
	}
	return n
}

// cnNumberAt reads a Chinese numeral from 1 to max (一 … 十二, 二十三, 三十一)
// at i and returns its end, or i.
func cnNumberAt(rs []rune, i, max int) int {
	val, k := 0, i
	for k < len(rs) && k-i < 3 {
		r := rs[k]
		switch {
		case r == '十':
			if val == 0 {
				val = 1
			}
			val *= 10
		case strings.ContainsRune("一二三四五六七八九", r):
			val += strings.Index("一二三四五六七八九", string(r))/len("一") + 1
		default:
			goto done
		}
		k++
	}
done:
	if val < 1 || val > max {
		return i
	}
	return k
}

// digitsAt reads up to max digits at i.
func digitsAt(rs []rune, i, max int) (val, n int) {
	for n < max && i+n < len(rs) && isDigit(rs[i+n]) {
		val = val*10 + int(rs[i+n]-'0')
		n++
	}
	return val, n
}

func skipSpaces(rs []rune, i int) int {
	for i < len(rs) && rs[i] == ' ' {
		i++
	}
	return i
}

// parseDateAt parses a date starting at rs[i] (a digit).
func parseDateAt(rs []rune, i int) (int, dateParts, bool) {
	var p dateParts
	v, n := digitsAt(rs, i, 9)
	j := i + n
	switch {
	case n == 8:
		if j < len(rs) && (isAlnum(rs[j]) || rs[j] == '.') {
			return 0, p, false
		}
		s := string(rs[i:j])
		if !isCompactDate(s) {
			return 0, p, false
		}
		p = dateParts{y: atoi(s[:4]), m: atoi(s[4:6]), d: atoi(s[6:8]), hasY: true, hasM: true, hasD: true, compact: true, mPad: true, dPad: true}
		return j, p, true
	case n == 4 && v >= 1900 && v <= 2099:
		p.y, p.hasY = v, true
		k := skipSpaces(rs, j)
		if k < len(rs) && rs[k] == '年' {
			return parseCNRest(rs, k+1, p)
		}
		if j < len(rs) && (rs[j] == '-' || rs[j] == '/' || rs[j] == '.') {
			return parseSepRest(rs, j, p)
		}
	case n == 2 && j < len(rs) && rs[j] == '年':
		// 23年3月5日: a two-digit year only with month and day (23年3个月 is a duration)
		p.y, p.hasY, p.y2 = 2000+v, true, true
		if v > 50 {
			p.y = 1900 + v
		}
		if end, q, ok := parseCNRest(rs, j+1, p); ok && q.hasD {
			return end, q, true
		} else if ok && q.hasM && (end >= len(rs) || rs[end] != '内' && rs[end] != '余') {
			return end, q, true // 23年12月 (a year and month, not 23年3个月)
		}
		return 0, p, false
	case n <= 2 && j+1 < len(rs) && rs[j] == '-' && mdTimeAt(rs, i):
		// month-day before a clock time, as nursing records write it: 3-21 08:00
		_, mn := digitsAt(rs, j+1, 3)
		return j + 1 + mn, dateParts{dmy: true}, true
	case n <= 2 && j+1 < len(rs) && rs[j] == '/' && dmyAt(rs, i):
		// 5/3/2023, 05/03/2023 (day/month/year, as in some exported forms)
		e := i
		for k := 0; k < 3; k++ {
			_, dn := digitsAt(rs, e, 4)
			e += dn + 1
		}
		return e - 1, dateParts{dmy: true}, true
	case n == 2:
		if j < len(rs) && (rs[j] == '-' || rs[j] == '/') {
			p.y, p.hasY, p.y2 = 2000+v, true, true
			if v > 50 {
				p.y = 1900 + v
			}
			end, q, ok := parseSepRest(rs, j, p)
			if ok && q.hasD {
				return end, q, true
			}
			return 0, p, false
		}
		fallthrough
	case n == 1:
		// month and day: 3月5日
		k := skipSpaces(rs, j)
		if k < len(rs) && rs[k] == '月' && v >= 1 && v <= 12 {
			p.m, p.hasM, p.mPad = v, true, n == 2 && rs[i] == '0'
			k2 := skipSpaces(rs, k+1)
			dv, dn := digitsAt(rs, k2, 3)
			if dn >= 1 && dn <= 2 {
				e := skipSpaces(rs, k2+dn)
				if e < len(rs) && (rs[e] == '日' || rs[e] == '号') && validYMD(2000, v, dv) {
					p.d, p.hasD, p.dPad, p.dayChar = dv, true, dn == 2 && rs[k2] == '0', rs[e]
					return e + 1, p, true
				}
			}
		}
	}
	return 0, p, false
}

// parseCNRest parses what follows "YYYY年".
func parseCNRest(rs []rune, k int, p dateParts) (int, dateParts, bool) {
	yearEnd := k
	// not "1990年代"
	if k < len(rs) && rs[k] == '代' {
		return 0, p, false
	}
	k = skipSpaces(rs, k)
	mv, mn := digitsAt(rs, k, 3)
	if mn < 1 || mn > 2 || mv < 1 || mv > 12 {
		return yearEnd, p, true // year only
	}
	e := skipSpaces(rs, k+mn)
	if e >= len(rs) || rs[e] != '月' {
		return yearEnd, p, true
	}
	p.m, p.hasM, p.mPad = mv, true, mn == 2 && rs[k] == '0'
	monthEnd := e + 1
	k2 := skipSpaces(rs, monthEnd)
	dv, dn := digitsAt(rs, k2, 3)
	if dn >= 1 && dn <= 2 {
		e2 := skipSpaces(rs, k2+dn)
		if e2 < len(rs) && (rs[e2] == '日' || rs[e2] == '号') && validYMD(p.y, mv, dv) {
			p.d, p.hasD, p.dPad, p.dayChar = dv, true, dn == 2 && rs[k2] == '0', rs[e2]
			return e2 + 1, p, true
		}
	}
	return monthEnd, p, true
}

// yearRangeAt reports whether rs[k] is a dash before a year and month in
// the sep form (-2024.02).
func yearRangeAt(rs []rune, k int, sep rune) bool {
	if rs[k] != '-' || sep == '-' {
		return false
	}
	y, n := digitsAt(rs, k+1, 5)
	return n == 4 && y >= 1900 && y <= 2099 && k+5 < len(rs) && rs[k+5] == sep
}

// parseSepRest parses "-MM-DD" / "/M/D" / ".M.D" / "-MM" after a year.
// parseSpacedDotRest parses ". M. D" after a four-digit year with one space
// after each dot (2024. 5. 31), as OCR writes dotted dates.
func parseSpacedDotRest(rs []rune, j int, p dateParts) (int, dateParts, bool) {
	mv, mn := digitsAt(rs, j+2, 3)
	if mn < 1 || mn > 2 || mv < 1 || mv > 12 {
		return 0, p, false
	}
	k := j + 2 + mn
	if k+2 >= len(rs) || rs[k] != '.' || rs[k+1] != ' ' {
		return 0, p, false
	}
	dv, dn := digitsAt(rs, k+2, 3)
	e := k + 2 + dn
	if dn < 1 || dn > 2 || !validYMD(p.y, mv, dv) || e < len(rs) && (isAlnum(rs[e]) || rs[e] == '.' && e+1 < len(rs) && isDigit(rs[e+1])) {
		return 0, p, false
	}
	p.sep, p.m, p.hasM, p.d, p.hasD = '.', mv, true, dv, true
	return e, p, true
}

func parseSepRest(rs []rune, j int, p dateParts) (int, dateParts, bool) {
	sep := rs[j]
	if sep == '.' && p.hasY && !p.y2 && j+2 < len(rs) && rs[j+1] == ' ' && isDigit(rs[j+2]) {
		// 2024. 5. 31: OCR's space after each dot
		return parseSpacedDotRest(rs, j, p)
	}
	mv, mn := digitsAt(rs, j+1, 3)
	if mn < 1 || mn > 2 || mv < 1 || mv > 12 {
		return 0, p, false
	}
	p.sep, p.m, p.hasM, p.mPad = sep, mv, true, mn == 2 && rs[j+1] == '0'
	k := j + 1 + mn
	if k < len(rs) && rs[k] == sep {
		dv, dn := digitsAt(rs, k+1, 3)
		if dn >= 1 && dn <= 2 && validYMD(p.y, mv, dv) {
			e := k + 1 + dn
			if e < len(rs) && (isAlnum(rs[e]) && rs[e] != 'T' || rs[e] == sep && e+1 < len(rs) && isDigit(rs[e+1])) {
				return 0, p, false
			}
			p.d, p.hasD, p.dPad = dv, true, dn == 2 && rs[k+1] == '0'
			return e, p, true
		}
		return 0, p, false
	}
	// year-month only: must not run on into more digits or a decimal, bar
	// a range to another year and month (2023.12-2024.02)
	if k < len(rs) && (isAlnum(rs[k]) || (rs[k] == '.' || rs[k] == '/' || rs[k] == '-') && k+1 < len(rs) && isDigit(rs[k+1]) && !yearRangeAt(rs, k, sep)) {
		return 0, p, false
	}
	if sep == '/' && p.y2 {
		return 0, p, false
	}
	return k, p, true
}
