package extract

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// CRF is a linear-chain CRF over a TagSet (transitions.json): the model
// emits per-character tag scores, the CRF adds start, end and transition
// scores and decodes the best tag path.
type CRF struct {
	n     int
	start []float64
	end   []float64
	trans []float64 // trans[i*n+j]: score of tag i followed by tag j

	expOnce                    sync.Once // after Constrain, if any
	expStart, expEnd, expTrans []float64
	// pred[j] lists the tags k allowed before tag j, succ[k] the tags
	// allowed after k (all of them unless Constrain forbade some): the
	// BIOES constraints leave about a third of the transitions, and the
	// decoders only visit those. predTrans[j][x] is the score of
	// pred[j][x] followed by j, beside it in memory for the Viterbi loop.
	pred, succ [][]int32
	predTrans  [][]float64
}

type transitionsFile struct {
	Tags        []string    `json:"tags"`
	Start       []float64   `json:"start"`
	End         []float64   `json:"end"`
	Transitions [][]float64 `json:"transitions"`
}

// ParseCRF reads transitions.json and checks it against the tag set.
func ParseCRF(b []byte, ts *TagSet) (*CRF, error) {
	var f transitionsFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("transitions.json: %w", err)
	}
	n := len(ts.Tags)
	if !slices.Equal(f.Tags, ts.Tags) {
		return nil, fmt.Errorf("transitions.json: tags differ from labels.json")
	}
	if len(f.Start) != n || len(f.End) != n || len(f.Transitions) != n {
		return nil, fmt.Errorf("transitions.json: want start, end and %d rows of %d tags", n, n)
	}
	c := &CRF{n: n, start: f.Start, end: f.End, trans: make([]float64, 0, n*n)}
	for i, row := range f.Transitions {
		if len(row) != n {
			return nil, fmt.Errorf("transitions.json: row %d has %d scores, want %d", i, len(row), n)
		}
		c.trans = append(c.trans, row...)
	}
	return c, nil
}

// Viterbi returns the best tag path for emissions em (length L, row-major
// [L][n]) and, for each position, the posterior probability of the chosen
// tag (forward-backward marginals).
func (c *CRF) Viterbi(em []float32, L int) (path []int, marginal []float64) {
	path = c.BestPath(em, L)
	if path == nil {
		return nil, nil
	}
	return path, c.marginals(em, L, path)
}

// BestPath returns the best tag path for emissions em (length L, row-major
// [L][n]) without its marginals: a third of Viterbi's cost where no
// confidence is needed.
func (c *CRF) BestPath(em []float32, L int) []int {
	if L == 0 {
		return nil
	}
	n := c.n
	c.expOnce.Do(c.prepare)
	score := make([]float64, n)
	next := make([]float64, n)
	back := make([]int32, L*n)
	for j := 0; j < n; j++ {
		score[j] = c.start[j] + float64(em[j])
	}
	for i := 1; i < L; i++ {
		row := em[i*n : (i+1)*n]
		for j := 0; j < n; j++ {
			best, arg := math.Inf(-1), int32(0)
			pt := c.predTrans[j]
			for x, k := range c.pred[j] {
				if s := score[k] + pt[x]; s > best {
					best, arg = s, k
				}
			}
			next[j] = best + float64(row[j])
			back[i*n+j] = arg
		}
		score, next = next, score
	}
	best, arg := math.Inf(-1), 0
	for j := 0; j < n; j++ {
		if s := score[j] + c.end[j]; s > best {
			best, arg = s, j
		}
	}
	path := make([]int, L)
	path[L-1] = arg
	for i := L - 1; i > 0; i-- {
		path[i-1] = int(back[i*n+path[i]])
	}
	return path
}

// marginals computes P(tag_i = path[i] | x) by forward-backward in
// probability space with per-position scaling (Rabiner), so the inner loops
// multiply instead of calling exp: exp(trans) is cached, emissions are
// exponentiated once per position relative to their maximum.
func (c *CRF) marginals(em []float32, L int, path []int) []float64 {
	n := c.n
	E := make([]float64, L*n)
	for i := 0; i < L; i++ {
		row := em[i*n : (i+1)*n]
		m := float64(row[0])
		for _, x := range row {
			m = math.Max(m, float64(x))
		}
		for j, x := range row {
			E[i*n+j] = math.Exp(float64(x) - m)
		}
	}
	alpha := make([]float64, L*n)
	beta := make([]float64, L*n)
	scale := make([]float64, L)
	norm := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		if s > 0 {
			for j := range v {
				v[j] /= s
			}
		}
		return s
	}
	for j := 0; j < n; j++ {
		alpha[j] = c.expStart[j] * E[j]
	}
	scale[0] = norm(alpha[:n])
	for i := 1; i < L; i++ {
		prev, cur := alpha[(i-1)*n:i*n], alpha[i*n:(i+1)*n]
		for k, a := range prev {
			if a == 0 {
				continue
			}
			t := c.expTrans[k*n : (k+1)*n]
			for _, j := range c.succ[k] {
				cur[j] += a * t[j]
			}
		}
		for j := range cur {
			cur[j] *= E[i*n+j]
		}
		scale[i] = norm(cur)
	}
	copy(beta[(L-1)*n:], c.expEnd)
	tmp := make([]float64, n)
	for i := L - 2; i >= 0; i-- {
		next := beta[(i+1)*n : (i+2)*n]
		for j := range tmp {
			tmp[j] = E[(i+1)*n+j] * next[j]
		}
		cur := beta[i*n : (i+1)*n]
		for k := range cur {
			t := c.expTrans[k*n : (k+1)*n]
			s := 0.0
			for _, j := range c.succ[k] {
				s += t[j] * tmp[j]
			}
			cur[k] = s
		}
		if scale[i+1] > 0 {
			for k := range cur {
				cur[k] /= scale[i+1]
			}
		}
	}
	out := make([]float64, L)
	for i, t := range path {
		z := 0.0
		for j := 0; j < n; j++ {
			z += alpha[i*n+j] * beta[i*n+j]
		}
		if z > 0 {
			out[i] = alpha[i*n+t] * beta[i*n+t] / z
		}
	}
	return out
}

// prepare caches exp of the start, end and transition scores and the
// allowed transitions (those Constrain did not forbid; exp of a forbidden
// score is 0, so skipping them changes no sum).
func (c *CRF) prepare() {
	exp := func(v []float64) []float64 {
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = math.Exp(x)
		}
		return out
	}
	c.expStart, c.expEnd, c.expTrans = exp(c.start), exp(c.end), exp(c.trans)
	n := c.n
	c.pred, c.succ, c.predTrans = make([][]int32, n), make([][]int32, n), make([][]float64, n)
	for k := 0; k < n; k++ {
		for j := 0; j < n; j++ {
			if c.trans[k*n+j] > forbidden/2 {
				c.pred[j] = append(c.pred[j], int32(k))
				c.predTrans[j] = append(c.predTrans[j], c.trans[k*n+j])
				c.succ[k] = append(c.succ[k], int32(j))
			}
		}
	}
}

func logSumExp(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		if x > m {
			m = x
		}
	}
	if math.IsInf(m, -1) {
		return m
	}
	s := 0.0
	for _, x := range xs {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

// forbidden is the score given to tag sequences the scheme does not allow.
const forbidden = -1e4

// Constrain (before the first Viterbi: prepare runs once) forbids the tag sequences the tag set's scheme does not allow
// (BIOES: I/E only continue a B or I of the same label, a path cannot start
// inside or end inside a span; BIO: I only after B or I of its label), so
// Viterbi only returns well-formed spans.
func (c *CRF) Constrain(ts *TagSet) {
	type tag struct{ p, l string }
	tags := make([]tag, len(ts.Tags))
	for i, t := range ts.Tags {
		p, l, _ := strings.Cut(t, "-")
		tags[i] = tag{p, l}
	}
	bioes := ts.Scheme == "BIOES"
	open := func(t tag) bool { return t.p == "B" || t.p == "I" && bioes } // a span continues after t
	for j, b := range tags {
		inside := b.p == "I" || b.p == "E"
		if inside {
			c.start[j] = forbidden
		}
		if bioes && open(b) {
			c.end[j] = forbidden
		}
		for i, a := range tags {
			ok := true
			switch {
			case inside:
				ok = (a.p == "B" || a.p == "I") && a.l == b.l
			case bioes:
				ok = !open(a)
			}
			if !ok {
				c.trans[i*c.n+j] = forbidden
			}
		}
	}
}
