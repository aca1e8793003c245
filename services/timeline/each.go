package timeline

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
)

// partBytes is about how much stored note data Each folds in memory at
// once; a bucket larger than this is read in several parts.
const partBytes = 32 << 20

// Each calls fn with every patient's timeline, folded from their stored
// notes. It reads the bucket once, in storage order (an ordered consumer of
// each key's last revision, which the server streams block by block). A
// bucket of up to partBytes is folded in memory and given in patient-id
// order. A larger one is first spilled to temporary files, one per part,
// each holding the notes of the patients whose key hashes to it; then each
// part is folded and given in patient-id order in turn. Memory is bounded
// whatever the archive's size; ReadAll sorts across parts.
func Each(ctx context.Context, kv jetstream.KeyValue, fn func(*Timeline) error) error {
	return each(ctx, kv, partBytes, fn)
}

func each(ctx context.Context, kv jetstream.KeyValue, limit uint64, fn func(*Timeline) error) error {
	st, err := kv.Status(ctx)
	if err != nil {
		return fmt.Errorf("timelines: %w", err)
	}
	parts := min(1+int(st.Bytes()/limit), 4096)
	w, err := kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return fmt.Errorf("timelines: %w", err)
	}
	defer w.Stop() //nolint:errcheck
	if parts == 1 {
		b := NewBuilder()
		if err := drain(ctx, w, func(e jetstream.KeyValueEntry) error { return b.addPart(e.Key(), e.Value()) }); err != nil {
			return err
		}
		return b.each(fn)
	}
	sp, err := newSpill(parts)
	if err != nil {
		return err
	}
	defer sp.remove()
	err = drain(ctx, w, func(e jetstream.KeyValueEntry) error {
		return sp.write(partOf(e.Key(), parts), e.Key(), e.Value())
	})
	if err == nil {
		err = sp.flush()
	}
	if err != nil {
		return err
	}
	for i := range parts {
		b := NewBuilder()
		if err := sp.read(i, b.addPart); err != nil {
			return err
		}
		if err := b.each(fn); err != nil {
			return err
		}
	}
	return nil
}

// partOf is the part of a stored note's key: by its patient, so a
// patient's notes all land in one part.
func partOf(key string, parts int) int {
	patient, _, _ := strings.Cut(key, ".")
	h := fnv.New32a()
	h.Write([]byte(patient))
	return int(h.Sum32() % uint32(parts))
}

// addPart folds one stored note part into its patient's timeline.
func (b *Builder) addPart(key string, value []byte) error {
	n, err := decodePart(key, value)
	if err != nil {
		return err
	}
	b.Add(n)
	return nil
}

// each calls fn with every timeline, by patient id.
func (b *Builder) each(fn func(*Timeline) error) error {
	for _, t := range b.Timelines() {
		if err := fn(t); err != nil {
			return err
		}
	}
	return nil
}
