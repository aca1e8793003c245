package review

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/width"

	"bingli/models/icd10"
)

// CodeMatch is one answer of the ICD-10 code picker.
type CodeMatch struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Via is the synonym or alternative name that matched, when it is not
	// the code's own name.
	Via string `json:"via,omitempty"`
}

// Match tiers, best first.
const (
	tierCodeExact = iota
	tierCodePrefix
	tierNameExact
	tierNamePrefix
	tierNameContains
	tierGrams
)

// codeTerm is one searchable name of a code: its dictionary name, a
// dagger/asterisk row's name, or an ophthalmology synonym.
type codeTerm struct {
	code  int    // index into CodeIndex.codes
	text  string // as written
	fold  string // folded for matching
	runes int
	grams int // distinct bigrams of fold
}

type codeRow struct {
	code, upper, name string
}

// CodeIndex answers the code picker's search-as-you-type over the ICD-10
// dictionary (models/icd10, Beijing v6.01) and the ophthalmology synonyms:
// by code prefix, by name (exact, prefix, substring) and, for misspelt or
// reordered names, by shared character bigrams. It is read-only once built.
type CodeIndex struct {
	codes  []codeRow // sorted by code
	byCode map[string]int
	terms  []codeTerm
	grams  map[string][]int32 // bigram -> term indexes
}

var (
	codeIndexOnce sync.Once
	codeIndex     *CodeIndex
	codeIndexErr  error
)

// Codes returns the dictionary's code index, built once per process.
func Codes() (*CodeIndex, error) {
	codeIndexOnce.Do(func() { codeIndex, codeIndexErr = buildCodeIndex(icd10.V601, icd10.OphthalmologySynonyms) })
	return codeIndex, codeIndexErr
}

// foldTerm folds full-width characters and case, and drops spaces, so that
// "ＤＲ", "dr" and "D R" are one key.
func foldTerm(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func bigrams(s string) []string {
	rs := []rune(s)
	if len(rs) == 1 {
		return []string{s}
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		g := string(rs[i : i+2])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

func buildCodeIndex(v601, synonyms string) (*CodeIndex, error) {
	x := &CodeIndex{byCode: map[string]int{}, grams: map[string][]int32{}}
	type alias struct{ code, name string }
	var aliases, compound []alias
	for i, line := range strings.Split(v601, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		if !ok || code == "" || name == "" {
			return nil, fmt.Errorf("code index: icd10_v601.tsv line %d: want code<TAB>name", i+1)
		}
		if strings.Contains(code, "+") { // dagger/asterisk pair: its name finds the first code
			first := strings.TrimSuffix(strings.TrimSpace(strings.Split(code, "+")[0]), "*")
			compound = append(compound, alias{first, name})
			continue
		}
		code = strings.TrimSuffix(code, "*")
		if _, dup := x.byCode[code]; dup {
			continue
		}
		x.byCode[code] = len(x.codes)
		x.codes = append(x.codes, codeRow{code: code, upper: strings.ToUpper(code), name: name})
	}
	// A dagger/asterisk row's first code without a row of its own becomes a
	// code with that row's name; otherwise the row's name is an alias.
	for _, c := range compound {
		if _, ok := x.byCode[c.code]; !ok {
			x.byCode[c.code] = len(x.codes)
			x.codes = append(x.codes, codeRow{code: c.code, upper: strings.ToUpper(c.code), name: c.name})
			continue
		}
		aliases = append(aliases, c)
	}
	for i, line := range strings.Split(synonyms, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		syn, code, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("code index: ophthalmology_synonyms.tsv line %d: want synonym<TAB>code", i+1)
		}
		// A compound synonym (E14.371+H36.0*) finds its first code.
		first := strings.TrimSuffix(strings.TrimSpace(strings.Split(code, "+")[0]), "*")
		aliases = append(aliases, alias{first, strings.TrimSpace(syn)})
	}
	sort.Slice(x.codes, func(i, j int) bool { return x.codes[i].upper < x.codes[j].upper })
	for i, c := range x.codes {
		x.byCode[c.code] = i
	}
	add := func(ci int, text string) {
		f := foldTerm(text)
		if f == "" {
			return
		}
		gs := bigrams(f)
		t := int32(len(x.terms))
		x.terms = append(x.terms, codeTerm{code: ci, text: text, fold: f, runes: len([]rune(f)), grams: len(gs)})
		for _, g := range gs {
			x.grams[g] = append(x.grams[g], t)
		}
	}
	for i, c := range x.codes {
		add(i, c.name)
	}
	for _, a := range aliases {
		ci, ok := x.byCode[a.code]
		if !ok {
			return nil, fmt.Errorf("code index: synonym %q names code %s, which is not in the dictionary", a.name, a.code)
		}
		if a.name != x.codes[ci].name {
			add(ci, a.name)
		}
	}
	return x, nil
}

// Lookup returns a code's dictionary name.
func (x *CodeIndex) Lookup(code string) (string, bool) {
	i, ok := x.byCode[strings.TrimSpace(code)]
	if !ok {
		return "", false
	}
	return x.codes[i].name, true
}

// Len is the number of codes.
func (x *CodeIndex) Len() int { return len(x.codes) }

type codeHit struct {
	code  int
	tier  int
	score float64 // within a tier, higher first
	via   string
}

// isCodeQuery says whether q looks like (the start of) an ICD-10 code.
func isCodeQuery(q string) bool {
	if q == "" || q[0] < 'A' || q[0] > 'Z' {
		return false
	}
	for i := 1; i < len(q); i++ {
		c := q[i]
		if !(c >= '0' && c <= '9' || c == '.' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// Search returns at most n codes for q, best first: an exact code, codes
// starting with q (shorter, broader codes first), then names equal to,
// starting with or containing q (shorter names first), then names sharing
// the most character bigrams with q.
func (x *CodeIndex) Search(q string, n int) []CodeMatch {
	fq := foldTerm(q)
	if fq == "" || n <= 0 {
		return nil
	}
	best := map[int]codeHit{}
	offer := func(h codeHit) {
		old, ok := best[h.code]
		if !ok || h.tier < old.tier || h.tier == old.tier && h.score > old.score {
			best[h.code] = h
		}
	}
	if isCodeQuery(fq) {
		lo := sort.Search(len(x.codes), func(i int) bool { return x.codes[i].upper >= fq })
		for i := lo; i < len(x.codes) && strings.HasPrefix(x.codes[i].upper, fq); i++ {
			tier := tierCodePrefix
			if x.codes[i].upper == fq {
				tier = tierCodeExact
			}
			offer(codeHit{code: i, tier: tier, score: -float64(len(x.codes[i].upper))})
		}
	}
	qRunes := len([]rune(fq))
	for i := range x.terms {
		t := &x.terms[i]
		if t.runes < qRunes {
			continue
		}
		var tier int
		switch {
		case t.fold == fq:
			tier = tierNameExact
		case strings.HasPrefix(t.fold, fq):
			tier = tierNamePrefix
		case strings.Contains(t.fold, fq):
			tier = tierNameContains
		default:
			continue
		}
		offer(codeHit{code: t.code, tier: tier, score: -float64(t.runes), via: t.text})
	}
	if len(best) < n && qRunes >= 2 {
		qg := bigrams(fq)
		shared := map[int32]int{}
		for _, g := range qg {
			for _, t := range x.grams[g] {
				shared[t]++
			}
		}
		for t, s := range shared {
			term := &x.terms[t]
			jac := float64(s) / float64(len(qg)+term.grams-s)
			if jac >= 0.2 && float64(s) >= 0.5*float64(len(qg)) {
				offer(codeHit{code: term.code, tier: tierGrams, score: jac, via: term.text})
			}
		}
	}
	hits := make([]codeHit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return x.codes[a.code].upper < x.codes[b.code].upper
	})
	if len(hits) > n {
		hits = hits[:n]
	}
	out := make([]CodeMatch, len(hits))
	for i, h := range hits {
		c := x.codes[h.code]
		out[i] = CodeMatch{Code: c.code, Name: c.name}
		if h.via != "" && h.via != c.name {
			out[i].Via = h.via
		}
	}
	return out
}
