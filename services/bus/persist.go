package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
)

// Patience is how long Persist keeps retrying a request the server does
// not answer. A busy server can leave JetStream API requests unanswered
// past their 5 s timeout (seen once 90,000 notes into a 1,000,000-note
// run), and a restarted one takes seconds to come back; a long run should
// outlive both, not stop.
const Patience = 2 * time.Minute

// persistWait is the pause between two tries.
const persistWait = 500 * time.Millisecond

// Persist calls try, each time with a 30 s deadline, until it succeeds, ctx
// ends, or it has failed for longer than Patience. what names the request
// in the log and the error (never an identifier).
func Persist(ctx context.Context, log *zap.Logger, what string, try func(context.Context) error) error {
	var first time.Time
	for {
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := try(tctx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if first.IsZero() {
			first = time.Now()
			if log != nil {
				log.Warn("retrying a request the server did not answer", zap.String("request", what), zap.Error(err))
			}
		} else if time.Since(first) > Patience {
			return fmt.Errorf("%s: no answer for %s: %w", what, Patience, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(persistWait):
		}
	}
}

// PendingPersistently is Pending, retried while the server does not answer.
func PendingPersistently(ctx context.Context, js jetstream.JetStream, log *zap.Logger) (uint64, error) {
	var n uint64
	err := Persist(ctx, log, "pipeline backlog", func(ctx context.Context) (err error) {
		n, err = Pending(ctx, js)
		return err
	})
	return n, err
}
