package index

import (
	"sort"
)

// DefaultMinCellSize is the k of small-cell suppression: an aggregate count
// below it is not reported, because a cell that small can point at
// individual patients ("data stays, insights leave").
const DefaultMinCellSize = 10

// minCellSize returns k, the default when unset; k never drops below 1.
func minCellSize(k int) int {
	if k <= 0 {
		return DefaultMinCellSize
	}
	return k
}

// suppress turns raw counts into buckets ordered by key, with every count
// below k replaced by a suppressed marker.
func suppress(counts map[string]int, k int) []Bucket {
	out := make([]Bucket, 0, len(counts))
	for key, n := range counts {
		if n <= 0 {
			continue
		}
		b := Bucket{Key: key}
		if n < k {
			b.Suppressed = true
		} else {
			b.Count = n
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// suppressAll applies suppress to each requested aggregation; an
// aggregation with no buckets is present and empty.
func suppressAll(want []Aggregation, raw map[Aggregation]map[string]int, k int) map[Aggregation][]Bucket {
	if len(want) == 0 {
		return nil
	}
	out := make(map[Aggregation][]Bucket, len(want))
	for _, a := range want {
		out[a] = suppress(raw[a], k)
		if a == ByVisitYear { // years partition the dated notes
			out[a] = Complement(out[a])
		}
	}
	return out
}

// Complement protects an aggregation whose buckets partition a reported
// total: when exactly one bucket is suppressed, the total minus the shown
// buckets would reveal it, so the smallest shown bucket is suppressed too.
func Complement(bs []Bucket) []Bucket {
	suppressed, smallest := 0, -1
	for i, b := range bs {
		if b.Suppressed {
			suppressed++
		} else if smallest < 0 || b.Count < bs[smallest].Count {
			smallest = i
		}
	}
	if suppressed == 1 && smallest >= 0 {
		bs[smallest] = Bucket{Key: bs[smallest].Key, Suppressed: true}
	}
	return bs
}

// Suppress is small-cell suppression for callers outside the index (the
// patient-level cohort): counts below k (default DefaultMinCellSize) become
// suppressed buckets, ordered by key.
func Suppress(counts map[string]int, k int) []Bucket { return suppress(counts, minCellSize(k)) }
