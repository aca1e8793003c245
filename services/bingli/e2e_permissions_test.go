package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/synth"
)

// TestDistributedPermissions starts NATS with docs/examples/nats-server.conf
// and runs every stage as its own restricted user: raw text is out of reach
// of every user but ingest and deid, and the pipeline still works.
func TestDistributedPermissions(t *testing.T) {
	users := []string{"admin", "ingest", "deid", "worker", "output"}
	for _, u := range users {
		t.Setenv("BINGLI_"+strings.ToUpper(u)+"_PASSWORD", "pw-"+u)
	}
	opts, err := server.ProcessConfigFile(filepath.Join("..", "..", "docs", "examples", "nats-server.conf"))
	if err != nil {
		t.Fatal(err)
	}
	opts.Host, opts.Port, opts.StoreDir, opts.NoSigs = "127.0.0.1", freePort(t), t.TempDir(), true
	startNATS(t, opts)
	url := func(u string) string { return fmt.Sprintf("nats://%s:pw-%s@127.0.0.1:%d", u, u, opts.Port) }

	bingli(t, "setup", "--nats", url("admin"), "--log-level", "warn")

	// A worker may read its own consumer but not the raw stream.
	violations := make(chan error, 8)
	nc, err := nats.Connect(url("worker"), nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { violations <- err }))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := js.Consumer(ctx, "NOTES", "segment"); err != nil {
		t.Fatalf("worker cannot reach its own consumer: %v", err)
	}
	if _, err := js.Consumer(ctx, "RAW", "deid"); err == nil {
		t.Fatal("worker reached the raw stream's consumer")
	}
	if _, err := nc.Subscribe("raw.notes", func(*nats.Msg) {}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-violations:
		if !errors.Is(err, nats.ErrPermissionViolation) && !strings.Contains(strings.ToLower(err.Error()), "permissions violation") {
			t.Fatalf("unexpected async error %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("subscribing to raw.notes as worker was not refused")
	}
	if _, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "RAW", Subjects: []string{"raw.notes"}, Retention: jetstream.LimitsPolicy}); err == nil {
		t.Fatal("worker changed the raw stream")
	}

	// The whole pipeline, each process as its restricted user.
	keyFile := filepath.Join(t.TempDir(), "deid.key")
	writeKey(t, keyFile)
	dir, sum := synthArchive(t, 30, false)
	outFile := filepath.Join(t.TempDir(), "notes.jsonl")
	startBingli(t, "stage", "output", "--nats", url("output"), "--ensure=false", "--out", outFile)
	startBingli(t, "stage", "timeline", "--nats", url("worker"), "--ensure=false")
	for _, name := range pipelineStages(t) {
		if name == "deid" {
			startBingli(t, "stage", "deid", "--nats", url("deid"), "--ensure=false", "--key-file", keyFile)
		} else {
			startBingli(t, "stage", name, "--nats", url("worker"), "--ensure=false", "--data", t.TempDir())
		}
	}
	out := bingli(t, "ingest", filepath.Join(dir, synth.DirArchive), "--nats", url("ingest"), "--ensure=false", "--log-level", "warn")
	if !strings.Contains(out, fmt.Sprintf("valid %d", sum.Notes)) {
		t.Fatalf("ingest: %s", out)
	}
	waitUntil(t, 2*time.Minute, "every note through the restricted pipeline", func() bool { return countLines(outFile) >= sum.Notes })
}
