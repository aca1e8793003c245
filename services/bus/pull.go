package bus

import (
	"context"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
)

// Pull fetches batches from a durable pull consumer into out until ctx is
// cancelled, then closes out. A batch already fetched is always delivered in
// full, so a caller that processes everything from out drains cleanly.
//
// (An explicit Fetch loop, rather than the Messages iterator: under a
// no-op load the iterator was seen to stop re-pulling until its 30 s
// heartbeat check fired.)
func Pull(ctx context.Context, cons jetstream.Consumer, batch int, out chan<- jetstream.Msg, log *zap.Logger) {
	PullWith(ctx, cons, batch, out, log, nil)
}

// PullWith is Pull calling fetched (when not nil) with each message before
// it is queued on out.
func PullWith(ctx context.Context, cons jetstream.Consumer, batch int, out chan<- jetstream.Msg, log *zap.Logger, fetched func(jetstream.Msg)) {
	defer close(out)
	for ctx.Err() == nil {
		b, err := cons.Fetch(batch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("fetch failed; retrying", zap.Error(err))
			select {
			case <-ctx.Done():
				return
			case <-time.After(250 * time.Millisecond):
			}
			continue
		}
		for m := range b.Messages() {
			if fetched != nil {
				fetched(m)
			}
			out <- m
		}
		if err := b.Error(); err != nil && ctx.Err() == nil && err != jetstream.ErrNoMessages && err != context.DeadlineExceeded {
			log.Debug("fetch ended", zap.Error(err))
		}
	}
}
