package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

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

// subject of a note's corrections: note ids are used as they are when they
// are subject-safe, else hashed.
func subject(noteID string) string {
	if subjectSafe.MatchString(noteID) {
		return "reviews." + noteID
	}
	h := sha256.Sum256([]byte(noteID))
	return "reviews.h-" + hex.EncodeToString(h[:16])
}

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
