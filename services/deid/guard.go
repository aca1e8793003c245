package deid

import (
	"regexp"
	"strings"
)

// The leak guard is a second, independent pass over de-identified text with
// a few simple high-precision scanners (its own code, not the recognizers):
// resident ID numbers (18 digits with a valid check character, 15 digits with
// a valid province and birth date), mobile numbers and e-mail addresses. Any
// hit fails the note closed.

var guardEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+\.)+[A-Za-z]{2,}`)

// reservedDomains are the RFC 2606 example domains surrogates use.
var reservedDomains = []string{"@example.com", "@example.org", "@example.net"}

// guardDigits returns the digit runs of s (full-width folded), joining digits
// separated by a space, a dash, or a dash with spaces around it (138 - 1234)
// so spaced numbers are seen whole.
func guardDigits(s string) []string {
	var runs []string
	var cur []byte
	sepLen, dashes := 0, 0
	flush := func() {
		if len(cur) > 0 {
			runs = append(runs, string(cur))
		}
		cur = cur[:0]
		sepLen, dashes = 0, 0
	}
	for _, r := range s {
		r = foldRune(r)
		switch {
		case r >= '0' && r <= '9', (r == 'X' || r == 'x') && len(cur) == 17:
			if r == 'x' {
				r = 'X'
			}
			cur = append(cur, byte(r))
			sepLen, dashes = 0, 0
		case (r == ' ' || r == '-') && len(cur) > 0 && sepLen < 3 && (r == ' ' || dashes == 0) && !(r == ' ' && sepLen == 1 && dashes == 0):
			sepLen++
			if r == '-' {
				dashes++
			}
		default:
			flush()
		}
	}
	flush()
	return runs
}

// leakCheck returns the counts of identifiers of each type found in s.
func leakCheck(s string) map[string]int {
	found := map[string]int{}
	for _, run := range guardDigits(s) {
		switch {
		case len(run) == 18 && ValidID18(run), len(run) == 15 && ValidID15(run):
			found[IDNumber]++
		case isMobile(run), len(run) == 13 && run[:2] == "86" && isMobile(run[2:]):
			found[Phone]++
		}
	}
	if strings.ContainsAny(s, "@＠") {
		for _, m := range guardEmail.FindAllString(strings.Map(foldRune, s), -1) {
			if !hasAny(strings.ToLower(m), reservedDomains) {
				found[Email]++
			}
		}
	}
	return found
}
