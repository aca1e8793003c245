package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	phibilstm "bingli/models/deid/phi-bilstm-v2"
	"bingli/services/deid"
	"bingli/services/onnxrt"
	"bingli/services/pipeline"
)

// TestDeidPHIModelParam: the deid parameter phi_model adds the embedded PHI
// tagger (written under the data directory) to the recognizers, as does a
// configuration that names none (the default); "none" leaves it out; an
// unknown name is refused with the list.
func TestDeidPHIModelParam(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "deid.key")
	if err := deid.GenerateKeyFile(key); err != nil {
		t.Fatal(err)
	}
	env := pipeline.Env{DataDir: dir, KeyFile: key}
	_, err := newDeid(map[string]any{"person_names": "none", "phi_model": "phi-bilstm-v9"}, env)
	if err == nil || !strings.Contains(err.Error(), phibilstm.Name) {
		t.Fatalf("unknown phi_model: err %v, want one listing %s", err, phibilstm.Name)
	}
	if _, err := onnxrt.LibraryPath(); errors.Is(err, onnxrt.ErrNoLibrary) {
		t.Skip("ONNX Runtime is not installed (scripts/install-onnxruntime.sh): cannot load the model")
	}
	text := "由刘建国陪同就诊。" // a name without a cue: the rules alone miss it
	for _, c := range []struct {
		model     string
		wantModel bool
	}{{"", true}, {"none", false}, {phibilstm.Name, true}, {"phi-bilstm-v1", true}, {deid.PHIEnsemble, true}} {
		s, err := newDeid(map[string]any{"person_names": "none", "phi_model": c.model}, env)
		if err != nil {
			t.Fatalf("phi_model %q: %v", c.model, err)
		}
		d := s.(*deid.Deidentifier)
		spans, err := d.Detect(text, "p")
		if err != nil {
			t.Fatalf("phi_model %q: %v", c.model, err)
		}
		got := false
		for _, sp := range spans {
			got = got || sp.Recognizer == "phi-model"
		}
		if got != c.wantModel {
			t.Errorf("phi_model %q: spans %+v, tagger spans %v, want %v", c.model, spans, got, c.wantModel)
		}
		if err := d.Close(); err != nil {
			t.Errorf("phi_model %q: close: %v", c.model, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "models", "deid", phibilstm.Name, "model.onnx")); err != nil {
		t.Errorf("embedded model not written under the data directory: %v", err)
	}
}
