package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/bus"
	"bingli/services/dlq"
)

// Version is recorded in each note's provenance.
const Version = "1.0.0"

// Result counts what one ingest run saw. Valid and Bad include files that
// an earlier run had already finished (they are skipped, not re-read).
type Result struct {
	Files        int // files in the archive
	FilesSkipped int // unchanged files an earlier run had finished
	Valid        int // valid notes in the archive
	Bad          int // bad records in the archive (dead-lettered)
	Published    int // notes published by this run
	Duplicates   int // records whose note_id another record already used
}

// checkpoint is the per-file progress stored in the ingest bucket.
type checkpoint struct {
	File        string `json:"file"`
	Fingerprint string `json:"fingerprint"`
	NextSeq     int    `json:"next_seq"`
	// InflightEnd is the end of the batch being published when the
	// checkpoint was written; records before it may already be stored.
	InflightEnd int  `json:"inflight_end"`
	Done        bool `json:"done"`
	Valid       int  `json:"valid"`
	Bad         int  `json:"bad"`
}

// Publisher streams an archive onto the raw subject, resumably: it
// checkpoints each file's progress and publishes every note with its note id
// as Nats-Msg-Id, so a rerun after a crash adds nothing twice.
type Publisher struct {
	JS    jetstream.JetStream
	Log   *zap.Logger
	Batch int // records between checkpoints (default 500)
	// Progress, when set, is called after each record with the number of
	// records handled so far in this run.
	Progress func(records int)
	// MaxPending, when > 0, bounds how far ingest runs ahead of the
	// stages: after each batch it waits while more than this many notes are
	// inside the pipeline (bus.Pending: RAW and NOTES). Without it a large
	// archive is queued whole in JetStream while the slowest stage works
	// through it, and memory grows with the archive.
	MaxPending uint64
}

// DefaultMaxPending is the backlog bound the commands use: at 200 notes/s
// about 50 s of work for the slowest stage, a few hundred MB of JetStream
// at most.
const DefaultMaxPending = 10000

// pendingPoll is how often a throttled ingest looks at the backlog.
const pendingPoll = 100 * time.Millisecond

// throttle waits until the pipeline holds at most MaxPending notes.
func (p *Publisher) throttle(ctx context.Context) error {
	if p.MaxPending == 0 {
		return nil
	}
	for waited := false; ; waited = true {
		n, err := bus.PendingPersistently(ctx, p.JS, p.Log)
		if err != nil {
			return err
		}
		if n <= p.MaxPending {
			return nil
		}
		if !waited && p.Log != nil {
			p.Log.Debug("ingest waits for the pipeline", zap.Uint64("pending", n), zap.Uint64("max_pending", p.MaxPending))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pendingPoll):
		}
	}
}

type inflight struct {
	fut jetstream.PubAckFuture
	it  Item
}

type fileState struct {
	key  string
	cp   checkpoint
	skip bool
	// replayEnd: records before it were perhaps published by a run that
	// crashed; a duplicate ack for them is that same record, not a clash.
	replayEnd int
	pending   []inflight
}

// Publish ingests path (a file or directory).
func (p *Publisher) Publish(ctx context.Context, path string, opt Options) (Result, error) {
	if p.Batch <= 0 {
		p.Batch = 500
	}
	if p.Log == nil {
		p.Log = zap.NewNop()
	}
	kv, err := p.JS.KeyValue(ctx, bus.IngestBucket)
	if err != nil {
		return Result{}, fmt.Errorf("ingest checkpoints: %w", err)
	}
	root := path
	if fi, err := os.Stat(path); err != nil {
		return Result{}, fmt.Errorf("ingest: %w", err)
	} else if !fi.IsDir() {
		root = filepath.Dir(path)
	}
	var res Result
	var cur *fileState
	handled := 0

	finish := func(done bool) error {
		if cur == nil {
			return nil
		}
		if cur.skip {
			res.Valid += cur.cp.Valid
			res.Bad += cur.cp.Bad
			return nil
		}
		if err := p.settle(ctx, cur, &res); err != nil {
			return err
		}
		cur.cp.Done = done
		if err := putCheckpoint(ctx, kv, cur.key, cur.cp); err != nil {
			return err
		}
		if done {
			res.Valid += cur.cp.Valid
			res.Bad += cur.cp.Bad
		}
		return nil
	}

	err = Walk(ctx, path, opt, func(it Item) error {
		if cur == nil || cur.cp.File != it.File {
			if err := finish(true); err != nil {
				return err
			}
			st, err := p.open(ctx, kv, root, it.File)
			if err != nil {
				return err
			}
			cur = st
			res.Files++
			if st.skip {
				res.FilesSkipped++
			}
		}
		handled++
		if p.Progress != nil {
			p.Progress(handled)
		}
		if cur.skip || it.Seq < cur.cp.NextSeq {
			return nil
		}
		if len(cur.pending) == 0 {
			// Record how far this batch may go before publishing it.
			cur.cp.InflightEnd = it.Seq + p.Batch
			if err := putCheckpoint(ctx, kv, cur.key, cur.cp); err != nil {
				return err
			}
		}
		if it.Bad != "" {
			rec := dlq.Record{Stage: "ingest", File: it.File, Line: it.Line, Reason: it.Bad}
			if err := dlq.Publish(ctx, p.JS, rec); err != nil {
				return err
			}
			cur.cp.Bad++
			cur.pending = append(cur.pending, inflight{it: it})
		} else {
			it.Note.AddProvenance("ingest", Version, "")
			data, err := it.Note.Marshal()
			if err != nil {
				return fmt.Errorf("ingest %s:%d: encode: %w", it.File, it.Line, err)
			}
			msg := nats.NewMsg(bus.RawSubject)
			msg.Data = data
			msg.Header.Set(jetstream.MsgIDHeader, it.Note.NoteID)
			fut, err := p.JS.PublishMsgAsync(msg)
			if err != nil {
				return fmt.Errorf("ingest %s:%d: publish: %w", it.File, it.Line, err)
			}
			cur.pending = append(cur.pending, inflight{fut: fut, it: it})
		}
		if len(cur.pending) >= p.Batch {
			if err := p.settle(ctx, cur, &res); err != nil {
				return err
			}
			if err := putCheckpoint(ctx, kv, cur.key, cur.cp); err != nil {
				return err
			}
			return p.throttle(ctx)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if err := finish(true); err != nil {
		return res, err
	}
	return res, nil
}

// open loads a file's checkpoint and decides whether to skip or resume it.
func (p *Publisher) open(ctx context.Context, kv jetstream.KeyValue, root, rel string) (*fileState, error) {
	fp, err := FileFingerprint(filepath.Join(root, rel))
	if err != nil {
		// Files that cannot be fingerprinted are still walked; Walk reports them.
		fp = ""
	}
	key := fileKey(rel)
	st := &fileState{key: key, cp: checkpoint{File: rel, Fingerprint: fp}}
	e, err := kv.Get(ctx, key)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
	case err != nil:
		return nil, fmt.Errorf("ingest checkpoint of %s: %w", rel, err)
	default:
		var cp checkpoint
		if err := json.Unmarshal(e.Value(), &cp); err != nil {
			return nil, fmt.Errorf("ingest checkpoint of %s is corrupt: %w", rel, err)
		}
		if cp.Fingerprint == fp && fp != "" {
			st.cp = cp
			st.skip = cp.Done
			st.replayEnd = cp.InflightEnd
			if !cp.Done {
				p.Log.Info("resuming file", zap.String("file_key", key), zap.Int("from_record", cp.NextSeq))
			}
		} else {
			p.Log.Info("file changed since last ingest; reading it again", zap.String("file_key", key))
		}
	}
	return st, nil
}

// settle waits for the batch's publish acks, dead-letters records whose note
// id another record already used, and advances the checkpoint.
func (p *Publisher) settle(ctx context.Context, st *fileState, res *Result) error {
	for _, f := range st.pending {
		if f.fut == nil {
			st.cp.NextSeq = f.it.Seq + 1
			continue
		}
		var ack *jetstream.PubAck
		retried := false
		select {
		case ack = <-f.fut.Ok():
		case <-f.fut.Err():
			// Not acknowledged in time (a busy or restarting server): the
			// same message again. If the first try was stored after all,
			// this one is acknowledged as a duplicate of it, and is taken
			// as that same record, as replays after a crash are.
			var err error
			if ack, err = p.republish(ctx, f.fut.Msg()); err != nil {
				return fmt.Errorf("ingest %s:%d: publish not acknowledged: %w", f.it.File, f.it.Line, err)
			}
			retried = true
		case <-ctx.Done():
			return ctx.Err()
		}
		if ack.Duplicate && f.it.Seq >= st.replayEnd && !retried {
			res.Duplicates++
			rec := dlq.Record{Stage: "ingest", File: f.it.File, Line: f.it.Line, NoteID: f.it.Note.NoteID,
				Reason: "duplicate note_id: another record of the archive has the same id"}
			if err := dlq.Publish(ctx, p.JS, rec); err != nil {
				return err
			}
			st.cp.Bad++
		} else {
			st.cp.Valid++
			if !ack.Duplicate {
				res.Published++
			}
		}
		st.cp.NextSeq = f.it.Seq + 1
	}
	st.pending = st.pending[:0]
	return nil
}

func putCheckpoint(ctx context.Context, kv jetstream.KeyValue, key string, cp checkpoint) error {
	b, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	if _, err := kv.Put(ctx, key, b); err != nil {
		return fmt.Errorf("ingest checkpoint of %s: %w", cp.File, err)
	}
	return nil
}

func fileKey(rel string) string {
	h := sha256.Sum256([]byte(rel))
	return "f_" + hex.EncodeToString(h[:16])
}
