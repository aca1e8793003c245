package opensearchtest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// EnvURL names a running node to use instead of starting one.
const EnvURL = "BINGLI_OPENSEARCH_URL"

// Node is one OpenSearch node started by scripts/opensearch/run.sh.
type Node struct {
	// URL is the node's HTTP address, http://127.0.0.1:PORT.
	URL string
	// Log is the file holding the node's output.
	Log string

	cmd    *exec.Cmd
	stdin  io.WriteCloser
	exited chan struct{}
}

// Launch starts a node with its data under dir/node, listening on the given
// ports, and waits up to within until it is healthy. A cold ~/.m2 first
// downloads ~80 MB of Maven dependencies.
func Launch(httpPort, transportPort int, dir string, within time.Duration) (*Node, error) {
	if httpPort == 0 || transportPort == 0 {
		return nil, errors.New("opensearchtest: no free port")
	}
	script, err := runScript()
	if err != nil {
		return nil, err
	}
	// run.sh builds its launcher with Maven when target/ is stale (a fresh
	// clone); `go test ./...` runs test binaries in parallel, so two of
	// them would build into the same target/ at once. Nodes start one at a
	// time instead.
	unlock, err := lockLaunch()
	if err != nil {
		return nil, err
	}
	defer unlock()
	logPath := filepath.Join(dir, "node.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opensearchtest: node log: %w", err)
	}
	cmd := exec.Command("bash", script, fmt.Sprint(httpPort), fmt.Sprint(transportPort), filepath.Join(dir, "node"))
	cmd.Stdout, cmd.Stderr = logf, logf
	// The node exits when its stdin closes, so it cannot outlive this
	// process even if the test binary is killed.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		logf.Close()
		return nil, fmt.Errorf("opensearchtest: %w", err)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("opensearchtest: start %s: %w", script, err)
	}
	n := &Node{URL: fmt.Sprintf("http://127.0.0.1:%d", httpPort), Log: logPath, cmd: cmd, stdin: stdin, exited: make(chan struct{})}
	go func() { cmd.Wait(); logf.Close(); close(n.exited) }()
	if err := WaitHealthy(n.URL, within, n.exited); err != nil {
		n.Stop()
		return nil, fmt.Errorf("opensearchtest: %w; node log (%s):\n%s", err, logPath, tailFile(logPath, 3000))
	}
	return n, nil
}

// Stop terminates the node (run.sh execs java, so the child is the JVM)
// and waits for it to exit.
func (n *Node) Stop() {
	_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-n.exited:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL)
		<-n.exited
	}
	n.stdin.Close()
}

// lockLaunch takes a lock shared by every process on this machine that
// launches a node, and returns its release.
func lockLaunch() (func(), error) {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "bingli-opensearch-launch.lock"), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("opensearchtest: launch lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("opensearchtest: launch lock: %w", err)
	}
	return func() { f.Close() }, nil // closing the file releases the lock
}

// runScript finds scripts/opensearch/run.sh in the working directory or
// one above it (go test runs in the package's directory).
func runScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("opensearchtest: %w", err)
	}
	for {
		p := filepath.Join(dir, "scripts", "opensearch", "run.sh")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("opensearchtest: scripts/opensearch/run.sh not found above the working directory")
		}
		dir = parent
	}
}

// FreePort returns a TCP port free on 127.0.0.1 now, or 0.
func FreePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// WaitHealthy polls url until the cluster is at least yellow, for up to
// within, or until exited closes (nil: never).
func WaitHealthy(url string, within time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(within)
	c := &http.Client{Timeout: 5 * time.Second}
	for time.Now().Before(deadline) {
		res, err := c.Get(url + "/_cluster/health?wait_for_status=yellow&timeout=5s")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK && !strings.Contains(string(b), `"status":"red"`) {
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
