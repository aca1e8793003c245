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
	"hash/fnv"
	"hash/maphash"
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

// Writer appends final notes to one JSONL file. It keeps 16 bytes per note
// (64-bit hashes of the id and of the archive reference, seeded per process)
// rather than the ids themselves, so a run of millions of notes stays small;
// two ids colliding (about 1 in 10^7 for 2 million notes) would be reported
// as a duplicate-id dead letter, never dropped silently.
type Writer struct {
	path    string
	f       *os.File
	bw      *bufio.Writer
	mu      sync.Mutex
	seen    map[uint64]uint64 // hash of note id -> hash of its archive reference
	seed    maphash.Seed
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
	seen := map[uint64]uint64{}
	seed := maphash.MakeSeed()
	var good int64
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			id, ref := noteRef(line)
			if id == "" {
				f.Close()
				return nil, fmt.Errorf("output %s: line at byte %d is not a note document", path, good)
			}
			seen[maphash.String(seed, id)] = ref
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
	return &Writer{path: path, f: f, bw: bufio.NewWriterSize(f, 1<<20), seen: seen, seed: seed}, nil
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
// It returns the indexes of notes whose id the file already holds for a
// different archive record: a clash, not a redelivery.
func (w *Writer) writeBatch(datas [][]byte) ([]int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var clashes []int
	for i, d := range datas {
		id, ref := noteRef(d)
		key := maphash.String(w.seed, id)
		if prev, dup := w.seen[key]; dup {
			if prev != ref {
				clashes = append(clashes, i)
				continue
			}
			w.skipped.Add(1)
			continue
		}
		d = bytes.TrimRight(d, "\n")
		if _, err := w.bw.Write(d); err != nil {
			return nil, err
		}
		if err := w.bw.WriteByte('\n'); err != nil {
			return nil, err
		}
		w.seen[key] = ref
		w.written.Add(1)
	}
	if err := w.bw.Flush(); err != nil {
		return nil, err
	}
	return clashes, w.f.Sync()
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
		// Group commit: gather what arrives within a few milliseconds so
		// one fsync covers many notes.
		linger := time.NewTimer(5 * time.Millisecond)
	fill:
		for len(batch) < cap(batch) {
			select {
			case m2, ok := <-ch:
				if !ok {
					break fill
				}
				batch = append(batch, m2)
			case <-linger.C:
				break fill
			}
		}
		linger.Stop()
		datas = datas[:0]
		good := batch[:0:0]
		for _, b := range batch {
			if id, _ := noteRef(b.Data()); id == "" {
				w.deadLetter(js, b, dlq.Record{Reason: "final message is not a note document"}, log)
				continue
			}
			datas = append(datas, b.Data())
			good = append(good, b)
		}
		batch = good
		clashes, err := w.writeBatch(datas)
		if err != nil {
			log.Error("output write failed; batch will be redelivered", zap.Error(err))
			for _, b := range batch {
				_ = b.NakWithDelay(time.Second)
			}
			continue
		}
		clash := map[int]bool{}
		for _, i := range clashes {
			clash[i] = true
			n := decodeRef(datas[i])
			w.deadLetter(js, batch[i], dlq.Record{NoteID: n.NoteID, File: n.File, Line: n.Line,
				Reason: "duplicate note_id: another archive record with this id is already in the output"}, log)
		}
		for i, b := range batch {
			if !clash[i] {
				_ = b.Ack()
			}
		}
	}
	return nil
}

// ref is what the writer needs of a note: its id and archive reference.
type ref struct {
	NoteID string
	File   string
	Line   int
}

func decodeRef(d []byte) ref {
	var n struct {
		NoteID string `json:"note_id"`
		Source struct {
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"source"`
	}
	if err := json.Unmarshal(d, &n); err != nil {
		return ref{}
	}
	return ref{NoteID: n.NoteID, File: n.Source.File, Line: n.Source.Line}
}

// noteRef returns a note's id and a hash of its archive reference.
func noteRef(d []byte) (string, uint64) {
	r := decodeRef(d)
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d", r.File, r.Line)
	return r.NoteID, h.Sum64()
}

func (w *Writer) deadLetter(js jetstream.JetStream, m jetstream.Msg, rec dlq.Record, log *zap.Logger) {
	if rec.File == "" {
		if md, err := m.Metadata(); err == nil {
			rec.File = fmt.Sprintf("stream-seq-%d", md.Sequence.Stream)
		}
	}
	rec.Stage = bus.OutputConsumer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := dlq.Publish(ctx, js, rec); err != nil {
		log.Error("dead letter not stored, will retry", zap.Error(err))
		_ = m.NakWithDelay(time.Second)
		return
	}
	_ = m.Term()
}
