package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/synth"
)

// TestMeasureScaleOut measures the bottleneck stage (extract, the ONNX NER
// model) as one and as two processes against one NATS server, each process
// with one worker, and logs the speed-up. It is a measurement, not a check,
// so it runs only when asked:
//
//	BINGLI_SCALEOUT=1 go test ./services/bingli -run MeasureScaleOut -v -timeout 20m
func TestMeasureScaleOut(t *testing.T) {
	if os.Getenv("BINGLI_SCALEOUT") == "" {
		t.Skip("a measurement: set BINGLI_SCALEOUT=1 to run it")
	}
	dir, sum := synthArchive(t, 300, false)
	pipe := filepath.Join(t.TempDir(), "extract-only.yaml")
	os.WriteFile(pipe, []byte("name: extract-only\nversion: 1\nstages:\n  - name: extract\n    concurrency: 1\nrunner:\n  prefetch: 8\n"), 0o600)
	rate := map[int]float64{}
	for _, procs := range []int{1, 2} {
		rate[procs] = drainRate(t, procs, pipe, filepath.Join(dir, synth.DirArchive), sum.Notes)
		t.Logf("extract as %d process(es), 1 worker each: %d notes at %.1f notes/s", procs, sum.Notes, rate[procs])
	}
	t.Logf("speed-up of two processes over one: %.2fx", rate[2]/rate[1])
}

// drainRate starts procs extract processes, ingests the archive and returns
// notes per second from the start of ingest until the stage has drained.
func drainRate(t *testing.T, procs int, pipe, archive string, notes int) float64 {
	ns := startNATS(t, natsOptions(t))
	defer ns.Shutdown()
	url := ns.ClientURL()
	bingli(t, "setup", "--nats", url, "--pipeline", pipe, "--log-level", "warn")
	for range procs {
		cmd := startBingli(t, "stage", "extract", "--nats", url, "--pipeline", pipe, "--ensure=false", "--data", t.TempDir())
		defer stopBingli(cmd) // the next run must not share the CPU with these
	}
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	cons, err := js.Consumer(context.Background(), "RAW", "extract")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 2*time.Minute, fmt.Sprintf("%d extract processes pulling", procs), func() bool {
		info, err := cons.Info(context.Background())
		return err == nil && info.NumWaiting >= procs
	})
	start := time.Now()
	bingli(t, "ingest", archive, "--nats", url, "--pipeline", pipe, "--ensure=false", "--log-level", "warn")
	waitUntil(t, 15*time.Minute, "the extract stage to drain", func() bool {
		info, err := cons.Info(context.Background())
		return err == nil && info.NumPending == 0 && info.NumAckPending == 0 && info.Delivered.Consumer >= uint64(notes)
	})
	return float64(notes) / time.Since(start).Seconds()
}
