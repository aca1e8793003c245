package extract

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Character-bigram ids: the bigram feature of position i is the pair of
// normalised characters (i, i+1). Id 0 is padding; id 1 is every bigram not
// in the vocabulary, a bigram with whitespace in it, and the last character
// of a text (which has no successor).
const (
	BigramPad = 0
	BigramUnk = 1
)

// Bigrams maps normalised character pairs to ids (bigrams.txt).
type Bigrams struct {
	ids   map[[2]rune]int64
	pairs [][2]rune // id -> pair; reserved ids hold zero pairs
}

// Len is the number of ids, reserved ones included.
func (b *Bigrams) Len() int { return len(b.pairs) }

// ID returns the id of the bigram (x, y) of normalised characters.
func (b *Bigrams) ID(x, y rune) int64 {
	if x == ' ' || y == ' ' {
		return BigramUnk
	}
	if id, ok := b.ids[[2]rune{x, y}]; ok {
		return id
	}
	return BigramUnk
}

// IDs writes the bigram id of each position of norm (normalised
// characters) into dst.
func (b *Bigrams) IDs(norm []rune, dst []int64) {
	for i := range norm {
		if i+1 < len(norm) {
			dst[i] = b.ID(norm[i], norm[i+1])
		} else {
			dst[i] = BigramUnk
		}
	}
}

// BuildBigrams counts the bigrams of normalised characters in texts (none
// with whitespace) and keeps those seen at least minFreq times, most
// frequent first, ties by code points, so the result depends only on the
// texts.
func BuildBigrams(texts []string, minFreq int) *Bigrams {
	freq := map[[2]rune]int{}
	for _, t := range texts {
		prev := ' '
		for _, r := range t {
			r = NormChar(r)
			if prev != ' ' && r != ' ' {
				freq[[2]rune{prev, r}]++
			}
			prev = r
		}
	}
	var keep [][2]rune
	for p, n := range freq {
		if n >= minFreq {
			keep = append(keep, p)
		}
	}
	sort.Slice(keep, func(i, j int) bool {
		a, b := keep[i], keep[j]
		if freq[a] != freq[b] {
			return freq[a] > freq[b]
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		return a[1] < b[1]
	})
	bg := &Bigrams{ids: make(map[[2]rune]int64, len(keep)), pairs: make([][2]rune, 2, 2+len(keep))}
	for _, p := range keep {
		bg.ids[p] = int64(len(bg.pairs))
		bg.pairs = append(bg.pairs, p)
	}
	return bg
}

// WriteTo writes bigrams.txt: line i+1 is id i; the first two lines are
// <pad> and <unk>, then one pair of characters per line.
func (b *Bigrams) WriteTo(w io.Writer) (int64, error) {
	var sb strings.Builder
	sb.WriteString(vocabPad + "\n" + vocabUnk + "\n")
	for _, p := range b.pairs[2:] {
		sb.WriteRune(p[0])
		sb.WriteRune(p[1])
		sb.WriteByte('\n')
	}
	n, err := io.WriteString(w, sb.String())
	return int64(n), err
}

// LoadBigrams reads what WriteTo wrote.
func LoadBigrams(r io.Reader) (*Bigrams, error) {
	sc := bufio.NewScanner(r)
	b := &Bigrams{ids: map[[2]rune]int64{}}
	line := 0
	for sc.Scan() {
		s := sc.Text()
		line++
		if line <= 2 {
			if want := []string{vocabPad, vocabUnk}[line-1]; s != want {
				return nil, fmt.Errorf("bigrams line %d: %q, want %q", line, s, want)
			}
			b.pairs = append(b.pairs, [2]rune{})
			continue
		}
		rs := []rune(s)
		if len(rs) != 2 || NormChar(rs[0]) != rs[0] || NormChar(rs[1]) != rs[1] || rs[0] == ' ' || rs[1] == ' ' {
			return nil, fmt.Errorf("bigrams line %d: %q is not two normalised characters", line, s)
		}
		p := [2]rune{rs[0], rs[1]}
		if _, dup := b.ids[p]; dup {
			return nil, fmt.Errorf("bigrams line %d: %q repeated", line, s)
		}
		b.ids[p] = int64(len(b.pairs))
		b.pairs = append(b.pairs, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("bigrams: %w", err)
	}
	if line < 2 {
		return nil, fmt.Errorf("bigrams: %d lines, want the 2 reserved ones at least", line)
	}
	return b, nil
}
