package deid

import "strings"

// Names found by any recognizer are names wherever else they appear in the
// note, and so are their given names used alone: a family talk names the
// daughter once in full (女儿王春花) and then as 春花; a ward round has
// 21床宁平安 and later 平安情绪低落. Each recognizer propagates its own finds;
// this pass, run over what all of them found, carries a name from one
// recognizer (the tagger's, LAC's) to the occurrences another missed, and
// the given name to where it stands alone.
//
// A given name alone is taken at a clause start (after punctuation, a space
// or the line's start) or after a kinship or role word (女儿春花, 护士海燕)
// or a word that introduces a person (和, 让, 叫); one that is also an
// ordinary or clinical word (平安, 文静, 明亮) only at a clause start.

// givenNameBefore are the last characters of words a given name used alone
// may follow: kinship and role words, and words that introduce a person.
const givenNameBefore = "儿女子伴属夫妻人亲士生者哥姐弟妹叔姨舅婶爷奶公婆嫂孙侄和与及让叫请问给被对跟同找"

func corefNames(d *doc, spans []Span, nr nameRecognizer) []Span {
	found := map[string]bool{}
	have := map[[2]int]bool{}    // names already found where they stand
	given := map[string]string{} // given name -> its surname
	for _, s := range spans {
		if s.Label != Name || s.End-s.Start < 2 || s.End-s.Start > 6 {
			continue
		}
		have[[2]int{s.Start, s.End}] = true
		t := d.slice(s.Start, s.End)
		if !allHan(t) || generalWords()[t] || medicalWords()[t] {
			continue
		}
		found[t] = true
		if n := s.End - s.Start; n == 3 || n == 4 {
			if k, _ := nr.surnameAt(d, s.Start); k > 0 && n-k >= 2 {
				g := d.slice(s.Start+k, s.End)
				if !medicalWords()[g] {
					given[g] = d.slice(s.Start, s.Start+k)
				}
			}
		}
	}
	if len(found) == 0 {
		return spans
	}
	n := len(spans)
	spans = propagateNames(d, found, 0.8, "coref", spans)
	kept := spans[:n] // occurrences another recognizer already has keep its name
	for _, s := range spans[n:] {
		if !have[[2]int{s.Start, s.End}] {
			kept = append(kept, s)
		}
	}
	spans = kept
	for g, sur := range given {
		word := generalWords()[g]
		sl := runeLen(sur)
		eachOccurrence(d, g, func(i, e int) {
			if i >= sl && d.slice(i-sl, i) == sur {
				return // the full name: propagated above
			}
			prev := d.at(i - 1)
			clause := i == 0 || !isHan(prev) && !isAlnum(prev)
			if clause || !word && strings.ContainsRune(givenNameBefore, prev) {
				spans = append(spans, Span{Start: i, End: e, Label: Name, Score: 0.8, Recognizer: "coref"})
			}
		})
	}
	return spans
}

func allHan(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return s != ""
}
