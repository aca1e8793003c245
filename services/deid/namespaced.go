package deid

import "strings"

// Names written with a separator between their characters: letter-spaced
// by OCR or by forms that align columns (| 卢 振 山 |, 门诊蒙 志 坚复查, 甄 佳),
// and HL7 v2 exports, which separate family and given names with carets
// (NK1|1|向^东|SON, PID|…|罗^永^红). A gazetteer surname, then one or two
// given-name characters, each after one space or caret. A letter-spaced
// group counts only where the text around it is not letter-spaced too (an
// OCR line spaced throughout would make every surname look like a name).

type spacedNameRecognizer struct{ nr nameRecognizer }

func (spacedNameRecognizer) Name() string      { return "spaced-name" }
func (spacedNameRecognizer) Labels() []string  { return []string{Name} }
func (spacedNameRecognizer) Context() []string { return nil }

func (r spacedNameRecognizer) find(d *doc, out []Span) []Span {
	rs := d.runes
	if !strings.ContainsAny(d.norm, " ^") {
		return out
	}
	found := map[string]bool{}
	for i := 0; i+2 < len(rs); i++ {
		if !isHan(rs[i]) {
			continue
		}
		sl, _ := r.nr.surnameAt(d, i)
		switch {
		case i+3 < len(rs) && rs[i+1] == ' ' && rs[i+3] == ' ' && r.nr.compound[string([]rune{rs[i], rs[i+2]})]:
			sl = 3 // 呼 延 晓 燕: a compound surname spaced too
		case sl == 2 && i+2 < len(rs) && (rs[i+2] == ' ' || rs[i+2] == '^'):
			// 司徒 明
		case sl != 0 && (rs[i+1] == ' ' || rs[i+1] == '^'):
			sl = 1
		default:
			continue
		}
		sep := rs[i+sl]
		if sl == 3 {
			sep = rs[i+1]
		}
		if sep != ' ' && sep != '^' {
			continue
		}
		// after a Chinese character only as a spaced group inside unspaced
		// text (门诊蒙 志 坚复查)
		if i > 0 && isHan(rs[i-1]) && (sep != ' ' || i >= 2 && rs[i-2] == ' ') {
			continue
		}
		// given-name characters, each after one separator
		j := i + sl
		g := 0
		maxGiven := 3 // 敖 登 格 日 乐 and other transliterations run longer
		if sep == ' ' && sl == 1 {
			maxGiven = 2 // 许 小 宝 许 海 峰: the next name starts after two
		}
		for g < maxGiven && j+1 < len(rs) && rs[j] == sep && givenChar(rs[j+1], false) && !strings.ContainsRune(notInNames, rs[j+1]) {
			j += 2
			g++
		}
		if g == 0 {
			continue
		}
		chars := g + sl
		if sl == 3 {
			chars = g + 2
		}
		if !spacedEnd(rs, i, j, sep, chars) {
			continue
		}
		text := string(rs[i:j])
		if plain := strings.NewReplacer(" ", "", "^", "").Replace(text); medicalWords()[plain] || generalWords()[plain] {
			continue
		}
		out = append(out, Span{Start: i, End: j, Label: Name, Score: 0.8, Recognizer: "spaced-name"})
		found[text] = true
		i = j - 1
	}
	return propagateNames(d, found, 0.8, "spaced-name", out)
}

// spacedEnd reports whether a spaced name [i, j) ends where a name ends and
// the text around it is not spaced the same way.
func spacedEnd(rs []rune, i, j int, sep rune, chars int) bool {
	if sep == '^' {
		return j >= len(rs) || !isHan(rs[j])
	}
	// a line spaced throughout (说 高 德 顺 上 月 底) has a single spaced
	// character on both sides; a spaced name in running text or a table has
	// a word, a number or a line edge on at least one
	before := i >= 2 && rs[i-1] == ' ' && isHan(rs[i-2]) && (i == 2 || rs[i-3] == ' ')
	after := j+1 < len(rs) && rs[j] == ' ' && isHan(rs[j+1]) && (j+2 >= len(rs) || rs[j+2] == ' ')
	if before && after {
		return false
	}
	if chars == 2 {
		// two characters (甄 佳): only between strong boundaries
		prev := rune(0)
		if i > 0 {
			prev = rs[i-1]
		}
		next := rune(0)
		if j < len(rs) {
			next = rs[j]
		}
		strong := func(r rune) bool {
			return r == 0 || strings.ContainsRune("|\t\n：:，,。；;（()）【】\"“”", r)
		}
		return strong(prev) && (strong(next) || next == ' ')
	}
	return true
}
