package deid

// Resident ID numbers (居民身份证号码, GB 11643): 18 digits = 6-digit region
// code, 8-digit birth date, 3-digit sequence, MOD 11-2 check character; the
// older 15-digit form has a 6-digit birth date (19yymmdd) and no check digit.

// provinceCodes are the valid first two digits (GB/T 2260 provinces plus
// 71 Taiwan, 81 Hong Kong, 82 Macau, 83 Taiwan residents' permits).
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// idCheckChar computes the ISO 7064 MOD 11-2 check character of 17 digits.
func idCheckChar(d17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

func validYMD(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// idShape18 reports whether s (18 chars, digits with optional final X) has a
// valid province code and birth date; checksum is reported separately.
func idShape18(s string) (shape, checksum bool) {
	if len(s) != 18 || !provinceCodes[s[:2]] {
		return false, false
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false, false
		}
	}
	y, m, d := atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14])
	if y < 1880 || y > 2099 || !validYMD(y, m, d) {
		return false, false
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	return true, last == idCheckChar(s[:17])
}

// ValidID18 reports whether s is a valid 18-character resident ID number.
func ValidID18(s string) bool {
	shape, ok := idShape18(s)
	return shape && ok
}

// ValidID15 reports whether s is a plausible 15-digit resident ID number
// (province code and 19yymmdd birth date valid).
func ValidID15(s string) bool {
	if len(s) != 15 || !provinceCodes[s[:2]] {
		return false
	}
	for i := 0; i < 15; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return validYMD(1900+atoi(s[6:8]), atoi(s[8:10]), atoi(s[10:12]))
}

// luhn reports whether the digit string passes the Luhn check (bank cards).
func luhn(s string) bool {
	sum, alt := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		n := int(c - '0')
		if alt {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		alt = !alt
	}
	return sum%10 == 0
}
