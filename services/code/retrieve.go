package code

import (
	"math"
	"sort"
	"sync"
)

// index is a character n-gram TF-IDF index over the lexicon keys (unigrams
// and bigrams, with begin/end markers), scored by cosine similarity. It is
// read-only after build.
type index struct {
	grams    map[uint64]int32
	postings [][]posting
	idf      []float32
	ndocs    int
	scratch  sync.Pool // *scoreBuf
}

type posting struct {
	doc int32
	w   float32 // tf-idf weight divided by the document norm
}

type scoreBuf struct {
	score   []float32
	touched []int32
	q       map[uint64]float32
}

const (
	gramBegin = rune(0x10FFFE)
	gramEnd   = rune(0x10FFFF)
)

func gramKey(a, b rune) uint64 { return uint64(a)<<22 | uint64(b) | 1<<63 }

// grams calls f with each unigram and bigram key of the folded key s.
func grams(s string, f func(uint64)) {
	prev := gramBegin
	for _, r := range s {
		f(uint64(r))
		f(gramKey(prev, r))
		prev = r
	}
	f(gramKey(prev, gramEnd))
}

func buildIndex(keys []string) *index {
	ix := &index{grams: make(map[uint64]int32, 200000), ndocs: len(keys)}
	var df []int32
	tfs := make([]map[int32]float32, len(keys))
	for i, k := range keys {
		tf := make(map[int32]float32, 2*len(k)/3+2)
		grams(k, func(g uint64) {
			id, ok := ix.grams[g]
			if !ok {
				id = int32(len(df))
				ix.grams[g] = id
				df = append(df, 0)
			}
			if tf[id] == 0 {
				df[id]++
			}
			tf[id]++
		})
		tfs[i] = tf
	}
	ix.idf = make([]float32, len(df))
	for id, n := range df {
		ix.idf[id] = float32(math.Log(1 + float64(len(keys))/float64(n)))
	}
	ix.postings = make([][]posting, len(df))
	for i, tf := range tfs {
		var norm float64
		for id, c := range tf {
			w := float64(c) * float64(ix.idf[id])
			norm += w * w
		}
		norm = math.Sqrt(norm)
		for id, c := range tf {
			ix.postings[id] = append(ix.postings[id], posting{doc: int32(i), w: float32(float64(c) * float64(ix.idf[id]) / norm)})
		}
	}
	ix.scratch.New = func() any {
		return &scoreBuf{score: make([]float32, len(keys)), q: make(map[uint64]float32, 64)}
	}
	return ix
}

// candidate is a retrieved lexicon document with its cosine score.
type candidate struct {
	doc   int32
	score float64
}

// search returns the k best documents for the folded query q.
func (ix *index) search(q string, k int) []candidate {
	if q == "" {
		return nil
	}
	buf := ix.scratch.Get().(*scoreBuf)
	defer ix.scratch.Put(buf)
	clear(buf.q)
	grams(q, func(g uint64) { buf.q[g]++ })
	var qnorm float64
	type qg struct {
		id int32
		w  float32
	}
	qs := make([]qg, 0, len(buf.q))
	for g, c := range buf.q {
		id, ok := ix.grams[g]
		w := float64(c)
		if ok {
			w *= float64(ix.idf[id])
		} else {
			w *= math.Log(1 + float64(ix.ndocs)) // unseen gram: rarest
		}
		qnorm += w * w
		if ok {
			qs = append(qs, qg{id, float32(w)})
		}
	}
	if len(qs) == 0 {
		return nil
	}
	qnorm = math.Sqrt(qnorm)
	for _, g := range qs {
		for _, p := range ix.postings[g.id] {
			if buf.score[p.doc] == 0 {
				buf.touched = append(buf.touched, p.doc)
			}
			buf.score[p.doc] += g.w * p.w
		}
	}
	out := make([]candidate, 0, k+1)
	for _, d := range buf.touched {
		s := float64(buf.score[d]) / qnorm
		buf.score[d] = 0
		if len(out) < k || s > out[len(out)-1].score || s == out[len(out)-1].score && d < out[len(out)-1].doc {
			out = append(out, candidate{d, s})
			sort.Slice(out, func(i, j int) bool {
				if out[i].score != out[j].score {
					return out[i].score > out[j].score
				}
				return out[i].doc < out[j].doc
			})
			if len(out) > k {
				out = out[:k]
			}
		}
	}
	buf.touched = buf.touched[:0]
	return out
}
