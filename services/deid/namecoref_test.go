package deid

import "testing"

func TestGivenNamesAloneFollowTheirFullName(t *testing.T) {
	checkPositives(t, []posCase{
		{"家属：女儿王春花，儿子王建华。\n建华认为老人年纪太大，春花坚持手术。", "NAME:建华"},
		{"家属：女儿王春花，儿子王建华。\n建华认为老人年纪太大，春花坚持手术。", "NAME:春花"},
		{"21床 宁平安，男，27岁。\n今日查房，平安情绪低落。", "NAME:平安"},
		{"患者欧阳海燕，女，45岁。护士长与海燕沟通病情。", "NAME:海燕"},
	})
	d := testDeid(t, Options{})
	for _, c := range []struct{ text, not string }{
		{"患者王明亮，男，60岁。术后视物明亮。", "NAME:明亮"},   // a word after a word
		{"患者张平安，男，60岁。术后恢复平安顺利。", "NAME:平安"}, // same
		{"患者李文静，女，30岁。病房环境文静。", "NAME:文静"},   // same
	} {
		got := spanTexts(t, d, c.text)
		n := 0
		for _, g := range got {
			if g == c.not {
				n++
			}
		}
		if n > 0 {
			t.Errorf("%q: %s alone marked (%v)", c.text, c.not, got)
		}
	}
}
