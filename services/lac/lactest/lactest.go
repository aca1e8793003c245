// Package lactest loads the LAC model for tests, installing ONNX Runtime and
// LAC with the repository's scripts once per test binary (CI has npm and pip;
// a missing tool fails the test rather than skipping it).
package lactest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"bingli/services/lac"
)

var (
	once  sync.Once
	model *lac.Model
	err   error
)

// Model returns the shared LAC model (one intra-op thread).
func Model(t testing.TB) *lac.Model {
	t.Helper()
	once.Do(func() {
		root, e := repoRoot()
		if e != nil {
			err = e
			return
		}
		var lib, dir []byte
		if lib, err = exec.Command("bash", filepath.Join(root, "scripts", "install-onnxruntime.sh")).Output(); err != nil {
			err = errors.Join(errors.New("scripts/install-onnxruntime.sh failed"), err)
			return
		}
		if dir, err = exec.Command("bash", filepath.Join(root, "scripts", "install-lac.sh")).Output(); err != nil {
			err = errors.Join(errors.New("scripts/install-lac.sh failed"), err)
			return
		}
		model, err = lac.Load(strings.TrimSpace(string(dir)), strings.TrimSpace(string(lib)), 1)
	})
	if err != nil {
		t.Fatalf("LAC: %v", err)
	}
	return model
}

func repoRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && strings.HasPrefix(string(b), "module bingli\n") {
			return d, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", errors.New("repository root (go.mod of module bingli) not found above the working directory")
		}
		d = up
	}
}
