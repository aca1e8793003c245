// Package dlq defines dead-letter records: what could not be processed, by
// which stage, and why. Records never carry note text or identifiers, only
// references (note id, archive file and line) and a reason.
package dlq

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
)

// Record is one dead-lettered input.
type Record struct {
	Stage      string    `json:"stage"`
	NoteID     string    `json:"note_id,omitempty"`
	File       string    `json:"file,omitempty"`
	Line       int       `json:"line,omitempty"`
	Reason     string    `json:"reason"`
	Deliveries int       `json:"deliveries,omitempty"`
	At         time.Time `json:"at"`
}

// Key identifies a record for de-duplication: the same input dead-lettered
// by the same stage twice (e.g. replayed after a crash) is one entry.
func (r Record) Key() string {
	if r.NoteID != "" {
		return r.Stage + ":" + r.NoteID
	}
	return fmt.Sprintf("%s:%s:%d", r.Stage, r.File, r.Line)
}

// Publish stores r on the stage's dead-letter subject and waits for the
// server to acknowledge it.
func Publish(ctx context.Context, js jetstream.JetStream, r Record) error {
	if r.At.IsZero() {
		r.At = time.Now().UTC()
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode dead letter: %w", err)
	}
	msg := nats.NewMsg(bus.DLQSubject(r.Stage))
	msg.Data = b
	msg.Header.Set(jetstream.MsgIDHeader, "dlq:"+r.Key())
	if _, err := js.PublishMsg(ctx, msg); err != nil {
		return fmt.Errorf("publish dead letter %s: %w", r.Key(), err)
	}
	return nil
}

// ReadAll returns every dead-letter record stored so far, de-duplicated by
// Key, in stream order.
func ReadAll(ctx context.Context, js jetstream.JetStream) ([]Record, error) {
	s, err := js.Stream(ctx, bus.DLQStream)
	if err != nil {
		return nil, fmt.Errorf("dlq stream: %w", err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("dlq stream info: %w", err)
	}
	last := info.State.LastSeq
	if info.State.Msgs == 0 {
		return nil, nil
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, fmt.Errorf("dlq reader: %w", err)
	}
	seen := map[string]bool{}
	var out []Record
	for {
		m, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			return nil, fmt.Errorf("read dlq: %w", err)
		}
		md, err := m.Metadata()
		if err != nil {
			return nil, fmt.Errorf("read dlq metadata: %w", err)
		}
		var r Record
		if err := json.Unmarshal(m.Data(), &r); err != nil {
			return nil, fmt.Errorf("decode dead letter seq %d: %w", md.Sequence.Stream, err)
		}
		if !seen[r.Key()] {
			seen[r.Key()] = true
			out = append(out, r)
		}
		if md.Sequence.Stream >= last {
			return out, nil
		}
	}
}
