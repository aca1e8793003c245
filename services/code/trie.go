package code

// trie is a rune trie over folded lexicon keys, stored as one hash map from
// (node, rune) to child node. It is read-only after build.
type trie struct {
	next  map[uint64]int32
	terms []*term // per node; nil when no key ends there
	ascii []bool  // per node: the key ending there is ASCII letters/digits
}

func newTrie() *trie {
	return &trie{next: make(map[uint64]int32, 1<<17), terms: []*term{nil}, ascii: []bool{false}}
}

func (t *trie) add(key string, tm *term) {
	node := int32(0)
	allASCII := true
	for _, r := range key {
		if r >= 128 {
			allASCII = false
		}
		k := uint64(node)<<21 | uint64(r)
		child, ok := t.next[k]
		if !ok {
			child = int32(len(t.terms))
			t.next[k] = child
			t.terms = append(t.terms, nil)
			t.ascii = append(t.ascii, false)
		}
		node = child
	}
	if t.terms[node] == nil || t.terms[node].Rank > tm.Rank {
		t.terms[node] = tm
		t.ascii[node] = allASCII
	}
}

// longest returns the length in runes of the longest key that starts at
// rs[i] (folding each rune) and its term; 0, nil when none. ASCII keys must
// not start or end inside a run of ASCII letters or digits.
func (t *trie) longest(rs []rune, i, limit int) (int, *term) {
	node := int32(0)
	best, bestTerm := 0, (*term)(nil)
	for j := i; j < limit; j++ {
		child, ok := t.next[uint64(node)<<21|uint64(foldRune(rs[j]))]
		if !ok {
			break
		}
		node = child
		if tm := t.terms[node]; tm != nil {
			if t.ascii[node] && (i > 0 && isASCIIAlnum(rs[i-1]) || j+1 < len(rs) && isASCIIAlnum(rs[j+1])) {
				continue
			}
			best, bestTerm = j+1-i, tm
		}
	}
	return best, bestTerm
}
