package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"bingli/pipelines"
	"bingli/services/dlq"
	"bingli/services/index/opensearchtest"
	"bingli/services/synth"
)

// indexDownFor is how long the index backend is unreachable mid-run.
const indexDownFor = 30 * time.Second

// TestProcessSurvivesIndexDown runs `bingli process` with the index stage on
// a real OpenSearch node behind a TCP proxy, and takes the proxy down for
// 30 s once the first notes are indexed: the run finishes with nothing lost,
// every valid note is in notes.jsonl and in the index exactly once, and the
// dead letters are the archive's broken records only.
func TestProcessSurvivesIndexDown(t *testing.T) {
	nodeURL := opensearchtest.Shared(t)
	t.Cleanup(opensearchtest.StopShared)
	proxy := opensearchtest.NewProxy(t, strings.TrimPrefix(nodeURL, "http://"))
	indexName := fmt.Sprintf("bingli-indexdown-%d-%d", os.Getpid(), time.Now().UnixNano())
	pipe := elasticPipeline(t, "http://"+proxy.Addr(), indexName)

	dir, sum := synthArchive(t, 80, true)
	out := filepath.Join(t.TempDir(), "out")
	notesFile := filepath.Join(out, "notes.jsonl")

	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "process", "--in", filepath.Join(dir, synth.DirArchive), "--out", out,
		"--pipeline", pipe, "--quiet")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	running := func() bool {
		select {
		case err := <-exited:
			exited <- err
			return false
		default:
			return true
		}
	}

	waitUntil(t, 2*time.Minute, "the first notes indexed", func() bool { return countLines(notesFile) >= 20 || !running() })
	proxy.Down()
	downAt := time.Since(start)
	outAtDown, indexedAtDown := countLines(notesFile), indexedCount(t, nodeURL, indexName)
	time.Sleep(indexDownFor)
	outAtUp, indexedAtUp := countLines(notesFile), indexedCount(t, nodeURL, indexName)
	proxy.Up()
	t.Logf("index backend down for %v from %.1fs: at down %d notes indexed, %d out; at up %d indexed, %d out; of %d",
		indexDownFor, downAt.Seconds(), indexedAtDown, outAtDown, indexedAtUp, outAtUp, sum.Notes)
	// A bulk request sent just before the cut may still complete on the
	// node; nothing after it can.
	if indexedAtUp >= sum.Notes || outAtUp >= sum.Notes {
		t.Fatalf("every note was indexed (%d) or out (%d) before the backend came back; the test needs a bigger archive", indexedAtUp, outAtUp)
	}

	err := <-exited
	took := time.Since(start)
	t.Logf("bingli process took %.1fs (backend down %v):\n%s", took.Seconds(), indexDownFor, stdout.String())
	if err != nil {
		t.Fatalf("bingli process: %v (after %v)\nstdout:\n%s\nstderr (tail):\n%s", err, took, stdout.String(), lastChars(stderr.String(), 4000))
	}
	for _, want := range []string{
		fmt.Sprintf("valid notes %d, bad records %d", sum.Notes, sum.Broken),
		"lost       0",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	// The index stage may process a note more than once (a note the runner
	// had fetched but not started while the backend was down is redelivered
	// after AckWait); what it must not do is dead-letter one.
	m := regexp.MustCompile(`index +processed (\d+), dead-lettered (\d+), retried (\d+)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatal("summary lacks the index stage's line")
	}
	// The index stage waits the outage out (retrying its bulk write, the
	// runner heartbeating the notes in flight and those queued), so no note
	// is failed, redelivered or processed twice.
	if processed, _ := strconv.Atoi(m[1]); processed != sum.Notes || m[2] != "0" || m[3] != "0" {
		t.Errorf("index stage processed %s, dead-lettered %s, retried %s; want %d, 0, 0", m[1], m[2], m[3], sum.Notes)
	}

	// notes.jsonl: every valid note exactly once, under its reference.
	valid := map[string]bool{}
	for _, ref := range noteRefs(t, filepath.Join(out, ".bingli", "deid.key"), goldNoteIDs(t, dir)) {
		valid[ref] = true
	}
	type idOnly struct {
		NoteID string `json:"note_id"`
	}
	written := map[string]int{}
	for _, n := range readJSONL[idOnly](t, notesFile) {
		written[n.NoteID]++
	}
	checkExactlyOnce(t, "notes.jsonl", written, valid)

	// The index: exactly the valid notes, each once, under its note id (the
	// reference).
	checkExactlyOnce(t, "index "+indexName, indexedNoteIDs(t, nodeURL, indexName, len(valid)), valid)

	// Dead letters: the broken records, each with its reason, and nothing
	// from the index stage (or any stage after ingest).
	var man synth.Manifest
	mb, err := os.ReadFile(filepath.Join(dir, synth.FileManifest))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(mb, &man); err != nil {
		t.Fatal(err)
	}
	broken := map[string]bool{}
	for _, br := range man.BrokenList {
		broken[fmt.Sprintf("%s:%d", br.File, br.Line)] = true
	}
	dead := readJSONL[dlq.Record](t, filepath.Join(out, "dlq.jsonl"))
	for _, d := range dead {
		at := fmt.Sprintf("%s:%d", d.File, d.Line)
		if d.Stage != "ingest" || d.Reason == "" || !broken[at] {
			t.Errorf("dead letter from stage %q at %s (note %s): %q; want only the broken records, from ingest, with reasons", d.Stage, at, d.NoteID, d.Reason)
		}
		delete(broken, at)
	}
	if len(broken) > 0 || len(dead) != len(man.BrokenList) {
		t.Errorf("%d dead letters for %d broken records; without one: %v", len(dead), len(man.BrokenList), broken)
	}
}

// elasticPipeline writes the default pipeline with its index stage on
// backend elasticsearch at address (OpenSearch) and returns its path.
func elasticPipeline(t *testing.T, address, indexName string) string {
	t.Helper()
	b, err := pipelines.FS.ReadFile("ophthalmology.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var def map[string]any
	if err := yaml.Unmarshal(b, &def); err != nil {
		t.Fatal(err)
	}
	stages, _ := def["stages"].([]any)
	found := false
	for _, s := range stages {
		if st, ok := s.(map[string]any); ok && st["name"] == "index" {
			st["params"] = map[string]any{"backend": "elasticsearch", "addresses": []string{address}, "index": indexName, "opensearch_compat": true}
			found = true
		}
	}
	if !found {
		t.Fatal("pipelines/ophthalmology.yaml has no index stage")
	}
	out, err := yaml.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ophthalmology-opensearch.yaml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// indexedNoteIDs refreshes the index on the node and returns how many
// documents hold each note id, checking that the document id is the note
// id and that _count agrees.
func indexedNoteIDs(t *testing.T, nodeURL, indexName string, want int) map[string]int {
	t.Helper()
	count := indexedCount(t, nodeURL, indexName)
	var res struct {
		Hits struct {
			Hits []struct {
				ID     string `json:"_id"`
				Source struct {
					NoteID string `json:"note_id"`
				} `json:"_source"`
			} `json:"hits"`
		} `json:"hits"`
	}
	openSearchJSON(t, http.MethodPost, nodeURL+"/"+indexName+"/_search", fmt.Sprintf(`{"size":%d,"_source":["note_id"],"query":{"match_all":{}}}`, want+100), &res)
	ids := map[string]int{}
	for _, h := range res.Hits.Hits {
		if h.ID != h.Source.NoteID {
			t.Errorf("document %s holds note %s: the document id must be the note id", h.ID, h.Source.NoteID)
		}
		ids[h.Source.NoteID]++
	}
	if count != len(res.Hits.Hits) {
		t.Errorf("_count says %d documents, _search returned %d", count, len(res.Hits.Hits))
	}
	return ids
}

// indexedCount refreshes the index on the node and counts its documents.
func indexedCount(t *testing.T, nodeURL, indexName string) int {
	t.Helper()
	openSearchJSON(t, http.MethodPost, nodeURL+"/"+indexName+"/_refresh", "", nil)
	var count struct {
		Count int `json:"count"`
	}
	openSearchJSON(t, http.MethodGet, nodeURL+"/"+indexName+"/_count", "", &count)
	return count.Count
}

// openSearchJSON sends one request to the node and decodes its JSON answer
// into into (unless nil); any status but 200 fails t.
func openSearchJSON(t *testing.T, method, url, body string, into any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: status %d: %s", method, url, res.StatusCode, lastChars(string(b), 500))
	}
	if into != nil {
		if err := json.Unmarshal(b, into); err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
	}
}

// checkExactlyOnce fails t unless got holds every id of want once and
// nothing else.
func checkExactlyOnce(t *testing.T, where string, got map[string]int, want map[string]bool) {
	t.Helper()
	var missing, extra, dup []string
	for id := range want {
		if got[id] == 0 {
			missing = append(missing, id)
		}
	}
	for id, c := range got {
		if !want[id] {
			extra = append(extra, id)
		}
		if c > 1 {
			dup = append(dup, id)
		}
	}
	if len(missing)+len(extra)+len(dup) > 0 {
		t.Errorf("%s: %d distinct notes for %d valid; missing %d %v, unknown %d %v, duplicated %d %v", where, len(got), len(want),
			len(missing), firstIDs(missing), len(extra), firstIDs(extra), len(dup), firstIDs(dup))
	}
}

func firstIDs(ids []string) []string { return ids[:min(len(ids), 5)] }

func lastChars(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
