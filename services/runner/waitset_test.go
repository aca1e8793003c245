package runner_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"bingli/services/bus"
	"bingli/services/bus/bustest"
	"bingli/services/note"
	"bingli/services/runner"
)

// slow takes longer than the ack wait on every note and counts how often
// it sees each one.
type slow struct {
	d    time.Duration
	hint time.Duration
	mu   sync.Mutex
	seen map[string]int
}

func (s *slow) Name() string    { return "slow" }
func (s *slow) Version() string { return "1" }
func (s *slow) Process(ctx context.Context, n *note.Note) error {
	s.mu.Lock()
	s.seen[n.NoteID]++
	s.mu.Unlock()
	select {
	case <-time.After(s.d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type slowHinted struct{ *slow }

func (s slowHinted) TimeoutHint() time.Duration { return s.hint }

// Notes queued behind a slow worker outlive the ack wait; the runner keeps
// them in progress, so none is redelivered and each is processed once.
func TestRunnerQueuedNotesAreNotRedelivered(t *testing.T) {
	topo := bus.Topology{Stages: []string{"slow"}, MaxDeliver: 5, AckWait: 1500 * time.Millisecond}
	e := &env{js: bustest.Start(t, topo), topo: topo}
	e.publish(t, 4, 100)
	st := &slow{d: 2 * time.Second, seen: map[string]int{}}
	stop, stats := e.start(t, st, 1)
	waitFor(t, "4 notes processed", func() bool { return stats.Processed.Load() == 4 })
	stop()
	for id, n := range st.seen {
		if n != 1 {
			t.Errorf("note %s processed %d times, want once", id, n)
		}
	}
	if len(st.seen) != 4 || stats.Retried.Load() != 0 {
		t.Errorf("processed %d notes with %d retries, want 4 and 0", len(st.seen), stats.Retried.Load())
	}
}

// A stage's timeout hint overrides a shorter runner timeout (the index
// stage waiting out a backend outage).
func TestRunnerHonoursTimeoutHint(t *testing.T) {
	topo := bus.Topology{Stages: []string{"slow"}, MaxDeliver: 5, AckWait: 3 * time.Second}
	e := &env{js: bustest.Start(t, topo), topo: topo}
	e.publish(t, 1, 100)
	st := slowHinted{&slow{d: 1500 * time.Millisecond, hint: 10 * time.Second, seen: map[string]int{}}}
	ctx, cancel := context.WithCancel(context.Background())
	stats := &runner.Stats{}
	link, _ := topo.Link("slow")
	done := make(chan error, 1)
	go func() {
		done <- runner.Run(ctx, e.js, runner.Config{Stage: st, Link: link, Out: bus.NotesSubject("slow"), Concurrency: 1, Timeout: 500 * time.Millisecond, Stats: stats})
	}()
	waitFor(t, "the note processed", func() bool { return stats.Processed.Load() == 1 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if stats.Retried.Load() != 0 {
		t.Errorf("%d retries: the hint (10s) should override the 500ms timeout", stats.Retried.Load())
	}
}
