// Package onnxrt finds ONNX Runtime's shared library, initialises its
// environment once per process and opens model sessions, for every model
// the pipeline serves (the NER model in extract, the LAC name model and the
// PHI tagger in deid, the cross-encoder in code).
package onnxrt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// LibraryVersion is the ONNX Runtime release scripts/install-onnxruntime.sh
// installs; it serves the C API onnxruntime_go v1.27 asks for (1.24).
const LibraryVersion = "1.30.0"

// ErrNoLibrary means the ONNX Runtime shared library was not found.
var ErrNoLibrary = errors.New("onnxruntime shared library not found (run scripts/install-onnxruntime.sh or set ONNXRUNTIME_LIB)")

var mu sync.Mutex

// Init initialises ONNX Runtime's environment once per process from lib
// ("" resolves it with LibraryPath). Later calls are no-ops.
func Init(lib string) error {
	mu.Lock()
	defer mu.Unlock()
	if ort.IsInitialized() {
		return nil
	}
	if lib == "" {
		var err error
		if lib, err = LibraryPath(); err != nil {
			return err
		}
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return fmt.Errorf("onnxruntime %s: %w", lib, err)
	}
	return nil
}

// LibraryPath finds ONNX Runtime's shared library: $ONNXRUNTIME_LIB, else
// .cache/onnxruntime/libonnxruntime.so.<LibraryVersion> in the repository
// (the default of scripts/install-onnxruntime.sh).
func LibraryPath() (string, error) {
	if p := os.Getenv("ONNXRUNTIME_LIB"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("ONNXRUNTIME_LIB: %w", err)
		}
		return p, nil
	}
	p, ok := RepoCache(filepath.Join("onnxruntime", "libonnxruntime.so."+LibraryVersion))
	if !ok {
		return "", ErrNoLibrary
	}
	return p, nil
}

// RepoCache looks for rel under the repository's .cache directory, searching
// from the working directory and from the executable's directory upwards to
// the repository root (the directory whose go.mod declares module bingli).
func RepoCache(rel string) (string, bool) {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if exe, err := os.Executable(); err == nil {
		starts = append(starts, filepath.Dir(exe))
	}
	for _, d := range starts {
		for {
			if isRepoRoot(d) {
				p := filepath.Join(d, ".cache", rel)
				if _, err := os.Stat(p); err == nil {
					return p, true
				}
				break
			}
			up := filepath.Dir(d)
			if up == d {
				break
			}
			d = up
		}
	}
	return "", false
}

func isRepoRoot(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && strings.HasPrefix(string(b), "module bingli\n")
}

// NewSession initialises ONNX Runtime (Init(lib)) and loads model with the
// named inputs and outputs, running each call on threads intra-op threads
// (at least 1) and one inter-op thread: the pipeline runs several notes at
// once, so one model call should not spread over every core.
func NewSession(lib string, model []byte, inputs, outputs []string, threads int) (*ort.DynamicAdvancedSession, error) {
	if err := Init(lib); err != nil {
		return nil, err
	}
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	defer so.Destroy()
	if err := so.SetIntraOpNumThreads(max(threads, 1)); err != nil {
		return nil, fmt.Errorf("intra-op threads: %w", err)
	}
	if err := so.SetInterOpNumThreads(1); err != nil {
		return nil, fmt.Errorf("inter-op threads: %w", err)
	}
	return ort.NewDynamicAdvancedSessionWithONNXData(model, inputs, outputs, so)
}
