package timeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
	"bingli/services/note"
	"bingli/services/stage"
)

// Version is recorded by the runner for the timeline sink.
const Version = "2.0.0"

// Sink keeps timelines as notes stream in. Each final note's part of its
// patient's timeline (visit, diagnoses, events, measurements: no text) is
// appended to the timelines stream under its patient's subject. Storing is
// one publish and never a read: reading the patient's whole timeline back
// for every note made the server load a random 4 MB block per note and
// cache it, so memory grew with the archive. One subject per patient (not
// per note) keeps the server's subject index as small as the number of
// patients. A replayed note is dropped by the stream's de-duplication
// window, and after it by folding (Timeline.Add ignores a note it has), so
// nothing is counted twice. Timelines are folded when read (Get, Each).
type Sink struct {
	js jetstream.JetStream
}

var _ stage.Stage = (*Sink)(nil)

// NewSink returns the sink over the timelines stream.
func NewSink(js jetstream.JetStream) *Sink { return &Sink{js: js} }

func (s *Sink) Name() string    { return "timeline" }
func (s *Sink) Version() string { return Version }

// Process stores n's part of its patient's timeline.
func (s *Sink) Process(ctx context.Context, n *note.Note) error {
	b, err := json.Marshal(part(n))
	if err != nil {
		return fmt.Errorf("timeline of note %s: %w", n.NoteID, err)
	}
	msg := nats.NewMsg(Subject(PatientOf(n)))
	msg.Data = b
	msg.Header.Set(jetstream.MsgIDHeader, "timeline:"+n.NoteID)
	if _, err := s.js.PublishMsg(ctx, msg); err != nil {
		return fmt.Errorf("timeline of note %s: %w", n.NoteID, err)
	}
	return nil
}

// part is what Timeline.Add reads of a note.
func part(n *note.Note) *note.Note {
	return &note.Note{NoteID: n.NoteID, PatientID: n.PatientID, NoteType: n.NoteType, VisitDate: n.VisitDate,
		Diagnoses: n.Diagnoses, Measurements: n.Measurements, Procedures: n.Procedures, Medications: n.Medications}
}

// decodePart decodes a stored note part.
func decodePart(value []byte) (*note.Note, error) {
	var n note.Note
	if err := json.Unmarshal(value, &n); err != nil {
		return nil, fmt.Errorf("timeline entry is corrupt: %w", err)
	}
	return &n, nil
}

var keyOK = regexp.MustCompile(`^[-_=a-zA-Z0-9]+$`)

// Key is the subject token of a patient id (pseudonyms are used as they
// are; anything else is hashed).
func Key(patientID string) string {
	if keyOK.MatchString(patientID) {
		return patientID
	}
	h := sha256.Sum256([]byte(patientID))
	return "h-" + hex.EncodeToString(h[:16])
}

// Subject is the timelines-stream subject of a patient's note parts.
func Subject(patientID string) string { return bus.TimelineSubjectPrefix + Key(patientID) }

// ErrNoPatient is returned by Get for a patient with no stored note.
var ErrNoPatient = errors.New("no such patient")

// Get folds one patient's stored notes into their timeline. It reads them
// one by one by subject (a message get, no consumer: a restricted user
// without consumer rights can read a timeline).
func Get(ctx context.Context, js jetstream.JetStream, patientID string) (*Timeline, error) {
	s, err := js.Stream(ctx, bus.TimelineStream)
	if err != nil {
		return nil, fmt.Errorf("timelines: %w", err)
	}
	var t *Timeline
	for seq := uint64(1); ; {
		m, err := s.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(Subject(patientID)))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("timelines: %w", err)
		}
		n, err := decodePart(m.Data)
		if err != nil {
			return nil, err
		}
		if t == nil {
			t = New(PatientOf(n))
		}
		t.Add(n)
		seq = m.Sequence + 1
	}
	if t == nil {
		return nil, ErrNoPatient
	}
	return t, nil
}

// ReadAll returns every stored timeline, by patient id.
func ReadAll(ctx context.Context, js jetstream.JetStream) ([]*Timeline, error) {
	var out []*Timeline
	if err := Each(ctx, js, func(t *Timeline) error { out = append(out, t); return nil }); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *Timeline) int { return strings.Compare(a.PatientID, b.PatientID) })
	return out, nil
}
