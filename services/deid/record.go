package deid

import "strings"

// recordRecognizer finds record numbers and other identifiers that follow a
// cue word (住院号：ZY123456, 门诊号 2023001, 床号：12, 护照号 E12345678,
// 医保卡号..., 微信号...), bare letter-prefixed record numbers in headers
// (ZY20230456, MZ0012345) and bed numbers written as "12床".
type recordRecognizer struct{}

func (recordRecognizer) Name() string { return "record" }
func (recordRecognizer) Labels() []string {
	return []string{RecordNumber, IDNumber, OtherID}
}
func (recordRecognizer) Context() []string { return nil }

type cue struct {
	word  string
	label string
	min   int  // minimum value length
	alpha bool // value may be letters only (WeChat ids)
}

// recordCues: longest first so a longer cue's value span wins ties.
var recordCues = []cue{
	{"社会保障卡号", OtherID, 4, false}, {"身份证号码", IDNumber, 6, false}, {"医疗保险号", OtherID, 4, false},
	{"病案首页号", RecordNumber, 3, false}, {"港澳通行证", IDNumber, 6, false}, {"台胞证号", IDNumber, 6, false},
	{"就诊卡号", RecordNumber, 3, false}, {"诊疗卡号", RecordNumber, 3, false}, {"申请单号", RecordNumber, 3, false},
	{"报告单号", RecordNumber, 3, false}, {"住院编号", RecordNumber, 3, false}, {"证件号码", IDNumber, 6, false},
	{"护照号码", IDNumber, 6, false}, {"社会保障号", OtherID, 4, false}, {"银行卡号", OtherID, 8, false},
	{"身份证号", IDNumber, 6, false}, {"社保卡号", OtherID, 4, false}, {"医保卡号", OtherID, 4, false},
	{"新农合号", OtherID, 4, false}, {"通行证号", IDNumber, 6, false}, {"登记编号", RecordNumber, 3, false},
	{"住院号", RecordNumber, 3, false}, {"门诊号", RecordNumber, 3, false}, {"病案号", RecordNumber, 3, false},
	{"病历号", RecordNumber, 3, false}, {"检查号", RecordNumber, 3, false}, {"登记号", RecordNumber, 3, false},
	{"就诊号", RecordNumber, 3, false}, {"影像号", RecordNumber, 3, false}, {"放射号", RecordNumber, 3, false},
	{"标本号", RecordNumber, 3, false}, {"条码号", RecordNumber, 3, false}, {"流水号", RecordNumber, 3, false},
	{"档案号", RecordNumber, 3, false}, {"医嘱号", RecordNumber, 3, false}, {"检验号", RecordNumber, 3, false},
	{"超声号", RecordNumber, 3, false}, {"造影号", RecordNumber, 3, false}, {"住院ID", RecordNumber, 3, false},
	{"患者ID", RecordNumber, 3, false}, {"病人ID", RecordNumber, 3, false}, {"门诊ID", RecordNumber, 3, false},
	{"身份证", IDNumber, 6, false}, {"证件号", IDNumber, 6, false}, {"护照号", IDNumber, 6, false},
	{"回乡证", IDNumber, 6, false}, {"军官证", IDNumber, 6, false}, {"社保号", OtherID, 4, false},
	{"医保号", OtherID, 4, false}, {"银行卡", OtherID, 8, false}, {"微信号", OtherID, 5, true},
	{"OCT号", RecordNumber, 3, false}, {"邮政编码", Address, 6, false}, {"邮编", Address, 6, false}, {"ID号", RecordNumber, 3, false}, {"床号", RecordNumber, 1, false},
	{"护照", IDNumber, 6, false}, {"卡号", OtherID, 6, false}, {"编号", RecordNumber, 4, false},
	{"用户名", OtherID, 5, true}, {"用户ID", OtherID, 5, true}, {"昵称", OtherID, 5, true}, {"用户", OtherID, 5, true}, {"账号", OtherID, 5, true},
	{"微信", OtherID, 5, true}, {"QQ号", OtherID, 5, false}, {"QQ", OtherID, 5, false}, {"qq", OtherID, 5, false},
	{"ID", RecordNumber, 4, false}, {"No.", RecordNumber, 4, false}, {"NO.", RecordNumber, 4, false}, {"№", RecordNumber, 4, false},
}

var recordMatcher = func() *cueMatcher {
	w := make([]string, len(recordCues))
	for i, c := range recordCues {
		w[i] = c.word
	}
	return newCueMatcher(w)
}()

func (recordRecognizer) find(d *doc, out []Span) []Span {
	recordMatcher.each(d, func(w, cs, i int) {
		c := recordCues[w]
		// ID / QQ must not be the tail of a longer ASCII word
		if isLetter(rune(c.word[0])) && isLetter(d.at(cs-1)) {
			return
		}
		s, e := cueValue(d, i, c)
		if e <= s {
			// the value in parentheses: 微信（zcf_0539）, 身份证（…）
			if k := d.skipSep(i, 2); d.at(k) == '(' {
				if s, e = cueValue(d, k+1, c); d.at(e) != ')' {
					e = s
				}
			}
		}
		for e > s {
			out = append(out, Span{Start: s, End: e, Label: c.label, Score: 0.9, Recognizer: "record"})
			// a list of values of the same shape: 住院号2403117、2403120
			if !strings.ContainsRune("、,，/", d.at(e)) {
				break
			}
			ns, ne := cueValue(d, e+1, c)
			if ne-ns != e-s || ns != e+1 || !sameShape(d.runes[s:e], d.runes[ns:ne]) {
				break
			}
			s, e = ns, ne
		}
	})
	out = bareRecords(d, out)
	out = registerNumbers(d, out)
	return numberFields(d, out)
}

// notIDHeads are words ending in 号 whose value is not an identifier: a
// lens or device model, a drug lot, a row number, a signal.
var notIDHeads = []string{"型", "批", "货", "序", "信", "符", "字", "色", "代", "问", "记", "口", "称", "尺码", "版本", "挂", "年", "月", "日", "每"}

// personalHeads make a 号 field a personal identifier (警号, 保单号, 工号,
// 学号, 证号, 账号): OTHER_ID; other heads (建档号, 预约号, 订单号, 受理号)
// number a record: RECORD_NUMBER.
var personalHeads = []string{"警", "保单", "工", "学", "证", "账", "会员", "执业", "医保", "社保", "合同"}

// numberFields finds the value of any field named "…号" or "…号码" that the
// fixed cues do not list (建档号RS-0423, 预约号：RJ-20241015-077, 警号440317,
// 保单号：P2023 0081 5562 3317, 警号（041237）): one to four Chinese
// characters before 号, then a value of at least four letters and digits, at
// least three of them digits.
func numberFields(d *doc, out []Span) []Span {
	for k := 1; k < len(d.runes); k++ {
		if d.runes[k] != '号' || !isHan(d.runes[k-1]) {
			continue
		}
		h := k
		for h > 0 && k-h < 4 && isHan(d.runes[h-1]) && !strings.ContainsRune("的和与及或在是为", d.runes[h-1]) {
			h--
		}
		head := d.slice(h, k)
		if hasAnySuffix(head, notIDHeads) {
			continue
		}
		e := k + 1
		if d.at(e) == '码' {
			e++
		}
		paren := d.at(e) == '('
		if paren {
			e++
		}
		s, j := cueValue(d, e, cue{word: "号", min: 4})
		if j <= s || paren && d.at(j) != ')' || digitCount(d, s, j) < 3 {
			continue
		}
		label := RecordNumber
		if hasAnySuffix(head, personalHeads) {
			label = OtherID
		}
		out = append(out, Span{Start: s, End: j, Label: label, Score: 0.9, Recognizer: "record"})
	}
	return out
}

func digitCount(d *doc, s, e int) int {
	n := 0
	for i := s; i < e; i++ {
		if isDigit(d.runes[i]) {
			n++
		}
	}
	return n
}

// cueValue returns the identifier value right after a cue ending at i.
func cueValue(d *doc, i int, c cue) (int, int) {
	if r := d.at(i); (r == '为' || r == '是') && !c.alpha {
		i++ // 住院号为：ZY-2024-0311
	}
	j := d.skipSep(i, 4)
	// "IDs", "QQ2" glued to an ASCII cue are not a cue; an upper-case record
	// number is (IDXJ-0184372)
	glued := j == i && i < len(d.runes) && isAlnum(d.runes[i]) && c.word[len(c.word)-1] < 0x80
	s := j
	digits, letters, lower := 0, 0, 0
	for j < len(d.runes) {
		r := d.runes[j]
		switch {
		case isDigit(r):
			digits++
		case isLetter(r):
			letters++
			if r >= 'a' && r <= 'z' {
				lower++
			}
		case (r == '-' || r == '_') && j+1 < len(d.runes) && isAlnum(d.runes[j+1]):
		case r == ' ' && j > s && isDigit(d.runes[j-1]) && j+1 < len(d.runes) && isDigit(d.runes[j+1]):
		// a letter prefix set off by a space: 门诊号 YZ 0227 3318
		case r == ' ' && digits == 0 && letters >= 1 && letters <= 4 && j+1 < len(d.runes) && isDigit(d.runes[j+1]) && !c.alpha:
		default:
			goto done
		}
		j++
		if j-s > 40 {
			break
		}
	}
done:
	if digits+letters < c.min || digits == 0 && !c.alpha || glued && (digits < 5 || lower > 0) {
		return 0, 0
	}
	if c.word == "床号" && digits > 4 {
		return 0, 0
	}
	return s, j
}

// bareRecords finds letter-prefixed numbers such as ZY20230456 (≥1 letter,
// ≥5 digits, one ASCII word) and "12床".
func bareRecords(d *doc, out []Span) []Span {
	rs := d.runes
	for i := 0; i < len(rs); i++ {
		if !isAlnum(rs[i]) || i > 0 && (isAlnum(rs[i-1]) || rs[i-1] == '.') {
			continue
		}
		j, digits, letters := i, 0, 0
		for j < len(rs) && (isAlnum(rs[j]) || rs[j] == '-' && j+1 < len(rs) && isDigit(rs[j+1]) && digits > 0) {
			if isDigit(rs[j]) {
				digits++
			} else if isLetter(rs[j]) {
				letters++
			}
			j++
		}
		if letters >= 1 && letters <= 4 && digits >= 5 && isLetter(rs[i]) && !(j < len(rs) && rs[j] == '.' && j+1 < len(rs) && isDigit(rs[j+1])) {
			out = append(out, Span{Start: i, End: j, Label: RecordNumber, Score: 0.6, Recognizer: "record"})
		}
		if letters == 0 && digits <= 3 && j < len(rs) && rs[j] == '床' && (i == 0 || rs[i-1] != '-') {
			out = append(out, Span{Start: i, End: j, Label: RecordNumber, Score: 0.6, Recognizer: "record"})
		}
		i = j
	}
	return out
}

// sameShape reports whether a and b have letters, digits and punctuation
// at the same places (ZY240311 and ZY240315; not 2403117 and 2024年).
func sameShape(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if isDigit(a[i]) != isDigit(b[i]) || isLetter(a[i]) != isLetter(b[i]) {
			return false
		}
	}
	return true
}
