package deid

import "strings"

// Month-precision dates without a written year, which still pin a calendar
// month: a month after a relative year (今年3月, 去年十月), a month with
// 份 or a part of the month (6月份, 6月下旬, 8月初), the second month of a
// range (2024年3月至7月; not 1月-3月龄), and lunar dates (正月初四, 农历腊月二十三,
// 大年三十). They are recognised and replaced by the tag (not shifted).
// Durations (3个月, 术后3月) never match: a month needs one of these
// contexts.

// relYears are relative years that anchor a month (今年3月).
var relYears = []string{"今年", "去年", "前年", "明年", "当年", "同年", "次年", "翌年"}

// monthParts follow a month and make it a date (6月份, 6月下旬).
var monthParts = []string{"份", "上旬", "中旬", "下旬", "初", "底", "末", "中下旬", "中上旬"}

// rangeMarks join the two months of a range (3月至7月, 3月~7月).
const rangeMarks = "至到~～-"

// monthNumberAt reads a month (1–12 in digits or Chinese numerals) followed
// by 月 at i and returns the end after 月, or 0.
func monthNumberAt(rs []rune, i int) int {
	if v, n := digitsAt(rs, i, 3); n > 0 {
		if n > 2 || v < 1 || v > 12 || i+n >= len(rs) || rs[i+n] != '月' {
			return 0
		}
		return i + n + 1
	}
	if m := cnNumberAt(rs, i, 12); m > i && m < len(rs) && rs[m] == '月' {
		return m + 1
	}
	return 0
}

// monthDayEnd extends a month ending at e over a day (5日, 五号) or a part
// of the month (份, 下旬), and reports whether it found one.
func monthDayEnd(rs []rune, e int) (int, bool) {
	if v, n := digitsAt(rs, e, 3); n > 0 && n <= 2 && v >= 1 && v <= 31 && e+n < len(rs) && (rs[e+n] == '日' || rs[e+n] == '号') {
		return e + n + 1, true
	}
	if dd := cnNumberAt(rs, e, 31); dd > e && dd < len(rs) && (rs[dd] == '日' || rs[dd] == '号') {
		return dd + 1, true
	}
	if e >= len(rs) || !strings.ContainsRune("份上中下初底末", rs[e]) {
		return e, false
	}
	best := 0
	for _, w := range monthParts {
		if hasRunesAt(rs, e, []string{w}) && runeLen(w) > best {
			best = runeLen(w)
		}
	}
	return e + best, best > 0
}

func monthDates(d *doc, out []Span) []Span {
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r < '0' || r > '9' && r < 0x4e00 {
			continue // only digits and Chinese characters start these dates
		}
		switch {
		case r == '年' && i > 0 && hasRunesAt(rs, i-1, relYears):
			// 今年3月, 去年十月份, 今年3月5日 (the day is found by the
			// digit scan too; the union is tagged)
			if e := monthNumberAt(rs, i+1); e > 0 {
				e, _ = monthDayEnd(rs, e)
				out = append(out, Span{Start: i - 1, End: e, Label: Date, Score: 0.9, Recognizer: "date"})
				i = e - 1
			}
		case (isDigit(r) || cnNumeral(r)) && (i == 0 || !isDigit(rs[i-1]) && !cnNumeral(rs[i-1]) && !strings.ContainsRune("〇零个第.年", rs[i-1])):
			e := monthNumberAt(rs, i)
			if e == 0 {
				continue
			}
			if le := lunarDayAt(rs, e); le > e+1 && rs[e] == '初' && cnNumeral(r) {
				// 十月初一, 八月初三: a lunar day after a month in numerals
				out = append(out, Span{Start: i, End: le, Label: Date, Score: 0.9, Recognizer: "date"})
				i = le - 1
				continue
			}
			if end, ok := monthDayEnd(rs, e); ok && !isDigit(d.at(e)) && !strings.ContainsRune(cnDigits+"十", d.at(e)) {
				// 6月份, 6月下旬 (a day after 月 is the digit scan's: 6月5日)
				out = append(out, Span{Start: i, End: end, Label: Date, Score: 0.9, Recognizer: "date"})
				i = end - 1
				continue
			}
			if ends := monthListAt(rs, i); len(ends) >= 2 {
				// 注药3次（3月、4月、5月各1次）: a list of months (a list
				// that is not is skipped whole: 术后1月、3月、6月)
				if monthListDates(rs, i, ends) {
					s := i
					for _, le := range ends {
						out = append(out, Span{Start: s, End: le, Label: Date, Score: 0.8, Recognizer: "date"})
						s = skipSpaces(rs, le+1)
					}
				}
				i = ends[len(ends)-1] - 1
				continue
			}
			if i >= 2 && strings.ContainsRune(rangeMarks, rs[i-1]) && strings.ContainsRune("月日号", rs[i-2]) && !strings.ContainsRune("龄余内后前大左", d.at(e)) {
				// 2024年3月至7月: the end of a range of dates
				end, _ := monthDayEnd(rs, e)
				out = append(out, Span{Start: i, End: max(end, e), Label: Date, Score: 0.9, Recognizer: "date"})
				i = max(end, e) - 1
			}
		case (r == '正' || r == '冬' || r == '腊') && d.at(i+1) == '月' || r == '年' && i > 0 && rs[i-1] == '大':
			// lunar: 正月初四, 腊月二十三, 大年初一, 大年三十
			s, e := i, i+2
			if r == '年' {
				s = i - 1
				e = i + 1
			}
			if le := lunarDayAt(rs, e); le > 0 {
				if s >= 2 && d.slice(s-2, s) == "农历" {
					s -= 2
				}
				out = append(out, Span{Start: s, End: le, Label: Date, Score: 0.9, Recognizer: "date"})
				i = le - 1
			}
		case r == '农' && d.at(i+1) == '历':
			// 农历八月十五, 农历3月初6
			e := monthNumberAt(rs, i+2)
			if e == 0 {
				continue
			}
			if le := lunarDayAt(rs, e); le > 0 {
				e = le
			} else if de, ok := monthDayEnd(rs, e); ok {
				e = de
			} else if v, n := digitsAt(rs, e, 3); n > 0 && n <= 2 && v >= 1 && v <= 30 {
				e += n
			} else if dd := cnNumberAt(rs, e, 30); dd > e {
				e = dd
			}
			out = append(out, Span{Start: i, End: e, Label: Date, Score: 0.9, Recognizer: "date"})
			i = e - 1
		}
	}
	return out
}

// monthListAt reads a list of two or more bare months at i, joined by 、 or
// ， in ascending order (3月、4月、5月各1次), and returns the end of each; nil
// when there is none (monthListDates decides whether they are dates).
func monthListAt(rs []rune, i int) []int {
	var ends []int
	prev := 0
	k := i
	for {
		v, n := digitsAt(rs, k, 3)
		if n == 0 || n > 2 || v < 1 || v > 12 || v <= prev || k+n >= len(rs) || rs[k+n] != '月' {
			break
		}
		e := k + n + 1
		if e < len(rs) && (isDigit(rs[e]) || strings.ContainsRune("日号份初中下上底末", rs[e])) {
			break // 3月5日, 3月份: the other scans' dates
		}
		ends, prev = append(ends, e), v
		if e+1 >= len(rs) || !strings.ContainsRune("、，,", rs[e]) {
			break
		}
		k = skipSpaces(rs, e+1)
	}
	return ends
}

// monthListDates reports whether the list ends (monthListAt) at i are dates:
// two or more, not counted from an operation or a start, not a duration,
// not the tail of a longer list (第1天、1周、1月、3月复查).
func monthListDates(rs []rune, i int, ends []int) bool {
	if len(ends) < 2 || i >= 2 && hasRunesAt(rs, i-2, []string{"术后", "治后", "疗后", "疗程"}) || i >= 1 && strings.ContainsRune("后每约近满程、，,", rs[i-1]) {
		return false
	}
	last := ends[len(ends)-1]
	return last >= len(rs) || !strings.ContainsRune("后余内前龄大左以", rs[last])
}

// lunarDayAt reads a lunar day at i (初一 … 初十, 十一 … 十九, 二十,
// 廿一, 二十三, 三十) and returns its end, or 0.
func lunarDayAt(rs []rune, i int) int {
	if i >= len(rs) {
		return 0
	}
	if rs[i] == '初' {
		if e := cnNumberAt(rs, i+1, 10); e > i+1 {
			return e
		}
		return 0
	}
	if rs[i] == '廿' && i+1 < len(rs) && strings.ContainsRune("一二三四五六七八九", rs[i+1]) {
		return i + 2
	}
	if e := cnNumberAt(rs, i, 30); e > i+1 || e == i+1 && rs[i] == '十' {
		return e
	}
	return 0
}

// cnNumeral reports whether r is a Chinese numeral from 一 to 十.
func cnNumeral(r rune) bool {
	switch r {
	case '一', '二', '三', '四', '五', '六', '七', '八', '九', '十':
		return true
	}
	return false
}
