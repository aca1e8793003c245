package lac

import (
	"fmt"
	"strings"

	ort "github.com/yalue/onnxruntime_go"
)

// Span is a run of characters LAC tagged as one word: code-point offsets
// into the text, end-exclusive, and its tag (PER, LOC, ORG, TIME or a POS
// tag such as n, v, nz).
type Span struct {
	Start, End int
	Tag        string
}

// Analyze tags every text (each one sequence; keep them short, e.g. a
// sentence) in one batch and returns each text's words.
func (m *Model) Analyze(texts [][]rune) ([][]Span, error) {
	width := 0
	for _, t := range texts {
		width = max(width, len(t))
	}
	out := make([][]Span, len(texts))
	if width == 0 {
		return out, nil
	}
	b := len(texts)
	ids := make([]int64, b*width)
	lens := make([]int64, b)
	for i, t := range texts {
		lens[i] = int64(len(t))
		row := ids[i*width : (i+1)*width]
		for j := range row {
			row[j] = m.oov
		}
		for j, r := range t {
			if q, ok := m.q2b[r]; ok {
				r = q
			}
			if id, ok := m.vocab[r]; ok {
				row[j] = id
			}
		}
	}
	em, err := m.emissions(ids, lens, b, width)
	if err != nil {
		return nil, err
	}
	for i, t := range texts {
		if len(t) == 0 {
			continue
		}
		tags := m.viterbi(em[i*width*m.ntags:], len(t))
		out[i] = m.words(tags)
	}
	return out, nil
}

func (m *Model) emissions(ids, lens []int64, b, width int) ([]float32, error) {
	it, err := ort.NewTensor(ort.NewShape(int64(b), int64(width)), ids)
	if err != nil {
		return nil, fmt.Errorf("lac: input tensor: %w", err)
	}
	defer it.Destroy()
	lt, err := ort.NewTensor(ort.NewShape(int64(b)), lens)
	if err != nil {
		return nil, fmt.Errorf("lac: length tensor: %w", err)
	}
	defer lt.Destroy()
	outs := []ort.Value{nil}
	if err := m.sess.Run([]ort.Value{it, lt}, outs); err != nil {
		return nil, fmt.Errorf("lac: onnxruntime: %w", err)
	}
	defer outs[0].Destroy()
	t, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, fmt.Errorf("lac: emissions are %T, want a float32 tensor", outs[0])
	}
	if s := t.GetShape(); len(s) != 3 || s[0] != int64(b) || s[1] != int64(width) || s[2] != int64(m.ntags) {
		return nil, fmt.Errorf("lac: emissions shape %v, want [%d %d %d]", s, b, width, m.ntags)
	}
	return append([]float32(nil), t.GetData()...), nil
}

// viterbi returns the best tag sequence for the first n rows of em
// (row-major n×ntags) under the CRF transitions.
func (m *Model) viterbi(em []float32, n int) []int {
	k := m.ntags
	score := append([]float32(nil), em[:k]...)
	next := make([]float32, k)
	back := make([]int32, n*k)
	for t := 1; t < n; t++ {
		row := em[t*k : (t+1)*k]
		for j := 0; j < k; j++ {
			best, arg := score[0]+m.trans[j], 0
			for i := 1; i < k; i++ {
				if s := score[i] + m.trans[i*k+j]; s > best {
					best, arg = s, i
				}
			}
			next[j] = best + row[j]
			back[t*k+j] = int32(arg)
		}
		score, next = next, score
	}
	last := 0
	for j := 1; j < k; j++ {
		if score[j] > score[last] {
			last = j
		}
	}
	tags := make([]int, n)
	tags[n-1] = last
	for t := n - 1; t > 0; t-- {
		tags[t-1] = int(back[t*k+tags[t]])
	}
	return tags
}

// words groups B/I tags into words, as LAC's own decoder does: a word
// starts at every tag that is not an -I continuation.
func (m *Model) words(tags []int) []Span {
	var out []Span
	for i, id := range tags {
		label := m.labels[id]
		base, cont := strings.CutSuffix(label, "-I")
		if cont && len(out) > 0 {
			out[len(out)-1].End = i + 1
			continue
		}
		base = strings.TrimSuffix(base, "-B")
		if base == "O" {
			base = "n" // LAC's decoder treats unknown tags as n-B
		}
		out = append(out, Span{Start: i, End: i + 1, Tag: base})
	}
	return out
}
