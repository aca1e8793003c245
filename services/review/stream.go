package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ReviewsStream holds every correction as an event on reviews.<note>; the
// current reviewed state of a note is its last event. Nothing is ever
// overwritten, so evaluation and training exports can replay the history.
const ReviewsStream = "REVIEWS"

// StreamCorrections is the durable Corrections on JetStream.
type StreamCorrections struct {
	js jetstream.JetStream
}

// NewStreamCorrections ensures the reviews stream (file storage, kept
// forever) and returns Corrections over it.
func NewStreamCorrections(ctx context.Context, js jetstream.JetStream, replicas int) (*StreamCorrections, error) {
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: ReviewsStream, Subjects: []string{"reviews.>"}, Storage: jetstream.FileStorage,
		Retention: jetstream.LimitsPolicy, Replicas: max(replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("reviews stream: %w", err)
	}
	return &StreamCorrections{js: js}, nil
}

var subjectSafe = regexp.MustCompile(`^[-_a-zA-Z0-9]+$`)

// subjectToken is a note id as one subject token: the id itself when it is
// subject-safe, else a hash.
func subjectToken(noteID string) string {
	if subjectSafe.MatchString(noteID) {
		return noteID
	}
	h := sha256.Sum256([]byte(noteID))
	return "h-" + hex.EncodeToString(h[:16])
}

// subject of a note's corrections: reviews.<note>.
func subject(noteID string) string { return "reviews." + subjectToken(noteID) }

// assignSubject of a note's QA assignments: reviews.qa.<note> (two tokens
// after reviews, so it never collides with a note's corrections).
func assignSubject(noteID string) string { return "reviews.qa." + subjectToken(noteID) }

// Append stores c as an event and waits for the server's acknowledgement.
func (s *StreamCorrections) Append(ctx context.Context, c Correction) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	msg := nats.NewMsg(subject(c.NoteID))
	msg.Data = b
	if _, err := s.js.PublishMsg(ctx, msg); err != nil {
		return fmt.Errorf("store correction of %s: %w", c.NoteID, err)
	}
	return nil
}

// Latest returns the last correction of a note.
func (s *StreamCorrections) Latest(ctx context.Context, noteID string) (*Correction, bool, error) {
	st, err := s.js.Stream(ctx, ReviewsStream)
	if err != nil {
		return nil, false, fmt.Errorf("reviews stream: %w", err)
	}
	m, err := st.GetLastMsgForSubject(ctx, subject(noteID))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("correction of %s: %w", noteID, err)
	}
	var c Correction
	if err := json.Unmarshal(m.Data, &c); err != nil {
		return nil, false, fmt.Errorf("correction of %s is corrupt: %w", noteID, err)
	}
	return &c, true, nil
}

// Assign stores each assignment as an event on reviews.qa.<note>.
func (s *StreamCorrections) Assign(ctx context.Context, as []Assignment) error {
	for _, a := range as {
		b, err := json.Marshal(a)
		if err != nil {
			return err
		}
		msg := nats.NewMsg(assignSubject(a.NoteID))
		msg.Data = b
		if _, err := s.js.PublishMsg(ctx, msg); err != nil {
			return fmt.Errorf("store assignment of %s: %w", a.NoteID, err)
		}
	}
	return nil
}

// decodeEvent reads one message of the reviews stream.
func decodeEvent(subj string, data []byte) (Event, error) {
	if strings.HasPrefix(subj, "reviews.qa.") {
		var a Assignment
		if err := json.Unmarshal(data, &a); err != nil {
			return Event{}, fmt.Errorf("assignment on %s is corrupt: %w", subj, err)
		}
		return Event{Assignment: &a}, nil
	}
	var c Correction
	if err := json.Unmarshal(data, &c); err != nil {
		return Event{}, fmt.Errorf("correction on %s is corrupt: %w", subj, err)
	}
	return Event{Correction: &c}, nil
}

// Replay reads the stream from its first message to the last one stored
// when Replay started.
func (s *StreamCorrections) Replay(ctx context.Context, fn func(Event)) error {
	return s.consume(ctx, fn, false)
}

// Watch reads the whole stream and then follows it until ctx ends.
func (s *StreamCorrections) Watch(ctx context.Context, fn func(Event)) error {
	return s.consume(ctx, fn, true)
}

func (s *StreamCorrections) consume(ctx context.Context, fn func(Event), follow bool) error {
	st, err := s.js.Stream(ctx, ReviewsStream)
	if err != nil {
		return fmt.Errorf("reviews stream: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return fmt.Errorf("reviews stream: %w", err)
	}
	last := info.State.LastSeq
	if !follow && info.State.Msgs == 0 {
		return nil
	}
	cons, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return fmt.Errorf("reviews stream consumer: %w", err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("reviews stream consumer: %w", err)
	}
	defer it.Stop()
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	for {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("reviews stream: %w", err)
		}
		md, err := m.Metadata()
		if err != nil {
			return fmt.Errorf("reviews stream: %w", err)
		}
		ev, err := decodeEvent(m.Subject(), m.Data())
		if err != nil {
			return err
		}
		fn(ev)
		if !follow && md.Sequence.Stream >= last {
			return nil
		}
	}
}
