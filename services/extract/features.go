package extract

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"

	"bingli/models/lexicons"
	"bingli/services/segment"
)

// Feature ids. Training (models/ner/train) reads them from the JSONL that
// ExportFeatures writes, serving computes them with the same Featurizer: the
// two can never disagree. Id 0 is padding in every feature.
const (
	CharPad = 0 // padding
	CharUnk = 1 // a character not in the vocabulary
	CharSp  = 2 // any whitespace or control character

	SegPad   = 0
	SegB     = 1 // first character of a multi-character word
	SegM     = 2 // inside a word
	SegE     = 3 // last character of a multi-character word
	SegS     = 4 // a one-character word
	SegSpace = 5 // whitespace (no token covers it)

	LexPad = 0
	LexO   = 1 // not in a lexicon term
	LexB   = 2 // first character of the longest lexicon term starting here
	LexI   = 3 // inside that term
)

// Vocabulary file markers for the three reserved ids (vocab.txt lines 1-3).
const (
	vocabPad = "<pad>"
	vocabUnk = "<unk>"
	vocabSp  = "<sp>"
)

// NormChar is the form of a character the vocabulary and the lexicon see:
// full-width ASCII folded to half-width, ASCII letters lower-cased,
// whitespace and control characters to ' '. Only features are folded: spans
// always index the original text.
func NormChar(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	if r == '\u3000' || unicode.IsSpace(r) || unicode.IsControl(r) {
		return ' '
	}
	return r
}

// Vocab maps normalised characters to ids.
type Vocab struct {
	ids   map[rune]int64
	chars []rune // id -> char; reserved ids hold 0
}

// Len is the number of ids, reserved ones included.
func (v *Vocab) Len() int { return len(v.chars) }

// ID returns the id of an already normalised character.
func (v *Vocab) ID(r rune) int64 {
	if r == ' ' {
		return CharSp
	}
	if id, ok := v.ids[r]; ok {
		return id
	}
	return CharUnk
}

// BuildVocab counts the normalised characters of texts and keeps those seen
// at least minFreq times, most frequent first (ties by code point), so the
// result depends only on the texts.
func BuildVocab(texts []string, minFreq int) *Vocab {
	freq := map[rune]int{}
	for _, t := range texts {
		for _, r := range t {
			if r = NormChar(r); r != ' ' {
				freq[r]++
			}
		}
	}
	var keep []rune
	for r, n := range freq {
		if n >= minFreq {
			keep = append(keep, r)
		}
	}
	sort.Slice(keep, func(i, j int) bool {
		if freq[keep[i]] != freq[keep[j]] {
			return freq[keep[i]] > freq[keep[j]]
		}
		return keep[i] < keep[j]
	})
	v := &Vocab{ids: map[rune]int64{}, chars: make([]rune, 3, 3+len(keep))}
	for _, r := range keep {
		v.ids[r] = int64(len(v.chars))
		v.chars = append(v.chars, r)
	}
	return v
}

// Extend appends the normalised characters of entries (one character each;
// longer entries are skipped) that the vocabulary lacks, in order. Models
// with pretrained character embeddings use it to cover characters their
// training texts never showed.
func (v *Vocab) Extend(entries []string) {
	for _, e := range entries {
		rs := []rune(e)
		if len(rs) != 1 {
			continue
		}
		r := NormChar(rs[0])
		if _, ok := v.ids[r]; ok || r == ' ' {
			continue
		}
		v.ids[r] = int64(len(v.chars))
		v.chars = append(v.chars, r)
	}
}

// WriteTo writes the vocabulary as vocab.txt: one entry per line, line i+1
// is id i; the first three lines are <pad>, <unk> and <sp>.
func (v *Vocab) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	b.WriteString(vocabPad + "\n" + vocabUnk + "\n" + vocabSp + "\n")
	for _, r := range v.chars[3:] {
		b.WriteRune(r)
		b.WriteByte('\n')
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// LoadVocab reads what WriteTo wrote.
func LoadVocab(r io.Reader) (*Vocab, error) {
	sc := bufio.NewScanner(r)
	v := &Vocab{ids: map[rune]int64{}}
	line := 0
	for sc.Scan() {
		s := sc.Text()
		line++
		switch line {
		case 1, 2, 3:
			if want := []string{vocabPad, vocabUnk, vocabSp}[line-1]; s != want {
				return nil, fmt.Errorf("vocab line %d: %q, want %q", line, s, want)
			}
			v.chars = append(v.chars, 0)
			continue
		}
		rs := []rune(s)
		if len(rs) != 1 || NormChar(rs[0]) != rs[0] || rs[0] == ' ' {
			return nil, fmt.Errorf("vocab line %d: %q is not one normalised character", line, s)
		}
		if _, dup := v.ids[rs[0]]; dup {
			return nil, fmt.Errorf("vocab line %d: %q repeated", line, s)
		}
		v.ids[rs[0]] = int64(len(v.chars))
		v.chars = append(v.chars, rs[0])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("vocab: %w", err)
	}
	if line < 3 {
		return nil, fmt.Errorf("vocab: %d lines, want the 3 reserved ones at least", line)
	}
	return v, nil
}

// Lexicon finds medical terms by forward longest match over normalised
// characters.
type Lexicon struct {
	nodes []lexNode
}

type lexNode struct {
	next map[rune]int32
	word bool
}

// NewLexicon builds a lexicon from terms; one-character terms are ignored.
func NewLexicon(terms []string) *Lexicon {
	l := &Lexicon{nodes: []lexNode{{}}}
	for _, t := range terms {
		rs := []rune(strings.TrimSpace(t))
		if len(rs) < 2 {
			continue
		}
		n := int32(0)
		for _, r := range rs {
			r = NormChar(r)
			nx, ok := l.nodes[n].next[r]
			if !ok {
				if l.nodes[n].next == nil {
					l.nodes[n].next = map[rune]int32{}
				}
				nx = int32(len(l.nodes))
				l.nodes[n].next[r] = nx
				l.nodes = append(l.nodes, lexNode{})
			}
			n = nx
		}
		l.nodes[n].word = true
	}
	return l
}

// MedicalLexicon is the THUOCL medical list and the ophthalmology list that
// the segmenter also loads (models/lexicons).
func MedicalLexicon() *Lexicon {
	var terms []string
	for _, s := range strings.Split(lexicons.Medical, "\n") {
		terms = append(terms, s)
	}
	for _, s := range strings.Split(lexicons.Ophthalmology, "\n") {
		if s = strings.TrimSpace(s); s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		terms = append(terms, strings.Fields(s)[0])
	}
	return NewLexicon(terms)
}

// Tags writes the B/I/O lexicon tag of each normalised character into dst.
func (l *Lexicon) Tags(norm []rune, dst []int64) {
	for i := 0; i < len(norm); {
		best, n := 0, int32(0)
		for j := i; j < len(norm); j++ {
			nx, ok := l.nodes[n].next[norm[j]]
			if !ok {
				break
			}
			n = nx
			if l.nodes[n].word {
				best = j + 1 - i
			}
		}
		if best == 0 {
			dst[i] = LexO
			i++
			continue
		}
		dst[i] = LexB
		for k := i + 1; k < i+best; k++ {
			dst[k] = LexI
		}
		i += best
	}
}

// Features are the per-character model inputs of one text. BigramIDs is
// nil for a model without a bigram input (ccks-bilstm-v1).
type Features struct {
	CharIDs   []int64 `json:"char_ids"`
	SegTags   []int64 `json:"seg_tags"`
	LexTags   []int64 `json:"lex_tags"`
	BigramIDs []int64 `json:"bigram_ids,omitempty"`
}

// Slice returns the features of characters a..b-1.
func (f Features) Slice(a, b int) Features {
	out := Features{CharIDs: f.CharIDs[a:b], SegTags: f.SegTags[a:b], LexTags: f.LexTags[a:b]}
	if f.BigramIDs != nil {
		out.BigramIDs = f.BigramIDs[a:b]
	}
	return out
}

// Inputs are the features in the model's input order (InputNames).
func (f Features) Inputs() [][]int64 {
	in := [][]int64{f.CharIDs, f.SegTags, f.LexTags}
	if f.BigramIDs != nil {
		in = append(in, f.BigramIDs)
	}
	return in
}

// InputNames are the ONNX input names of a model with or without the
// bigram input, in the order of Features.Inputs.
func InputNames(bigrams bool) []string {
	names := []string{"char_ids", "seg_tags", "lex_tags"}
	if bigrams {
		names = append(names, "bigram_ids")
	}
	return names
}

// Featurizer computes Features. It is safe for concurrent use.
type Featurizer struct {
	vocab   *Vocab
	bigrams *Bigrams // nil: no bigram feature
	seg     *segment.Segmenter
	lex     *Lexicon
}

// NewFeaturizer uses the default segmenter (segment.Options{}) and the
// medical lexicon; bg (bigrams.txt) may be nil for a model without the
// bigram input.
func NewFeaturizer(v *Vocab, bg *Bigrams) (*Featurizer, error) {
	seg, err := segment.New(segment.Options{})
	if err != nil {
		return nil, fmt.Errorf("extract: segmenter: %w", err)
	}
	return &Featurizer{vocab: v, bigrams: bg, seg: seg, lex: MedicalLexicon()}, nil
}

// Features computes the features of every code point of text (the whole
// note: segmentation sees the full context, chunks are slices of it).
func (f *Featurizer) Features(text string) Features {
	rs := []rune(text)
	n := len(rs)
	k := 3
	if f.bigrams != nil {
		k = 4
	}
	buf := make([]int64, k*n)
	out := Features{CharIDs: buf[:n:n], SegTags: buf[n : 2*n : 2*n], LexTags: buf[2*n : 3*n : 3*n]}
	if f.bigrams != nil {
		out.BigramIDs = buf[3*n:]
	}
	for i, r := range rs {
		rs[i] = NormChar(r)
		out.CharIDs[i] = f.vocab.ID(rs[i])
		out.SegTags[i] = SegSpace
	}
	for _, t := range f.seg.Tokens(text) {
		if t.End-t.Start == 1 {
			out.SegTags[t.Start] = SegS
			continue
		}
		out.SegTags[t.Start] = SegB
		for k := t.Start + 1; k < t.End-1; k++ {
			out.SegTags[k] = SegM
		}
		out.SegTags[t.End-1] = SegE
	}
	f.lex.Tags(rs, out.LexTags)
	if f.bigrams != nil {
		f.bigrams.IDs(rs, out.BigramIDs)
	}
	return out
}

// Chunk is a code-point range [Start, End) of a note given to the model as
// one sequence.
type Chunk struct{ Start, End int }

// isSentenceEnd reports whether a chunk may end after r.
func isSentenceEnd(r rune) bool { return r == '。' || r == '；' || r == ';' || r == '\n' }

// isClauseEnd is a weaker break, used only in sentences longer than max.
func isClauseEnd(r rune) bool { return r == '，' || r == ',' || r == '、' || r == ' ' || r == '：' }

// Chunks splits text (as code points) into chunks of at most max characters
// at sentence ends (。；\n), packing whole sentences greedily; a sentence
// longer than max is cut after its last clause break (，、：space) within
// max, else hard at max.
func Chunks(rs []rune, max int) []Chunk {
	var sents []Chunk
	start := 0
	for i, r := range rs {
		if isSentenceEnd(r) {
			sents = append(sents, Chunk{start, i + 1})
			start = i + 1
		}
	}
	if start < len(rs) {
		sents = append(sents, Chunk{start, len(rs)})
	}
	// cut over-long sentences
	var pieces []Chunk
	for _, s := range sents {
		for s.End-s.Start > max {
			cut := s.Start + max
			for k := s.Start + max - 1; k > s.Start+max/2; k-- {
				if isClauseEnd(rs[k]) {
					cut = k + 1
					break
				}
			}
			pieces = append(pieces, Chunk{s.Start, cut})
			s.Start = cut
		}
		pieces = append(pieces, s)
	}
	var out []Chunk
	for _, p := range pieces {
		if k := len(out) - 1; k >= 0 && p.End-out[k].Start <= max {
			out[k].End = p.End
			continue
		}
		out = append(out, p)
	}
	return out
}

// DefaultMaxChunk is the longest sequence the model sees (code points).
const DefaultMaxChunk = 256
