package opensearchtest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// shared is the node every test in a test binary uses.
var shared struct {
	sync.Mutex
	started  bool
	url      string
	skip     string
	err      error
	node     *Node
	dir      string
	external bool
}

// Shared returns the URL of the test binary's node, starting it on first
// use (or returning BINGLI_OPENSEARCH_URL). Without java or mvn it skips
// t, unless CI is set: then it fails t.
func Shared(t testing.TB) string {
	t.Helper()
	shared.Lock()
	if !shared.started {
		shared.started = true
		startShared()
	}
	url, skip, err := shared.url, shared.skip, shared.err
	shared.Unlock()
	if skip != "" {
		t.Skip(skip)
	}
	if err != nil {
		t.Fatalf("OpenSearch node: %v", err)
	}
	return url
}

// SharedIsExternal reports whether the shared node is one named by
// BINGLI_OPENSEARCH_URL, which tests must not stop or restart.
func SharedIsExternal() bool {
	shared.Lock()
	defer shared.Unlock()
	return shared.external
}

// StopShared stops the shared node if this process started it and removes
// its data; a later Shared starts a new one. Call it from TestMain after
// m.Run.
func StopShared() {
	shared.Lock()
	defer shared.Unlock()
	if shared.node != nil {
		shared.node.Stop()
		os.RemoveAll(shared.dir)
	}
	shared.started, shared.node, shared.dir, shared.url, shared.skip, shared.err, shared.external = false, nil, "", "", "", nil, false
}

func startShared() {
	if u := os.Getenv(EnvURL); u != "" {
		shared.url, shared.external = strings.TrimRight(u, "/"), true
		shared.err = WaitHealthy(shared.url, time.Minute, nil)
		return
	}
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "" {
				shared.skip = fmt.Sprintf("%s not found: OpenSearch tests skipped (they fail instead when CI is set)", tool)
			} else {
				shared.err = fmt.Errorf("CI is set and %s is not on PATH: install a JDK 17+ and Maven", tool)
			}
			return
		}
	}
	start := time.Now()
	shared.dir, shared.err = os.MkdirTemp("", "bingli-opensearch-")
	if shared.err != nil {
		return
	}
	shared.node, shared.err = Launch(FreePort(), FreePort(), shared.dir, 6*time.Minute)
	if shared.err != nil {
		return
	}
	shared.url = shared.node.URL
	fmt.Fprintf(os.Stderr, "opensearch: node ready at %s in %v\n", shared.url, time.Since(start).Round(100*time.Millisecond))
}
