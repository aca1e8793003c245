package segment

import (
	"os"
	"testing"
	"unicode"
	"unicode/utf8"

	"bingli/services/note"
)

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

// checkTokens asserts the offset contract: tokens in range, ordered, not
// overlapping, never containing or made of whitespace, and together covering
// every non-space code point of text.
func checkTokens(t testing.TB, text string, toks []note.Token) {
	t.Helper()
	rs := []rune(text)
	covered := make([]bool, len(rs))
	prev := 0
	for i, tok := range toks {
		if tok.Start < prev || tok.End <= tok.Start || tok.End > len(rs) {
			t.Fatalf("token %d [%d,%d) out of order or range (prev end %d, %d code points)", i, tok.Start, tok.End, prev, len(rs))
		}
		for k := tok.Start; k < tok.End; k++ {
			if unicode.IsSpace(rs[k]) {
				t.Fatalf("token %d [%d,%d) contains whitespace", i, tok.Start, tok.End)
			}
			covered[k] = true
		}
		prev = tok.End
	}
	for k, r := range rs {
		if !covered[k] && !unicode.IsSpace(r) {
			t.Fatalf("code point %d (%U) not covered by any token", k, r)
		}
	}
}

func TestScanUnits(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"IOP21mmHg", []string{"IOP", "21", "mmHg"}},
		{"HbA1c", []string{"HbA1c"}},
		{"T2DM", []string{"T2DM"}},
		{"CD4", []string{"CD4"}},
		{"OD0.8", []string{"OD", "0.8"}},
		{"OS20/40", []string{"OS", "20/40"}},
		{"1.2.3.", []string{"1.2.3", "."}},
		{"5/", []string{"5", "/"}},
		{"μm", []string{"μm"}},
		{"２０／４０", []string{"２０／４０"}},
		{"眼 压", []string{"眼", "压"}},
		{"a\xffb", []string{"a", "\xff", "b"}},
	}
	var s scanner
	for _, tt := range tests {
		s.scan(tt.text)
		var got []string
		for _, u := range s.units {
			got = append(got, tt.text[u.bstart:u.bend])
		}
		if len(got) != len(tt.want) {
			t.Errorf("scan(%q) = %q, want %q", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("scan(%q) = %q, want %q", tt.text, got, tt.want)
				break
			}
		}
	}
}

func TestScanKeysFold(t *testing.T) {
	var s scanner
	s.scan("ＣＴ MMHG 眼")
	if got := string(s.keys); got != "ctmmhg眼" {
		t.Errorf("keys %q", got)
	}
}

// FuzzTokens checks the offset contract on any input: tokens lie in the
// text, are ordered and disjoint, and each token's code points are exactly
// the original characters (compared byte for byte with the original).
func FuzzTokens(f *testing.F) {
	for _, seed := range []string{
		"右眼眼压21mmHg", "VOD 0.8，VOS0.5", "OS20/40 HbA1c 7.2%", "Ｂ超２３．５ｍｍ",
		"主诉：\r\n双眼视物模糊", "a\u3000b\u00a0c", "", "眼压\xff21", "1..2//3", "🙂眼😀",
	} {
		f.Add(seed)
	}
	s := newTest(f, Options{HMM: HMMOn})
	f.Fuzz(func(t *testing.T, text string) {
		toks := s.Tokens(text)
		if !utf8.ValidString(text) {
			return // Process rejects it; Tokens must only not panic
		}
		checkTokens(t, text, toks)
		// Byte offsets of every code point, to compare token text with the
		// original bytes.
		var offs []int
		for i := range text {
			offs = append(offs, i)
		}
		offs = append(offs, len(text))
		rs := []rune(text)
		for _, tok := range toks {
			if string(rs[tok.Start:tok.End]) != text[offs[tok.Start]:offs[tok.End]] {
				t.Fatalf("token [%d,%d) text differs from the original", tok.Start, tok.End)
			}
		}
	})
}
