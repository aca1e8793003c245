package deid

import (
	"strings"
	"sync"
	"unicode/utf8"

	deidlists "bingli/models/deid"
	"bingli/models/lexicons"

	"bingli/services/lac"
)

// personNameRecognizer finds person names in running prose, where the rule
// recognizer (name.go) has no cue to go by ("今日复诊，陈晓梅诉左眼仍畏光"),
// with Baidu's LAC tagger (services/lac). To keep the stage fast it only
// sends LAC the clauses around a surname that starts a plausible name the
// rules did not already take; a LAC person name must start with a surname
// from the gazetteer and must not be a clinical word. Every other occurrence
// of an accepted name in the note is taken too.
type personNameRecognizer struct {
	model  *lac.Model
	nr     nameRecognizer
	places addressRecognizer
}

// NewPersonNameRecognizer returns the LAC-backed recognizer (register it
// after the default ones with Registry.Add).
func NewPersonNameRecognizer(m *lac.Model) Recognizer {
	return personNameRecognizer{model: m, nr: newNameRecognizer(), places: newAddressRecognizer()}
}

func (personNameRecognizer) Name() string      { return "lac" }
func (personNameRecognizer) Labels() []string  { return []string{Name} }
func (personNameRecognizer) Context() []string { return nil }

// prepSurnames are surnames that are far more often prepositions.
const prepSurnames = "于向经从"

// placeWords follow the preposition 于 (also a surname) in notes.
var placeWords = []string{"当地", "外院", "我院", "本院", "外地", "上级", "门诊", "急诊", "社区", "县医院", "市医院", "省医院"}

// drugTails end drug names (…珠单抗, …替尼, …洛韦) right after a LAC
// "name" or one character later.
var drugTails = []string{"单抗", "替尼", "洛韦", "沙星", "霉素", "西普", "普利", "沙坦", "他汀", "地平", "洛尔", "滴眼液", "眼膏", "胶囊", "注射液", "凝胶", "颗粒"}

// organChars are body parts a name never follows directly (眶周, 睑缘).
const organChars = "眶睑眼耳鼻唇颊额颞肺肝肾脾胃肠"

// clauseReach bounds a window on each side of a candidate, in code points.
const clauseReach = 8

// clauseEnd characters end the clause LAC sees.
const clauseEnd = "。；;！!？?\n\r"

type window struct{ start, end int }

func (p personNameRecognizer) find(d *doc, out []Span) []Span {
	covered := make([]bool, len(d.runes))
	for _, s := range out {
		for i := max(s.Start, 0); i < s.End && i < len(covered); i++ {
			covered[i] = true
		}
	}
	var wins []window
	for i := 0; i < len(d.runes); i++ {
		if covered[i] || !isHan(d.runes[i]) {
			continue
		}
		sl, common := p.nr.surnameAt(d, i)
		if sl == 0 || !common && sl == 1 {
			continue
		}
		e := p.nr.candidate(d, i, false)
		// 于武汉, 曾于当地: a preposition before a place, not a name
		if e == 0 || e-i < 2 || p.inWord(d, i) || strings.ContainsRune(prepSurnames, d.runes[i]) && (p.places.adminAt(d, i+sl) > 0 || hasWordAt(d, i+sl, placeWords) > 0) {
			continue
		}
		w := p.clause(d, i, e)
		if n := len(wins); n > 0 && w.start <= wins[n-1].end {
			wins[n-1].end = max(wins[n-1].end, w.end)
		} else {
			wins = append(wins, w)
		}
		i = e - 1
	}
	if len(wins) == 0 {
		return out
	}
	batch := make([][]rune, len(wins))
	for k, w := range wins {
		batch[k] = d.runes[w.start:w.end]
	}
	words, err := p.model.Analyze(batch)
	if err != nil {
		d.fail(err)
		return out
	}
	found := map[string]bool{}
	for k, ws := range words {
		for _, w := range ws {
			if w.Tag != string(lac.Person) {
				continue
			}
			s, e := wins[k].start+w.Start, wins[k].start+w.End
			if p.accept(d, s, e) {
				out = append(out, Span{Start: s, End: e, Label: Name, Score: 0.8, Recognizer: "lac"})
				found[d.slice(s, e)] = true
			}
		}
	}
	return propagateNames(d, found, 0.8, "lac", out)
}

// clause returns the window LAC sees for a candidate [s,e): the clause
// around it, at most clauseReach code points either side.
func (p personNameRecognizer) clause(d *doc, s, e int) window {
	a := s
	for a > 0 && s-a < clauseReach && !strings.ContainsRune(clauseEnd, d.runes[a-1]) {
		a--
	}
	b := e
	for b < len(d.runes) && b-e < clauseReach && !strings.ContainsRune(clauseEnd, d.runes[b]) {
		b++
	}
	return window{a, b}
}

// accept keeps a LAC person name of 2–4 Chinese characters that starts with
// a gazetteer surname and is not, nor starts, a clinical word.
func (p personNameRecognizer) accept(d *doc, s, e int) bool {
	if e-s < 2 || e-s > 4 {
		return false
	}
	for i := s; i < e; i++ {
		if !isHan(d.runes[i]) {
			return false
		}
	}
	sl, _ := p.nr.surnameAt(d, s)
	if sl == 0 && !strings.ContainsRune(cueOnlySurnames, d.runes[s]) {
		return false
	}
	for i := s + max(sl, 1); i < e; i++ {
		if !givenChar(d.runes[i], false) && !strings.ContainsRune(softStops, d.runes[i]) {
			return false // 2分钟后
		}
	}
	if p.inWord(d, s) || d.slice(e-1, e+1) == "单抗" || hasWordAt(d, e, drugTails) > 0 || hasWordAt(d, e+1, drugTails) > 0 {
		return false // 阿达木单抗, 伊奈利珠单抗: a drug, not a name
	}
	if strings.ContainsRune(organChars, d.at(s-1)) {
		return false // 左眼眶周挫伤: a name never sits glued to an organ
	}
	if g := d.slice(s+max(sl, 1), e); clinicalWords[g] || medicalWords()[g] {
		return false // 常戴镜过夜: the "given name" is a clinical word
	}
	med := medicalWords()
	for l := 2; l <= 8 && s+l <= len(d.runes); l++ {
		if w := d.slice(s, s+l); clinicalWords[w] || med[w] {
			return false
		}
	}
	// nor inside one (更昔洛韦眼用凝胶, 虹膜周切)
	for a := max(0, s-7); a < s; a++ {
		for b := s + 1; b <= a+8 && b <= len(d.runes); b++ {
			if med[d.slice(a, b)] {
				return false
			}
		}
	}
	return true
}

// inWord reports whether a name cannot start at i because i lies inside a
// dictionary word (前房积脓, 氧氟沙星) or starts an ordinary one (明显, 方便),
// by the general and medical lexicons; words tagged as person names (nr)
// do not count.
func (p personNameRecognizer) inWord(d *doc, i int) bool {
	words, med := generalWords(), medicalWords()
	compound := p.nr.compound
	word := func(a, b int) bool {
		w := d.slice(a, b)
		return (words[w] || med[w]) && !(a == i && compound[w]) // 欧阳 starts a name, not a word
	}
	for a := max(0, i-3); a < i; a++ {
		for b := i + 1; b <= a+4 && b <= len(d.runes); b++ {
			if word(a, b) {
				return true
			}
		}
	}
	for l := 2; l <= 4 && i+l <= len(d.runes); l++ {
		if word(i, i+l) {
			return true
		}
	}
	return false
}

// jiebaWords builds, once, the set of words of jieba's general dictionary
// (as segment loads it: word, frequency, tag per line) that keep accepts.
func jiebaWords(keep func(word string, n int, tag string) bool) func() map[string]bool {
	return sync.OnceValue(func() map[string]bool {
		set := map[string]bool{}
		for _, line := range strings.Split(lexicons.GeneralZh, "\n") {
			if f := strings.Fields(line); len(f) >= 3 && keep(f[0], utf8.RuneCountInString(f[0]), f[2]) {
				set[f[0]] = true
			}
		}
		return set
	})
}

// generalWords is jieba's general dictionary: words of two to four
// characters, except person names (tag nr).
var generalWords = jiebaWords(func(_ string, n int, tag string) bool { return tag != "nr" && n >= 2 && n <= 4 })

var (
	medOnce sync.Once
	medSet  map[string]bool
)

// medicalWords is the set of medical terms of two or more characters
// (THUOCL medical and the ophthalmology lexicon, as segment loads them): a
// LAC "name" that starts one is a drug or disease (阿柏西普).
func medicalWords() map[string]bool {
	medOnce.Do(func() {
		medSet = map[string]bool{}
		for _, list := range []string{lexicons.Medical, lexicons.Ophthalmology} {
			for _, line := range strings.Split(list, "\n") {
				if strings.HasPrefix(line, "#") {
					continue
				}
				if f := strings.Fields(line); len(f) > 0 && utf8.RuneCountInString(f[0]) >= 2 {
					medSet[f[0]] = true
				}
			}
		}
		// clinical words that read like person names (安维汀, 吉奥, 黄染)
		data, err := deidlists.FS.ReadFile("clinical_words.tsv")
		if err != nil {
			panic("deid: embedded clinical_words.tsv missing")
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
				medSet[line] = true
			}
		}
	})
	return medSet
}
