package review

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestDrawSample(t *testing.T) {
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = fmt.Sprintf("n%03d", i)
	}
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name       string
		n          int
		annotators []string
		wantN      int
		perPair    map[string]int
	}{
		{"two annotators review every note", 20, []string{"bo", "an"}, 20, map[string]int{"an|bo": 20}},
		{"three annotators: pairs take turns", 30, []string{"c", "a", "b"}, 30, map[string]int{"a|b": 10, "a|c": 10, "b|c": 10}},
		{"more than there are", 500, []string{"a", "b"}, 100, map[string]int{"a|b": 100}},
	} {
		t.Run(c.name, func(t *testing.T) {
			as, err := DrawSample(ids, c.n, c.annotators, "qa-1", at, rand.New(rand.NewPCG(1, 2)))
			if err != nil {
				t.Fatal(err)
			}
			if len(as) != c.wantN {
				t.Fatalf("%d assignments, want %d", len(as), c.wantN)
			}
			seen := map[string]bool{}
			pairs := map[string]int{}
			for _, a := range as {
				if seen[a.NoteID] || !slices.Contains(ids, a.NoteID) {
					t.Fatalf("note %s drawn twice or unknown", a.NoteID)
				}
				seen[a.NoteID] = true
				if len(a.Annotators) != 2 || a.Annotators[0] == a.Annotators[1] || a.Sample != "qa-1" || !a.At.Equal(at) {
					t.Fatalf("assignment %+v", a)
				}
				pairs[a.Annotators[0]+"|"+a.Annotators[1]]++
			}
			if fmt.Sprint(pairs) != fmt.Sprint(c.perPair) {
				t.Errorf("notes per pair %v, want %v", pairs, c.perPair)
			}
		})
	}
	// The draw depends on the seed, not on the order of ids.
	rev := slices.Clone(ids)
	slices.Reverse(rev)
	a1, _ := DrawSample(ids, 10, []string{"a", "b"}, "s", at, rand.New(rand.NewPCG(7, 7)))
	a2, _ := DrawSample(rev, 10, []string{"a", "b"}, "s", at, rand.New(rand.NewPCG(7, 7)))
	a3, _ := DrawSample(ids, 10, []string{"a", "b"}, "s", at, rand.New(rand.NewPCG(8, 8)))
	key := func(as []Assignment) string {
		var s []string
		for _, a := range as {
			s = append(s, a.NoteID)
		}
		return fmt.Sprint(s)
	}
	if key(a1) != key(a2) {
		t.Errorf("same seed, different draws: %s vs %s", key(a1), key(a2))
	}
	if key(a1) == key(a3) {
		t.Errorf("different seeds drew the same sample %s", key(a1))
	}
	for name, anns := range map[string][]string{"one annotator": {"a"}, "same twice": {"a", "a"}, "empty name": {"a", ""}} {
		if _, err := DrawSample(ids, 5, anns, "s", at, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := DrawSample(ids, 0, []string{"a", "b"}, "s", at, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("sample of 0: no error")
	}
}
