package events

import (
	"sort"

	"bingli/services/laterality"
)

// lexicon is a longest-match dictionary over folded text.
type lexicon struct {
	byFirst map[rune][]lexEntry
}

type lexEntry struct {
	word []rune // folded
	tag  string
}

func newLexicon(words map[string]string) *lexicon {
	l := &lexicon{byFirst: map[rune][]lexEntry{}}
	for w, tag := range words {
		rs := []rune(w)
		for i := range rs {
			rs[i] = laterality.Fold(rs[i])
		}
		l.byFirst[rs[0]] = append(l.byFirst[rs[0]], lexEntry{rs, tag})
	}
	for _, es := range l.byFirst {
		sort.Slice(es, func(i, j int) bool {
			if len(es[i].word) != len(es[j].word) {
				return len(es[i].word) > len(es[j].word)
			}
			return string(es[i].word) < string(es[j].word)
		})
	}
	return l
}

// match returns the longest entry at i (ASCII entries must stand alone as
// ASCII words).
func (l *lexicon) match(f []rune, i int) (lexEntry, bool) {
	if i < 0 || i >= len(f) {
		return lexEntry{}, false
	}
	for _, e := range l.byFirst[f[i]] {
		if !hasAt(f, i, e.word) {
			continue
		}
		end := i + len(e.word)
		if isLetter(e.word[0]) && i > 0 && isLetter(f[i-1]) {
			continue
		}
		if isLetter(e.word[len(e.word)-1]) && end < len(f) && isLetter(f[end]) {
			continue
		}
		return e, true
	}
	return lexEntry{}, false
}
