package deid

import "strings"

// contactRecognizer finds e-mail addresses and URLs.
type contactRecognizer struct{}

func (contactRecognizer) Name() string      { return "contact" }
func (contactRecognizer) Labels() []string  { return []string{Email, URL} }
func (contactRecognizer) Context() []string { return nil }

func isEmailLocal(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '_' || b == '%' || b == '+' || b == '-'
}
func isDomainByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-'
}

// findEmails returns byte ranges of e-mail addresses in s (shared with the
// leak guard).
func findEmails(s string) [][2]int {
	var res [][2]int
	off := 0
	for {
		k := strings.IndexByte(s[off:], '@')
		if k < 0 {
			return res
		}
		at := off + k
		off = at + 1
		a := at
		for a > 0 && isEmailLocal(s[a-1]) {
			a--
		}
		b := at + 1
		for b < len(s) && isDomainByte(s[b]) {
			b++
		}
		for b > at+1 && (s[b-1] == '.' || s[b-1] == '-') {
			b--
		}
		if a == at || b == at+1 {
			continue
		}
		dom := s[at+1 : b]
		dot := strings.LastIndexByte(dom, '.')
		if dot <= 0 || len(dom)-dot-1 < 2 {
			continue
		}
		res = append(res, [2]int{a, b})
		off = b
	}
}

var urlStarts = []string{"http://", "https://", "HTTP://", "HTTPS://", "www.", "WWW."}

func isURLByte(b byte) bool {
	return b > 0x20 && b < 0x7f && b != '"' && b != '<' && b != '>' && b != '(' && b != ')'
}

func (contactRecognizer) find(d *doc, out []Span) []Span {
	for _, r := range findEmails(d.norm) {
		out = append(out, d.spanB(r[0], r[1], Email, 0.95, "contact"))
	}
	for _, u := range urlStarts {
		off := 0
		for {
			k := strings.Index(d.norm[off:], u)
			if k < 0 {
				break
			}
			a := off + k
			b := a + len(u)
			for b < len(d.norm) && isURLByte(d.norm[b]) {
				b++
			}
			for b > a && strings.IndexByte(".,;:!?'", d.norm[b-1]) >= 0 {
				b--
			}
			off = b
			if b-a > len(u)+3 {
				out = append(out, d.spanB(a, b, URL, 0.9, "contact"))
			}
		}
	}
	return out
}

// ageRecognizer finds ages of 90 and over (HIPAA Safe Harbor): "92岁",
// "95 周岁", "91y", "年龄：93".
type ageRecognizer struct{}

func (ageRecognizer) Name() string      { return "age" }
func (ageRecognizer) Labels() []string  { return []string{Age} }
func (ageRecognizer) Context() []string { return nil }

func (ageRecognizer) find(d *doc, out []Span) []Span {
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		if !isDigit(rs[i]) || i > 0 && (isAlnum(rs[i-1]) || rs[i-1] == '.') {
			continue
		}
		v, n := digitsAt(rs, i, 4)
		j := i + n
		if n < 2 || n > 3 || v < 90 || v > 130 || j < len(rs) && rs[j] == '.' {
			i = j
			continue
		}
		k := skipSpaces(rs, j)
		e := 0
		switch {
		case k < len(rs) && rs[k] == '岁':
			e = k + 1
		case k+1 < len(rs) && rs[k] == '周' && rs[k+1] == '岁':
			e = k + 2
		case k < len(rs) && (rs[k] == 'y' || rs[k] == 'Y') && (k+1 >= len(rs) || !isLetter(rs[k+1]) || rs[k+1] == 'o' || rs[k+1] == 'r'):
			e = k + 1
			for e < len(rs) && isLetter(rs[e]) && e-k < 5 {
				e++
			}
		case d.cueBefore(i, 4, []string{"年龄", "年纪", "Age", "age", "享年", "终年"}):
			e = j
		case sexColumnBefore(rs, i) && (j == len(rs) || rs[j] == ' ' || rs[j] == '\t'):
			e = j // a table row: 白某某 女 92 无
		}
		if e > 0 {
			out = append(out, Span{Start: i, End: e, Label: Age, Score: 0.9, Recognizer: "age"})
		}
		i = j
	}
	for i := 0; i < len(rs); i++ {
		if e := cnAgeAt(rs, i); e > 0 {
			out = append(out, Span{Start: i, End: e, Label: Age, Score: 0.9, Recognizer: "age"})
			i = e - 1
		}
	}
	return out
}

// sexColumnBefore reports whether a sex column (男/女 set off by spaces)
// stands right before i, as in a table row "姓名 性别 年龄".
func sexColumnBefore(rs []rune, i int) bool {
	k := i - 1
	n := 0
	for k >= 0 && (rs[k] == ' ' || rs[k] == '\t') {
		k--
		n++
	}
	return n > 0 && k >= 0 && (rs[k] == '男' || rs[k] == '女') && (k == 0 || rs[k-1] == ' ' || rs[k-1] == '\t')
}

// cnAgeAt matches an age of 90 or over in Chinese numerals at i: 九十二岁,
// 九十周岁, 一百零一岁, 百岁, 九旬 (年逾九旬). It returns the end, or 0.
func cnAgeAt(rs []rune, i int) int {
	if i > 0 && strings.ContainsRune(cnDigits+"十百", rs[i-1]) {
		return 0
	}
	at := func(k int, w string) int {
		n := 0
		for _, r := range w {
			if k+n >= len(rs) || rs[k+n] != r {
				return 0
			}
			n++
		}
		return k + n
	}
	var k int
	switch {
	case at(i, "九旬") > 0:
		return i + 2
	case at(i, "九十") > 0:
		k = i + 2
		if k < len(rs) && strings.ContainsRune("一二三四五六七八九", rs[k]) {
			k++
		}
	case at(i, "一百") > 0 || at(i, "百") > 0:
		k = i + 1
		if rs[i] == '一' {
			k = i + 2
		}
		if k+1 < len(rs) && rs[k] == '零' && strings.ContainsRune("一二三四五六七八九", rs[k+1]) {
			k += 2
		}
	default:
		return 0
	}
	if e := at(k, "岁"); e > 0 {
		return e
	}
	if e := at(k, "周岁"); e > 0 {
		return e
	}
	return 0
}

// plateRecognizer finds vehicle licence plates: 京A12345, 粤B·D12345.
type plateRecognizer struct{}

func (plateRecognizer) Name() string      { return "plate" }
func (plateRecognizer) Labels() []string  { return []string{OtherID} }
func (plateRecognizer) Context() []string { return nil }

var plateCues = []string{"车牌", "车号", "牌照", "号牌"}

const plateProvinces = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

func (plateRecognizer) find(d *doc, out []Span) []Span {
	rs := d.runes
	for i := 0; i+6 < len(rs); i++ {
		if rs[i+1] < 'A' || rs[i+1] > 'Z' || !strings.ContainsRune(plateProvinces, rs[i]) {
			continue
		}
		j := i + 2
		if rs[j] == '·' || rs[j] == '•' || rs[j] == ' ' || rs[j] == '-' {
			j++
		}
		s, digits := j, 0
		for j < len(rs) && (isDigit(rs[j]) || rs[j] >= 'A' && rs[j] <= 'Z') && j-s < 7 {
			if isDigit(rs[j]) {
				digits++
			}
			j++
		}
		// without a cue at least three digits (ordinary plates carry at most
		// two letters); after 车牌/车号 any mix of letters and digits
		minDigits := 3
		if d.cueBefore(i, 8, plateCues) {
			minDigits = 1
		}
		if n := j - s; (n == 5 || n == 6) && digits >= minDigits && (j >= len(rs) || !isAlnum(rs[j])) {
			out = append(out, Span{Start: i, End: j, Label: OtherID, Score: 0.85, Recognizer: "plate"})
			i = j
		}
	}
	return out
}
