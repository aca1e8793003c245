package segment

import (
	"context"
	"sync"
	"testing"

	"bingli/services/note"
)

// TestConcurrentProcess runs many goroutines over shared Segmenters (the
// worker-pool case) and checks every result against a sequential run. Run
// with -race: the dictionary trie, gse's HMM tables and the pools are
// shared.
func TestConcurrentProcess(t *testing.T) {
	for _, mode := range []HMMMode{HMMOn, HMMOff} {
		s := newTest(t, Options{HMM: mode})
		want := make([][]note.Token, len(benchNotes))
		for i, text := range benchNotes {
			want[i] = s.Tokens(text)
		}
		var wg sync.WaitGroup
		errs := make(chan string, 64)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for k := 0; k < 20; k++ {
					i := (g + k) % len(benchNotes)
					n := &note.Note{NoteID: "n", Text: benchNotes[i]}
					if err := s.Process(context.Background(), n); err != nil {
						errs <- err.Error()
						return
					}
					if len(n.Tokens) != len(want[i]) {
						errs <- "token count differs from the sequential run"
						return
					}
					for j := range n.Tokens {
						if n.Tokens[j] != want[i][j] {
							errs <- "token differs from the sequential run"
							return
						}
					}
				}
			}(g)
		}
		// New Segmenters with the same options may be created meanwhile.
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() { defer wg.Done(); newTest(t, Options{HMM: mode}) }()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Errorf("hmm=%s: %s", mode, e)
		}
	}
}
