package runner_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
	"bingli/services/bus/bustest"
	"bingli/services/dlq"
	"bingli/services/note"
	"bingli/services/runner"
	"bingli/services/stage"
)

// env is a real embedded JetStream on file storage with a one-stage topology.
type env struct {
	js   jetstream.JetStream
	topo bus.Topology
}

func newEnv(tb testing.TB, stageName string, maxDeliver int) *env {
	tb.Helper()
	topo := bus.Topology{Stages: []string{stageName}, MaxDeliver: maxDeliver, AckWait: 5 * time.Second}
	js := bustest.Start(tb, topo)
	return &env{js: js, topo: topo}
}

func (e *env) publish(tb testing.TB, n int, textSize int) {
	tb.Helper()
	text := strings.Repeat("患者右眼视力0.5", textSize/len("患者右眼视力0.5")+1)[:textSize]
	text = strings.ToValidUTF8(text, "")
	for i := range n {
		nt := note.Note{SchemaVersion: note.SchemaVersion, NoteID: fmt.Sprintf("n%06d", i), Text: text,
			Source: note.Source{File: "t.jsonl", Line: i + 1, Format: "jsonl", Encoding: "utf-8"}}
		b, _ := nt.Marshal()
		msg := nats.NewMsg(bus.RawSubject)
		msg.Data = b
		msg.Header.Set(jetstream.MsgIDHeader, nt.NoteID)
		if _, err := e.js.PublishMsgAsync(msg); err != nil {
			tb.Fatal(err)
		}
	}
	select {
	case <-e.js.PublishAsyncComplete():
	case <-time.After(30 * time.Second):
		tb.Fatal("publish did not complete")
	}
}

func (e *env) start(tb testing.TB, st stage.Stage, workers int) (stop func(), stats *runner.Stats) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stats = &runner.Stats{}
	link, _ := e.topo.Link(st.Name())
	done := make(chan error, 1)
	go func() {
		done <- runner.Run(ctx, e.js, runner.Config{Stage: st, Link: link, Out: bus.NotesSubject(st.Name()), Concurrency: workers, Stats: stats})
	}()
	return func() {
		cancel()
		if err := <-done; err != nil {
			tb.Error(err)
		}
	}, stats
}

// outputCount is how many processed notes wait for the output consumer.
func (e *env) outputCount(tb testing.TB) uint64 {
	tb.Helper()
	c, err := e.js.Consumer(context.Background(), bus.NotesStream, bus.OutputConsumer)
	if err != nil {
		tb.Fatal(err)
	}
	info, err := c.Info(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return info.NumPending
}

func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type noop struct{}

func (noop) Name() string                              { return "noop" }
func (noop) Version() string                           { return "1" }
func (noop) Process(context.Context, *note.Note) error { return nil }

// flaky fails in a scripted way per note id.
type flaky struct {
	mu    sync.Mutex
	tries map[string]int
	calls atomic.Int64
}

func (f *flaky) Name() string    { return "flaky" }
func (f *flaky) Version() string { return "1" }
func (f *flaky) Process(_ context.Context, n *note.Note) error {
	f.calls.Add(1)
	f.mu.Lock()
	f.tries[n.NoteID]++
	try := f.tries[n.NoteID]
	f.mu.Unlock()
	switch n.NoteID {
	case "n000001": // permanent: dead-lettered at once
		return stage.BadInput("text is not a clinical note")
	case "n000002": // transient twice, then fine
		if try <= 2 {
			return errors.New("model busy")
		}
	case "n000003": // always transient: dead-lettered after max deliveries
		return errors.New("model busy")
	case "n000004":
		panic("stage bug")
	}
	n.Entities = append(n.Entities, note.Entity{Label: "TEST", Start: 0, End: 1, Text: "患"})
	return nil
}

func TestRunnerDeliversEveryNoteOnce(t *testing.T) {
	e := newEnv(t, "noop", 5)
	e.publish(t, 500, 1000)
	stop, stats := e.start(t, noop{}, 4)
	waitFor(t, "500 processed", func() bool { return stats.Processed.Load() == 500 })
	stop()
	if got := e.outputCount(t); got != 500 {
		t.Fatalf("output holds %d notes, want 500", got)
	}
	n, err := bus.Pending(context.Background(), e.js)
	if err != nil {
		t.Fatal(err)
	}
	if n != 500 { // only the 500 outputs remain, raw is empty
		t.Fatalf("pending %d, want 500 (outputs only)", n)
	}
}

func TestRunnerRetriesAndDeadLetters(t *testing.T) {
	e := newEnv(t, "flaky", 3)
	e.publish(t, 6, 200)
	f := &flaky{tries: map[string]int{}}
	stop, stats := e.start(t, f, 2)
	// n0, n2 (after 2 retries), n5 pass; n1 (bad input), n3 (3 failures), n4 (panic) are dead-lettered.
	waitFor(t, "all settled", func() bool { return stats.Processed.Load() == 3 && stats.DeadLettered.Load() == 3 })
	stop()
	recs, err := dlq.ReadAll(context.Background(), e.js)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, r := range recs {
		if r.Stage != "flaky" || r.File != "t.jsonl" || r.Line == 0 {
			t.Errorf("dead letter lacks its reference: %+v", r)
		}
		reasons[r.NoteID] = r.Reason
	}
	want := map[string]string{
		"n000001": "bad input: text is not a clinical note",
		"n000003": "failed 3 times, last: model busy",
		"n000004": "bad input: stage flaky panicked",
	}
	for id, reason := range want {
		if reasons[id] != reason {
			t.Errorf("dead letter of %s: reason %q, want %q", id, reasons[id], reason)
		}
	}
	if len(reasons) != 3 {
		t.Errorf("dead letters %v, want exactly %v", reasons, want)
	}
	if f.tries["n000002"] != 3 {
		t.Errorf("n000002 tried %d times, want 3", f.tries["n000002"])
	}
	if got := e.outputCount(t); got != 3 {
		t.Errorf("output holds %d notes, want 3", got)
	}
}

func TestRunnerDeadLettersPoisonWithoutQuotingIt(t *testing.T) {
	e := newEnv(t, "noop", 5)
	msg := nats.NewMsg(bus.RawSubject)
	msg.Data = []byte(`{"note_id": "x", "text": "张三 13812345678`) // truncated JSON
	if _, err := e.js.PublishMsg(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	stop, stats := e.start(t, noop{}, 1)
	waitFor(t, "poison dead-lettered", func() bool { return stats.DeadLettered.Load() == 1 })
	stop()
	recs, err := dlq.ReadAll(context.Background(), e.js)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || !strings.HasPrefix(recs[0].Reason, "undecodable note") {
		t.Fatalf("dead letters %+v", recs)
	}
	if strings.Contains(recs[0].Reason, "张三") || strings.Contains(recs[0].Reason, "138") {
		t.Fatalf("dead-letter reason quotes the message: %q", recs[0].Reason)
	}
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	prev := time.Duration(0)
	for d := 1; d < 10; d++ {
		b := runner.Backoff(d)
		if b < prev || b > 30*time.Second {
			t.Fatalf("Backoff(%d) = %v after %v", d, b, prev)
		}
		prev = b
	}
}
