package ingest

import (
	"context"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
)

// republish publishes msg again, synchronously, after its asynchronous
// publish was not acknowledged, retrying while the server does not answer
// (bus.Persist). It carries the same Nats-Msg-Id, so if the first publish
// did reach the stream this one is acknowledged as a duplicate and
// nothing is stored twice.
func (p *Publisher) republish(ctx context.Context, msg *nats.Msg) (*jetstream.PubAck, error) {
	var ack *jetstream.PubAck
	err := bus.Persist(ctx, p.Log, "ingest publish", func(ctx context.Context) (err error) {
		ack, err = p.JS.PublishMsg(ctx, msg)
		return err
	})
	return ack, err
}
