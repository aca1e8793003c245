package runner

import (
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// waitSet holds the messages pulled but not yet taken by a worker.
type waitSet struct {
	mu sync.Mutex
	m  map[jetstream.Msg]struct{}
}

func newWaitSet() *waitSet { return &waitSet{m: map[jetstream.Msg]struct{}{}} }

func (w *waitSet) add(m jetstream.Msg) {
	w.mu.Lock()
	w.m[m] = struct{}{}
	w.mu.Unlock()
}

func (w *waitSet) remove(m jetstream.Msg) {
	w.mu.Lock()
	delete(w.m, m)
	w.mu.Unlock()
}

// heartbeat tells the server every interval that the waiting messages are
// in progress, so their ack wait does not run out while they queue. It
// returns a function that stops it. A zero interval does nothing.
func (w *waitSet) heartbeat(interval time.Duration) (stop func()) {
	if interval <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				w.mu.Lock()
				ms := make([]jetstream.Msg, 0, len(w.m))
				for m := range w.m {
					ms = append(ms, m)
				}
				w.mu.Unlock()
				for _, m := range ms {
					_ = m.InProgress()
				}
			}
		}
	}()
	return func() { close(done) }
}
