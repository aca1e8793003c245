package segment

import (
	"unicode"
	"unicode/utf8"
)

// unitKind is what a unit of text is. Units are the atoms the segmenter
// joins into words: never split, never merged across whitespace.
type unitKind uint8

const (
	unitHan    unitKind = iota // one CJK ideograph
	unitWord                   // a run of letters (Latin, Greek, ...): mmHg, HbA1c, OD, μm
	unitNumber                 // digits with decimals or a fraction: 21, 0.8, 20/40, １２
	unitOther                  // one punctuation mark, symbol or other character
)

// unit is a span of the original text. Offsets are exact: start/end are
// code points, bstart/bend bytes, both end-exclusive, so a token's text is
// always a slice of the original (case, width and spacing untouched).
type unit struct {
	start, end   int
	bstart, bend int
	kind         unitKind
}

// inBlock reports whether the unit can be part of a dictionary word.
// Punctuation and symbols are tokens of their own.
func (u unit) inBlock() bool { return u.kind != unitOther }

// scanner splits a text into units. It keeps its buffers between calls
// (one scanner per goroutine, from a pool).
type scanner struct {
	runes []rune // the text's code points
	bytes []int  // byte offset of each code point, plus len(text) at the end
	units []unit
	keys  []byte // dictionary lookup key of every unit, concatenated
	ks    []int  // unit i's key is keys[ks[i]:ks[i+1]]
}

// scan fills s.units and s.keys for text, which must be valid UTF-8.
func (s *scanner) scan(text string) {
	s.runes, s.bytes = s.runes[:0], s.bytes[:0]
	for i, r := range text {
		s.runes = append(s.runes, r)
		s.bytes = append(s.bytes, i)
	}
	s.bytes = append(s.bytes, len(text))
	s.units, s.keys, s.ks = s.units[:0], s.keys[:0], s.ks[:0]

	rs := s.runes
	for i := 0; i < len(rs); {
		r := rs[i]
		var j int
		var kind unitKind
		switch {
		case unicode.IsSpace(r):
			i++
			continue
		case unicode.Is(unicode.Han, r):
			j, kind = i+1, unitHan
		case isDigit(r):
			j, kind = scanNumber(rs, i), unitNumber
		case isLetter(r):
			j, kind = scanWord(rs, i), unitWord
		default:
			j, kind = i+1, unitOther
		}
		s.ks = append(s.ks, len(s.keys))
		s.units = append(s.units, unit{start: i, end: j, bstart: s.bytes[i], bend: s.bytes[j], kind: kind})
		if kind == unitHan {
			s.keys = append(s.keys, text[s.bytes[i]:s.bytes[j]]...)
		} else {
			for _, r := range rs[i:j] {
				s.keys = utf8.AppendRune(s.keys, foldKey(r))
			}
		}
		i = j
	}
	s.ks = append(s.ks, len(s.keys))
}

// key is the dictionary lookup key of units a..b-1.
func (s *scanner) key(a, b int) []byte { return s.keys[s.ks[a]:s.ks[b]] }

// foldKey maps a code point to its form in dictionary keys: full-width
// ASCII to half-width, ASCII letters to lower case (gse lower-cases
// dictionary words the same way). Only keys are folded, never token text.
func foldKey(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

func isDigit(r rune) bool { return unicode.IsDigit(r) }

// isLetter: letters that form words with their neighbours (Latin, Greek,
// Cyrillic, kana, full-width Latin ...): every letter but a CJK ideograph.
func isLetter(r rune) bool { return unicode.IsLetter(r) && !unicode.Is(unicode.Han, r) }

func isDecimalPoint(r rune) bool { return r == '.' || r == '．' }
func isFractionBar(r rune) bool  { return r == '/' || r == '／' }

// digitsEnd returns the end of the digit run starting at i.
func digitsEnd(rs []rune, i int) int {
	for i < len(rs) && isDigit(rs[i]) {
		i++
	}
	return i
}

// scanNumber scans digits, decimals and one fraction bar: 21, 0.8, 1.2.3,
// 20/40, 6/7.5. A trailing point or bar without digits is not included.
func scanNumber(rs []rune, i int) int {
	i = digitsEnd(rs, i)
	i = scanDecimals(rs, i)
	if i+1 < len(rs) && isFractionBar(rs[i]) && isDigit(rs[i+1]) {
		i = scanDecimals(rs, digitsEnd(rs, i+1))
	}
	return i
}

func scanDecimals(rs []rune, i int) int {
	for i+1 < len(rs) && isDecimalPoint(rs[i]) && isDigit(rs[i+1]) {
		i = digitsEnd(rs, i+1)
	}
	return i
}

// scanWord scans letters with the digits inside a word: HbA1c, T2DM, CD4,
// IgG4. Digits stay with the letters when a letter follows them and the
// digit run is one digit long (HbA1c, but IOP21mmHg is IOP|21|mmHg), or
// when they end the word and are not a measurement (CD4, but OD0.8 and
// OS20/40 give OD|0.8 and OS|20/40).
func scanWord(rs []rune, i int) int {
	for {
		for i < len(rs) && isLetter(rs[i]) {
			i++
		}
		if i >= len(rs) || !isDigit(rs[i]) {
			return i
		}
		d := digitsEnd(rs, i)
		switch {
		case d < len(rs) && isLetter(rs[d]):
			if d-i != 1 {
				return i
			}
			i = d // one digit inside letters: HbA1c, T2DM
		case d+1 < len(rs) && (isDecimalPoint(rs[d]) || isFractionBar(rs[d])) && isDigit(rs[d+1]):
			return i // OD0.8, OS20/40: the number is a token of its own
		default:
			if d-i > 2 {
				return i // a long number after letters is a value, not a name
			}
			return d // CD4, IL6, COVID19
		}
	}
}
