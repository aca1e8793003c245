package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"bingli/services/access"
	"bingli/services/synth"
)

// TestRunServesAndDrains starts `bingli run` with an archive, checks its
// HTTP endpoints, stops it with SIGTERM and checks that it drained cleanly
// and logged no identifier, not even an archive note id.
func TestRunServesAndDrains(t *testing.T) {
	dir, sum := synthArchive(t, 40, false)
	data := t.TempDir()
	httpPort, natsPort := freePort(t), freePort(t)
	keys := datasetKeys(t, data)
	cmd := exec.Command(bin, "run", "--data", data, "--in", filepath.Join(dir, synth.DirArchive),
		"--http", fmt.Sprintf("127.0.0.1:%d", httpPort), "--nats-listen", fmt.Sprintf("127.0.0.1:%d", natsPort), "--log-level", "debug")
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out := filepath.Join(data, "out", "notes.jsonl")
	waitUntil(t, 2*time.Minute, "every note in the output", func() bool { return countLines(out) >= sum.Notes })

	get := func(path, key string) string {
		req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d%s", httpPort, path), nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	if h := get("/healthz", ""); strings.TrimSpace(h) != "ok" {
		t.Fatalf("healthz: %q", h)
	}
	if n := processedMetric(t, httpPort, "deid"); n != sum.Notes {
		t.Fatalf("metrics: deid processed %d, want %d", n, sum.Notes)
	}
	// The timeline of a patient is served as it stands.
	first := readJSONL[struct {
		PatientID string `json:"patient_id"`
	}](t, out)[0]
	waitUntil(t, 30*time.Second, "the timeline sink", func() bool { return processedMetric(t, httpPort, "timeline") == sum.Notes })
	var tl struct {
		PatientID string `json:"patient_id"`
		Visits    []any  `json:"visits"`
	}
	if err := json.Unmarshal([]byte(get("/patients/"+first.PatientID, keys[access.DatasetBuilder])), &tl); err != nil || tl.PatientID != first.PatientID || len(tl.Visits) == 0 {
		t.Fatalf("GET /patients/%s: %+v %v", first.PatientID, tl, err)
	}

	creq, _ := http.NewRequest("POST", fmt.Sprintf("http://127.0.0.1:%d/cohort", httpPort),
		strings.NewReader(`{"diagnosis":{"codes":["H"]},"aggregations":["icd10_category"]}`))
	creq.Header.Set("X-Bingli-Key", keys[access.DatasetBuilder])
	resp, err := http.DefaultClient.Do(creq)
	if err != nil {
		t.Fatal(err)
	}
	var cohort struct {
		Total int `json:"total"`
	}
	json.NewDecoder(resp.Body).Decode(&cohort)
	resp.Body.Close()
	if resp.StatusCode != 200 || cohort.Total == 0 || cohort.Total > sum.Notes {
		t.Fatalf("POST /cohort: %d, total %d", resp.StatusCode, cohort.Total)
	}

	// The review app's queue lists the indexed notes to an annotator.
	key, err := os.ReadFile(filepath.Join(data, "annotator.key"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://127.0.0.1:%d/review/api/queue", httpPort), nil)
	req.Header.Set("X-Bingli-Key", strings.TrimSpace(string(key)))
	qresp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	qbody, _ := io.ReadAll(qresp.Body)
	qresp.Body.Close()
	if qresp.StatusCode != 200 || strings.Count(string(qbody), `"id"`)+strings.Count(string(qbody), `"note_id"`) != sum.Notes {
		t.Fatalf("review queue: %d %.300s", qresp.StatusCode, qbody)
	}
	for id, ref := range noteRefs(t, filepath.Join(data, "deid.key"), goldNoteIDs(t, dir)) {
		if !strings.Contains(string(qbody), `"`+ref+`"`) {
			t.Fatalf("the review queue lacks note %s under its reference %s: %.300s", id, ref, qbody)
		}
	}
	if noKey, _ := http.Get(fmt.Sprintf("http://127.0.0.1:%d/review/api/queue", httpPort)); noKey.StatusCode != http.StatusUnauthorized {
		t.Fatalf("review queue without a key: %d", noKey.StatusCode)
	}
	// Roles: the dataset API for dataset builders and admins only, nothing
	// of the review app for them, no identifier in what they get.
	checkDatasetAccess(t, httpPort, data, dir, keys, strings.TrimSpace(string(key)), first.PatientID)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("bingli run exited with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("bingli run did not stop within 30s of SIGTERM")
	}
	if countLines(out) != sum.Notes {
		t.Fatalf("output has %d lines, want %d", countLines(out), sum.Notes)
	}
	if !strings.Contains(logs.String(), "stage stopped") {
		t.Fatal("no drain in the logs")
	}
	// Logs (at debug level) carry no identifier and no note text; notes are
	// named by reference only, in the logs as in the data directory.
	gold := readJSONL[synth.GoldNote](t, filepath.Join(dir, synth.FileGold))
	for _, g := range gold {
		if strings.Contains(logs.String(), g.ID) {
			t.Fatalf("the logs contain the archive's note id %s", g.ID)
		}
		for _, p := range g.PHI {
			if p.Label == "DATE" || len([]rune(p.Text)) < 2 {
				continue
			}
			if strings.Contains(logs.String(), p.Text) {
				t.Fatalf("the logs contain a %s of note %s", p.Label, g.ID)
			}
		}
		if strings.Contains(logs.String(), g.Text[:min(len(g.Text), 30)]) {
			t.Fatalf("the logs contain text of note %s", g.ID)
		}
	}
	checkNoArchiveNoteIDs(t, data, goldNoteIDs(t, dir))
}
