package deid

import "strings"

// Children's nicknames and names in exported fields. Parents and
// grandparents are named after the child in clinics, chats and follow-up
// groups (糖糖妈妈, 小鱼儿奶奶：…), and a child's milk name follows 乳名 or
// 小名; exports write names as field values ("doctor":"甘露", patient=易子航).
// The nickname is an identifier of the child (the conventions mark it).

// nickKin follow a child's nickname: the parent or grandparent it names.
var nickKin = []string{"妈妈", "爸爸", "奶奶", "爷爷", "姥姥", "姥爷", "外婆", "外公", "家长", "妈", "爸"}

// notNicknames are reduplicated words that are not nicknames.
var notNicknames = map[string]bool{"常常": true, "刚刚": true, "慢慢": true, "天天": true, "渐渐": true, "偏偏": true, "仅仅": true,
	"往往": true, "稍稍": true, "明明": true, "好好": true, "人人": true, "个个": true, "妈妈": true, "爸爸": true, "奶奶": true,
	"爷爷": true, "姐姐": true, "哥哥": true, "弟弟": true, "妹妹": true, "宝宝": true, "娃娃": true, "姥姥": true, "公公": true,
	"婆婆": true, "叔叔": true, "舅舅": true, "伯伯": true, "太太": true, "孩孩": true, "点点": true, "多多": true, "早早": true}

// nameFieldKeys name a person in key-value and JSON exports.
var nameFieldKeys = []string{"patient_name", "patientName", "doctor_name", "doctorName", "name", "patient", "doctor", "nurse",
	"physician", "operator", "recorder", "signer", "contact", "attending", "resident", "surgeon", "reviewer"}

type nicknameRecognizer struct{ nr nameRecognizer }

func (nicknameRecognizer) Name() string      { return "nickname" }
func (nicknameRecognizer) Labels() []string  { return []string{Name} }
func (nicknameRecognizer) Context() []string { return nil }

func (r nicknameRecognizer) find(d *doc, out []Span) []Span {
	rs := d.runes
	found := map[string]bool{}
	for i := 0; i+1 < len(rs); i++ {
		if !isHan(rs[i]) {
			if !isLetter(rs[i]) && rs[i] != '"' {
				continue
			}
			if e, key := fieldKeyValue(d, i); e > i {
				j := i
				for j < e && !isHan(rs[j]) {
					j++
				}
				// a name: a gazetteer surname first, not a clinical word (nor an
				// ordinary word where the key is not a person's role: name, contact)
				v := d.slice(j, e)
				if sl, _ := r.nr.surnameAt(d, j); sl > 0 && !medicalWords()[v] && (!generalWords()[v] || key != "name" && key != "contact") {
					out = append(out, Span{Start: j, End: e, Label: Name, Score: 0.8, Recognizer: "nickname"})
				}
				i = e - 1
			}
			continue
		}
		if i > 0 && isHan(rs[i-1]) && !strings.ContainsRune("是叫名给和带与及", rs[i-1]) {
			continue
		}
		e := 0
		switch {
		case rs[i] == rs[i+1]: // 糖糖, 朵朵儿
			e = i + 2
		case rs[i] == '小' && i+2 < len(rs) && isHan(rs[i+1]) && rs[i+1] != '儿' && rs[i+1] != '孩': // 小鱼儿, 小宝
			e = i + 2
			if isHan(rs[e]) && rs[e] != '儿' && hasRunesAt(rs, e+1, nickKin) {
				e++ // 小鱼鱼
			}
		}
		if e == 0 {
			continue
		}
		if d.at(e) == '儿' {
			e++
		}
		if hasRunesAt(rs, e, nickKin) && !notNicknames[string(rs[i:i+2])] && (rs[i] == rs[i+1] || !generalWords()[string(rs[i:e])]) {
			out = append(out, Span{Start: i, End: e, Label: Name, Score: 0.8, Recognizer: "nickname"})
			found[string(rs[i:e])] = true
			i = e - 1
		}
	}
	// after 乳名/小名/昵称/外号: the name itself (乳名乐乐)
	for i := 0; i+2 < len(rs); i++ {
		if !strings.ContainsRune("乳小昵外", rs[i]) || !hasRunesAt(rs, i, []string{"乳名", "小名", "昵称", "外号"}) {
			continue
		}
		s := d.skipSep(i+2, 3)
		e := s
		for e < len(rs) && e-s < 4 && isHan(rs[e]) && !strings.ContainsRune(hardStop, rs[e]) {
			e++
		}
		if e-s >= 1 && (e-s >= 2 || rs[s] != '叫') && (e >= len(rs) || !isHan(rs[e])) {
			out = append(out, Span{Start: s, End: e, Label: Name, Score: 0.8, Recognizer: "nickname"})
			found[string(rs[s:e])] = true
		}
		i = e
	}
	return propagateNames(d, found, 0.8, "nickname", out)
}

// fieldKeyValue matches an export's name field at i ("doctor":"甘露",
// patient=易子航, name: 王伟) and returns the end of its value (two to four
// Chinese characters, a middle dot allowed) and the key, or i.
func fieldKeyValue(d *doc, i int) (int, string) {
	rs := d.runes
	if i > 0 && (isLetter(rs[i-1]) || rs[i-1] == '_') {
		return i, ""
	}
	k := i
	if rs[k] == '"' {
		k++
	}
	w := longestAt(rs, k, nameFieldKeys)
	if w == 0 || w < len(rs) && (isLetter(rs[w]) || rs[w] == '_') {
		return i, ""
	}
	key := string(rs[k:w])
	j := w
	if j < len(rs) && rs[j] == '"' {
		j++
	}
	for j < len(rs) && rs[j] == ' ' {
		j++
	}
	if j >= len(rs) || rs[j] != ':' && rs[j] != '=' {
		return i, ""
	}
	j++
	for j < len(rs) && (rs[j] == ' ' || rs[j] == '"') {
		j++
	}
	s := j
	for j < len(rs) && j-s < 8 && (isHan(rs[j]) || isNameDot(rs[j])) {
		j++
	}
	if j-s < 2 || j-s > 6 || j < len(rs) && isAlnum(rs[j]) {
		return i, ""
	}
	return j, key
}
