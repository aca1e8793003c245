// Package bustest starts a real embedded JetStream (file storage in a temp
// dir) for tests, with a pipeline topology already in place.
package bustest

import (
	"context"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
)

// Start returns JetStream on a fresh embedded server with topo ensured; the
// server stops when the test ends.
func Start(tb testing.TB, topo bus.Topology) jetstream.JetStream {
	tb.Helper()
	ns, err := bus.StartEmbedded(bus.EmbeddedOptions{DataDir: tb.TempDir(), Port: -1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(ns.Shutdown)
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096))
	if err != nil {
		tb.Fatal(err)
	}
	if err := topo.Ensure(context.Background(), js); err != nil {
		tb.Fatal(err)
	}
	return js
}
