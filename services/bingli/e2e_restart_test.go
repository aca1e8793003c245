package main

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"bingli/services/synth"
)

// TestStagesSurviveNATSRestart restarts the NATS server while the stages
// (separate processes) are working: they reconnect, and every note comes out
// exactly once.
func TestStagesSurviveNATSRestart(t *testing.T) {
	opts := natsOptions(t)
	ns := startNATS(t, opts)
	url := fmt.Sprintf("nats://127.0.0.1:%d", opts.Port)
	keyFile := filepath.Join(t.TempDir(), "deid.key")
	t.Setenv("BINGLI_DEID_KEY_FILE", keyFile)
	writeKey(t, keyFile)
	bingli(t, "setup", "--nats", url, "--log-level", "warn")

	dir, sum := synthArchive(t, 400, false)
	outFile := filepath.Join(t.TempDir(), "notes.jsonl")
	startBingli(t, "stage", "output", "--nats", url, "--out", outFile)
	startBingli(t, "stage", "timeline", "--nats", url)
	for _, name := range pipelineStages(t) {
		startBingli(t, "stage", name, "--nats", url, "--data", t.TempDir())
	}
	bingli(t, "ingest", filepath.Join(dir, synth.DirArchive), "--nats", url, "--log-level", "warn")
	waitUntil(t, 2*time.Minute, "the first notes out", func() bool { return countLines(outFile) >= 100 })

	ns.Shutdown()
	ns.WaitForShutdown()
	atRestart := countLines(outFile)
	time.Sleep(500 * time.Millisecond)
	ns = startNATS(t, opts)
	t.Logf("restarted NATS with %d of %d notes out", atRestart, sum.Notes)

	waitUntil(t, 3*time.Minute, "every note out after the restart", func() bool { return countLines(outFile) >= sum.Notes })
	time.Sleep(time.Second) // a late duplicate would show up here
	type idOnly struct {
		NoteID string `json:"note_id"`
	}
	seen := map[string]int{}
	for _, n := range readJSONL[idOnly](t, outFile) {
		seen[n.NoteID]++
		if seen[n.NoteID] > 1 {
			t.Fatalf("note %s written twice", n.NoteID)
		}
	}
	if len(seen) != sum.Notes {
		t.Fatalf("%d notes out, want %d", len(seen), sum.Notes)
	}
	// Each note under its reference, the same across the restart.
	for id, ref := range noteRefs(t, keyFile, goldNoteIDs(t, dir)) {
		if seen[ref] != 1 {
			t.Errorf("note %s (reference %s) written %d times", id, ref, seen[ref])
		}
	}
}
