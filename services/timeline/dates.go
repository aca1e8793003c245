package timeline

import "time"

// Dates are YYYY-MM-DD strings, which order as text; "" (unknown) sorts last.

func cmpDate(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	case a < b:
		return -1
	}
	return 1
}

func minDate(a, b string) string {
	if cmpDate(b, a) < 0 {
		return b
	}
	return a
}

func maxDate(a, b string) string {
	if a == "" || b != "" && b > a {
		return b
	}
	return a
}

func daysBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}
