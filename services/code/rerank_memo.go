package code

import "sync"

// rerankMemo remembers the re-ranker's codings of diagnosis strings: they
// depend on the string alone, and an archive writes the same diagnoses over
// and over (the same EMR templates, the same doctors), so most strings are
// coded once. Offsets are kept relative to the string's start. It is bounded:
// when full it starts afresh.
type rerankMemo struct {
	mu  sync.Mutex
	m   map[string][]coding
	max int
	// hits and misses, for the benchmark's record
	hits, misses int64
}

func newRerankMemo(max int) *rerankMemo { return &rerankMemo{m: map[string][]coding{}, max: max} }

// get returns the codings of text at offset s, computing them with code
// (absolute offsets) on a miss; codings code says not to keep (a degraded
// result) are returned but not remembered.
func (r *rerankMemo) get(text string, s int, code func() (abs []coding, keep bool)) []coding {
	r.mu.Lock()
	rel, ok := r.m[text]
	if ok {
		r.hits++
	}
	r.mu.Unlock()
	if ok {
		out := make([]coding, len(rel))
		for i, cd := range rel {
			cd.start += s
			cd.end += s
			out[i] = cd
		}
		return out
	}
	abs, keep := code()
	if !keep {
		return abs
	}
	rel = make([]coding, len(abs))
	for i, cd := range abs {
		cd.start -= s
		cd.end -= s
		rel[i] = cd
	}
	r.mu.Lock()
	r.misses++
	if len(r.m) >= r.max {
		r.m = map[string][]coding{}
	}
	r.m[text] = rel
	r.mu.Unlock()
	return abs
}
