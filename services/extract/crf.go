package extract

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// CRF is a linear-chain CRF over a TagSet (transitions.json): the model
// emits per-character tag scores, the CRF adds start, end and transition
// scores and decodes the best tag path.
type CRF struct {
	n     int
	start []float64
	end   []float64
	trans []float64 // trans[i*n+j]: score of tag i followed by tag j
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
	if L == 0 {
		return nil, nil
	}
	n := c.n
	score := make([]float64, n)
	next := make([]float64, n)
	back := make([]int32, L*n)
	for j := 0; j < n; j++ {
		score[j] = c.start[j] + float64(em[j])
	}
	for i := 1; i < L; i++ {
		row := em[i*n : (i+1)*n]
		for j := 0; j < n; j++ {
			best, arg := math.Inf(-1), 0
			for k := 0; k < n; k++ {
				if s := score[k] + c.trans[k*n+j]; s > best {
					best, arg = s, k
				}
			}
			next[j] = best + float64(row[j])
			back[i*n+j] = int32(arg)
		}
		score, next = next, score
	}
	best, arg := math.Inf(-1), 0
	for j := 0; j < n; j++ {
		if s := score[j] + c.end[j]; s > best {
			best, arg = s, j
		}
	}
	path = make([]int, L)
	path[L-1] = arg
	for i := L - 1; i > 0; i-- {
		path[i-1] = int(back[i*n+path[i]])
	}
	return path, c.marginals(em, L, path)
}

// marginals computes P(tag_i = path[i] | x) by forward-backward in log space.
func (c *CRF) marginals(em []float32, L int, path []int) []float64 {
	n := c.n
	alpha := make([]float64, L*n)
	beta := make([]float64, L*n)
	tmp := make([]float64, n)
	for j := 0; j < n; j++ {
		alpha[j] = c.start[j] + float64(em[j])
	}
	for i := 1; i < L; i++ {
		for j := 0; j < n; j++ {
			for k := 0; k < n; k++ {
				tmp[k] = alpha[(i-1)*n+k] + c.trans[k*n+j]
			}
			alpha[i*n+j] = logSumExp(tmp) + float64(em[i*n+j])
		}
	}
	for j := 0; j < n; j++ {
		beta[(L-1)*n+j] = c.end[j]
	}
	for i := L - 2; i >= 0; i-- {
		for k := 0; k < n; k++ {
			for j := 0; j < n; j++ {
				tmp[j] = c.trans[k*n+j] + float64(em[(i+1)*n+j]) + beta[(i+1)*n+j]
			}
			beta[i*n+k] = logSumExp(tmp)
		}
	}
	for j := 0; j < n; j++ {
		tmp[j] = alpha[(L-1)*n+j] + c.end[j]
	}
	logZ := logSumExp(tmp)
	out := make([]float64, L)
	for i, t := range path {
		out[i] = math.Exp(alpha[i*n+t] + beta[i*n+t] - logZ)
	}
	return out
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
