package ingest

import (
	"fmt"
	"strings"
	"time"
)

// Plausible visit years; anything outside is treated as a data error.
const (
	minVisitYear = 1900
	maxVisitYear = 2100
)

// NormalizeDate turns a visit date in one of the forms hospital exports use
// into YYYY-MM-DD:
//
//	2023-03-05  2023/3/5  2023.3.5  2023年3月5日  20230305
//
// each optionally followed by a time ("2023-03-05 14:30:00",
// "2023-03-05T14:30", "2023年3月5日 14时30分"). Full-width digits are
// accepted. ok is false for anything else, and for impossible or
// implausible dates (2023-02-30, year 1066).
func NormalizeDate(s string) (date string, ok bool) {
	s = strings.TrimSpace(toHalfWidthDigits(s))
	if s == "" {
		return "", false
	}
	y, m, d, rest, ok := splitDate(s)
	if !ok || !validTime(rest) {
		return "", false
	}
	if y < minVisitYear || y > maxVisitYear || m < 1 || m > 12 || d < 1 {
		return "", false
	}
	if t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC); t.Day() != d {
		return "", false // e.g. February 30th
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}

// splitDate reads year, month and day and returns what follows them.
func splitDate(s string) (y, m, d int, rest string, ok bool) {
	// Compact form: exactly 8 digits, then end or a time part.
	if n := leadingDigits(s); n == 8 {
		y, m, d = atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8])
		return y, m, d, s[8:], true
	}
	var digits [3]string
	for i := range 3 {
		n := leadingDigits(s)
		if n == 0 || (i == 0 && n != 4) || (i > 0 && n > 2) {
			return 0, 0, 0, "", false
		}
		digits[i], s = s[:n], s[n:]
		sep := ""
		switch i {
		case 0:
			for _, c := range []string{"-", "/", ".", "年"} {
				if strings.HasPrefix(s, c) {
					sep = c
					break
				}
			}
		case 1:
			for _, c := range []string{"-", "/", ".", "月"} {
				if strings.HasPrefix(s, c) {
					sep = c
					break
				}
			}
		case 2:
			for _, c := range []string{"日", "号"} {
				if strings.HasPrefix(s, c) {
					sep = c
					break
				}
			}
		}
		if sep == "" && i < 2 {
			return 0, 0, 0, "", false
		}
		s = s[len(sep):]
	}
	return atoi(digits[0]), atoi(digits[1]), atoi(digits[2]), s, true
}

// validTime accepts an empty rest or a time of day after a separator:
// "14:30", "14:30:00", "14:30:00.123", optional "Z" or "+08:00", or
// "14时30分(00秒)".
func validTime(rest string) bool {
	if rest == "" {
		return true
	}
	switch {
	case strings.HasPrefix(rest, "T"):
		rest = rest[1:]
	case strings.HasPrefix(rest, " "), strings.HasPrefix(rest, "\t"):
		rest = strings.TrimLeft(rest, " \t")
	default:
		return false
	}
	if rest == "" {
		return false
	}
	hour, rest, ok := twoDigits(rest)
	if !ok || hour > 23 {
		return false
	}
	if strings.HasPrefix(rest, "时") || strings.HasPrefix(rest, "点") {
		rest = rest[len("时"):]
		if rest == "" {
			return true
		}
		min, r, ok := twoDigits(rest)
		if !ok || min > 59 || !strings.HasPrefix(r, "分") {
			return false
		}
		rest = r[len("分"):]
		if rest == "" {
			return true
		}
		sec, r, ok := twoDigits(rest)
		return ok && sec <= 60 && r == "秒"
	}
	if !strings.HasPrefix(rest, ":") {
		return false
	}
	min, rest, ok := twoDigits(rest[1:])
	if !ok || min > 59 {
		return false
	}
	if strings.HasPrefix(rest, ":") {
		var sec int
		sec, rest, ok = twoDigits(rest[1:])
		if !ok || sec > 60 {
			return false
		}
		if strings.HasPrefix(rest, ".") {
			n := leadingDigits(rest[1:])
			if n == 0 {
				return false
			}
			rest = rest[1+n:]
		}
	}
	switch {
	case rest == "", rest == "Z":
		return true
	case rest[0] == '+' || rest[0] == '-':
		h, r, ok := twoDigits(rest[1:])
		if !ok || h > 14 {
			return false
		}
		r = strings.TrimPrefix(r, ":")
		if r == "" {
			return true
		}
		m, r, ok := twoDigits(r)
		return ok && m <= 59 && r == ""
	}
	return false
}

// twoDigits reads one or two leading digits.
func twoDigits(s string) (int, string, bool) {
	n := leadingDigits(s)
	if n == 0 || n > 2 {
		return 0, s, false
	}
	return atoi(s[:n]), s[n:], true
}

func leadingDigits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// toHalfWidthDigits maps full-width digits, colon, hyphen, slash, full stop
// and space (common in Chinese exports) to their ASCII forms.
func toHalfWidthDigits(s string) string {
	if isASCIIString(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '：':
			return ':'
		case r == '－':
			return '-'
		case r == '／':
			return '/'
		case r == '．':
			return '.'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}
