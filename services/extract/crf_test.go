package extract

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestViterbiBruteForce checks the best path and its marginals against
// enumerating every path of a small CRF, with all transitions allowed and
// with some forbidden (as Constrain does), which the decoders skip.
func TestViterbiBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n, L = 3, 5
	for trial := 0; trial < 40; trial++ {
		c := &CRF{n: n, start: make([]float64, n), end: make([]float64, n), trans: make([]float64, n*n)}
		for i := range c.start {
			c.start[i], c.end[i] = r.NormFloat64(), r.NormFloat64()
		}
		for i := range c.trans {
			c.trans[i] = r.NormFloat64()
			// odd trials: forbid off-diagonal transitions at random (tag j
			// may always follow itself, so every tag keeps a predecessor)
			if trial%2 == 1 && i%(n+1) != 0 && r.IntN(3) == 0 {
				c.trans[i] = forbidden
			}
		}
		em := make([]float32, L*n)
		for i := range em {
			em[i] = float32(r.NormFloat64() * 2)
		}
		score := func(p []int) float64 {
			s := c.start[p[0]] + float64(em[p[0]]) + c.end[p[L-1]]
			for i := 1; i < L; i++ {
				s += c.trans[p[i-1]*n+p[i]] + float64(em[i*n+p[i]])
			}
			return s
		}
		var best []int
		bestScore, z := math.Inf(-1), 0.0
		var all [][]int
		p := make([]int, L)
		for code := 0; code < int(math.Pow(n, L)); code++ {
			x := code
			for i := range p {
				p[i], x = x%n, x/n
			}
			s := score(p)
			z += math.Exp(s)
			all = append(all, append([]int(nil), p...))
			if s > bestScore {
				bestScore, best = s, append([]int(nil), p...)
			}
		}
		got, marg := c.Viterbi(em, L)
		for i := range got {
			if got[i] != best[i] {
				t.Fatalf("trial %d: viterbi %v, brute force %v", trial, got, best)
			}
		}
		if bp := c.BestPath(em, L); !slices.Equal(bp, best) {
			t.Fatalf("trial %d: best path %v, brute force %v", trial, bp, best)
		}
		for i := 0; i < L; i++ {
			m := 0.0
			for _, q := range all {
				if q[i] == best[i] {
					m += math.Exp(score(q))
				}
			}
			if math.Abs(m/z-marg[i]) > 1e-9 {
				t.Fatalf("trial %d pos %d: marginal %g, brute force %g", trial, i, marg[i], m/z)
			}
		}
	}
}

func TestConstrainedPathsAreWellFormed(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, scheme := range []string{"BIO", "BIOES"} {
		ts, _ := NewTagSet([]string{"A", "B"}, scheme)
		n := len(ts.Tags)
		c := &CRF{n: n, start: make([]float64, n), end: make([]float64, n), trans: make([]float64, n*n)}
		c.Constrain(ts)
		for trial := 0; trial < 200; trial++ {
			L := 1 + r.IntN(12)
			em := make([]float32, L*n)
			for i := range em {
				em[i] = float32(r.NormFloat64() * 3)
			}
			path, _ := c.Viterbi(em, L)
			ids := make([]int64, L)
			for i, p := range path {
				ids[i] = int64(p)
			}
			// well-formed paths survive decode+encode unchanged
			if got := ts.Encode(L, ts.Decode(path)); !slices.Equal(got, ids) {
				t.Fatalf("%s: path %v is not well formed (re-encoded %v)", scheme, ids, got)
			}
		}
	}
}

// BenchmarkBestPath decodes a 256-character chunk with a BIOES tag set of
// ten labels (41 tags, as the PHI tagger's), constrained.
func BenchmarkBestPath(b *testing.B) {
	labels := []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"}
	ts, _ := NewTagSet(labels, "BIOES")
	n := len(ts.Tags)
	r := rand.New(rand.NewPCG(5, 6))
	c := &CRF{n: n, start: make([]float64, n), end: make([]float64, n), trans: make([]float64, n*n)}
	for i := range c.trans {
		c.trans[i] = r.NormFloat64()
	}
	c.Constrain(ts)
	const L = 256
	em := make([]float32, L*n)
	for i := range em {
		em[i] = float32(r.NormFloat64() * 2)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.BestPath(em, L)
	}
}
