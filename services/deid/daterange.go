package deid

import "strings"

// Dates the main scan leaves half found:
//   - the short second half of a range after a full date: 2024年3月5日至9日,
//     3月5日-7日 (a day), 2024.3.5-3.9 and 2024-03-05~03-09 (a month and
//     day in the first half's form);
//   - a month range after a year: 2024年3-4月;
//   - a day after a relative month: 本月15日, 下月10号;
//   - 元月 (the first month): 2024年元月5日.
//
// They are replaced by the tag, not shifted (the shift reads whole dates).

// rangeMarksAll join the two halves of a range.
const rangeMarksAll = "-—–~～至到"

// relMonths are months named relative to the note's date.
var relMonths = []string{"本月", "下月", "上月", "次月", "当月", "同月", "下个月", "上个月"}

func dateRanges(d *doc, out []Span) []Span {
	rs := d.runes
	n := len(out)
	for k := 0; k < n; k++ {
		sp := out[k]
		if sp.Label != Date && sp.Label != DateOfBirth || sp.End >= len(rs)-1 || !strings.ContainsRune(rangeMarksAll, rs[sp.End]) {
			continue
		}
		m := sp.End + 1
		last := rs[sp.End-1]
		switch {
		case last == '日' || last == '号':
			// 至9日, -7号 (a month and day after it is the main scan's)
			if v, dn := digitsAt(rs, m, 3); dn >= 1 && dn <= 2 && v >= 1 && v <= 31 && m+dn < len(rs) && (rs[m+dn] == '日' || rs[m+dn] == '号') {
				out = append(out, Span{Start: m, End: m + dn + 1, Label: Date, Score: 0.9, Recognizer: "date"})
			}
		case isDigit(last):
			// 2024.3.5-3.9, 2024-03-05~03-09: month and day in the first half's separator
			sep := sepOf(rs[sp.Start:sp.End])
			if sep == 0 {
				continue
			}
			mv, mn := digitsAt(rs, m, 3)
			if mn < 1 || mn > 2 || mv < 1 || mv > 12 || m+mn >= len(rs) || rs[m+mn] != sep {
				continue
			}
			dv, dn := digitsAt(rs, m+mn+1, 3)
			e := m + mn + 1 + dn
			if dn < 1 || dn > 2 || dv < 1 || dv > 31 || e < len(rs) && (isDigit(rs[e]) || rs[e] == sep || rs[e] == '.') {
				continue
			}
			out = append(out, Span{Start: m, End: e, Label: Date, Score: 0.9, Recognizer: "date"})
		}
	}
	for i := 0; i < len(rs); i++ {
		switch {
		case rs[i] == '年' && i > 0 && isDigit(rs[i-1]):
			// 2024年3-4月
			mv, mn := digitsAt(rs, i+1, 3)
			j := i + 1 + mn
			if mn < 1 || mn > 2 || mv < 1 || mv > 12 || j >= len(rs) || !strings.ContainsRune(rangeMarksAll, rs[j]) {
				continue
			}
			if e := monthNumberAt(rs, j+1); e > 0 {
				out = append(out, Span{Start: i + 1, End: e, Label: Date, Score: 0.9, Recognizer: "date"})
				i = e - 1
			}
		case rs[i] == '元' && d.at(i+1) == '月':
			// 元月, 元月5日
			e := i + 2
			if v, dn := digitsAt(rs, e, 3); dn >= 1 && dn <= 2 && v >= 1 && v <= 31 && e+dn < len(rs) && (rs[e+dn] == '日' || rs[e+dn] == '号') {
				e += dn + 1
			}
			out = append(out, Span{Start: i, End: e, Label: Date, Score: 0.9, Recognizer: "date"})
			i = e - 1
		case strings.ContainsRune("本下上次当同", rs[i]):
			// 本月15日, 下月10号
			rm := longestAt(rs, i, relMonths)
			if rm == 0 {
				continue
			}
			v, dn := digitsAt(rs, rm, 3)
			e := rm + dn
			if dn >= 1 && dn <= 2 && v >= 1 && v <= 31 && e < len(rs) && (rs[e] == '日' || rs[e] == '号') {
				out = append(out, Span{Start: i, End: e + 1, Label: Date, Score: 0.9, Recognizer: "date"})
				i = e
			} else if dd := cnNumberAt(rs, rm, 31); dd > rm && dd < len(rs) && (rs[dd] == '日' || rs[dd] == '号') {
				out = append(out, Span{Start: i, End: dd + 1, Label: Date, Score: 0.9, Recognizer: "date"})
				i = dd
			}
		}
	}
	return out
}

// sepOf is the separator of a dotted, dashed or slashed date (0 for none).
func sepOf(rs []rune) rune {
	for _, r := range rs {
		if r == '.' || r == '-' || r == '/' {
			return r
		}
	}
	return 0
}
