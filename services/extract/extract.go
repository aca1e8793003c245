// Package extract is the entity-extraction stage: a character BiLSTM-CRF
// (models/ner) finds clinical entities (DISEASE, BODY, DRUG, EXAM, LAB,
// PROCEDURE, ...) in each note's de-identified text and adds them to
// n.Entities.
//
// The emission network runs on ONNX Runtime (github.com/yalue/onnxruntime_go);
// features (features.go) and CRF decoding (crf.go) are Go, and training
// reads its features from the same Go code (cmd/features), so training and
// serving cannot drift apart.
package extract

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	ort "github.com/yalue/onnxruntime_go"

	"bingli/services/note"
	"bingli/services/onnxrt"
	"bingli/services/stage"
)

// version of the stage's code (features, chunking, decoding).
const version = "0.1.0"

// LibraryVersion is the ONNX Runtime release the stage expects.
const LibraryVersion = onnxrt.LibraryVersion

// Options configure an Extractor.
type Options struct {
	// ModelDir holds model.onnx, vocab.txt, labels.json, transitions.json
	// and manifest.json (e.g. models/ner/ccks-bilstm-v1).
	ModelDir string `json:"model_dir" yaml:"model_dir"`
	// Library is the ONNX Runtime shared library; "" resolves it with
	// LibraryPath.
	Library string `json:"library,omitempty" yaml:"library,omitempty"`
	// IntraOpThreads is ONNX Runtime's thread count per Run (default 1: the
	// runner already processes several notes at once).
	IntraOpThreads int `json:"intra_op_threads,omitempty" yaml:"intra_op_threads,omitempty"`
	// MaxChunk is the longest sequence given to the model (default 256).
	MaxChunk int `json:"max_chunk,omitempty" yaml:"max_chunk,omitempty"`
	// BatchSize is the most chunks of one note run together (default: the
	// model's manifest batch_size, else 16).
	BatchSize int `json:"batch_size,omitempty" yaml:"batch_size,omitempty"`
	// Unconstrained decodes with the learned CRF scores only; by default
	// tag sequences the BIO/BIOES scheme forbids are ruled out (CRF.Constrain).
	Unconstrained bool `json:"unconstrained,omitempty" yaml:"unconstrained,omitempty"`
	// NoScores decodes the best path only and gives every entity Score 1:
	// the CRF marginals cost about as much as the network for a small model.
	NoScores bool `json:"no_scores,omitempty" yaml:"no_scores,omitempty"`
}

// Manifest is manifest.json: the model's name and the sha256 of each file
// (also listed in MODEL_CARD.md). New refuses files that do not match.
type Manifest struct {
	Name    string            `json:"name"`
	Version string            `json:"version"`
	Files   map[string]string `json:"files"` // file name -> sha256 hex
	// BatchSize, when set, is the most chunks the model is run on at once
	// (Options.BatchSize overrides it). Int8 models say 1: ONNX Runtime
	// 1.24 quantises an LSTM's activations over the whole batch, so a
	// chunk's emissions would depend on the chunks beside it; one chunk per
	// call keeps a note's entities independent of batching, and is as fast.
	BatchSize int `json:"batch_size,omitempty"`
}

// Model files.
const (
	fileONNX        = "model.onnx"
	fileVocab       = "vocab.txt"
	fileLabels      = "labels.json"
	fileTransitions = "transitions.json"
	fileManifest    = "manifest.json"
	fileBigrams     = "bigrams.txt"
)

// ModelFiles are the files manifest.json must list.
var ModelFiles = []string{fileONNX, fileVocab, fileLabels, fileTransitions}

// OptionalModelFiles are listed in manifest.json when the model has them:
// bigrams.txt makes bigram_ids a fourth model input.
var OptionalModelFiles = []string{fileBigrams}

// Extractor is the extract stage. It is safe for concurrent use: ONNX
// Runtime sessions may Run concurrently, and everything else is read-only.
type Extractor struct {
	opt      Options
	manifest Manifest
	model    string // name@sha-prefix
	feat     *Featurizer
	tags     *TagSet
	crf      *CRF
	sess     *ort.DynamicAdvancedSession
	inputs   []string // ONNX input names (InputNames)
}

var _ stage.Stage = (*Extractor)(nil)

// New loads the model in opt.ModelDir, verifying every file against
// manifest.json, and starts an ONNX Runtime session.
func New(opt Options) (*Extractor, error) {
	if opt.IntraOpThreads <= 0 {
		opt.IntraOpThreads = 1
	}
	if opt.MaxChunk <= 0 {
		opt.MaxChunk = DefaultMaxChunk
	}
	e := &Extractor{opt: opt}
	files, err := e.loadFiles()
	if err != nil {
		return nil, err
	}
	if e.opt.BatchSize <= 0 {
		e.opt.BatchSize = e.manifest.BatchSize
	}
	if e.opt.BatchSize <= 0 {
		e.opt.BatchSize = 16
	}
	vocab, err := LoadVocab(bytes.NewReader(files[fileVocab]))
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if e.tags, err = ParseTagSet(files[fileLabels]); err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if e.crf, err = ParseCRF(files[fileTransitions], e.tags); err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	if !opt.Unconstrained {
		e.crf.Constrain(e.tags)
	}
	var bigrams *Bigrams
	if b, ok := files[fileBigrams]; ok {
		if bigrams, err = LoadBigrams(bytes.NewReader(b)); err != nil {
			return nil, fmt.Errorf("extract: %w", err)
		}
	}
	if e.feat, err = NewFeaturizer(vocab, bigrams); err != nil {
		return nil, err
	}
	e.inputs = InputNames(bigrams != nil)
	e.sess, err = onnxrt.NewSession(opt.Library, files[fileONNX], e.inputs, []string{"emissions"}, opt.IntraOpThreads)
	if err != nil {
		return nil, fmt.Errorf("extract: load %s: %w", fileONNX, err)
	}
	return e, nil
}

// loadFiles reads the model files and checks their sha256 against
// manifest.json.
func (e *Extractor) loadFiles() (map[string][]byte, error) {
	dir := e.opt.ModelDir
	b, err := os.ReadFile(filepath.Join(dir, fileManifest))
	if err != nil {
		return nil, fmt.Errorf("extract: model: %w", err)
	}
	if err := json.Unmarshal(b, &e.manifest); err != nil {
		return nil, fmt.Errorf("extract: %s: %w", fileManifest, err)
	}
	if e.manifest.Name == "" {
		return nil, fmt.Errorf("extract: %s: no name", fileManifest)
	}
	files := map[string][]byte{}
	for _, name := range append(ModelFiles, OptionalModelFiles...) {
		want, ok := e.manifest.Files[name]
		if !ok {
			if slices.Contains(OptionalModelFiles, name) {
				continue
			}
			return nil, fmt.Errorf("extract: %s does not list %s", fileManifest, name)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("extract: model: %w", err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("extract: %s: sha256 %s, manifest says %s", name, got, want)
		}
		files[name] = data
	}
	e.model = e.manifest.Name + "@" + e.manifest.Files[fileONNX][:12]
	return files, nil
}

// Close releases the ONNX Runtime session.
func (e *Extractor) Close() error {
	if e.sess == nil {
		return nil
	}
	err := e.sess.Destroy()
	e.sess = nil
	return err
}

// Name implements stage.Stage.
func (e *Extractor) Name() string { return "extract" }

// Version implements stage.Stage.
func (e *Extractor) Version() string { return version }

// Model is the model's name and the first 12 hex digits of the ONNX file's
// sha256 (recorded in provenance by the runner).
func (e *Extractor) Model() string { return e.model }

// Labels are the product labels the model finds.
func (e *Extractor) Labels() []string { return e.tags.Labels }

// Process implements stage.Stage: it replaces this model's entities in
// n.Entities (so a redelivered note gets the same ones) and keeps the
// entities of other recognizers.
func (e *Extractor) Process(ctx context.Context, n *note.Note) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !utf8.ValidString(n.Text) {
		return stage.BadInput("extract: text is not valid UTF-8")
	}
	found, err := e.Extract(n.Text)
	if err != nil {
		return fmt.Errorf("extract %s: %w", n.NoteID, err)
	}
	kept := n.Entities[:0:0]
	for _, x := range n.Entities {
		if x.Model != e.model {
			kept = append(kept, x)
		}
	}
	for _, x := range found {
		// A replacement tag of de-identification (〔姓名〕) is not an
		// entity, whatever the model — trained on raw text — makes of it.
		if !strings.ContainsAny(x.Text, "〔〕") {
			kept = append(kept, x)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if kept[i].Start != kept[j].Start {
			return kept[i].Start < kept[j].Start
		}
		return kept[i].End < kept[j].End
	})
	n.Entities = kept
	return nil
}

// Extract returns the entities of text, with code-point offsets and Score
// the lowest CRF marginal probability of the span's tags (1 with Options.NoScores).
func (e *Extractor) Extract(text string) ([]note.Entity, error) {
	rs := []rune(text)
	if len(rs) == 0 {
		return nil, nil
	}
	feats := e.feat.Features(text)
	chunks := Chunks(rs, e.opt.MaxChunk)
	var out []note.Entity
	for b := 0; b < len(chunks); b += e.opt.BatchSize {
		batch := chunks[b:min(b+e.opt.BatchSize, len(chunks))]
		ems, width, err := e.emissions(feats, batch)
		if err != nil {
			return nil, err
		}
		T := len(e.tags.Tags)
		for k, c := range batch {
			L := c.End - c.Start
			em := ems[k*width*T : (k*width+L)*T]
			var path []int
			var marg []float64
			if e.opt.NoScores {
				path = e.crf.BestPath(em, L)
			} else {
				path, marg = e.crf.Viterbi(em, L)
			}
			for _, s := range e.tags.Decode(path) {
				score := 1.0
				for i := s.Start; i < s.End && marg != nil; i++ {
					score = min(score, marg[i])
				}
				out = append(out, note.Entity{
					Label: s.Label, Start: c.Start + s.Start, End: c.Start + s.End,
					Text: string(rs[c.Start+s.Start : c.Start+s.End]), Score: roundScore(score), Model: e.model,
				})
			}
		}
	}
	return out, nil
}

func roundScore(p float64) float64 { return float64(int(p*10000+0.5)) / 10000 }

// emissions runs the model on a batch of chunks padded to the longest;
// it returns [batch][width][tags] scores, row-major.
func (e *Extractor) emissions(f Features, batch []Chunk) ([]float32, int, error) {
	width := 0
	for _, c := range batch {
		width = max(width, c.End-c.Start)
	}
	n := len(batch) * width
	src := f.Inputs()
	buf := make([]int64, len(src)*n) // zero = padding
	in := make([][]int64, len(src))
	for j := range src {
		in[j] = buf[j*n : (j+1)*n]
		for k, c := range batch {
			copy(in[j][k*width:], src[j][c.Start:c.End])
		}
	}
	return e.run(in, len(batch), width)
}

// run runs the emission network on [b, width] inputs, given in the order
// of e.inputs.
func (e *Extractor) run(in [][]int64, b, width int) ([]float32, int, error) {
	if len(in) != len(e.inputs) {
		return nil, 0, fmt.Errorf("onnxruntime: %d inputs, the model takes %d (%v)", len(in), len(e.inputs), e.inputs)
	}
	shape := ort.NewShape(int64(b), int64(width))
	var inputs []ort.Value
	defer func() {
		for _, v := range inputs {
			v.Destroy()
		}
	}()
	for _, data := range in {
		t, err := ort.NewTensor(shape, data)
		if err != nil {
			return nil, 0, fmt.Errorf("input tensor: %w", err)
		}
		inputs = append(inputs, t)
	}
	outputs := []ort.Value{nil}
	if err := e.sess.Run(inputs, outputs); err != nil {
		return nil, 0, fmt.Errorf("onnxruntime: %w", err)
	}
	defer outputs[0].Destroy()
	t, ok := outputs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, 0, fmt.Errorf("onnxruntime: emissions are %T, want float32 tensor", outputs[0])
	}
	if got := t.GetShape(); len(got) != 3 || got[0] != int64(b) || got[1] != int64(width) || got[2] != int64(len(e.tags.Tags)) {
		return nil, 0, fmt.Errorf("onnxruntime: emissions shape %v, want [%d %d %d]", got, b, width, len(e.tags.Tags))
	}
	return append([]float32(nil), t.GetData()...), width, nil
}

// WriteManifest writes dir/manifest.json with the sha256 of every model
// file (ModelFiles, and those OptionalModelFiles that exist).
func WriteManifest(dir, name, version string, batchSize int) (Manifest, error) {
	m := Manifest{Name: name, Version: version, Files: map[string]string{}, BatchSize: batchSize}
	for _, f := range append(ModelFiles, OptionalModelFiles...) {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if errors.Is(err, fs.ErrNotExist) && slices.Contains(OptionalModelFiles, f) {
			continue
		}
		if err != nil {
			return m, err
		}
		sum := sha256.Sum256(b)
		m.Files[f] = hex.EncodeToString(sum[:])
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return m, err
	}
	return m, os.WriteFile(filepath.Join(dir, fileManifest), append(b, '\n'), 0o644)
}
