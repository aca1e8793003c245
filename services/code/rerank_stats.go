package code

import (
	"hash/fnv"
	"sort"
)

// What the re-ranker learned from CHIP-CDN train besides its weights: how
// often each dictionary name is a gold label (label prior) and, per hashed
// character n-gram of the raw text, which labels co-occur with it. N-grams
// are kept only as buckets of a 64-bit FNV hash (feature hashing), never as
// text: the corpus terms forbid redistributing its sentences.

const (
	gramMin        = 2
	gramMax        = 5
	bucketBits     = 22
	maxLabelsPerBk = 64 // most frequent labels kept per bucket
)

// bucketLabels is what one n-gram bucket co-occurred with in train.
type bucketLabels struct {
	Docs   int32   // train records containing the bucket
	Labels []int32 // label ids, most frequent first
	Counts []int32 // records containing the bucket with that label
}

// cdnStats are the train statistics shipped inside the re-ranker file.
type cdnStats struct {
	Records int32
	Labels  []string // dictionary names seen as gold labels
	Prior   []int32  // records per label
	Buckets map[uint32]*bucketLabels
	// Pairs counts the train records whose gold sets hold both labels of a
	// pair (key pairKey(a, b)): which names are coded together (乳腺恶性肿瘤
	// with 癌). Names only, no text.
	Pairs   map[uint64]int32
	labelID map[string]int32
}

// pairKey is the Pairs key of two label ids, in either order.
func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(uint32(a))<<32 | uint64(uint32(b))
}

// together is the number of records coded with both a and b, leaving out
// o's own record.
func (s *cdnStats) together(a, b int32, o *own) int32 {
	n := s.Pairs[pairKey(a, b)]
	if n > 0 && o.label(a) == 1 && o.label(b) == 1 {
		n--
	}
	return n
}

func (s *cdnStats) index() {
	s.labelID = make(map[string]int32, len(s.Labels))
	for i, l := range s.Labels {
		s.labelID[l] = int32(i)
	}
}

// gramBucket hashes one n-gram (folded runes) into a bucket.
func gramBucket(rs []rune) uint32 {
	h := fnv.New64a()
	var b [4]byte
	for _, r := range rs {
		b[0], b[1], b[2], b[3] = byte(r), byte(r>>8), byte(r>>16), byte(r>>24)
		h.Write(b[:])
	}
	return uint32(h.Sum64() & (1<<bucketBits - 1))
}

// gramBuckets returns the distinct buckets of the n-grams (gramMin..gramMax
// runes) of folded text, with the longest n-gram length seen per bucket.
func gramBuckets(rs []rune) ([]uint32, []uint8) {
	seen := make(map[uint32]int, 4*len(rs))
	var bs []uint32
	var ns []uint8
	for n := gramMin; n <= gramMax; n++ {
		for i := 0; i+n <= len(rs); i++ {
			b := gramBucket(rs[i : i+n])
			if j, ok := seen[b]; ok {
				ns[j] = uint8(n)
				continue
			}
			seen[b] = len(bs)
			bs = append(bs, b)
			ns = append(ns, uint8(n))
		}
	}
	return bs, ns
}

// own is a train record's own contribution, left out of its features
// (leave-one-out) so that training features look like unseen-text features.
type own struct {
	buckets map[uint32]bool
	labels  map[int32]bool
}

func (o *own) bucket(b uint32) int32 {
	if o != nil && o.buckets[b] {
		return 1
	}
	return 0
}

func (o *own) label(l int32) int32 {
	if o != nil && o.labels[l] {
		return 1
	}
	return 0
}

// cdnExample is one training text: folded text and gold names.
type cdnExample struct {
	Text string
	Gold []string
}

// buildStats counts labels and n-gram/label co-occurrences over examples.
// Gold names that are not dictionary names are not labels (they can never
// be emitted).
func buildStats(exs []cdnExample, isName func(string) bool) *cdnStats {
	s := &cdnStats{Records: int32(len(exs)), Buckets: map[uint32]*bucketLabels{}, Pairs: map[uint64]int32{}}
	s.labelID = map[string]int32{}
	type pair struct {
		b uint32
		l int32
	}
	co := map[pair]int32{}
	docs := map[uint32]int32{}
	for _, e := range exs {
		var ls []int32
		seen := map[int32]bool{}
		for _, g := range e.Gold {
			if !isName(g) {
				continue
			}
			id, ok := s.labelID[g]
			if !ok {
				id = int32(len(s.Labels))
				s.labelID[g] = id
				s.Labels = append(s.Labels, g)
				s.Prior = append(s.Prior, 0)
			}
			if !seen[id] {
				seen[id] = true
				s.Prior[id]++
				ls = append(ls, id)
			}
		}
		for i, a := range ls {
			for _, b := range ls[i+1:] {
				s.Pairs[pairKey(a, b)]++
			}
		}
		bs, _ := gramBuckets([]rune(fold(e.Text)))
		for _, b := range bs {
			docs[b]++
			for _, l := range ls {
				co[pair{b, l}]++
			}
		}
	}
	for b, n := range docs {
		s.Buckets[b] = &bucketLabels{Docs: n}
	}
	for p, n := range co {
		bl := s.Buckets[p.b]
		bl.Labels = append(bl.Labels, p.l)
		bl.Counts = append(bl.Counts, n)
	}
	for b, bl := range s.Buckets {
		if len(bl.Labels) == 0 {
			// Buckets without any label carry only a document count; keep
			// those seen more than once (they lower other labels' ratios).
			if bl.Docs < 2 {
				delete(s.Buckets, b)
			}
			continue
		}
		idx := make([]int, len(bl.Labels))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(i, j int) bool {
			a, c := idx[i], idx[j]
			if bl.Counts[a] != bl.Counts[c] {
				return bl.Counts[a] > bl.Counts[c]
			}
			return bl.Labels[a] < bl.Labels[c]
		})
		if len(idx) > maxLabelsPerBk {
			idx = idx[:maxLabelsPerBk]
		}
		ls, cs := make([]int32, len(idx)), make([]int32, len(idx))
		for i, k := range idx {
			ls[i], cs[i] = bl.Labels[k], bl.Counts[k]
		}
		bl.Labels, bl.Counts = ls, cs
	}
	return s
}

// ownOf is the leave-one-out record of a train example under s.
func (s *cdnStats) ownOf(e cdnExample) *own {
	o := &own{buckets: map[uint32]bool{}, labels: map[int32]bool{}}
	bs, _ := gramBuckets([]rune(fold(e.Text)))
	for _, b := range bs {
		o.buckets[b] = true
	}
	for _, g := range e.Gold {
		if id, ok := s.labelID[g]; ok {
			o.labels[id] = true
		}
	}
	return o
}
