package timeline

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
)

// partBytes is about how much stored note data Each folds in memory at
// once; a larger stream is read in several parts.
const partBytes = 32 << 20

// Each calls fn with every patient's timeline, folded from their stored
// notes. It reads the stream once, in storage order, up to its last message
// when Each began (an ordered consumer, which the server streams block by
// block). A stream of up to partBytes is folded in memory and given in
// patient-id order. A larger one is first spilled to temporary files, one
// per part, each holding the notes of the patients whose subject hashes to
// it; then each part is folded and given in patient-id order in turn.
// Memory is bounded whatever the archive's size; ReadAll sorts across
// parts.
func Each(ctx context.Context, js jetstream.JetStream, fn func(*Timeline) error) error {
	return each(ctx, js, partBytes, fn)
}

func each(ctx context.Context, js jetstream.JetStream, limit uint64, fn func(*Timeline) error) error {
	s, err := js.Stream(ctx, bus.TimelineStream)
	if err != nil {
		return fmt.Errorf("timelines: %w", err)
	}
	state := s.CachedInfo().State
	if state.Msgs == 0 {
		return nil
	}
	parts := min(1+int(state.Bytes/limit), 4096)
	if parts == 1 {
		b := NewBuilder()
		if err := scan(ctx, s, state.LastSeq, func(_ string, data []byte) error { return b.addPart(data) }); err != nil {
			return err
		}
		return b.each(fn)
	}
	sp, err := newSpill(parts)
	if err != nil {
		return err
	}
	defer sp.remove()
	err = scan(ctx, s, state.LastSeq, func(subject string, data []byte) error {
		return sp.write(partOf(subject, parts), data)
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

// scan calls fn with the subject and data of every message of the stream
// up to sequence last, in order.
func scan(ctx context.Context, s jetstream.Stream, last uint64, fn func(subject string, data []byte) error) error {
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return fmt.Errorf("timelines: %w", err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("timelines: %w", err)
	}
	defer it.Stop()
	for {
		m, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			return fmt.Errorf("timelines: %w", err)
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("timelines: %w", err)
		}
		if md.Sequence.Stream > last {
			return nil
		}
		if err := fn(m.Subject(), m.Data()); err != nil {
			return err
		}
		if md.Sequence.Stream == last {
			return nil
		}
	}
}

// partOf is the part of a patient's subject, so a patient's notes all
// land in one part.
func partOf(subject string, parts int) int {
	h := fnv.New32a()
	h.Write([]byte(strings.TrimPrefix(subject, bus.TimelineSubjectPrefix)))
	return int(h.Sum32() % uint32(parts))
}

// addPart folds one stored note part into its patient's timeline.
func (b *Builder) addPart(data []byte) error {
	n, err := decodePart(data)
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
