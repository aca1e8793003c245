package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/synth"
)

// TestTwoSegmentProcessesShareWork runs `bingli stage segment` twice against
// one NATS server outside the bingli processes: both take part, and every
// note comes out once.
func TestTwoSegmentProcessesShareWork(t *testing.T) {
	ns := startNATS(t, natsOptions(t))
	url := ns.ClientURL()

	pipe := filepath.Join(t.TempDir(), "segment-only.yaml")
	os.WriteFile(pipe, []byte("name: segment-only\nversion: 1\nstages:\n  - name: segment\n    concurrency: 1\nrunner:\n  prefetch: 16\n"), 0o600)
	dir, sum := synthArchive(t, 80, false)
	outFile := filepath.Join(t.TempDir(), "notes.jsonl")

	ports := []int{freePort(t), freePort(t)}
	for _, port := range ports {
		startBingli(t, "stage", "segment", "--nats", url, "--pipeline", pipe, "--http", fmt.Sprintf("127.0.0.1:%d", port))
	}
	startBingli(t, "stage", "output", "--nats", url, "--pipeline", pipe, "--out", outFile)
	for _, port := range ports {
		waitUntil(t, time.Minute, "segment service health", func() bool {
			resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/healthz", port))
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == 200
		})
	}
	// Both copies have loaded their dictionaries and are pulling.
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	waitUntil(t, time.Minute, "two segment processes pulling", func() bool {
		c, err := js.Consumer(context.Background(), "RAW", "segment")
		if err != nil {
			return false
		}
		info, err := c.Info(context.Background())
		return err == nil && info.NumWaiting >= 2
	})
	out := bingli(t, "ingest", filepath.Join(dir, synth.DirArchive), "--nats", url, "--pipeline", pipe, "--log-level", "warn")
	if !strings.Contains(out, fmt.Sprintf("valid %d", sum.Notes)) {
		t.Fatalf("ingest: %s", out)
	}
	waitUntil(t, 2*time.Minute, "every note in the output", func() bool { return countLines(outFile) >= sum.Notes })

	total := 0
	for i, port := range ports {
		n := processedMetric(t, port, "segment")
		t.Logf("segment process %d processed %d notes", i+1, n)
		if n == 0 {
			t.Errorf("segment process %d processed nothing", i+1)
		}
		total += n
	}
	if total != sum.Notes {
		t.Errorf("the two processes processed %d notes, want %d", total, sum.Notes)
	}
	time.Sleep(300 * time.Millisecond) // let a stray redelivery show up
	if n := countLines(outFile); n != sum.Notes {
		t.Errorf("output holds %d lines, want %d", n, sum.Notes)
	}
}

// processedMetric reads bingli_notes_processed_total{stage} from /metrics.
func processedMetric(t *testing.T, port int, stage string) int {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	prefix := fmt.Sprintf("bingli_notes_processed_total{stage=%q} ", stage)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), prefix); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
	}
	return 0
}
