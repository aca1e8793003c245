package code

import (
	"math"
	"strings"
)

// The second stage re-scores each candidate knowing the first stage's
// scores of the others: a name already explained by a stronger, longer
// one (哮喘 beside 支气管哮喘), or the second best of one segment, is
// usually not a gold name of its own.
var stackFeatureNames = []string{"p1", "p1_rank", "p1_gap", "super_p1", "sub_p1", "n_confident", "p1_sum", "seg_p1_gap"}

// stackFeatures appends the context of the first-stage scores p1 to each
// candidate's features.
func stackFeatures(cands []*rcand, base [][]float32, p1 []float64) [][]float32 {
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
		var sup, sub float64
		for j, b := range cands {
			if p1[j] > p1[i] {
				rank++
			}
			if i == j || len(a.name) == len(b.name) {
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
		for _, v := range []float64{p1[i], 1 / float64(1+rank), p1[i] - top, sup, sub, math.Log1p(float64(confident)), sum, p1[i] - segTop[a.seg]} {
			x = append(x, float32(v))
		}
		out[i] = x
	}
	return out
}
