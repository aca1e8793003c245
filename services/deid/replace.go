package deid

import (
	"encoding/binary"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// Mode is how spans of one type are replaced.
type Mode int

const (
	// Tag replaces a span by a typed tag such as 〔姓名〕 (the default).
	Tag Mode = iota
	// Surrogate replaces a span by a realistic fake of the same shape,
	// the same for the same patient and original across notes.
	Surrogate
)

// Tags are the typed tags written in Tag mode.
var Tags = map[string]string{
	Name: "〔姓名〕", IDNumber: "〔身份证号〕", Phone: "〔电话〕", Address: "〔地址〕",
	RecordNumber: "〔病案号〕", Date: "〔日期〕", DateOfBirth: "〔出生日期〕", Age: "〔年龄≥90〕",
	Email: "〔邮箱〕", URL: "〔网址〕", Organization: "〔单位〕", OtherID: "〔编号〕",
}

// surrogate material: fictitious, common-sounding parts.
var (
	sgSurnames  = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
	sgGiven     = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建文辉力斌宇浩凯晨")
	sgCities    = []string{"江南市", "临川市", "青河市", "云岭市", "东川市", "北原市"}
	sgDistricts = []string{"新华区", "和平区", "城东区", "滨江区", "长安区"}
	sgStreets   = []string{"幸福路", "建设路", "人民路", "文化街", "光明路", "解放路"}
	sgOrgs      = []string{"华信科技有限公司", "东方贸易有限公司", "新星实验中学", "长江机械厂", "明德小学", "远航物流集团"}
)

// stream is a deterministic byte stream from HMAC(key, parts...).
type stream struct {
	b []byte
	i int
	k Key
	p []string
}

func newStream(k Key, parts ...string) *stream {
	return &stream{b: k.mac("surrogate", parts...), k: k, p: parts}
}

func (s *stream) next() int {
	if s.i+2 > len(s.b) {
		s.b = s.k.mac("surrogate-more", append(s.p, hex.EncodeToString(s.b))...)
		s.i = 0
	}
	v := int(binary.BigEndian.Uint16(s.b[s.i:]))
	s.i += 2
	return v
}

func (s *stream) digit() byte { return byte('0' + s.next()%10) }

// keyOf normalises an original for surrogate lookup: folded, without spaces,
// dashes and parentheses, upper case.
func keyOf(orig string) string {
	var b strings.Builder
	for _, r := range orig {
		r = foldRune(r)
		if r == ' ' || r == '-' || r == '(' || r == ')' {
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 32
		}
		b.WriteRune(r)
	}
	return b.String()
}

// surrogate returns a fake of the same shape as orig. A fake that the leak
// guard would take for a real ID number, mobile or e-mail (random digits can
// happen to form one) is drawn again, and after 8 tries replaced by the tag.
func surrogate(k Key, scope, label, orig string) string {
	st := newStream(k, scope, label, keyOf(orig))
	for try := 0; try < 8; try++ {
		if s := surrogateFrom(st, label, orig); len(leakCheck(s)) == 0 {
			return s
		}
	}
	return Tags[label]
}

func surrogateFrom(st *stream, label, orig string) string {
	n := utf8.RuneCountInString(orig)
	switch label {
	case Name:
		var b strings.Builder
		b.WriteRune(sgSurnames[st.next()%len(sgSurnames)])
		for i := 1; i < n && i < 4; i++ {
			b.WriteRune(sgGiven[st.next()%len(sgGiven)])
		}
		return b.String()
	case IDNumber:
		digits := keyOf(orig)
		if len(digits) == 18 || len(digits) == 15 {
			// "99" is no province: the fake can never be a real person's number.
			s := []byte("99")
			for len(s) < 6 {
				s = append(s, st.digit())
			}
			y := 1940 + st.next()%65
			m := 1 + st.next()%12
			d := 1 + st.next()%28
			if len(digits) == 18 {
				s = append(s, []byte(pad(y, false)+pad(m, true)+pad(d, true))...)
				s = append(s, st.digit(), st.digit(), st.digit())
				s = append(s, idCheckChar(string(s)))
			} else {
				s = append(s, []byte(pad(y%100, true)+pad(m, true)+pad(d, true))...)
				s = append(s, st.digit(), st.digit(), st.digit())
			}
			return layout(orig, string(s))
		}
		return shapeLike(orig, st)
	case Phone:
		return fakePhone(orig, st)
	case Email:
		return "user" + hex.EncodeToString([]byte{byte(st.next()), byte(st.next())}) + "@example.com"
	case URL:
		return "https://example.org/" + hex.EncodeToString([]byte{byte(st.next()), byte(st.next())})
	case Address:
		return sgCities[st.next()%len(sgCities)] + sgDistricts[st.next()%len(sgDistricts)] +
			sgStreets[st.next()%len(sgStreets)] + pad(1+st.next()%200, false) + "号"
	case Organization:
		return sgOrgs[st.next()%len(sgOrgs)]
	case Age:
		return "≥90岁"
	case Date, DateOfBirth:
		return Tags[label]
	}
	return shapeLike(orig, st)
}

// layout writes the characters of repl into the digit/letter positions of orig
// (keeping its spaces, dashes and full-width form where the lengths agree).
func layout(orig, repl string) string {
	rs := []rune(orig)
	j := 0
	for i, r := range rs {
		f := foldRune(r)
		if isAlnum(f) && j < len(repl) {
			c := rune(repl[j])
			if r != f { // full-width original: keep full width
				c += 0xFEE0
			}
			rs[i] = c
			j++
		}
	}
	if j != len(repl) {
		return repl
	}
	return string(rs)
}

// shapeLike replaces every digit and letter of orig by a random one of the
// same class, keeping spaces, dashes and full-width forms.
func shapeLike(orig string, st *stream) string {
	rs := []rune(orig)
	for i, r := range rs {
		f := foldRune(r)
		var c rune
		switch {
		case isDigit(f):
			c = rune(st.digit())
		case f >= 'A' && f <= 'Z':
			c = rune('A' + st.next()%26)
		case f >= 'a' && f <= 'z':
			c = rune('a' + st.next()%26)
		default:
			continue
		}
		if r != f {
			c += 0xFEE0
		}
		rs[i] = c
	}
	return string(rs)
}

// fakePhone keeps a country prefix (86/0086) and the leading 0 of a landline;
// a mobile becomes 10xxxxxxxxx, a prefix no Chinese mobile number has, so
// the leak guard can never mistake the fake for a real number.
func fakePhone(orig string, st *stream) string {
	var ds []byte
	for _, r := range orig {
		if f := foldRune(r); isDigit(f) {
			ds = append(ds, byte(f))
		}
	}
	keep := 0
	switch {
	case len(ds) >= 15 && string(ds[:4]) == "0086":
		keep = 4
	case len(ds) == 13 && string(ds[:2]) == "86":
		keep = 2
	}
	out := append([]byte(nil), ds[:keep]...)
	rest := ds[keep:]
	if len(rest) > 0 && (rest[0] == '0' || rest[0] == '1') {
		out = append(out, rest[0])
		if rest[0] == '1' {
			out = append(out, '0')
		}
	}
	for len(out) < len(ds) {
		out = append(out, st.digit())
	}
	return layout(orig, string(out))
}
