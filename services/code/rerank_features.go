package code

import (
	"math"
	"sort"
	"strings"
)

// featureNames documents the re-ranker's input vector, in order. The model
// file records them; a file with other features is refused.
var featureNames = []string{
	"cos_best", "cos_whole", "label_in_text", "label_bigram_cover", "seg_cover", "len_ratio",
	"log_prior", "prior_zero", "assoc_max", "assoc_max3", "assoc_frac", "assoc_cnt", "assoc_strong",
	"retrieval_rank", "exact_whole", "exact_segment", "sub_frac", "sub_len",
	"log_segments", "log_len", "cos_gap", "assoc_gap", "synonym", "assoc_rank", "cos_rank",
	"n_strong_cands", "morphology", "prior_rank", "label_char_cover", "assoc_sum",
	"super_assoc", "super_cos", "sub_assoc", "sub_cos", "seg_cos_gap", "seg_is_best",
}

// features describes every candidate of q (same order as cands).
func (c *Coder) features(q *rquery, cands []*rcand) [][]float32 {
	n := len(cands)
	cosBest := make([]float64, n)
	segCover := make([]float64, n)
	lenRatio := make([]float64, n)
	cosWhole := make([]float64, n)
	var maxCos, maxAssoc float64
	bestSeg := make([]int, n) // 0 the whole text, j+1 segment j
	segMax := make([]float64, len(q.segs)+1)
	strong := 0
	info := make([]*nameInfo, n)
	for i, cd := range cands {
		ni := c.nameInfo(cd.name)
		info[i] = ni
		if q.whole != nil {
			cosWhole[i] = cosine(ni.vec, q.whole)
		}
		cosBest[i] = cosWhole[i]
		bestBigrams, bestLen := q.bigrams, len(q.folded)
		for j, sv := range q.segGrams {
			if s := cosine(ni.vec, sv); s > cosBest[i] {
				cosBest[i], bestSeg[i] = s, j+1
				bestBigrams, bestLen = q.segBigrams[j], q.segLens[j]
			}
		}
		segMax[bestSeg[i]] = max(segMax[bestSeg[i]], cosBest[i])
		cd.seg = bestSeg[i]
		segCover[i] = overlap(bestBigrams, ni.bigrams)
		lenRatio[i] = math.Log(float64(ni.runes+1) / float64(bestLen+1))
		maxCos = max(maxCos, cosBest[i])
		maxAssoc = max(maxAssoc, cd.aMax)
		if cd.aMax >= 0.5 {
			strong++
		}
	}
	rankOf := func(v func(i int) float64) []int {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return v(idx[a]) > v(idx[b]) })
		r := make([]int, n)
		for k, i := range idx {
			r[i] = k
		}
		return r
	}
	aRank := rankOf(func(i int) float64 { return cands[i].aMax })
	cRank := rankOf(func(i int) float64 { return cosBest[i] })
	pRank := rankOf(func(i int) float64 { return float64(cands[i].prior) })
	// Relations between candidates: the strongest evidence for a longer
	// name containing this one (哮喘 inside 支气管哮喘) and for a shorter
	// one inside it.
	rel := make([][4]float64, n)
	for i, a := range cands {
		for j, b := range cands {
			if i == j || len(b.name) == len(a.name) {
				continue
			}
			if len(b.name) > len(a.name) && strings.Contains(b.name, a.name) {
				rel[i][0] = max(rel[i][0], b.aMax)
				rel[i][1] = max(rel[i][1], cosBest[j])
			} else if len(b.name) < len(a.name) && strings.Contains(a.name, b.name) {
				rel[i][2] = max(rel[i][2], b.aMax)
				rel[i][3] = max(rel[i][3], cosBest[j])
			}
		}
	}
	whole := string(q.folded)
	out := make([][]float32, n)
	for i, cd := range cands {
		key, base, lb := info[i].key, info[i].base, info[i].bigrams
		var inText float64
		if base != "" && strings.Contains(whole, base) {
			inText = 1
		}
		var lcover float64
		if len(lb) > 0 {
			hit := 0
			for b := range lb {
				if q.bigrams[b] {
					hit++
				}
			}
			lcover = float64(hit) / float64(len(lb))
		}
		var retr, sub, subLen float64
		if cd.retrRank > 0 {
			retr = 1 / float64(cd.retrRank)
		}
		if cd.subStart >= 0 {
			subLen = float64(cd.subEnd - cd.subStart)
			sub = subLen / float64(max(1, len(q.folded)))
		}
		var morph float64
		if strings.HasPrefix(cd.t.Codes[0].Code, "M") {
			morph = 1
		}
		f := []float64{
			cosBest[i], cosWhole[i], inText, lcover, segCover[i], lenRatio[i],
			math.Log1p(float64(cd.prior)), b2f(cd.prior == 0), cd.aMax, cd.aMax3, cd.aFrac, math.Log1p(float64(cd.aCnt)), math.Log1p(float64(cd.nStrong)),
			retr, b2f(cd.exactWhole), b2f(cd.exactSeg), sub, math.Log1p(subLen),
			math.Log1p(float64(len(q.segs))), math.Log1p(float64(len(q.folded))), cosBest[i] - maxCos, cd.aMax - maxAssoc, b2f(cd.t.Rank == 0),
			1 / float64(1+aRank[i]), 1 / float64(1+cRank[i]),
			math.Log1p(float64(strong)), morph, 1 / float64(1+pRank[i]), charCover(key, q.chars), cd.aSum,
			rel[i][0], rel[i][1], rel[i][2], rel[i][3], cosBest[i] - segMax[bestSeg[i]], b2f(cosBest[i] >= segMax[bestSeg[i]]),
		}
		v := make([]float32, len(f))
		for k, x := range f {
			v[k] = float32(x)
		}
		out[i] = v
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func bigramSet(s string) map[[2]rune]bool {
	rs := []rune(s)
	m := make(map[[2]rune]bool, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		m[[2]rune{rs[i], rs[i+1]}] = true
	}
	return m
}

// overlap is the fraction of a's elements in b (0 for empty a).
func overlap(a, b map[[2]rune]bool) float64 {
	if len(a) == 0 {
		return 0
	}
	hit := 0
	for x := range a {
		if b[x] {
			hit++
		}
	}
	return float64(hit) / float64(len(a))
}

// charCover is the fraction of key's characters found in the text.
func charCover(key string, chars map[rune]bool) float64 {
	n, hit := 0, 0
	for _, r := range key {
		n++
		if chars[r] {
			hit++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(hit) / float64(n)
}

// nameInfo is what the features need of a dictionary name, computed once
// per name and process.
type nameInfo struct {
	key, base string // folded; without bracketed parts
	runes     int
	vec       sparseVec
	bigrams   map[[2]rune]bool
}

func (c *Coder) nameInfo(name string) *nameInfo {
	if v, ok := c.dict.nameInfo.Load(name); ok {
		return v.(*nameInfo)
	}
	key := fold(name)
	base, _ := stripBrackets(key)
	ni := &nameInfo{key: key, base: base, runes: len([]rune(key)), vec: gramVec(c.ix, key), bigrams: bigramSet(key)}
	c.dict.nameInfo.Store(name, ni)
	return ni
}
