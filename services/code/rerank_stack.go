package code

import (
	"math"
	"strings"
)

// The second stage re-scores each candidate knowing the first stage's
// scores of the others: a name already explained by a stronger, longer
// one (哮喘 beside 支气管哮喘), or the second best of one segment, is
// usually not a gold name of its own.
var stackFeatureNames = []string{"p1", "p1_rank", "p1_gap", "super_p1", "sub_p1", "n_confident", "p1_sum", "seg_p1_gap",
	"pair_p1_max", "pair_p1_sum", "same_cat_p1"}

// stackCtx is what the second stage needs of every candidate pair
// besides the first-stage scores: computed once per text, shared by the
// ensemble's members. For pair (i, j) at i*n+j: how often j's train records
// are also coded i (0 without statistics), and how the names relate.
type stackCtx struct {
	n   int
	co  []float32
	rel []uint8
}

const (
	relSameCat = 1 << iota // same 3-character ICD-10 category
	relSuper               // j's name is longer and contains i's
	relSub                 // j's name is shorter and inside i's
)

// newStackCtx prepares the pairs of cands; st and o (the record's own
// contribution in training, else nil) give the names coded together in
// train.
func newStackCtx(cands []*rcand, st *cdnStats, o *own) *stackCtx {
	n := len(cands)
	x := &stackCtx{n: n, co: make([]float32, n*n), rel: make([]uint8, n*n)}
	cats := make([]string, n)
	for i, cd := range cands {
		cats[i] = candCategory(cd)
	}
	for i, a := range cands {
		for j, b := range cands {
			if i == j {
				continue
			}
			k := i*n + j
			if st != nil && a.label >= 0 && b.label >= 0 {
				if c := st.together(a.label, b.label, o); c > 0 {
					x.co[k] = float32(float64(c) / float64(b.prior+1))
				}
			}
			if cats[i] == cats[j] {
				x.rel[k] |= relSameCat
			}
			if len(b.name) > len(a.name) && strings.Contains(b.name, a.name) {
				x.rel[k] |= relSuper
			} else if len(b.name) < len(a.name) && strings.Contains(a.name, b.name) {
				x.rel[k] |= relSub
			}
		}
	}
	return x
}

// stackFeatures appends the context of the first-stage scores p1 to each
// candidate's features.
func stackFeatures(cands []*rcand, base [][]float32, p1 []float64, x *stackCtx) [][]float32 {
	n := len(cands)
	var top, sum float64
	confident := 0
	segTop := map[int]float64{}
	for i, cd := range cands {
		top = max(top, p1[i])
		sum += p1[i]
		if p1[i] >= 0.3 {
			confident++
		}
		segTop[cd.seg] = max(segTop[cd.seg], p1[i])
	}
	out := make([][]float32, n)
	for i, a := range cands {
		rank := 0
		var sup, sub, pairMax, pairSum, sameCat float64
		for j := range cands {
			if p1[j] > p1[i] {
				rank++
			}
			if i == j {
				continue
			}
			k := i*n + j
			// How often j's records are also coded i, weighted by how sure
			// the first stage is of j.
			if c := x.co[k]; c > 0 {
				v := p1[j] * float64(c)
				pairMax = max(pairMax, v)
				pairSum += v
			}
			r := x.rel[k]
			if r&relSameCat != 0 {
				sameCat = max(sameCat, p1[j])
			}
			if r&relSuper != 0 {
				sup = max(sup, p1[j])
			} else if r&relSub != 0 {
				sub = max(sub, p1[j])
			}
		}
		v := make([]float32, 0, len(base[i])+len(stackFeatureNames))
		v = append(v, base[i]...)
		for _, f := range []float64{p1[i], 1 / float64(1+rank), p1[i] - top, sup, sub, math.Log1p(float64(confident)), sum, p1[i] - segTop[a.seg], pairMax, pairSum, sameCat} {
			v = append(v, float32(f))
		}
		out[i] = v
	}
	return out
}

// candCategory is the 3-character ICD-10 category of a candidate's first code.
func candCategory(cd *rcand) string {
	c := cd.t.Codes[0].Code
	if len(c) > 3 {
		c = c[:3]
	}
	return c
}
