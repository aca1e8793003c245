package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
	"bingli/services/bus/bustest"
	"bingli/services/dlq"
)

func newBus(t *testing.T) jetstream.JetStream {
	return bustest.Start(t, bus.Topology{Stages: []string{"s"}})
}

func rawCount(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	s, err := js.Stream(context.Background(), bus.RawStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func writeArchive(t *testing.T, dir string, notes int) {
	t.Helper()
	var b strings.Builder
	for i := range notes {
		fmt.Fprintf(&b, `{"note_id":"N%04d","patient_id":"P%d","visit_date":"2023-03-%02d","text":"右眼视力0.%d，眼压18mmHg"}`+"\n", i, i%7, i%28+1, i%9+1)
	}
	b.WriteString(`{"note_id":"broken","text":"右眼` + "\n") // truncated JSON
	b.WriteString(`{"note_id":"empty","text":"  "}` + "\n")
	if err := os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestPublishIsResumableAndIdempotent(t *testing.T) {
	js := newBus(t)
	dir := t.TempDir()
	writeArchive(t, dir, 1200)
	ctx := context.Background()

	// First run dies after 700 records.
	stop := errors.New("simulated crash")
	crashing := &Publisher{JS: js, Batch: 100}
	crashing.Progress = func(n int) {
		if n == 700 {
			panic(stop)
		}
	}
	func() {
		defer func() {
			if r := recover(); r != stop {
				t.Fatalf("recovered %v", r)
			}
		}()
		crashing.Publish(ctx, dir, Options{})
	}()

	res, err := (&Publisher{JS: js, Batch: 100}).Publish(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid != 1200 || res.Bad != 2 || res.Duplicates != 0 {
		t.Fatalf("result %+v", res)
	}
	if got := rawCount(t, js); got != 1200 {
		t.Fatalf("raw stream holds %d notes, want 1200 exactly once", got)
	}
	// Re-ingesting the unchanged archive adds nothing and reads nothing.
	res, err = (&Publisher{JS: js}).Publish(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.FilesSkipped != 1 || res.Published != 0 || res.Valid != 1200 {
		t.Fatalf("re-ingest result %+v", res)
	}
	if got := rawCount(t, js); got != 1200 {
		t.Fatalf("raw stream holds %d notes after re-ingest", got)
	}
	recs, err := dlq.ReadAll(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Line != 1201 || recs[0].Reason != "truncated JSON" && !strings.Contains(recs[0].Reason, "JSON") || recs[1].Line != 1202 || recs[1].Reason != "empty text" {
		t.Fatalf("dead letters %+v", recs)
	}
}

func TestPublishDeadLettersDuplicateNoteIDs(t *testing.T) {
	js := newBus(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(`{"note_id":"X1","text":"双眼干眼症"}`+"\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "b.jsonl"), []byte(`{"note_id":"X1","text":"左眼白内障"}`+"\n"+`{"note_id":"X2","text":"右眼青光眼"}`+"\n"), 0o600)
	res, err := (&Publisher{JS: js}).Publish(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid != 2 || res.Duplicates != 1 || res.Bad != 1 {
		t.Fatalf("result %+v", res)
	}
	recs, _ := dlq.ReadAll(context.Background(), js)
	if len(recs) != 1 || recs[0].File != "b.jsonl" || recs[0].Line != 1 || !strings.HasPrefix(recs[0].Reason, "duplicate note_id") {
		t.Fatalf("dead letters %+v", recs)
	}
}

// TestPublishWaitsForTheBacklog: with MaxPending, ingest stops publishing
// while the pipeline holds more notes than that, and goes on as the stages
// take them.
func TestPublishWaitsForTheBacklog(t *testing.T) {
	js := newBus(t)
	dir := t.TempDir()
	writeArchive(t, dir, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pub := &Publisher{JS: js, Batch: 100, MaxPending: 250}
	// nobody consumes: ingest must stop once the backlog passes 250
	if _, err := pub.Publish(ctx, dir, Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("publish with a full backlog: %v, want it to wait until the deadline", err)
	}
	if got := rawCount(t, js); got != 300 {
		t.Fatalf("raw stream holds %d notes, want 300 (the batch that crossed 250, then none)", got)
	}
	// the first stage ("s") drains RAW: the rerun resumes and finishes
	cons, err := js.Consumer(context.Background(), bus.RawStream, "s")
	if err != nil {
		t.Fatal(err)
	}
	cc, err := cons.Consume(func(m jetstream.Msg) { m.Ack() })
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Stop()
	res, err := pub.Publish(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Valid != 1000 {
		t.Fatalf("result %+v", res)
	}
}
