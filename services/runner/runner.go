// Package runner is the one generic stage runner: it owns fetching from a
// durable pull consumer, the worker pool, publishing with a deterministic
// Nats-Msg-Id, acks, retries with backoff, dead letters, metrics and
// graceful drain. Stages only implement stage.Stage.
package runner

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/bus"
	"bingli/services/dlq"
	"bingli/services/note"
	"bingli/services/stage"
)

// Config configures one runner.
type Config struct {
	Stage stage.Stage
	// Link is the durable consumer the stage reads.
	Link bus.Link
	// Out is the subject the stage publishes processed notes to; empty for
	// a sink, whose Process stores the note itself.
	Out string
	// Concurrency is the number of workers (default: number of CPUs).
	Concurrency int
	// Prefetch is how many messages are pulled ahead (default 256).
	Prefetch int
	// Timeout bounds one Process call (default 30s).
	Timeout time.Duration
	Log     *zap.Logger
	// Stats, when set, is updated as notes pass.
	Stats *Stats
}

// Modeler is implemented by stages that run a versioned model; the model
// version is recorded in provenance.
type Modeler interface{ Model() string }

// TimeoutHinter is implemented by stages that may legitimately take longer
// than Config.Timeout on one note: the index stage waits out a backend
// outage (heartbeating the message) rather than failing the note and
// spending one of its deliveries. The runner uses the longer of the two.
type TimeoutHinter interface{ TimeoutHint() time.Duration }

// LogNamer is implemented by stages whose input notes still carry the
// archive's identifiers (deid reads raw notes): the runner's logs name an
// input note the stage failed on by LogName(n), never by its note id. The
// dead-letter record keeps the note id, file and line the note came with.
type LogNamer interface{ LogName(n *note.Note) string }

type pendingAck struct {
	msg jetstream.Msg
	fut jetstream.PubAckFuture
	id  string
}

// Run processes messages until ctx is cancelled, then drains: messages
// already pulled are finished, published and acknowledged before it returns.
func Run(ctx context.Context, js jetstream.JetStream, cfg Config) error {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = runtime.NumCPU()
	}
	if cfg.Prefetch <= 0 {
		cfg.Prefetch = 256
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if h, ok := cfg.Stage.(TimeoutHinter); ok && h.TimeoutHint() > cfg.Timeout {
		cfg.Timeout = h.TimeoutHint()
	}
	if cfg.Log == nil {
		cfg.Log = zap.NewNop()
	}
	if cfg.Stats == nil {
		cfg.Stats = &Stats{}
	}
	name := cfg.Stage.Name()
	log := cfg.Log.With(zap.String("stage", name))

	cons, err := js.Consumer(ctx, cfg.Link.Stream, cfg.Link.Durable)
	if err != nil {
		return fmt.Errorf("runner %s: consumer %s: %w", name, cfg.Link.Durable, err)
	}
	w := &worker{js: js, cfg: cfg, name: name, log: log, pending: make(chan pendingAck, cfg.Prefetch*2)}
	msgs := make(chan jetstream.Msg, cfg.Prefetch)
	// Messages pulled ahead wait for a worker; while every worker is slow
	// (a backend outage) they would outlive the ack wait and come back as
	// redeliveries. Heartbeat them until a worker takes them.
	waiting := newWaitSet()
	stopBeat := waiting.heartbeat(cfg.Link.AckWait / 3)
	defer stopBeat()
	var workers sync.WaitGroup
	for range cfg.Concurrency {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for m := range msgs {
				waiting.remove(m)
				w.handle(m)
			}
		}()
	}
	ackerDone := make(chan struct{})
	go func() {
		defer close(ackerDone)
		w.ackInOrder()
	}()

	log.Info("stage started", zap.String("from", cfg.Link.From), zap.String("to", cfg.Out), zap.Int("workers", cfg.Concurrency))
	bus.PullWith(ctx, cons, cfg.Prefetch, msgs, log, waiting.add)
	workers.Wait()
	close(w.pending)
	<-ackerDone
	log.Info("stage stopped",
		zap.Int64("processed", cfg.Stats.Processed.Load()),
		zap.Int64("dead_lettered", cfg.Stats.DeadLettered.Load()))
	return nil
}

type worker struct {
	js      jetstream.JetStream
	cfg     Config
	name    string
	log     *zap.Logger
	pending chan pendingAck
}

func (w *worker) handle(m jetstream.Msg) {
	md, err := m.Metadata()
	if err != nil {
		w.log.Error("message without metadata", zap.Error(err))
		_ = m.Term()
		return
	}
	n, err := note.Unmarshal(m.Data())
	if err != nil {
		w.deadLetter(m, md, dlq.Record{Reason: fmt.Sprintf("undecodable note (stream seq %d): %s", md.Sequence.Stream, safeReason(err))}, "")
		return
	}
	start := time.Now()
	inputName := w.logName(n) // before Process: a stage may rename the note
	err = w.process(m, n, inputName)
	processSeconds.WithLabelValues(w.name).Observe(time.Since(start).Seconds())
	if err != nil {
		rec := dlq.Record{NoteID: n.NoteID, File: n.Source.File, Line: n.Source.Line}
		switch {
		case errors.Is(err, stage.ErrBadInput):
			rec.Reason = err.Error()
			w.deadLetter(m, md, rec, inputName)
		case int(md.NumDelivered) >= w.cfg.Link.MaxDeliver:
			rec.Reason = fmt.Sprintf("failed %d times, last: %v", md.NumDelivered, err)
			w.deadLetter(m, md, rec, inputName)
		default:
			retriedTotal.WithLabelValues(w.name).Inc()
			w.cfg.Stats.Retried.Add(1)
			w.log.Warn("process failed, will retry", zap.String("note_id", inputName), zap.Uint64("delivery", md.NumDelivered), zap.Error(err))
			_ = m.NakWithDelay(Backoff(int(md.NumDelivered)))
		}
		return
	}
	if w.cfg.Out == "" { // a sink: nothing to pass on
		if err := m.Ack(); err != nil {
			w.log.Warn("ack failed; the note will be redelivered", zap.String("note_id", n.NoteID), zap.Error(err))
			return
		}
		processedTotal.WithLabelValues(w.name).Inc()
		w.cfg.Stats.Processed.Add(1)
		return
	}
	model := ""
	if mm, ok := w.cfg.Stage.(Modeler); ok {
		model = mm.Model()
	}
	n.AddProvenance(w.name, w.cfg.Stage.Version(), model)
	data, err := n.Marshal()
	if err != nil {
		w.deadLetter(m, md, dlq.Record{NoteID: n.NoteID, Reason: "cannot encode processed note: " + safeReason(err)}, n.NoteID)
		return
	}
	out := nats.NewMsg(w.cfg.Out)
	out.Data = data
	out.Header.Set(jetstream.MsgIDHeader, w.name+":"+n.NoteID)
	fut, err := w.js.PublishMsgAsync(out)
	if err != nil {
		w.log.Warn("publish failed, will retry", zap.String("note_id", n.NoteID), zap.Error(err))
		_ = m.NakWithDelay(Backoff(int(md.NumDelivered)))
		return
	}
	w.pending <- pendingAck{msg: m, fut: fut, id: n.NoteID}
}

// logName is how logs name the input note n (see LogNamer).
func (w *worker) logName(n *note.Note) string {
	if ln, ok := w.cfg.Stage.(LogNamer); ok {
		return ln.LogName(n)
	}
	return n.NoteID
}

// process runs the stage with a timeout, turning a panic into a permanent
// error so one poison note cannot take the service down. name is how logs
// call the note.
func (w *worker) process(m jetstream.Msg, n *note.Note, name string) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), w.cfg.Timeout)
	defer cancel()
	// Keep a slow note from being redelivered to another worker while it is
	// still being processed: AckWait stays short so that a crashed
	// process's notes come back quickly.
	if iv := w.cfg.Link.AckWait / 3; iv > 0 {
		var t atomic.Pointer[time.Timer]
		t.Store(time.AfterFunc(iv, func() {
			_ = m.InProgress()
			t.Load().Reset(iv)
		}))
		defer t.Load().Stop()
	}
	defer func() {
		if r := recover(); r != nil {
			err = stage.BadInput("stage %s panicked", w.name)
			w.log.Error("stage panicked", zap.String("note_id", name), zap.String("panic_type", fmt.Sprintf("%T", r)))
		}
	}()
	return w.cfg.Stage.Process(ctx, n)
}

// ackInOrder acknowledges each input once its output is stored.
func (w *worker) ackInOrder() {
	for p := range w.pending {
		select {
		case <-p.fut.Ok():
			if err := p.msg.Ack(); err != nil {
				w.log.Warn("ack failed; the note will be redelivered and de-duplicated", zap.String("note_id", p.id), zap.Error(err))
				continue
			}
			processedTotal.WithLabelValues(w.name).Inc()
			w.cfg.Stats.Processed.Add(1)
		case err := <-p.fut.Err():
			w.log.Warn("publish not acknowledged, will retry", zap.String("note_id", p.id), zap.Error(err))
			_ = p.msg.NakWithDelay(time.Second)
		}
	}
}

// deadLetter stores rec on the stage's dead-letter subject; name is how
// logs call the note.
func (w *worker) deadLetter(m jetstream.Msg, md *jetstream.MsgMetadata, rec dlq.Record, name string) {
	rec.Stage = w.name
	rec.Deliveries = int(md.NumDelivered)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := dlq.Publish(ctx, w.js, rec); err != nil {
		w.log.Error("dead letter not stored, will retry", zap.String("note_id", name), zap.Error(err))
		_ = m.NakWithDelay(Backoff(int(md.NumDelivered)))
		return
	}
	if err := m.Term(); err != nil {
		w.log.Warn("term failed", zap.String("note_id", name), zap.Error(err))
	}
	deadLetteredTotal.WithLabelValues(w.name).Inc()
	w.cfg.Stats.DeadLettered.Add(1)
	w.log.Warn("note dead-lettered", zap.String("note_id", name), zap.String("reason", rec.Reason))
}

// Backoff is the redelivery delay after the given number of deliveries.
func Backoff(delivered int) time.Duration {
	d := 500 * time.Millisecond
	for i := 1; i < delivered && d < 30*time.Second; i++ {
		d *= 4
	}
	return min(d, 30*time.Second)
}
