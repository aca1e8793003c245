// Package output writes the pipeline's final note documents to a JSONL file,
// exactly once per note: it remembers which note ids the file already holds
// (across restarts) and acknowledges a message only after its line is
// flushed and synced to disk.
package output

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/bus"
	"bingli/services/dlq"
)

// Writer appends final notes to one JSONL file.
type Writer struct {
	path    string
	f       *os.File
	bw      *bufio.Writer
	mu      sync.Mutex
	seen    map[string]struct{}
	written atomic.Int64
	skipped atomic.Int64
}

// Open opens (or creates) path, drops a partial last line left by a crash
// and loads the ids of the notes it already holds.
func Open(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("open output: %w", err)
	}
	seen := map[string]struct{}{}
	var good int64
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			var id struct {
				NoteID string `json:"note_id"`
			}
			if jerr := json.Unmarshal(line, &id); jerr != nil || id.NoteID == "" {
				f.Close()
				return nil, fmt.Errorf("output %s: line at byte %d is not a note document", path, good)
			}
			seen[id.NoteID] = struct{}{}
			good += int64(len(line))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("read output: %w", err)
		}
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("truncate partial line: %w", err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("seek output: %w", err)
	}
	return &Writer{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<20), seen: seen}, nil
}

// Count is the number of distinct notes in the file.
func (w *Writer) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.seen)
}

// Written is the number of notes this process appended; Skipped the number
// of redelivered or replayed notes that were already in the file.
func (w *Writer) Written() int64 { return w.written.Load() }
func (w *Writer) Skipped() int64 { return w.skipped.Load() }

// Close flushes and closes the file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.bw.Flush(); err != nil {
		w.f.Close()
		return err
	}
	return w.f.Close()
}

// writeBatch appends the notes not yet in the file and makes them durable.
func (w *Writer) writeBatch(datas [][]byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range datas {
		id := noteID(d)
		if _, dup := w.seen[id]; dup {
			w.skipped.Add(1)
			continue
		}
		d = bytes.TrimRight(d, "\n")
		if _, err := w.bw.Write(d); err != nil {
			return err
		}
		if err := w.bw.WriteByte('\n'); err != nil {
			return err
		}
		w.seen[id] = struct{}{}
		w.written.Add(1)
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	return w.f.Sync()
}

// Run consumes the output link until ctx is cancelled, writing in batches.
func (w *Writer) Run(ctx context.Context, js jetstream.JetStream, link bus.Link, log *zap.Logger) error {
	cons, err := js.Consumer(ctx, link.Stream, link.Durable)
	if err != nil {
		return fmt.Errorf("output consumer: %w", err)
	}
	ch := make(chan jetstream.Msg, 512)
	go bus.Pull(ctx, cons, 512, ch, log)
	batch := make([]jetstream.Msg, 0, 512)
	datas := make([][]byte, 0, 512)
	for m := range ch {
		batch = append(batch[:0], m)
	fill:
		for len(batch) < cap(batch) {
			select {
			case m2, ok := <-ch:
				if !ok {
					break fill
				}
				batch = append(batch, m2)
			default:
				break fill
			}
		}
		datas = datas[:0]
		good := batch[:0:0]
		for _, b := range batch {
			if noteID(b.Data()) == "" {
				w.deadLetter(js, b, log)
				continue
			}
			datas = append(datas, b.Data())
			good = append(good, b)
		}
		batch = good
		if err := w.writeBatch(datas); err != nil {
			log.Error("output write failed; batch will be redelivered", zap.Error(err))
			for _, b := range batch {
				_ = b.NakWithDelay(time.Second)
			}
			continue
		}
		for _, b := range batch {
			_ = b.Ack()
		}
	}
	return nil
}

func noteID(d []byte) string {
	var id struct {
		NoteID string `json:"note_id"`
	}
	if err := json.Unmarshal(d, &id); err != nil {
		return ""
	}
	return id.NoteID
}

func (w *Writer) deadLetter(js jetstream.JetStream, m jetstream.Msg, log *zap.Logger) {
	seq := uint64(0)
	if md, err := m.Metadata(); err == nil {
		seq = md.Sequence.Stream
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rec := dlq.Record{Stage: bus.OutputConsumer, File: fmt.Sprintf("stream-seq-%d", seq), Reason: "final message is not a note document"}
	if err := dlq.Publish(ctx, js, rec); err != nil {
		log.Error("dead letter not stored, will retry", zap.Error(err))
		_ = m.NakWithDelay(time.Second)
		return
	}
	_ = m.Term()
}
