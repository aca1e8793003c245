package main

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"bingli/services/deid"
	"bingli/services/dlq"
	"bingli/services/jsonl"
	"bingli/services/pipeline"
	"bingli/services/synth"
)

// bin is the bingli binary built once for the end-to-end tests: they run
// real processes, as a user would.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bingli-e2e")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "bingli")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func bingli(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("bingli %v: %v\nstdout:\n%s\nstderr:\n%s", args[0], err, out.String(), errb.String())
	}
	return out.String()
}

// readJSONL decodes every line of path into values of T.
func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	if err := jsonl.Each(f, func(_ int, v *T) error { out = append(out, *v); return nil }); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

func countLines(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return bytes.Count(b, []byte("\n"))
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitUntil(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func writeKey(t *testing.T, path string) {
	t.Helper()
	if err := deid.GenerateKeyFile(path); err != nil {
		t.Fatal(err)
	}
}

// pipelineStages lists the stages of the default pipeline, in order.
func pipelineStages(t *testing.T) []string {
	t.Helper()
	def, err := pipeline.Load("ophthalmology")
	if err != nil {
		t.Fatal(err)
	}
	return def.StageNames()
}

// natsOptions are a NATS server with JetStream on a fresh directory and a
// free port, as the distributed tests run it.
func natsOptions(t *testing.T) *server.Options {
	return &server.Options{Host: "127.0.0.1", Port: freePort(t), JetStream: true, StoreDir: t.TempDir(), NoSigs: true, MaxPayload: 8 << 20}
}

// startNATS starts a NATS server outside the bingli processes; it is shut
// down when the test ends (or earlier by the test).
func startNATS(t *testing.T, opts *server.Options) *server.Server {
	t.Helper()
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(ns.Shutdown)
	if !ns.ReadyForConnections(20 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	return ns
}

// startBingli starts a long-running bingli process (a stage); it is killed
// when the test ends, if the test did not stop it before.
func startBingli(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopBingli(cmd) })
	return cmd
}

func stopBingli(cmd *exec.Cmd) {
	if cmd.ProcessState == nil {
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
}

// noteRefs returns the reference the run keyed by keyFile gave each
// archive note id (deid.NoteRef), by archive id.
func noteRefs(t *testing.T, keyFile string, ids []string) map[string]string {
	t.Helper()
	k, err := deid.LoadKey(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	refs := make(map[string]string, len(ids))
	for _, id := range ids {
		refs[id] = deid.NoteRef(k, id)
	}
	return refs
}

// goldNoteIDs lists the archive's note ids of a synthetic archive.
func goldNoteIDs(t *testing.T, archiveDir string) []string {
	t.Helper()
	var ids []string
	for _, g := range readJSONL[synth.GoldNote](t, filepath.Join(archiveDir, synth.FileGold)) {
		ids = append(ids, g.ID)
	}
	return ids
}

// checkNoArchiveNoteIDs fails when an archive note id appears in any file
// under dir (a run's output or data directory: output files, index, audit
// log), other than JetStream's own storage (the raw stream lives there) and
// the dead letters of ingest and deid, which name the raw record so that
// the vendor can find it. After deid a note is named by its reference only.
func checkNoArchiveNoteIDs(t *testing.T, dir string, ids []string) {
	t.Helper()
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "jetstream" {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if d.Name() == "dlq.jsonl" {
			b = postDeidDeadLetters(t, path)
		}
		files++
		for _, id := range ids {
			if bytes.Contains(b, []byte(id)) {
				rel, _ := filepath.Rel(dir, path)
				t.Errorf("%s holds the archive's note id %s (after deid only its reference may appear)", rel, id)
				return nil
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("no files under %s", dir)
	}
}

// postDeidDeadLetters returns the dead letters of dlq.jsonl raised after
// the deid stage, one JSON line each.
func postDeidDeadLetters(t *testing.T, path string) []byte {
	t.Helper()
	var out []byte
	for _, r := range readJSONL[dlq.Record](t, path) {
		if r.Stage == "ingest" || r.Stage == "deid" {
			continue
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(append(out, b...), '\n')
	}
	return out
}
