package code

import "unicode"

// foldRune maps a rune to the form used for dictionary lookups: full-width
// ASCII to half-width, upper to lower case, full-width brackets to ASCII,
// Roman numeral letters kept distinct. Offsets never change: folding is one
// rune to one rune.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	case r == '【' || r == '〔':
		r = '['
	case r == '】' || r == '〕':
		r = ']'
	}
	if r < unicode.MaxASCII {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	switch r {
	case 'Ⅰ':
		return 'ⅰ'
	case 'Ⅱ':
		return 'ⅱ'
	case 'Ⅲ':
		return 'ⅲ'
	case 'Ⅳ':
		return 'ⅳ'
	}
	return r
}

// fold returns the lookup key of s: folded runes without spaces.
func fold(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		r = foldRune(r)
		if r == ' ' || r == '\t' || r == '\u00a0' {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isASCIIAlnum(r rune) bool {
	r = foldRune(r)
	return r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
}
