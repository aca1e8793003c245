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
	}
	return out
}

// Suppress is small-cell suppression for callers outside the index (the
// patient-level cohort): counts below k (default DefaultMinCellSize) become
// suppressed buckets, ordered by key.
func Suppress(counts map[string]int, k int) []Bucket { return suppress(counts, minCellSize(k)) }
