package segment

import (
	"math"

	"github.com/go-ego/gse/hmm"

	"bingli/services/note"
)

// Part-of-speech tags of tokens the dictionary does not tag (jieba's tags).
const (
	posNumber  = "m"   // numeral: 21, 0.8, 20/40
	posLatin   = "eng" // Latin-script word not in the dictionary: mmHg, OD
	posUnknown = "x"   // punctuation, symbols, out-of-vocabulary words
)

// cutter holds the per-call buffers of the dynamic programme.
type cutter struct {
	score []float64 // score[i]: best log probability of units i.. of the block
	next  []int     // next[i]: end (exclusive) of the best word starting at i
	val   []int     // val[i]: trie value of that word, -1 if not a word
	hmm   []rune
	out   []note.Token
}

var bmes = []byte{'B', 'M', 'E', 'S'}

// route computes, for units a..b-1 of s (one block), the most probable
// split into dictionary words (jieba's DAG + max-probability route). A
// unit no word covers counts as a word of frequency 1. With skipWhole, the
// edge covering the whole block is ignored (used to tune lexicon words).
func (c *cutter) route(d *dictionary, s *scanner, a, b int, skipWhole bool) {
	n := b - a
	c.score = grow(c.score, n+1)
	c.next = growInt(c.next, n)
	c.val = growInt(c.val, n)
	c.score[n] = 0
	for i := n - 1; i >= 0; i-- {
		best, bestEnd, bestVal := math.Inf(-1), -1, -1
		for j := i + 1; j <= n; j++ {
			val, ok, more := d.lookup(s.key(a+i, a+j))
			if !more {
				break
			}
			if !ok || (skipWhole && i == 0 && j == n) {
				continue
			}
			p := d.logFreq[val] - d.logTotal + c.score[j]
			if p >= best { // ties go to the longer word, as in jieba
				best, bestEnd, bestVal = p, j, val
			}
		}
		if bestEnd < 0 { // no word starts here: the unit alone, frequency 1
			best, bestEnd, bestVal = -d.logTotal+c.score[i+1], i+1, -1
		}
		c.score[i], c.next[i], c.val[i] = best, bestEnd, bestVal
	}
}

// bestSplit is the log probability of the best split of units 0..n-1 of s
// into more than one piece.
func (c *cutter) bestSplit(d *dictionary, s *scanner, n int) float64 {
	c.route(d, s, 0, n, true)
	return c.score[0]
}

// cut appends the tokens of text (already scanned into s) to c.out.
func (c *cutter) cut(d *dictionary, s *scanner, useHMM bool) []note.Token {
	c.out = c.out[:0]
	units := s.units
	for a := 0; a < len(units); {
		if !units[a].inBlock() {
			c.emit(units, a, a+1, posUnknown)
			a++
			continue
		}
		b := a + 1
		for b < len(units) && units[b].inBlock() && units[b].start == units[b-1].end {
			b++
		}
		c.block(d, s, a, b, useHMM)
		a = b
	}
	return c.out
}

// block segments the block of units a..b-1: dictionary words as routed;
// runs of single units go to the HMM (jieba's cut_DAG).
func (c *cutter) block(d *dictionary, s *scanner, a, b int, useHMM bool) {
	c.route(d, s, a, b, false)
	next, val := c.next, c.val // singles and emit* do not route again
	buf := -1                  // start of the pending run of single units
	for i := 0; i < b-a; {
		j := next[i]
		if j == i+1 {
			if buf < 0 {
				buf = i
			}
			i = j
			continue
		}
		if buf >= 0 {
			c.singles(d, s, a+buf, a+i, useHMM)
			buf = -1
		}
		c.emit(s.units, a+i, a+j, d.pos[val[i]])
		i = j
	}
	if buf >= 0 {
		c.singles(d, s, a+buf, b, useHMM)
	}
}

// singles emits a run of units the route left single. With the HMM, runs of
// two or more ideographs that are not a word together are cut by gse's HMM
// (jieba's model), which finds words missing from the dictionaries.
func (c *cutter) singles(d *dictionary, s *scanner, a, b int, useHMM bool) {
	if useHMM && b-a > 1 {
		if _, ok, _ := d.lookup(s.key(a, b)); !ok {
			for i := a; i < b; {
				if s.units[i].kind != unitHan {
					c.emitSingle(d, s, i)
					i++
					continue
				}
				j := i + 1
				for j < b && s.units[j].kind == unitHan {
					j++
				}
				c.hmmCut(d, s, i, j)
				i = j
			}
			return
		}
	}
	for i := a; i < b; i++ {
		c.emitSingle(d, s, i)
	}
}

// hmmCut cuts ideograph units a..b-1 with gse's Viterbi decoder.
func (c *cutter) hmmCut(d *dictionary, s *scanner, a, b int) {
	if b-a == 1 {
		c.emitSingle(d, s, a)
		return
	}
	c.hmm = c.hmm[:0]
	for i := a; i < b; i++ {
		c.hmm = append(c.hmm, s.runes[s.units[i].start])
	}
	_, states := hmm.Viterbi(c.hmm, bmes)
	begin := a
	for k, st := range states {
		i := a + k
		switch st {
		case 'B':
			begin = i
		case 'E':
			c.emitWord(d, s, begin, i+1)
			begin = i + 1
		case 'S':
			c.emitSingle(d, s, i)
			begin = i + 1
		}
	}
	if begin < b {
		c.emitWord(d, s, begin, b)
	}
}

// emitWord emits units a..b-1 as one word, tagged from the dictionary.
func (c *cutter) emitWord(d *dictionary, s *scanner, a, b int) {
	if b-a == 1 {
		c.emitSingle(d, s, a)
		return
	}
	pos := posUnknown
	if val, ok, _ := d.lookup(s.key(a, b)); ok {
		pos = d.pos[val]
	}
	c.emit(s.units, a, b, pos)
}

// emitSingle emits one unit as a token.
func (c *cutter) emitSingle(d *dictionary, s *scanner, i int) {
	if val, ok, _ := d.lookup(s.key(i, i+1)); ok && d.pos[val] != "" {
		c.emit(s.units, i, i+1, d.pos[val])
		return
	}
	switch s.units[i].kind {
	case unitNumber:
		c.emit(s.units, i, i+1, posNumber)
	case unitWord:
		c.emit(s.units, i, i+1, posLatin)
	default:
		c.emit(s.units, i, i+1, posUnknown)
	}
}

func (c *cutter) emit(units []unit, a, b int, pos string) {
	c.out = append(c.out, note.Token{Start: units[a].start, End: units[b-1].end, POS: pos})
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func growInt(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
