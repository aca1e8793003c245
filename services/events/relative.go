package events

import (
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"bingli/services/note"
)

// Relative times, resolved against the visit date:
//
//	2年前 / 3天前 / 半年前          past: visit minus the amount
//	术后1周 / 术后第3天 / 术后3月    since_procedure: the procedure was then
//	3个月后复查 / 1周后复诊 / 两周后随诊  follow_up: visit plus the amount
//
// Precision follows the unit (天 day, 周 week, 月 month, 年 year).
var relativeRe = regexp.MustCompile(
	`(术后)?(第)?([0-9]+|[一二两三四五六七八九十半]+)\s*(?:个)?(天|日|周|星期|月|年)(?:余)?(前|后|以后|之后)?(复查|复诊|随诊|随访|门诊复查|再来|再次[\p{Han}]{1,3}|拆线|手术|注射)?`)

var cnNum = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9, '十': 10}

// amount parses 3, 十二, 两, 半 (half: returned as -1).
func amount(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n > 0 && n < 1000
	}
	if s == "半" {
		return -1, true
	}
	rs := []rune(s)
	switch len(rs) {
	case 1:
		n, ok := cnNum[rs[0]]
		return n, ok
	case 2: // 十二, 二十
		if rs[0] == '十' {
			n, ok := cnNum[rs[1]]
			return 10 + n, ok
		}
		if rs[1] == '十' {
			n, ok := cnNum[rs[0]]
			return n * 10, ok
		}
	case 3: // 二十三
		if rs[1] == '十' {
			a, ok1 := cnNum[rs[0]]
			b, ok2 := cnNum[rs[2]]
			return a*10 + b, ok1 && ok2
		}
	}
	return 0, false
}

// relativeTimes finds and resolves relative time expressions in text.
func relativeTimes(text string, visit string) []note.TimeExpression {
	vd, visitErr := time.Parse(time.DateOnly, visit)
	var out []note.TimeExpression
	for _, m := range relativeRe.FindAllStringSubmatchIndex(text, -1) {
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return text[m[2*i]:m[2*i+1]]
		}
		surgery, num, unit, dir, follow := g(1) != "", g(3), g(4), g(5), g(6)
		var kind string
		switch {
		case surgery:
			kind = "since_procedure"
		case dir == "前":
			kind = "past"
		case dir != "" && follow != "":
			kind = "follow_up"
		default:
			continue // a bare duration (病程3年, 每日3次) is not a point in time
		}
		n, ok := amount(num)
		if !ok {
			continue
		}
		precision := map[string]string{"天": "day", "日": "day", "周": "week", "星期": "week", "月": "month", "年": "year"}[unit]
		te := note.TimeExpression{Kind: kind, Precision: precision,
			Start: utf8.RuneCountInString(text[:m[0]]), Text: text[m[0]:m[1]]}
		te.End = te.Start + utf8.RuneCountInString(te.Text)
		if visitErr == nil {
			sign := 1
			if kind != "follow_up" {
				sign = -1
			}
			te.Date = shift(vd, n, unit, sign).Format(time.DateOnly)
		}
		out = append(out, te)
	}
	return out
}

func shift(d time.Time, n int, unit string, sign int) time.Time {
	half := n < 0
	switch unit {
	case "天", "日":
		return d.AddDate(0, 0, sign*n)
	case "周", "星期":
		if half {
			return d.AddDate(0, 0, sign*3)
		}
		return d.AddDate(0, 0, sign*7*n)
	case "月":
		if half {
			return d.AddDate(0, 0, sign*15)
		}
		return addMonths(d, sign*n)
	default: // 年
		if half {
			return addMonths(d, sign*6)
		}
		return addMonths(d, sign*12*n)
	}
}

// addMonths moves d by n calendar months, clamping to the month's last day
// (Jan 31 + 1 month = Feb 28/29, not Mar 3).
func addMonths(d time.Time, n int) time.Time {
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location()).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, d.Location())
}
