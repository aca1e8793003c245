package main

import (
	"errors"
	"strings"
	"testing"

	nermodels "bingli/models/ner"
	"bingli/services/extract"
	"bingli/services/onnxrt"
	"bingli/services/pipeline"
)

// TestExtractModelParam: the extract stage's model parameter picks one of
// the models embedded in the binary; an unknown name, or a name beside
// model_dir, is refused with the list of embedded models.
func TestExtractModelParam(t *testing.T) {
	env := pipeline.Env{DataDir: t.TempDir()}
	_, err := newExtract(map[string]any{"model": "ccks-bilstm-v9"}, env)
	if err == nil || !strings.Contains(err.Error(), nermodels.Default) || !strings.Contains(err.Error(), nermodels.Ensemble) {
		t.Fatalf("unknown model: err %v, want one listing the embedded models", err)
	}
	if _, err := newExtract(map[string]any{"model": nermodels.Default, "model_dir": "/x"}, env); err == nil {
		t.Fatal("model and model_dir together: want an error")
	}
	if _, err := onnxrt.LibraryPath(); errors.Is(err, onnxrt.ErrNoLibrary) {
		t.Skip("ONNX Runtime is not installed (scripts/install-onnxruntime.sh): cannot load the models")
	}
	for _, name := range []string{"", nermodels.Default, nermodels.Ensemble} {
		s, err := newExtract(map[string]any{"model": name}, env)
		if err != nil {
			t.Fatalf("model %q: %v", name, err)
		}
		e := s.(*extract.Extractor)
		want := name
		if want == "" {
			want = nermodels.Default
		}
		if !strings.HasPrefix(e.Model(), want+"@") {
			t.Errorf("model %q: extractor runs %s", name, e.Model())
		}
		ents, err := e.Extract("患者右眼视力下降，诊断为年龄相关性白内障，予妥布霉素滴眼液。")
		if err != nil || len(ents) == 0 {
			t.Errorf("model %q: %d entities, %v", name, len(ents), err)
		}
		e.Close()
	}
}
