package deid

import (
	"fmt"
	"strconv"
	"time"
)

// Date shifting: every date of a patient moves by the same offset (from
// DateOffset), so intervals between visits survive exactly for full dates.
// The written form is kept: 2023年3月5日 stays 年月日, 2023-03-05 keeps its
// separator and zero padding, two-digit years stay two digits, 号 stays 号.
//   - partial dates (3月5日) are shifted within the note's visit year
//     (or 2001, 2000 for 2月29日) and written again without a year;
//   - year-month dates (2023年3月, 2023-03) shift the 15th of that month;
//   - year-only dates (2019年) shift 2 July of that year;
// so a partial date lands within a year of the true one, like the rest.
// DATE_OF_BIRTH is shifted the same way and then written as the year only
// (1956年 / 1956); when the patient is 90 or older at the visit even the year
// is withheld and the tag 〔出生日期〕 is written (HIPAA Safe Harbor).

func pad(v int, padded bool) string {
	if padded {
		return fmt.Sprintf("%02d", v)
	}
	return strconv.Itoa(v)
}

func addDays(y, m, d, off int) (int, int, int) {
	t := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC).AddDate(0, 0, off)
	return t.Year(), int(t.Month()), t.Day()
}

// shiftDate parses s (a span found by the date recognizer) and returns it
// shifted by off days in the same form. refYear anchors partial dates.
func shiftDate(s string, off, refYear int) (string, bool) {
	rs := []rune(newDoc(s).norm)
	if len(rs) == 0 || !isDigit(rs[0]) {
		return "", false
	}
	end, p, ok := parseDateAt(rs, 0)
	if !ok {
		return "", false
	}
	if se, shift := dateSuffixEnd(rs, end, p); se != len(rs) || !shift {
		return "", false
	}
	shifted, ok := shiftParsed(p, off, refYear)
	if !ok {
		return "", false
	}
	suffix := rs[end:] // 中旬, 份, 日 as written; a weekday rewritten
	if p.hasY && p.hasM && p.hasD {
		y, m, d := addDays(p.y, p.m, p.d, off)
		suffix = withWeekday(suffix, time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC).Weekday())
	}
	return shifted + string(suffix), true
}

func shiftParsed(p dateParts, off, refYear int) (string, bool) {
	switch {
	case p.hasY && p.hasM && p.hasD:
		y, m, d := addDays(p.y, p.m, p.d, off)
		return formatDate(p, y, m, d), true
	case p.hasY && p.hasM:
		y, m, _ := addDays(p.y, p.m, 15, off)
		return formatDate(p, y, m, 0), true
	case p.hasY:
		y, _, _ := addDays(p.y, 7, 2, off)
		return formatDate(p, y, 0, 0), true
	case p.hasM && p.hasD:
		ry := refYear
		if ry == 0 {
			ry = 2001
		}
		if p.m == 2 && p.d == 29 && daysIn(ry, 2) != 29 {
			ry = 2000
		}
		_, m, d := addDays(ry, p.m, p.d, off)
		return formatDate(p, 0, m, d), true
	}
	return "", false
}

// formatDate writes y/m/d (0 = absent) in the form p was written in.
func formatDate(p dateParts, y, m, d int) string {
	ys := strconv.Itoa(y)
	if p.y2 {
		ys = fmt.Sprintf("%02d", y%100)
	}
	switch {
	case p.compact:
		return fmt.Sprintf("%04d%02d%02d", y, m, d)
	case p.sep != 0:
		s := ys + string(p.sep) + pad(m, p.mPad)
		if p.hasD {
			s += string(p.sep) + pad(d, p.dPad)
		}
		return s
	}
	s := ""
	if p.hasY {
		s = ys + "年"
	}
	if p.hasM {
		s += pad(m, p.mPad) + "月"
	}
	if p.hasD {
		s += pad(d, p.dPad) + string(p.dayChar)
	}
	return s
}

// birthYear parses a DATE_OF_BIRTH span and returns its shifted year, the
// original year and whether it was written with 年.
func birthYear(s string, off int) (shifted, orig int, cn bool, ok bool) {
	rs := []rune(newDoc(s).norm)
	if len(rs) == 0 || !isDigit(rs[0]) {
		return 0, 0, false, false
	}
	_, p, good := parseDateAt(rs, 0)
	if !good || !p.hasY {
		return 0, 0, false, false
	}
	m, d := p.m, p.d
	if !p.hasM {
		m = 7
	}
	if !p.hasD {
		d = 2
		if !p.hasM {
			d = 2
		}
	}
	y, _, _ := addDays(p.y, m, d, off)
	return y, p.y, p.sep == 0 && !p.compact, true
}

// shiftVisitDate shifts a YYYY-MM-DD visit date.
func shiftVisitDate(v string, off int) (string, error) {
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return "", fmt.Errorf("visit_date is not YYYY-MM-DD")
	}
	return t.AddDate(0, 0, off).Format("2006-01-02"), nil
}
