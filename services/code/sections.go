package code

import "strings"

// sectionKind says how the code stage reads a section of a note.
type sectionKind int

const (
	sectionText    sectionKind = iota // running text: dictionary matches
	sectionList                       // a diagnosis list: every item is a diagnosis
	sectionHistory                    // 既往史: history unless negated
	sectionFamily                     // 家族史: family unless negated
	sectionSkip                       // examination findings, plans: no diagnoses
)

// section is a header's body: [start,end) in runes, after the colon.
type section struct {
	start, end int
	kind       sectionKind
	header     string // the header word (出院诊断), "" before the first
}

var (
	historyHeaders = map[string]bool{"既往史": true, "既往": true, "既往病史": true, "过去史": true, "手术史": true, "既往眼病史": true, "眼部既往史": true}
	familyHeaders  = map[string]bool{"家族史": true, "家族遗传史": true}
	listHeaders    = map[string]bool{"印象": true, "初步印象": true, "临床印象": true, "诊断意见": true}
	skipHeaders    = map[string]bool{
		"查体": true, "专科查体": true, "处理": true, "治疗": true, "医嘱": true, "处置": true,
		"治疗计划": true, "诊疗计划": true, "建议": true, "手术名称": true, "手术方式": true,
		"术式": true, "拟行手术": true, "麻醉方式": true, "麻醉": true, "手术经过": true, "出院医嘱": true,
		"眼底": true, "眼前节": true, "裂隙灯": true, "前节": true, "晶状体": true, "角膜": true,
		"结膜": true, "眼位": true, "眼部": true, "验光": true, "电脑验光": true, "视野": true,
		"眼轴": true, "视力": true, "眼压": true, "记录者": true, "医师": true, "医生": true,
		"签名": true, "医师签名": true, "处方": true, "用药": true, "复查": true, "随访": true,
	}
)

// headerKind classifies a header word; ok false when it is no header.
func headerKind(h string) (sectionKind, bool) {
	switch {
	case historyHeaders[h]:
		return sectionHistory, true
	case familyHeaders[h]:
		return sectionFamily, true
	case listHeaders[h] || strings.HasSuffix(h, "诊断"):
		return sectionList, true
	case skipHeaders[h] || strings.HasSuffix(h, "检查") || strings.HasSuffix(h, "所见") || strings.HasSuffix(h, "意见") || strings.HasSuffix(h, "计划"):
		return sectionSkip, true
	}
	return sectionText, true
}

// sections splits rs at headers ("既往史：", "出院诊断:"): a header is 2 to
// 8 Han characters at the start of a line or after 。/；/space, followed
// by a colon. Text before the first header is one running-text section.
func sections(rs []rune) []section {
	var out []section
	cur := section{start: 0, kind: sectionText}
	for i := 0; i < len(rs); i++ {
		if rs[i] != ':' && rs[i] != '：' {
			continue
		}
		j := i
		for j > 0 && i-j < 8 && isHan(rs[j-1]) {
			j--
		}
		if i-j < 2 {
			continue
		}
		if j > 0 {
			switch rs[j-1] {
			case '\n', '\r', '。', '；', ';', ' ', '\t', '\u3000', '，', ',':
			default:
				continue
			}
		}
		h := string(rs[j:i])
		kind, _ := headerKind(h)
		cur.end = j
		if cur.end > cur.start {
			out = append(out, cur)
		}
		cur = section{start: i + 1, kind: kind, header: h}
	}
	cur.end = len(rs)
	if cur.end > cur.start {
		out = append(out, cur)
	}
	return out
}

// listRegion narrows a diagnosis-list section to its list: the rest of the
// header line, and following lines while they start with an item number
// (or all following lines when the header line is empty).
func listRegion(rs []rune, s section) (int, int) {
	lineEnd := func(i int) int {
		for i < s.end && rs[i] != '\n' {
			i++
		}
		return i
	}
	end := lineEnd(s.start)
	headerEmpty := strings.TrimSpace(string(rs[s.start:end])) == ""
	for end < s.end {
		next := end + 1
		k := next
		for k < s.end && (rs[k] == ' ' || rs[k] == '\t' || rs[k] == '\u3000' || rs[k] == '\r') {
			k++
		}
		if k >= s.end || rs[k] == '\n' {
			if headerEmpty && k < s.end {
				end = k
				continue
			}
			break
		}
		if !headerEmpty && itemNumberLen(rs, k) == 0 {
			break
		}
		end = lineEnd(next)
	}
	return s.start, end
}

// itemNumberLen is the length of an item number at rs[i] ("1.", "2、",
// "3．", "4)"), 0 when there is none. A number followed by a digit is a
// decimal, not an item number.
func itemNumberLen(rs []rune, i int) int {
	j := i
	for j < len(rs) && j-i < 3 && rs[j] >= '0' && rs[j] <= '9' {
		j++
	}
	if j == i || j >= len(rs) {
		return 0
	}
	switch rs[j] {
	case '.', '、', '．', ')', '）':
		// 0.5 is a decimal; 3.2型糖尿病 is item 3 (a digit then Han).
		if j+1 < len(rs) && rs[j+1] >= '0' && rs[j+1] <= '9' && (j+2 >= len(rs) || !isHan(rs[j+2])) {
			return 0
		}
		return j + 1 - i
	}
	return 0
}

// listItems splits a list region into items: at item numbers and at 、，；
// ,; and newlines outside brackets.
func listItems(rs []rune, start, end int) [][2]int {
	var out [][2]int
	itemStart := start
	depth := 0
	flush := func(e int) {
		if e > itemStart {
			out = append(out, [2]int{itemStart, e})
		}
	}
	for i := start; i < end; i++ {
		r := rs[i]
		switch r {
		case '(', '（', '[', '【':
			depth++
			continue
		case ')', '）', ']', '】':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 {
			continue
		}
		if r >= '0' && r <= '9' && (i == start || !(rs[i-1] >= '0' && rs[i-1] <= '9')) {
			if n := itemNumberLen(rs, i); n > 0 && (i == start || !isASCIIAlnum(rs[i-1])) {
				flush(i)
				i += n - 1
				itemStart = i + 1
				continue
			}
		}
		switch r {
		case '、', '，', ',', '；', ';', '\n', '。':
			flush(i)
			itemStart = i + 1
		}
	}
	flush(end)
	return out
}
