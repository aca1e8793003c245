package code

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
)

// rcand is one candidate dictionary name for a diagnosis text, with the
// evidence the re-ranker scores.
type rcand struct {
	name  string
	t     *term
	label int32 // id in the train statistics; -1 when never a gold label

	retrRank   int // best rank among retrieval results, 1-based; 0 none
	exactWhole bool
	exactSeg   bool
	// Longest dictionary match of this term inside the text (runes of the
	// original span), for the diagnosis span in notes.
	subStart, subEnd int

	aMax, aMax3, aFrac float64 // n-gram association (see features)
	aSum               float64
	seg                int // best-matching segment (0: the whole text), set by features
	aCnt               int32
	nStrong            int
	prior              int32
}

// rquery is a diagnosis text prepared for candidate generation.
type rquery struct {
	folded     []rune
	segs       []string // folded, cue-trimmed segments
	segGrams   []sparseVec
	segBigrams []map[[2]rune]bool
	segLens    []int
	whole      sparseVec
	bigrams    map[[2]rune]bool
	chars      map[rune]bool
}

const (
	retrWhole   = 10 // retrieval depth for the whole text
	retrSeg     = 5  // and for each segment
	maxAssocCnd = 40 // association candidates kept (best aMax first)
	minAssoc    = 0.03
)

func (q *rquery) addSeg(ix *index, key string) {
	q.segs = append(q.segs, key)
	q.segGrams = append(q.segGrams, gramVec(ix, key))
	q.segBigrams = append(q.segBigrams, bigramSet(key))
	q.segLens = append(q.segLens, len([]rune(key)))
}

// isSegSep separates the parts of a CHIP-CDN style diagnosis string.
func isSegSep(r rune) bool {
	return strings.ContainsRune("、，,；;。.．:：/\\+ 　\t\n|", r)
}

// segments splits rs[s:e] at separators into cue-trimmed rune ranges.
func segments(rs []rune, s, e int) [][2]int {
	var out [][2]int
	st := s
	flush := func(en int) {
		a, b := trimCues(rs, st, en)
		if b > a {
			out = append(out, [2]int{a, b})
		}
	}
	for i := s; i < e; i++ {
		if isSegSep(rs[i]) {
			flush(i)
			st = i + 1
		}
	}
	flush(e)
	return out
}

// candidates gathers and describes the candidate names for rs[s:e]. o is
// the record's own contribution during training (nil otherwise).
func (c *Coder) candidates(rs []rune, s, e int, st *cdnStats, o *own) (*rquery, []*rcand) {
	q := &rquery{folded: []rune(fold(string(rs[s:e])))}
	byName := map[string]*rcand{}
	get := func(t *term) *rcand {
		if t == nil {
			return nil
		}
		cd := byName[t.Name]
		if cd == nil {
			cd = &rcand{name: t.Name, t: t, label: -1, subStart: -1}
			if dt := c.dict.byName[t.Name]; dt != nil && t.Rank > 0 {
				cd.t = dt
			}
			byName[t.Name] = cd
		} else if t.Rank == 0 && cd.t.Rank > 0 {
			cd.t = t // a synonym may carry a compound (E11.371 + H36.0)
		}
		return cd
	}
	searched := map[string]bool{}
	retr := func(key string, k int) {
		if searched[key] {
			return
		}
		searched[key] = true
		for i, h := range c.ix.search(key, k) {
			cd := get(c.dict.docs[h.doc].term)
			if cd.retrRank == 0 || i+1 < cd.retrRank {
				cd.retrRank = i + 1
			}
		}
	}
	// Whole text: exact lookup, then retrieval.
	ws, we := trimCues(rs, s, e)
	if we > ws {
		keys := lookupKeys(string(rs[ws:we]))
		for _, k := range keys {
			if t := c.dict.lexicon[k]; t != nil {
				get(t).exactWhole = true
				break
			}
		}
		retr(keys[len(keys)-1], retrWhole)
		q.whole = gramVec(c.ix, keys[0])
	}
	// Segments.
	for _, sg := range segments(rs, s, e) {
		keys := lookupKeys(string(rs[sg[0]:sg[1]]))
		q.addSeg(c.ix, keys[0])
		for _, k := range keys {
			if t := c.dict.lexicon[k]; t != nil {
				get(t).exactSeg = true
				break
			}
		}
		retr(keys[len(keys)-1], retrSeg)
		// Clinical shorthand written the dictionary's way (肺癌 →
		// 肺恶性肿瘤, 肝转移 → 肝继发恶性肿瘤).
		if v := rewriteShorthand(keys[0]); v != keys[0] {
			q.addSeg(c.ix, v)
			retr(v, retrSeg)
		}
	}
	// Dictionary terms inside the text.
	for i := s; i < e; i++ {
		n, t := c.trie.longest(rs, i, e)
		if n < 2 {
			continue
		}
		cd := get(t)
		if cd.subStart < 0 || n > cd.subEnd-cd.subStart {
			cd.subStart, cd.subEnd = i, i+n
		}
	}
	// Labels that co-occurred in train with the text's n-grams.
	if st != nil {
		bs, ns := gramBuckets(q.folded)
		type best struct {
			p, p3, frac, sum float64
			cnt              int32
			strong           int
		}
		acc := map[int32]*best{}
		for i, b := range bs {
			bl := st.Buckets[b]
			if bl == nil {
				continue
			}
			ob := o.bucket(b)
			docs := bl.Docs - ob
			if docs <= 0 {
				continue
			}
			for j, l := range bl.Labels {
				cnt := bl.Counts[j] - ob*o.label(l)
				if cnt <= 0 {
					continue
				}
				p := float64(cnt) / float64(docs+1)
				if p < minAssoc {
					continue
				}
				a := acc[l]
				if a == nil {
					a = &best{}
					acc[l] = a
				}
				if p > a.p {
					a.p, a.cnt = p, cnt
				}
				if ns[i] >= 3 && p > a.p3 {
					a.p3 = p
				}
				prior := st.Prior[l] - o.label(l)
				if f := float64(cnt) / float64(prior+1); f > a.frac {
					a.frac = f
				}
				if p >= 0.5 {
					a.strong++
				}
				if ns[i] >= 3 {
					a.sum += p
				}
			}
		}
		ids := make([]int32, 0, len(acc))
		for l := range acc {
			ids = append(ids, l)
		}
		sort.Slice(ids, func(i, j int) bool {
			if acc[ids[i]].p != acc[ids[j]].p {
				return acc[ids[i]].p > acc[ids[j]].p
			}
			return ids[i] < ids[j]
		})
		for k, l := range ids {
			t := c.dict.byName[st.Labels[l]]
			if t == nil {
				continue
			}
			var cd *rcand
			if k < maxAssocCnd {
				cd = get(t)
			} else if cd = byName[t.Name]; cd == nil {
				continue
			}
			a := acc[l]
			cd.aMax, cd.aMax3, cd.aFrac, cd.aCnt, cd.nStrong, cd.aSum = a.p, a.p3, a.frac, a.cnt, a.strong, math.Log1p(a.sum)
		}
		for _, cd := range byName {
			if id, ok := st.labelID[cd.name]; ok {
				cd.label = id
				cd.prior = st.Prior[id] - o.label(id)
			}
		}
	}
	out := make([]*rcand, 0, len(byName))
	for _, cd := range byName {
		out = append(out, cd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	q.chars = map[rune]bool{}
	for _, r := range q.folded {
		q.chars[r] = true
	}
	q.bigrams = map[[2]rune]bool{}
	for i := 0; i+1 < len(q.folded); i++ {
		q.bigrams[[2]rune{q.folded[i], q.folded[i+1]}] = true
	}
	return q, out
}

// sparseVec is a unit-length TF-IDF vector over index grams, sorted by gram.
type sparseVec []gramWeight

type gramWeight struct {
	g uint64
	w float64
}

// gramVec is the TF-IDF vector of a folded key over the index grams,
// normalised to unit length.
func gramVec(ix *index, key string) sparseVec {
	var v sparseVec
	grams(key, func(g uint64) { v = append(v, gramWeight{g: g, w: 1}) })
	slices.SortFunc(v, func(a, b gramWeight) int { return cmp.Compare(a.g, b.g) })
	// Merge repeated grams into counts.
	out := v[:0]
	for _, x := range v {
		if len(out) > 0 && out[len(out)-1].g == x.g {
			out[len(out)-1].w++
			continue
		}
		out = append(out, x)
	}
	var norm float64
	for i, x := range out {
		w := math.Log(1 + float64(ix.ndocs))
		if id, ok := ix.grams[x.g]; ok {
			w = float64(ix.idf[id])
		}
		out[i].w = x.w * w
		norm += out[i].w * out[i].w
	}
	norm = math.Sqrt(norm)
	if norm > 0 {
		for i := range out {
			out[i].w /= norm
		}
	}
	return out
}

func cosine(a, b sparseVec) float64 {
	var s float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].g < b[j].g:
			i++
		case a[i].g > b[j].g:
			j++
		default:
			s += a[i].w * b[j].w
			i++
			j++
		}
	}
	return s
}

// shorthand are clinical short forms and the dictionary's wording.
var shorthand = strings.NewReplacer("癌", "恶性肿瘤", "转移", "继发恶性肿瘤", "ca", "恶性肿瘤", "术后", "手术后", "粘膜", "黏膜")

func rewriteShorthand(key string) string { return shorthand.Replace(key) }
