package deid

import (
	"strings"
	"time"
)

// Weekdays written after a date (2025年4月2日 周三, 2025-04-16（星期三）)
// belong to the date: dateSuffixEnd takes them into the span and shiftDate
// writes the shifted date's weekday in the same words.

var weekdayWords = []string{"星期", "礼拜", "周"}

// weekdayDigits are the day characters after 周/星期/礼拜, Sunday first.
const weekdayDigits = "日一二三四五六"

// weekdayEnd reads a weekday at i, after at most one space or inside
// brackets, and returns its end (after the closing bracket), or i.
func weekdayEnd(rs []rune, i int) int {
	j := i
	open := false
	switch {
	case j < len(rs) && (rs[j] == '(' || rs[j] == '（'):
		open = true
		j++
	case j < len(rs) && rs[j] == ' ':
		j++
	}
	w := longestAt(rs, j, weekdayWords)
	if w == 0 || w >= len(rs) || !strings.ContainsRune(weekdayDigits+"天", rs[w]) {
		return i
	}
	e := w + 1
	if e < len(rs) && isHan(rs[e]) && !open && !strings.ContainsRune("上下中晚早", rs[e]) {
		return i // 周三次 is not a weekday; 周三上午 is
	}
	if open {
		if e >= len(rs) || rs[e] != ')' && rs[e] != '）' {
			return i
		}
		e++
	}
	return e
}

// withWeekday rewrites the weekday in a date's suffix to wd, keeping its
// words (周, 星期, 礼拜; 天 for Sunday after 星期 or 礼拜 when so written).
func withWeekday(suffix []rune, wd time.Weekday) []rune {
	for k := range suffix {
		w := longestAt(suffix, k, weekdayWords)
		if w == 0 || w >= len(suffix) || !strings.ContainsRune(weekdayDigits+"天", suffix[w]) {
			continue
		}
		out := append([]rune(nil), suffix...)
		c := []rune(weekdayDigits)[wd]
		if wd == time.Sunday && suffix[w] == '天' {
			c = '天'
		}
		out[w] = c
		return out
	}
	return suffix
}
