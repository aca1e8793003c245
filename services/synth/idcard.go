package synth

import (
	"fmt"
	"strings"
	"time"
)

// Resident identity card numbers (GB 11643-1999): six-digit region code,
// birth date, three-digit sequence (odd for men, even for women) and an
// ISO 7064 MOD 11-2 check character. The 15-digit first-generation form has
// a two-digit year and no check character.

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar returns the ISO 7064 MOD 11-2 check character for the first 17
// digits of an 18-digit resident ID number.
func IDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("id check: want 17 digits, got %d characters", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("id check: %q is not a digit", c)
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11], nil
}

// ValidResidentID reports whether s is a well-formed resident ID number: 18
// characters with a valid birth date and check character, or the old 15-digit
// form with a valid birth date. Spaces (as some notes write them) are ignored.
func ValidResidentID(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	switch len(s) {
	case 18:
		want, err := IDCheckChar(s[:17])
		if err != nil {
			return false
		}
		got := s[17]
		if got == 'x' {
			got = 'X'
		}
		return got == want && validDate(s[6:14], "20060102")
	case 15:
		for i := 0; i < 15; i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return validDate("19"+s[6:12], "20060102")
	}
	return false
}

func validDate(s, layout string) bool {
	t, err := time.Parse(layout, s)
	return err == nil && t.Format(layout) == s
}

// residentID builds an 18-digit ID number; seq is 0..999 and its parity is
// forced to match the sex.
func residentID(regionCode string, dob time.Time, male bool, seq int) string {
	seq %= 1000
	if male != (seq%2 == 1) {
		seq ^= 1
	}
	first := fmt.Sprintf("%s%s%03d", regionCode, dob.Format("20060102"), seq)
	c, err := IDCheckChar(first)
	if err != nil {
		panic(err) // region codes and dates are ours; a bad one is a bug
	}
	return first + string(c)
}

// oldResidentID converts an 18-digit number to the 15-digit first-generation
// form (two-digit year, no check character).
func oldResidentID(id18 string) string {
	return id18[:6] + id18[8:17]
}

// spacedResidentID writes the number in 6-8-4 groups, as some clerks type it.
func spacedResidentID(id18 string) string {
	return id18[:6] + " " + id18[6:14] + " " + id18[14:]
}
