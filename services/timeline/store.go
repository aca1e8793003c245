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

	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/note"
	"bingli/services/stage"
)

// Version is recorded by the runner for the timeline sink.
const Version = "2.0.0"

// Sink keeps timelines as notes stream in. Each final note's part of its
// patient's timeline (visit, diagnoses, events, measurements: no text) is
// stored under its own key, PATIENT.NOTE, in a JetStream key-value bucket.
// Storing is one Put and never a read: reading a patient's timeline back
// for every note made the server load a random 4 MB block of the bucket
// per note and cache it, so memory grew with the archive. A replayed note
// writes the same key again, so nothing is counted twice. Timelines are
// folded from their notes when read (Get, Each).
type Sink struct {
	kv jetstream.KeyValue
}

var _ stage.Stage = (*Sink)(nil)

// NewSink returns the sink over the timelines bucket.
func NewSink(kv jetstream.KeyValue) *Sink { return &Sink{kv: kv} }

func (s *Sink) Name() string    { return "timeline" }
func (s *Sink) Version() string { return Version }

// Process stores n's part of its patient's timeline.
func (s *Sink) Process(ctx context.Context, n *note.Note) error {
	b, err := json.Marshal(part(n))
	if err != nil {
		return fmt.Errorf("timeline of note %s: %w", n.NoteID, err)
	}
	if _, err := s.kv.Put(ctx, Key(PatientOf(n))+"."+Key(n.NoteID), b); err != nil {
		return fmt.Errorf("timeline of note %s: %w", n.NoteID, err)
	}
	return nil
}

// part is what Timeline.Add reads of a note.
func part(n *note.Note) *note.Note {
	return &note.Note{NoteID: n.NoteID, PatientID: n.PatientID, NoteType: n.NoteType, VisitDate: n.VisitDate,
		Diagnoses: n.Diagnoses, Measurements: n.Measurements, Procedures: n.Procedures, Medications: n.Medications}
}

// decodePart decodes a stored note part, checking that its key says it is
// one (an older bingli stored whole timelines under the patient key).
func decodePart(key string, value []byte) (*note.Note, error) {
	if !strings.Contains(key, ".") {
		return nil, fmt.Errorf("timelines: entry %q is not a note part (a data directory of bingli before timeline %s: process the archive into a new one)", key, Version)
	}
	var n note.Note
	if err := json.Unmarshal(value, &n); err != nil {
		return nil, fmt.Errorf("timeline entry %s is corrupt: %w", key, err)
	}
	return &n, nil
}

var keyOK = regexp.MustCompile(`^[-_=a-zA-Z0-9]+$`)

// Key is the bucket key token of a patient or note id (pseudonyms are used
// as they are; anything else is hashed).
func Key(id string) string {
	if keyOK.MatchString(id) {
		return id
	}
	h := sha256.Sum256([]byte(id))
	return "h-" + hex.EncodeToString(h[:16])
}

// ErrNoPatient is returned by Get for a patient with no stored note.
var ErrNoPatient = errors.New("no such patient")

// Get folds one patient's stored notes into their timeline.
func Get(ctx context.Context, kv jetstream.KeyValue, patientID string) (*Timeline, error) {
	w, err := kv.Watch(ctx, Key(patientID)+".>", jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("timelines: %w", err)
	}
	defer w.Stop() //nolint:errcheck
	var t *Timeline
	err = drain(ctx, w, func(e jetstream.KeyValueEntry) error {
		n, err := decodePart(e.Key(), e.Value())
		if err != nil {
			return err
		}
		if t == nil {
			t = New(PatientOf(n))
		}
		t.Add(n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, ErrNoPatient
	}
	return t, nil
}

// drain calls fn with every current entry a watcher delivers, then stops.
func drain(ctx context.Context, w jetstream.KeyWatcher, fn func(jetstream.KeyValueEntry) error) error {
	for {
		var e jetstream.KeyValueEntry
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e = <-w.Updates():
		}
		if e == nil {
			return nil // every key's last revision delivered
		}
		if err := fn(e); err != nil {
			return err
		}
	}
}

// ReadAll returns every stored timeline, by patient id.
func ReadAll(ctx context.Context, kv jetstream.KeyValue) ([]*Timeline, error) {
	var out []*Timeline
	if err := Each(ctx, kv, func(t *Timeline) error { out = append(out, t); return nil }); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *Timeline) int { return strings.Compare(a.PatientID, b.PatientID) })
	return out, nil
}
