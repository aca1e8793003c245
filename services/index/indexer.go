package index

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"bingli/services/note"
	"bingli/services/stage"
)

// Version is the index stage's version, recorded in provenance.
const Version = "0.1.0"

// Options configures an Indexer.
type Options struct {
	// Backend is "embedded" (default) or "elasticsearch".
	Backend string
	// Embedded configures the embedded backend (Dir is required).
	Embedded BleveOptions
	// Elastic configures the Elasticsearch backend; unset addresses and
	// credentials come from the environment (ElasticOptionsFromEnv).
	Elastic ElasticOptions
	// MaxBatch is how many waiting notes trigger a bulk write (default 256).
	MaxBatch int
	// MaxWait is how long the first waiting note waits for others before
	// its batch is written (default 5ms).
	MaxWait time.Duration
}

// Open returns the backend the options name, ensured (index and mapping
// created).
func Open(ctx context.Context, o Options) (Backend, error) {
	var b Backend
	var err error
	switch o.Backend {
	case "", "embedded":
		b, err = OpenBleve(o.Embedded)
	case "elasticsearch":
		b, err = NewElastic(ElasticOptionsFromEnv(o.Elastic))
	default:
		return nil, fmt.Errorf("index: backend %q: want embedded or elasticsearch", o.Backend)
	}
	if err != nil {
		return nil, err
	}
	if err := b.Ensure(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Indexer is the index stage. Concurrent Process calls are gathered into
// one bulk Upsert (group commit): a batch is written when MaxBatch notes
// wait or MaxWait after the first arrived, and each Process returns only
// once its note is stored, so the runner acknowledges only stored notes.
type Indexer struct {
	b        Backend
	maxBatch int
	maxWait  time.Duration

	reqs     chan *pending
	quit     chan struct{}
	done     chan struct{}
	once     sync.Once
	closeErr error
}

type pending struct {
	n   *note.Note
	err chan error
}

var _ stage.Stage = (*Indexer)(nil)

// New opens the backend named by o and starts an Indexer over it.
func New(ctx context.Context, o Options) (*Indexer, error) {
	b, err := Open(ctx, o)
	if err != nil {
		return nil, err
	}
	return NewIndexer(b, o.MaxBatch, o.MaxWait), nil
}

// NewIndexer starts an Indexer over an ensured backend; it owns b from now
// on (Close closes it).
func NewIndexer(b Backend, maxBatch int, maxWait time.Duration) *Indexer {
	if maxBatch <= 0 {
		maxBatch = 256
	}
	if maxWait <= 0 {
		maxWait = 5 * time.Millisecond
	}
	x := &Indexer{b: b, maxBatch: maxBatch, maxWait: maxWait,
		reqs: make(chan *pending), quit: make(chan struct{}), done: make(chan struct{})}
	go x.loop()
	return x
}

// Name implements stage.Stage.
func (x *Indexer) Name() string { return "index" }

// Version implements stage.Stage.
func (x *Indexer) Version() string { return Version }

// Backend returns the backend, for queries.
func (x *Indexer) Backend() Backend { return x.b }

// ErrClosed is returned by Process after Close.
var ErrClosed = errors.New("index: indexer closed")

// Process stores n and returns once it is stored (nil), rejected for good
// (an error wrapping stage.ErrBadInput) or not stored for now (any other
// error: the runner retries).
func (x *Indexer) Process(ctx context.Context, n *note.Note) error {
	if n.NoteID == "" {
		return stage.BadInput("note without note_id")
	}
	p := &pending{n: n, err: make(chan error, 1)}
	select {
	case x.reqs <- p:
	case <-x.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once handed over, the note's batch is written whatever ctx does; the
	// outcome is awaited so the runner never sees success too early.
	select {
	case err := <-p.err:
		return err
	case <-ctx.Done():
		return fmt.Errorf("index %s: %w", n.NoteID, ctx.Err())
	}
}

func (x *Indexer) loop() {
	defer close(x.done)
	for {
		var first *pending
		select {
		case first = <-x.reqs:
		case <-x.quit:
			return
		}
		batch := []*pending{first}
		timer := time.NewTimer(x.maxWait)
	gather:
		for len(batch) < x.maxBatch {
			select {
			case p := <-x.reqs:
				batch = append(batch, p)
			case <-timer.C:
				break gather
			}
		}
		timer.Stop()
		x.flush(batch)
	}
}

// flush writes one batch and tells each waiting Process how its note fared.
func (x *Indexer) flush(batch []*pending) {
	notes := make([]*note.Note, len(batch))
	for i, p := range batch {
		notes[i] = p.n
	}
	err := x.b.Upsert(context.Background(), notes)
	var items *ItemErrors
	errors.As(err, &items)
	for _, p := range batch {
		switch {
		case err == nil:
			p.err <- nil
		case items != nil:
			ie, failed := items.Failed[p.n.NoteID]
			switch {
			case !failed:
				p.err <- nil
			case ie.Permanent:
				p.err <- stage.BadInput("index rejected the note: %s", ie.Reason)
			default:
				p.err <- fmt.Errorf("index %s: %s", p.n.NoteID, ie.Reason)
			}
		default:
			p.err <- fmt.Errorf("index %s: %w", p.n.NoteID, err)
		}
	}
}

// Close stops gathering (in-flight batches finish) and closes the backend.
// It is idempotent.
func (x *Indexer) Close() error {
	x.once.Do(func() {
		close(x.quit)
		<-x.done
		x.closeErr = x.b.Close()
	})
	return x.closeErr
}

// TimeoutHint is how long one note may wait in Process: an Elasticsearch
// backend retries a bulk write for its RetryFor while the cluster is down,
// and the runner keeps the note's message alive meanwhile instead of
// failing it (runner.TimeoutHinter).
func (ix *Indexer) TimeoutHint() time.Duration {
	if e, ok := ix.b.(*Elastic); ok {
		return e.retryFor + 30*time.Second
	}
	return 0
}
