package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
	"bingli/services/index"
	"bingli/services/review"
)

// reviewLog is the REVIEWS stream of a run, opened from its data directory
// (an embedded server on DATA/jetstream, for a run that is not running) or
// on a running NATS server.
type reviewLog struct {
	log   *review.StreamCorrections
	close func()
}

// openReviewLog opens the review log. With natsURL it connects to that
// server (a running 'bingli run' listens on 127.0.0.1:4222), else it
// starts an embedded server, without a listener, on dataDir. With create
// false a missing stream is an error.
func openReviewLog(ctx context.Context, dataDir, natsURL string, create bool) (*reviewLog, error) {
	var nc *nats.Conn
	var stop func()
	var err error
	if natsURL != "" {
		if nc, err = nats.Connect(natsURL, nats.Name("bingli-review-cli")); err != nil {
			return nil, fmt.Errorf("review log: connect %s: %w", natsURL, err)
		}
		stop = nc.Close
	} else {
		if _, err := os.Stat(filepath.Join(dataDir, "jetstream")); err != nil {
			return nil, fmt.Errorf("review log: no JetStream state in %s (the data directory of 'bingli run' or 'bingli process')", dataDir)
		}
		ns, err := bus.StartEmbedded(bus.EmbeddedOptions{DataDir: dataDir, Port: -1})
		if err != nil {
			return nil, fmt.Errorf("review log: %w (while 'bingli run' holds %s, pass --nats)", err, dataDir)
		}
		if nc, err = nats.Connect("", nats.InProcessServer(ns), nats.Name("bingli-review-cli")); err != nil {
			ns.Shutdown()
			return nil, fmt.Errorf("review log: %w", err)
		}
		stop = func() { nc.Close(); ns.Shutdown() }
	}
	js, err := jetStream(nc)
	if err != nil {
		stop()
		return nil, err
	}
	if !create {
		if _, err := js.Stream(ctx, review.ReviewsStream); errors.Is(err, jetstream.ErrStreamNotFound) {
			stop()
			return nil, fmt.Errorf("review log: no %s stream in %s: nothing has been reviewed", review.ReviewsStream, dataDir)
		}
	}
	log, err := review.NewStreamCorrections(ctx, js, 1)
	if err != nil {
		stop()
		return nil, err
	}
	return &reviewLog{log: log, close: stop}, nil
}

// reviewState replays a run's review log into the materialised state.
func reviewState(ctx context.Context, dataDir, natsURL string) (*review.State, error) {
	rl, err := openReviewLog(ctx, dataDir, natsURL, false)
	if err != nil {
		return nil, err
	}
	defer rl.close()
	st := review.NewState()
	if err := rl.log.Replay(ctx, func(ev review.Event) { st.Apply(ev) }); err != nil {
		return nil, err
	}
	return st, nil
}

// openRunIndex opens the embedded index of a run's data directory.
func openRunIndex(ctx context.Context, dataDir string) (index.Backend, error) {
	dir := filepath.Join(dataDir, "index")
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("no index in %s (run 'bingli process' or 'bingli run' first)", dataDir)
	}
	b, err := index.Open(ctx, index.Options{Embedded: index.BleveOptions{Dir: dir}})
	if err != nil {
		return nil, fmt.Errorf("%w (while 'bingli run' holds the embedded index, stop it first)", err)
	}
	return b, nil
}

// hasFlag says whether args hold the boolean flag -name or --name.
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "-"+name || a == "--"+name || a == "-"+name+"=true" || a == "--"+name+"=true" {
			return true
		}
	}
	return false
}
