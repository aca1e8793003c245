package review

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// DrawSample draws a QA sample: n notes picked uniformly at random from
// ids (without replacement; all of them when there are fewer) and each
// assigned to two annotators. With two annotators both review every note;
// with more, the pairs take turns, so every pair reviews about as many
// notes and every annotator is compared with every other one.
func DrawSample(ids []string, n int, annotators []string, sample string, at time.Time, rng *rand.Rand) ([]Assignment, error) {
	anns := slices.Clone(annotators)
	slices.Sort(anns)
	anns = slices.Compact(anns)
	if len(anns) < 2 || slices.Contains(anns, "") {
		return nil, errors.New("QA sample: name at least two different annotators")
	}
	if n <= 0 {
		return nil, fmt.Errorf("QA sample: size %d: want at least 1", n)
	}
	var pairs [][2]string
	for i := range anns {
		for j := i + 1; j < len(anns); j++ {
			pairs = append(pairs, [2]string{anns[i], anns[j]})
		}
	}
	pool := slices.Clone(ids)
	slices.Sort(pool) // the draw depends on the seed only, not on the order ids came in
	n = min(n, len(pool))
	// Partial Fisher–Yates: the first n of pool become the sample.
	for i := 0; i < n; i++ {
		j := i + rng.IntN(len(pool)-i)
		pool[i], pool[j] = pool[j], pool[i]
	}
	out := make([]Assignment, n)
	for i, id := range pool[:n] {
		p := pairs[i%len(pairs)]
		out[i] = Assignment{NoteID: id, Annotators: []string{p[0], p[1]}, Sample: sample, At: at}
	}
	return out, nil
}
