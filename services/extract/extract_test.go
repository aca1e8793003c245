package extract

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	nermodels "bingli/models/ner"
	"bingli/services/note"
	"bingli/services/onnxrt"
	"bingli/services/stage"
)

// testModelDir is the shipped model; EXTRACT_TEST_MODEL overrides it (to
// test a freshly trained one before it replaces the shipped one).
func testModelDir() string {
	if d := os.Getenv("EXTRACT_TEST_MODEL"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "models", "ner", nermodels.Default)
}

var (
	libOnce sync.Once
	libPath string
	libSkip string
	libErr  error
)

// onnxLibrary finds ONNX Runtime, installing it with
// scripts/install-onnxruntime.sh once if needed. It skips the test only
// when npm (which the script needs) is absent; CI has npm.
func onnxLibrary(t testing.TB) string {
	t.Helper()
	libOnce.Do(func() {
		if p, err := onnxrt.LibraryPath(); err == nil {
			libPath = p
			return
		} else if !errors.Is(err, onnxrt.ErrNoLibrary) {
			libErr = err
			return
		}
		if _, err := exec.LookPath("npm"); err != nil {
			libSkip = "ONNX Runtime is not installed and npm is absent: cannot run scripts/install-onnxruntime.sh"
			return
		}
		out, err := exec.Command("bash", filepath.Join("..", "..", "scripts", "install-onnxruntime.sh")).Output()
		if err != nil {
			libErr = fmt.Errorf("install-onnxruntime.sh: %w", err)
			return
		}
		libPath = strings.TrimSpace(string(out))
	})
	if libSkip != "" {
		t.Skip(libSkip)
	}
	if libErr != nil {
		t.Fatal(libErr)
	}
	return libPath
}

var (
	extOnce sync.Once
	ext     *Extractor
	extErr  error
)

// testExtractor is shared by the tests (one session, like production).
func testExtractor(t testing.TB) *Extractor {
	t.Helper()
	lib := onnxLibrary(t)
	extOnce.Do(func() {
		ext, extErr = New(Options{ModelDir: testModelDir(), Library: lib, Unconstrained: os.Getenv("EXTRACT_UNCONSTRAINED") != ""})
	})
	if extErr != nil {
		t.Fatal(extErr)
	}
	return ext
}

type reference struct {
	IDs       []string      `json:"ids"`
	CharIDs   [][]int64     `json:"char_ids"`
	SegTags   [][]int64     `json:"seg_tags"`
	LexTags   [][]int64     `json:"lex_tags"`
	BigramIDs [][]int64     `json:"bigram_ids"` // absent for a model without bigrams
	Emissions [][][]float64 `json:"emissions"`
}

// inputs are the reference's inputs in the model's order (InputNames).
func (r reference) inputs() [][]int64 {
	in := [][]int64{flat(r.CharIDs), flat(r.SegTags), flat(r.LexTags)}
	if r.BigramIDs != nil {
		in = append(in, flat(r.BigramIDs))
	}
	return in
}

func readReferences(t *testing.T, dir string) []reference {
	f, err := os.Open(filepath.Join(dir, "reference.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var refs []reference
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r reference
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	if len(refs) == 0 {
		t.Fatal("reference.jsonl is empty")
	}
	return refs
}

func flat(x [][]int64) []int64 {
	var out []int64
	for _, r := range x {
		out = append(out, r...)
	}
	return out
}

// modelDirs are the model under test and every model directory in
// models/ner (each is loadable, with or without the bigram input).
func modelDirs(t *testing.T) []string {
	dirs := []string{testModelDir()}
	all, err := filepath.Glob(filepath.Join("..", "..", "models", "ner", "*", fileManifest))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		if d := filepath.Dir(m); !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// extractorFor is the shared test extractor for the model under test, a
// new one for another directory.
func extractorFor(t *testing.T, dir string) *Extractor {
	if dir == testModelDir() {
		return testExtractor(t)
	}
	e, err := New(Options{ModelDir: dir, Library: onnxLibrary(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// TestReferenceEmissions: ONNX Runtime from Go gives the emissions PyTorch
// computed at export time, within 1e-4, including a padded batch, for every
// model directory.
func TestReferenceEmissions(t *testing.T) {
	for _, dir := range modelDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) { checkReferenceEmissions(t, extractorFor(t, dir), dir) })
	}
}

func checkReferenceEmissions(t *testing.T, e *Extractor, dir string) {
	T := len(e.tags.Tags)
	for _, r := range readReferences(t, dir) {
		b, w := len(r.CharIDs), len(r.CharIDs[0])
		if len(r.inputs()) != len(e.inputs) {
			t.Fatalf("%v: reference has %d inputs, the model %d", r.IDs, len(r.inputs()), len(e.inputs))
		}
		got, _, err := e.run(r.inputs(), b, w)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for k := range r.Emissions {
			for i := range r.Emissions[k] {
				if r.CharIDs[k][i] == CharPad {
					continue // padding positions are not used
				}
				for j, want := range r.Emissions[k][i] {
					worst = math.Max(worst, math.Abs(float64(got[(k*w+i)*T+j])-want))
				}
			}
		}
		if worst > 1e-4 {
			t.Errorf("%v: max abs difference %g > 1e-4", r.IDs, worst)
		}
		t.Logf("%v: max abs difference %.2g", r.IDs, worst)
	}
}

// TestReferenceFeatures: the Go featurizer still computes the features the
// reference inputs were made with (from the hand-written texts in
// models/ner/train/reference_texts.jsonl).
func TestReferenceFeatures(t *testing.T) {
	for _, dir := range modelDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) { checkReferenceFeatures(t, extractorFor(t, dir), dir) })
	}
}

func checkReferenceFeatures(t *testing.T, e *Extractor, dir string) {
	texts := map[string]string{}
	f, err := os.Open(filepath.Join("..", "..", "models", "ner", "train", "reference_texts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := ReadRecords(f, func(r Record) error { texts[r.ID+"#0"] = r.Text; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, r := range readReferences(t, dir) {
		for k, id := range r.IDs {
			text, ok := texts[id]
			if !ok {
				t.Fatalf("reference %s: no such text", id)
			}
			fs := e.feat.Features(text)
			n := len(fs.CharIDs)
			if !reflect.DeepEqual(fs.CharIDs, r.CharIDs[k][:n]) || !reflect.DeepEqual(fs.SegTags, r.SegTags[k][:n]) ||
				!reflect.DeepEqual(fs.LexTags, r.LexTags[k][:n]) ||
				r.BigramIDs != nil && !reflect.DeepEqual(fs.BigramIDs, r.BigramIDs[k][:n]) {
				t.Errorf("%s: features differ from the reference inputs", id)
			}
		}
	}
}

func TestProcess(t *testing.T) {
	e := testExtractor(t)
	n := &note.Note{NoteID: "n1", Text: "患者因右眼视物模糊2月入院。诊断：2型糖尿病，高血压病3级。行腹部CT检查示肝右叶占位，予头孢曲松抗感染治疗。",
		Entities: []note.Entity{{Label: "PERSON", Start: 0, End: 2, Text: "患者", Model: "other"}}}
	if err := e.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	rs := []rune(n.Text)
	var mine []note.Entity
	for _, x := range n.Entities {
		if x.Model == "other" {
			continue
		}
		mine = append(mine, x)
		if x.Model != e.Model() || x.Start < 0 || x.End > len(rs) || x.Start >= x.End || string(rs[x.Start:x.End]) != x.Text ||
			x.Score <= 0 || x.Score > 1 || !e.tags.HasLabel(x.Label) {
			t.Errorf("bad entity %+v", x)
		}
		t.Logf("%s [%d,%d) %s %.3f", x.Label, x.Start, x.End, x.Text, x.Score)
	}
	if len(mine) < 3 {
		t.Fatalf("found %d entities, want at least 3: %+v", len(mine), n.Entities)
	}
	if len(n.Entities) != len(mine)+1 {
		t.Error("the other recognizer's entity was dropped")
	}
	// redelivery gives the same entities, not twice as many
	before := append([]note.Entity(nil), n.Entities...)
	if err := e.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, n.Entities) {
		t.Error("second Process changed the entities")
	}
	if e.Name() != "extract" || !strings.HasPrefix(e.Model(), nermodels.Default+"@") && os.Getenv("EXTRACT_TEST_MODEL") == "" {
		t.Errorf("name %q model %q", e.Name(), e.Model())
	}
	bad := &note.Note{NoteID: "bad", Text: "a\xffb"}
	if err := e.Process(context.Background(), bad); !errors.Is(err, stage.ErrBadInput) {
		t.Errorf("invalid UTF-8: %v, want ErrBadInput", err)
	}
}

// TestLongNote: chunking and batching keep offsets right past the first
// chunk, and a note's entities do not depend on the batch size.
func TestLongNote(t *testing.T) {
	e := testExtractor(t)
	text := strings.Repeat(benchSentences, 4)
	a, err := e.Extract(text)
	if err != nil {
		t.Fatal(err)
	}
	e2 := *e
	e2.opt.BatchSize = 1
	b, err := e2.Extract(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("batch 16: %d entities, batch 1: %d (or they differ)", len(a), len(b))
	}
	rs := []rune(text)
	last := a[len(a)-1]
	if last.Start < DefaultMaxChunk || string(rs[last.Start:last.End]) != last.Text {
		t.Errorf("last entity %+v", last)
	}
}

func TestConcurrentProcess(t *testing.T) {
	e := testExtractor(t)
	notes := benchNotes()
	want := make([][]note.Entity, len(notes))
	for i, text := range notes {
		var err error
		if want[i], err = e.Extract(text); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, text := range notes {
				n := &note.Note{NoteID: "c", Text: text}
				if err := e.Process(context.Background(), n); err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(n.Entities, want[i]) {
					t.Errorf("note %d: concurrent result differs", i)
				}
			}
		}()
	}
	wg.Wait()
}

func TestManifestMismatch(t *testing.T) {
	lib := onnxLibrary(t)
	dir := t.TempDir()
	for _, f := range append(ModelFiles, fileManifest) {
		b, err := os.ReadFile(filepath.Join(testModelDir(), f))
		if err != nil {
			t.Fatal(err)
		}
		if f == fileVocab {
			b = append(b, "龘\n"...)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	_, err := New(Options{ModelDir: dir, Library: lib})
	if err == nil || !strings.Contains(err.Error(), "vocab.txt: sha256") {
		t.Fatalf("changed vocab.txt: %v, want a sha256 error", err)
	}
}

// TestModelCard: MODEL_CARD.md states the sha256 of every file in the
// manifest, and the manifest matches the files.
func TestModelCard(t *testing.T) {
	if os.Getenv("EXTRACT_TEST_MODEL") != "" {
		t.Skip("checks the shipped model only")
	}
	dir := testModelDir()
	card, err := os.ReadFile(filepath.Join(dir, "MODEL_CARD.md"))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	b, _ := os.ReadFile(filepath.Join(dir, fileManifest))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for name, sum := range m.Files {
		if !strings.Contains(string(card), sum) {
			t.Errorf("MODEL_CARD.md lacks %s's sha256 %s", name, sum)
		}
	}
	st, err := os.Stat(filepath.Join(dir, fileONNX))
	if err != nil || st.Size() > 50<<20 {
		t.Errorf("model.onnx: %v (size must be < 50 MB)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, fileONNX+".data")); err == nil {
		t.Error("model.onnx.data exists: the model must be one file")
	}
}

func TestProcessIgnoresDeidTags(t *testing.T) {
	e := testExtractor(t)
	n := &note.Note{NoteID: "t", Text: "患者〔姓名〕，因右眼白内障行超声乳化术，予〔姓名〕左氧氟沙星滴眼液。"}
	if err := e.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	for _, x := range n.Entities {
		if strings.ContainsAny(x.Text, "〔〕") {
			t.Fatalf("entity %+v is a de-identification tag", x)
		}
	}
}
