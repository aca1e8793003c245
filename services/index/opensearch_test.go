package index

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"bingli/services/index/opensearchtest"
)

// The OpenSearch tests run against a real single OpenSearch node that
// opensearchtest starts once for this test binary and TestMain stops
// (BINGLI_OPENSEARCH_URL names a running node instead; without java or mvn
// they skip, unless CI is set: then they fail).

func TestMain(m *testing.M) {
	code := m.Run()
	opensearchtest.StopShared()
	os.Exit(code)
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
	runContract(t, newOpenSearchBackend(t, opensearchtest.Shared(t), nil))
}

// TestOpenSearchWithoutCompat shows why the option exists: go-elasticsearch
// v8 refuses a cluster that does not say it is Elasticsearch.
func TestOpenSearchWithoutCompat(t *testing.T) {
	url := opensearchtest.Shared(t)
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
	e := newOpenSearchBackend(t, opensearchtest.Shared(t), nil)
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
	target := strings.TrimPrefix(opensearchtest.Shared(t), "http://")
	p := opensearchtest.NewProxy(t, target)
	ctx := context.Background()
	notes := fixtureNotes(3, 50)

	short := newOpenSearchBackend(t, "http://"+p.Addr(), func(o *ElasticOptions) {
		o.RetryFor, o.RequestTimeout = 1500*time.Millisecond, time.Second
	})
	p.Down()
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

	long := newOpenSearchBackendNoEnsure(t, "http://"+p.Addr(), short.index)
	go func() { time.Sleep(time.Second); p.Up() }()
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
	benchUpsert(b, newOpenSearchBackend(b, opensearchtest.Shared(b), nil))
}

// TestIndexerOpenSearch runs the stage end to end over the node: concurrent
// Process calls return once stored.
func TestIndexerOpenSearch(t *testing.T) {
	e := newOpenSearchBackend(t, opensearchtest.Shared(t), nil)
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

// TestOpenSearchRestart stops a real node of its own: Upsert fails within
// its retry bound while the node is down, then succeeds, having retried,
// while the node restarts on the same data, and earlier notes survive.
func TestOpenSearchRestart(t *testing.T) {
	opensearchtest.Shared(t) // the same skip/fail rules as the other tests
	if opensearchtest.SharedIsExternal() {
		t.Skip("BINGLI_OPENSEARCH_URL names an external node; this test needs one it can restart")
	}
	if testing.Short() {
		t.Skip("restarts a second OpenSearch node (~10-30s)")
	}
	dir := t.TempDir()
	hp, tp := opensearchtest.FreePort(), opensearchtest.FreePort()
	p, err := opensearchtest.Launch(hp, tp, dir, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop() })
	ctx := context.Background()
	notes := fixtureNotes(4, 50)
	// a request timeout that index creation meets on a loaded machine
	e := newOpenSearchBackend(t, p.URL, func(o *ElasticOptions) {
		o.RetryFor, o.RequestTimeout = 2*time.Second, 5*time.Second
	})
	if err := e.Upsert(ctx, notes[:2]); err != nil {
		t.Fatal(err)
	}
	url := p.URL
	p.Stop()

	start := time.Now()
	if err := e.Upsert(ctx, notes[2:]); err == nil {
		t.Fatal("Upsert with the node stopped returned nil")
	} else if took := time.Since(start); took > 20*time.Second {
		t.Errorf("Upsert took %v to fail, want about its 2s retry bound (plus one request)", took)
	} else {
		t.Logf("node stopped: Upsert failed after %v: %v", took.Round(time.Millisecond), err)
	}

	var p2 *opensearchtest.Node
	var restartErr error
	restarted := make(chan struct{})
	go func() {
		p2, restartErr = opensearchtest.Launch(hp, tp, dir, 2*time.Minute)
		close(restarted)
	}()
	t.Cleanup(func() {
		<-restarted
		if p2 != nil {
			p2.Stop()
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
