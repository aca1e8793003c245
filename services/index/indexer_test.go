package index

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"bingli/services/note"
	"bingli/services/stage"
)

// processAll runs Process for every note concurrently, as the runner's
// worker pool does, and fails on any error.
func processAll(t testing.TB, x *Indexer, notes []*note.Note) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(notes))
	for _, n := range notes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- x.Process(context.Background(), n)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// gateBackend records batch sizes and holds each Upsert until released.
type gateBackend struct {
	Backend
	mu      sync.Mutex
	batches []int
	release chan struct{}
	stored  atomic.Int64
	fail    map[string]ItemError
}

func (g *gateBackend) Upsert(ctx context.Context, notes []*note.Note) error {
	g.mu.Lock()
	g.batches = append(g.batches, len(notes))
	g.mu.Unlock()
	if g.release != nil {
		<-g.release
	}
	g.stored.Add(int64(len(notes)))
	if len(g.fail) > 0 {
		return &ItemErrors{Failed: g.fail}
	}
	return nil
}

func (g *gateBackend) Close() error { return nil }

func TestIndexerGroupCommit(t *testing.T) {
	g := &gateBackend{release: make(chan struct{})}
	x := NewIndexer(g, 32, 20*time.Millisecond)
	defer x.Close()
	notes := fixtureNotes(100, 10)
	var returned atomic.Int64
	var wg sync.WaitGroup
	for _, n := range notes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := x.Process(context.Background(), n); err != nil {
				t.Error(err)
			}
			returned.Add(1)
		}()
	}
	time.Sleep(100 * time.Millisecond)
	if r := returned.Load(); r != 0 {
		t.Fatalf("%d Process calls returned before their batch was stored", r)
	}
	close(g.release)
	wg.Wait()
	if g.stored.Load() != 100 {
		t.Fatalf("stored %d notes, want 100", g.stored.Load())
	}
	if len(g.batches) > 10 {
		t.Errorf("100 concurrent notes took %d bulk writes %v; want them grouped", len(g.batches), g.batches)
	}
	for _, b := range g.batches {
		if b > 32 {
			t.Errorf("batch of %d exceeds MaxBatch 32", b)
		}
	}
	t.Logf("batches: %v", g.batches)
}

func TestIndexerItemErrors(t *testing.T) {
	notes := fixtureNotes(3, 10)
	g := &gateBackend{fail: map[string]ItemError{
		notes[0].NoteID: {Reason: "mapper_parsing_exception (status 400)", Permanent: true},
		notes[1].NoteID: {Reason: "rejected (overloaded)"},
	}}
	x := NewIndexer(g, 8, 50*time.Millisecond)
	defer x.Close()
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i, n := range notes {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = x.Process(context.Background(), n) }()
	}
	wg.Wait()
	if !errors.Is(errs[0], stage.ErrBadInput) {
		t.Errorf("permanent item error: %v, want ErrBadInput", errs[0])
	}
	if errs[1] == nil || errors.Is(errs[1], stage.ErrBadInput) {
		t.Errorf("transient item error: %v, want a retryable error", errs[1])
	}
	if errs[2] != nil {
		t.Errorf("stored note: %v", errs[2])
	}
}

func TestIndexerEmbedded(t *testing.T) {
	ctx := context.Background()
	x, err := New(ctx, Options{Embedded: BleveOptions{Dir: t.TempDir() + "/idx"}})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.Name() != "index" || x.Version() == "" {
		t.Errorf("name %q version %q", x.Name(), x.Version())
	}
	notes := fixtureNotes(50, 50)
	processAll(t, x, notes)
	for _, n := range notes {
		if _, ok, err := x.Backend().Get(ctx, n.NoteID); !ok || err != nil {
			t.Fatalf("note %s not stored when Process returned: ok=%v err=%v", n.NoteID, ok, err)
		}
	}
	if err := x.Process(ctx, &note.Note{}); !errors.Is(err, stage.ErrBadInput) {
		t.Errorf("note without id: %v", err)
	}
	x.Close()
	if err := x.Process(ctx, notes[0]); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func TestOpenUnknownBackend(t *testing.T) {
	if _, err := Open(context.Background(), Options{Backend: "solr"}); err == nil {
		t.Error("want an error")
	}
}

// BenchmarkIndexerEmbedded pushes ~500-character notes through the stage
// from 128 x GOMAXPROCS concurrent callers (as a runner's worker pool would), so group
// commit gathers them into bulk writes.
func BenchmarkIndexerEmbedded(b *testing.B) {
	x := NewIndexer(openTestBleve(b), 256, 5*time.Millisecond)
	defer x.Close()
	pool := fixtureNotes(2048, 500)
	var seq atomic.Int64
	b.SetParallelism(128) // x GOMAXPROCS callers: enough to fill a batch
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(seq.Add(1))
			n := *pool[i%len(pool)]
			n.NoteID = benchID(i)
			if err := x.Process(context.Background(), &n); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notes/s")
}
