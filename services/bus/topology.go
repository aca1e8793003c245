package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Stream and subject names. Raw text lives only on RawSubject, which only
// the ingest and deid stages may touch.
const (
	RawStream   = "RAW"
	RawSubject  = "raw.notes"
	NotesStream = "NOTES"
	DLQStream   = "DLQ"
	// IngestBucket is the key-value bucket holding per-file ingest checkpoints.
	IngestBucket = "ingest_files"
	// OutputConsumer is the durable consumer of the pipeline's final subject
	// that writes notes.jsonl.
	OutputConsumer = "output"
	// TimelineConsumer folds final notes into per-patient timelines: each
	// note's part is kept on the TimelineStream, under its patient's subject
	// (TimelineSubjectPrefix + the patient's key).
	TimelineConsumer      = "timeline"
	TimelineStream        = "TIMELINES"
	TimelineSubjectPrefix = "timeline."
)

// Sinks are the consumers of the pipeline's final subject.
var Sinks = []string{OutputConsumer, TimelineConsumer}

// NotesSubject is the subject a stage publishes its output to.
func NotesSubject(stage string) string { return "notes." + stage }

// DLQSubject is the dead-letter subject of a stage.
func DLQSubject(stage string) string { return "dlq." + stage }

// Link is one consumer in the chain: Durable reads From (a subject).
type Link struct {
	Durable string
	Stream  string
	From    string
	// MaxDeliver bounds redeliveries before the runner dead-letters.
	MaxDeliver int
	AckWait    time.Duration
}

// Topology is the streams and consumers of one pipeline: ingest publishes to
// RawSubject, stage i reads the subject of stage i-1 and publishes to its
// own, and the output consumer reads the last one.
type Topology struct {
	Stages []string
	// Replicas for streams in a cluster (1 for the embedded server).
	Replicas int
	// DuplicateWindow is how long JetStream remembers Nats-Msg-Id values
	// (default DefaultDuplicateWindow).
	DuplicateWindow time.Duration
	MaxDeliver      int
	AckWait         time.Duration
}

// Input returns the subject and stream that stage i reads.
func (t Topology) Input(i int) (stream, subject string) {
	if i == 0 {
		return RawStream, RawSubject
	}
	return NotesStream, NotesSubject(t.Stages[i-1])
}

// Links lists every consumer of the topology, the sinks last.
func (t Topology) Links() []Link {
	var ls []Link
	for i, s := range t.Stages {
		st, sub := t.Input(i)
		ls = append(ls, Link{Durable: s, Stream: st, From: sub, MaxDeliver: t.maxDeliver(), AckWait: t.ackWait()})
	}
	st, sub := t.Input(len(t.Stages))
	for _, sink := range Sinks {
		ls = append(ls, Link{Durable: sink, Stream: st, From: sub, MaxDeliver: t.maxDeliver(), AckWait: t.ackWait()})
	}
	return ls
}

// Link returns the consumer link of the named stage (or the output).
func (t Topology) Link(name string) (Link, error) {
	for _, l := range t.Links() {
		if l.Durable == name {
			return l, nil
		}
	}
	return Link{}, fmt.Errorf("stage %q is not in the pipeline %v", name, t.Stages)
}

func (t Topology) maxDeliver() int {
	if t.MaxDeliver > 0 {
		return t.MaxDeliver
	}
	return 5
}

func (t Topology) ackWait() time.Duration {
	if t.AckWait > 0 {
		return t.AckWait
	}
	return 10 * time.Second
}

// DefaultDuplicateWindow is how long the streams remember message ids. It
// covers what the window is for: a stage's output published again when its
// input is redelivered (ack wait and retries: seconds), and ingest's
// records published again after a quick restart. The server keeps every
// id of the window in memory, about 150 bytes each and nine per note (RAW,
// each stage's output, the timeline part): at 230 notes/s a 10-minute
// window held 188 MB of a 1,000,000-note run's heap, 2 minutes about a
// fifth of that. Anything republished later is still stored once where it
// counts: the output writer keeps one line per note id (and flags a
// different record under the same id), the index upserts by id, and
// timelines fold each note once.
const DefaultDuplicateWindow = 2 * time.Minute

// Ensure creates or updates the streams, consumers and buckets of the
// topology. It is idempotent and safe to call from every process.
//
// RAW is a work queue (raw text is deleted once de-identified); NOTES keeps a
// message only while some stage still has to read it (interest retention),
// so every consumer is created here before anything is published.
func (t Topology) Ensure(ctx context.Context, js jetstream.JetStream) error {
	replicas := max(t.Replicas, 1)
	dup := t.DuplicateWindow
	if dup <= 0 {
		dup = DefaultDuplicateWindow
	}
	streams := []jetstream.StreamConfig{
		{Name: RawStream, Subjects: []string{RawSubject}, Retention: jetstream.WorkQueuePolicy,
			Storage: jetstream.FileStorage, Replicas: replicas, Duplicates: dup},
		{Name: NotesStream, Subjects: []string{"notes.>"}, Retention: jetstream.InterestPolicy,
			Storage: jetstream.FileStorage, Replicas: replicas, Duplicates: dup},
		{Name: DLQStream, Subjects: []string{"dlq.>"}, Retention: jetstream.LimitsPolicy,
			Storage: jetstream.FileStorage, Replicas: replicas, Duplicates: dup},
		{Name: TimelineStream, Subjects: []string{TimelineSubjectPrefix + ">"}, Retention: jetstream.LimitsPolicy,
			Storage: jetstream.FileStorage, Replicas: replicas, Duplicates: dup},
	}
	for _, sc := range streams {
		if _, err := js.CreateOrUpdateStream(ctx, sc); err != nil {
			return fmt.Errorf("ensure stream %s: %w", sc.Name, err)
		}
	}
	for _, l := range t.Links() {
		cc := jetstream.ConsumerConfig{
			Durable:       l.Durable,
			FilterSubject: l.From,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       l.AckWait,
			MaxDeliver:    l.MaxDeliver,
			MaxAckPending: 20000,
			DeliverPolicy: jetstream.DeliverAllPolicy,
		}
		if _, err := js.CreateOrUpdateConsumer(ctx, l.Stream, cc); err != nil {
			return fmt.Errorf("ensure consumer %s on %s: %w", l.Durable, l.From, err)
		}
	}
	_, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: IngestBucket, Storage: jetstream.FileStorage, Replicas: replicas, History: 1,
	})
	if err != nil {
		return fmt.Errorf("ensure bucket %s: %w", IngestBucket, err)
	}
	return nil
}

// Pending reports how many notes are still inside the pipeline: messages
// left in RAW and NOTES. A stage publishes its output before it acks its
// input, so zero here (after ingest has finished) means every note reached
// the end or a dead-letter subject.
func Pending(ctx context.Context, js jetstream.JetStream) (uint64, error) {
	var total uint64
	for _, name := range []string{RawStream, NotesStream} {
		s, err := js.Stream(ctx, name)
		if err != nil {
			if errors.Is(err, jetstream.ErrStreamNotFound) {
				continue
			}
			return 0, fmt.Errorf("stream %s: %w", name, err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			return 0, fmt.Errorf("stream %s info: %w", name, err)
		}
		total += info.State.Msgs
	}
	return total, nil
}
