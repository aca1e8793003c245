package ingest

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/bus"
	"bingli/services/dlq"
)

// TestPublishOutlivesAServerRestart stops the NATS server halfway through
// an ingest and starts it again on the same storage 1.5 s later: the
// ingest waits, publishes what was not acknowledged again and finishes,
// every valid note in RAW exactly once and none dead-lettered as a
// duplicate.
func TestPublishOutlivesAServerRestart(t *testing.T) {
	for _, maxPending := range []uint64{0, 100000} { // without and with the backlog check
		dataDir, archive := t.TempDir(), t.TempDir()
		writeArchive(t, archive, 1000)
		ns, err := bus.StartEmbedded(bus.EmbeddedOptions{DataDir: dataDir, Port: -1})
		if err != nil {
			t.Fatal(err)
		}
		port := ns.Addr().(*net.TCPAddr).Port
		nc, err := bus.Connect(ns.ClientURL(), "ingest-test", zap.NewNop())
		if err != nil {
			t.Fatal(err)
		}
		js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096), jetstream.WithPublishAsyncTimeout(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		if err := (bus.Topology{Stages: []string{"s"}}).Ensure(ctx, js); err != nil {
			t.Fatal(err)
		}
		var restarted sync.WaitGroup
		var ns2 *server.Server
		stopped := false
		pub := &Publisher{JS: js, Batch: 100, MaxPending: maxPending, Progress: func(n int) {
			if n != 450 || stopped {
				return
			}
			stopped = true
			ns.Shutdown()
			ns.WaitForShutdown()
			restarted.Add(1)
			go func() {
				defer restarted.Done()
				time.Sleep(1500 * time.Millisecond)
				s, err := bus.StartEmbedded(bus.EmbeddedOptions{DataDir: dataDir, Port: port})
				if err != nil {
					t.Error(err)
					return
				}
				ns2 = s
			}()
		}}
		res, err := pub.Publish(ctx, archive, Options{})
		restarted.Wait()
		if err != nil {
			t.Fatalf("max pending %d: ingest across a restart: %v", maxPending, err)
		}
		if !stopped {
			t.Fatal("the server was never stopped")
		}
		if res.Valid != 1000 || res.Duplicates != 0 {
			t.Fatalf("max pending %d: %d valid, %d duplicates, want 1000 and 0", maxPending, res.Valid, res.Duplicates)
		}
		if got := rawCount(t, js); got != 1000 {
			t.Fatalf("max pending %d: RAW holds %d notes, want each of the 1000 once", maxPending, got)
		}
		recs, err := dlq.ReadAll(ctx, js)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.Reason != "" && r.Stage == "ingest" && r.NoteID != "broken" && r.NoteID != "empty" && r.Line <= 1000 {
				t.Fatalf("max pending %d: a valid note was dead-lettered: line %d: %s", maxPending, r.Line, r.Reason)
			}
		}
		cancel()
		nc.Close()
		ns2.Shutdown()
	}
}
