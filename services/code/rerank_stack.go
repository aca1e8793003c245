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

// stackFeatures appends the context of the first-stage scores p1 to each
// candidate's features.
// st and o (the record's own contribution in training, else nil) give the
// names coded together in train.
func stackFeatures(cands []*rcand, base [][]float32, p1 []float64, st *cdnStats, o *own) [][]float32 {
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
		for j, b := range cands {
			if p1[j] > p1[i] {
				rank++
			}
			if i == j {
				continue
			}
			// How often b's records are also coded a, weighted by how
			// sure the first stage is of b.
			if st != nil && a.label >= 0 && b.label >= 0 {
				if n := st.together(a.label, b.label, o); n > 0 {
					v := p1[j] * float64(n) / float64(b.prior+1)
					pairMax = max(pairMax, v)
					pairSum += v
				}
			}
			if candCategory(a) == candCategory(b) {
				sameCat = max(sameCat, p1[j])
			}
			if len(a.name) == len(b.name) {
				continue
			}
			if len(b.name) > len(a.name) && strings.Contains(b.name, a.name) {
				sup = max(sup, p1[j])
			} else if len(b.name) < len(a.name) && strings.Contains(a.name, b.name) {
				sub = max(sub, p1[j])
			}
		}
		x := make([]float32, 0, len(base[i])+len(stackFeatureNames))
		x = append(x, base[i]...)
		for _, v := range []float64{p1[i], 1 / float64(1+rank), p1[i] - top, sup, sub, math.Log1p(float64(confident)), sum, p1[i] - segTop[a.seg], pairMax, pairSum, sameCat} {
			x = append(x, float32(v))
		}
		out[i] = x
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
