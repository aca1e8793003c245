package deid

import "strings"

// Short dates named by their field: a day written M.D, M/D or M-D is a date
// when a date word labels it, right before it (随访日期 3.5, 复诊：4/12) or as
// the header of its table column (| 随访日期 | 血压 | … then | 3/5 | 150/90 |;
// CSV and tab-separated rows alike). Without such a label the same shapes
// are acuities, ratios and doses, left to logDates and shortDateAt's
// narrower contexts. Recognised and replaced by the tag (no year).

// dateFieldWords label a field or column that holds a date.
var dateFieldWords = []string{"日期", "时间", "随访", "复诊", "就诊", "复查", "检查日", "签约", "date", "Date", "DATE"}

// calendarDay is a month and day written M.D, M/D or M-D (one or two digits
// each) that is a calendar date.
type calendarDay struct {
	m, d   int
	mn, dn int  // digits written
	sep    rune // '.', '/' or '-'
	end    int  // after the day
}

// monthDayAt parses a calendarDay at i; ok is false when there is none.
func monthDayAt(rs []rune, i int) (md calendarDay, ok bool) {
	m, mn := digitsAt(rs, i, 3)
	j := i + mn
	if mn == 0 || mn > 2 || j+1 >= len(rs) || !strings.ContainsRune("./-", rs[j]) {
		return md, false
	}
	d, dn := digitsAt(rs, j+1, 3)
	if dn == 0 || dn > 2 || !validYMD(2000, m, d) {
		return md, false
	}
	return calendarDay{m: m, d: d, mn: mn, dn: dn, sep: rs[j], end: j + 1 + dn}, true
}

// shortNumericDateAt matches M.D, M/D or M-D at i: a valid month and day not
// running on into more digits, separators or a unit. It returns the end, or 0.
func shortNumericDateAt(rs []rune, i int) int {
	md, ok := monthDayAt(rs, i)
	if e := md.end; !ok || e < len(rs) && (isAlnum(rs[e]) || strings.ContainsRune("./-%:", rs[e]) || strings.ContainsRune(logUnits, rs[e])) {
		return 0
	}
	return md.end
}

func fieldDates(d *doc, out []Span) []Span {
	rs := d.runes
	// a date word, then a colon and/or spaces, then the short date
	for i := 0; i < len(rs); i++ {
		if !isDigit(rs[i]) || i > 0 && (isDigit(rs[i-1]) || rs[i-1] == '.' || rs[i-1] == '-' || rs[i-1] == '/') {
			continue
		}
		k := i - 1
		for k >= 0 && (rs[k] == ' ' || rs[k] == '\t' || rs[k] == ':' || rs[k] == '：' || rs[k] >= '①' && rs[k] <= '⑳') {
			k--
		}
		if k == i-1 || k < 0 {
			continue
		}
		if !endsWithAny(rs[:k+1], dateFieldWords) || labTimeAt(rs, k+1) {
			continue
		}
		if e := shortNumericDateAt(rs, i); e > 0 {
			out = append(out, Span{Start: i, End: e, Label: Date, Score: 0.85, Recognizer: "date"})
			i = e - 1
		}
	}
	return out
}

// labTimeAt reports whether rs[:end] ends with a laboratory time (凝血酶原时间,
// 出血时间, 活化部分凝血活酶时间): a measurement in seconds, not a date.
func labTimeAt(rs []rune, end int) bool {
	return end >= 3 && runesAt(rs, end-2, "时间") == 2 && strings.ContainsRune("血酶原活", rs[end-3])
}

// endsWithAny reports whether rs ends with one of words.
func endsWithAny(rs []rune, words []string) bool {
	for _, w := range words {
		n := runeLen(w)
		if n <= len(rs) && runesAt(rs, len(rs)-n, w) == n {
			return true
		}
	}
	return false
}

// hasAnyWord reports whether one of words occurs in rs.
func hasAnyWord(rs []rune, words []string) bool {
	s := string(rs)
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
