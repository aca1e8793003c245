package code

import (
	"testing"
	"unicode/utf8"
)

func FuzzProcess(f *testing.F) {
	for _, s := range []string{
		"诊断：1.双眼年龄相关性白内障 2.右眼原发性开角型青光眼？",
		"既往史：否认高血压、糖尿病史。家族史：母亲患青光眼。",
		"诊断：皮质性白内障(双)；OD 视网膜脱离；2型糖尿病性视网膜病变",
		"诊断：\n1.\n2、（）；？OD",
		"初步诊断：1.2型糖尿病",
		benchNote,
		"：：诊断：)(（",
		"\xff\xfe诊断：白内障",
	} {
		f.Add(s)
	}
	c := newCoder(f)
	f.Fuzz(func(t *testing.T, s string) {
		n := utf8.RuneCountInString(s)
		for _, d := range c.Diagnose(s) {
			if d.Start < 0 || d.End > n || d.Start >= d.End {
				t.Fatalf("span [%d,%d) outside text of %d code points", d.Start, d.End, n)
			}
			if string([]rune(s)[d.Start:d.End]) != d.Text {
				t.Fatalf("span [%d,%d) does not hold text %q", d.Start, d.End, d.Text)
			}
			if d.Score < 0 || d.Score > 1.0001 {
				t.Fatalf("score %v", d.Score)
			}
		}
	})
}
