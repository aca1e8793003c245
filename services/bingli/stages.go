package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	nermodels "bingli/models/ner"
	"bingli/services/code"
	"bingli/services/deid"
	"bingli/services/events"
	"bingli/services/extract"
	"bingli/services/index"
	"bingli/services/lac"
	"bingli/services/pipeline"
	"bingli/services/segment"
	"bingli/services/stage"
)

// registry lists every stage this binary can run, by the name pipelines
// use. Stages whose issues have not landed are absent, not stubbed.
func registry() pipeline.Registry {
	return pipeline.Registry{
		"deid":    newDeid,
		"segment": newSegment,
		"code":    newCode,
		"events":  newEvents,
		"index":   newIndex,
		"extract": newExtract,
	}
}

// deidParams are the pipeline parameters of the deid stage.
type deidParams struct {
	// Replace is "tag" (〔姓名〕, default) or "surrogate" for every type.
	Replace string `yaml:"replace"`
	// ReplaceByType overrides Replace per identifier type (NAME: surrogate).
	ReplaceByType map[string]string `yaml:"replace_by_type"`
	// DateShift shifts dates per patient (default true); false tags them.
	DateShift *bool `yaml:"date_shift"`
	// PersonNames is the learned person-name recognizer run beside the
	// rules: "lac" (default; scripts/install-lac.sh installs it) or "none".
	PersonNames string `yaml:"person_names"`
	// PHIModel is the learned PHI tagger run beside the rules and LAC:
	// "phi-bilstm-v2" (default; embedded, models/deid), "phi-bilstm-v1",
	// "phi-bilstm-v1+v2" (both, the union of their spans) or "none".
	PHIModel string `yaml:"phi_model"`
}

// loadPHIModel loads the PHI tagger a deid configuration names (nil for
// "none"); dataDir, when set, is where the embedded model is written out.
func loadPHIModel(name, dataDir string) (*deid.PHIModel, error) {
	switch name {
	case "none":
		return nil, nil
	case "":
		name = deid.DefaultPHIModel
	}
	if !slices.Contains(deid.PHIModelNames, name) {
		return nil, fmt.Errorf("deid phi_model %q: want none or one of %s", name, strings.Join(deid.PHIModelNames, ", "))
	}
	opt := deid.PHIModelOptions{}
	if dataDir != "" {
		opt.Dir = filepath.Join(dataDir, "models", "deid", name)
	}
	m, err := deid.LoadPHIModel(name, opt)
	if err != nil {
		return nil, fmt.Errorf("deid phi_model: %w", err)
	}
	return m, nil
}

// loadPersonNames loads the person-name model a deid configuration names
// (nil for "none").
func loadPersonNames(name string) (*lac.Model, error) {
	switch name {
	case "", "lac":
		m, err := lac.Load("", "", 1)
		if err != nil {
			return nil, fmt.Errorf("deid person_names lac: %w", err)
		}
		return m, nil
	case "none":
		return nil, nil
	}
	return nil, fmt.Errorf("deid person_names %q: want lac or none", name)
}

func newDeid(params map[string]any, env pipeline.Env) (stage.Stage, error) {
	var p deidParams
	if err := pipeline.DecodeParams(params, &p); err != nil {
		return nil, err
	}
	key, err := deid.LoadKey(env.KeyFile)
	if err != nil {
		return nil, err
	}
	opt := deid.Options{Modes: map[string]deid.Mode{}}
	if p.DateShift != nil && !*p.DateShift {
		opt.NoDateShift = true
	}
	mode := func(s string) (deid.Mode, error) {
		switch strings.ToLower(s) {
		case "", "tag":
			return deid.Tag, nil
		case "surrogate":
			return deid.Surrogate, nil
		}
		return 0, fmt.Errorf("replace %q: want tag or surrogate", s)
	}
	all, err := mode(p.Replace)
	if err != nil {
		return nil, err
	}
	for t := range deid.Tags {
		opt.Modes[t] = all
	}
	for t, m := range p.ReplaceByType {
		if _, ok := deid.Tags[t]; !ok {
			return nil, fmt.Errorf("replace_by_type: unknown identifier type %q", t)
		}
		if opt.Modes[t], err = mode(m); err != nil {
			return nil, fmt.Errorf("replace_by_type %s: %w", t, err)
		}
	}
	if opt.PersonNames, err = loadPersonNames(p.PersonNames); err != nil {
		return nil, err
	}
	opt.OwnsPersonNames = true
	if opt.PHIModel, err = loadPHIModel(p.PHIModel, env.DataDir); err != nil {
		if opt.PersonNames != nil {
			opt.PersonNames.Close()
		}
		return nil, err
	}
	opt.OwnsPHIModel = true
	d, err := deid.New(key, opt)
	if err != nil {
		if opt.PersonNames != nil {
			opt.PersonNames.Close()
		}
		if opt.PHIModel != nil {
			opt.PHIModel.Close()
		}
	}
	return d, err
}

func newSegment(params map[string]any, _ pipeline.Env) (stage.Stage, error) {
	var opt segment.Options
	if err := pipeline.DecodeParams(params, &opt); err != nil {
		return nil, err
	}
	return segment.New(opt)
}

func newCode(params map[string]any, _ pipeline.Env) (stage.Stage, error) {
	var opt code.Options
	if err := pipeline.DecodeParams(params, &opt); err != nil {
		return nil, err
	}
	return code.New(opt)
}

func newEvents(params map[string]any, _ pipeline.Env) (stage.Stage, error) {
	if len(params) > 0 {
		return nil, fmt.Errorf("events takes no params")
	}
	return events.New(), nil
}

// indexParams are the pipeline parameters of the index stage.
type indexParams struct {
	// Backend is "embedded" (bleve under DATA/index, the default) or
	// "elasticsearch" (credentials from BINGLI_ES_* variables).
	Backend          string   `yaml:"backend"`
	Addresses        []string `yaml:"addresses"`
	Index            string   `yaml:"index"`
	OpenSearchCompat bool     `yaml:"opensearch_compat"`
	MinCellSize      int      `yaml:"min_cell_size"`
	// MaxSegmentDocs caps the notes in one embedded-index segment
	// (index.DefaultMaxSegmentDocs): the largest merge, and so the
	// resident file pages it maps, stays bounded however large the archive.
	MaxSegmentDocs int `yaml:"max_segment_docs"`
	// MaxWait is how long a note waits for others to share its bulk write
	// (default 250ms: fewer, larger segments to merge).
	MaxWait time.Duration `yaml:"max_wait"`
	// RetryFor is how long a bulk write to Elasticsearch is retried while
	// the cluster is unreachable before the notes are failed (and retried
	// later by the runner): default 5m, so a cluster restart costs no note
	// a delivery.
	RetryFor time.Duration `yaml:"retry_for"`
}

func newIndex(params map[string]any, env pipeline.Env) (stage.Stage, error) {
	var p indexParams
	if err := pipeline.DecodeParams(params, &p); err != nil {
		return nil, err
	}
	opt := index.Options{Backend: p.Backend, MaxWait: p.MaxWait}
	if opt.MaxWait == 0 {
		opt.MaxWait = 250 * time.Millisecond
	}
	switch p.Backend {
	case "", "embedded":
		if env.DataDir == "" {
			return nil, fmt.Errorf("index: the embedded backend needs a data directory (use backend: elasticsearch for a cluster)")
		}
		opt.Embedded = index.BleveOptions{Dir: filepath.Join(env.DataDir, "index"), MinCellSize: p.MinCellSize, MaxSegmentDocs: p.MaxSegmentDocs}
	case "elasticsearch":
		if p.RetryFor == 0 {
			p.RetryFor = 5 * time.Minute
		}
		opt.Elastic = index.ElasticOptionsFromEnv(index.ElasticOptions{Addresses: p.Addresses, Index: p.Index,
			OpenSearchCompat: p.OpenSearchCompat, MinCellSize: p.MinCellSize, RetryFor: p.RetryFor})
	default:
		return nil, fmt.Errorf("index: backend %q: want embedded or elasticsearch", p.Backend)
	}
	return index.New(context.Background(), opt)
}

// extractParams are the extract stage's pipeline parameters: extract's
// options, and which model embedded in the binary to use.
type extractParams struct {
	extract.Options `yaml:",inline"`
	// Model names a model embedded in the binary (nermodels.Names; default
	// nermodels.Default). model_dir, when set, loads a directory instead.
	Model string `yaml:"model"`
}

// newExtract builds the NER stage. Without a model_dir parameter it uses
// a model shipped in the binary (the model parameter, else the default),
// written out once under the data directory (ONNX Runtime loads models
// from files); extract.New verifies every file's sha256 either way.
func newExtract(params map[string]any, env pipeline.Env) (stage.Stage, error) {
	var p extractParams
	if err := pipeline.DecodeParams(params, &p); err != nil {
		return nil, err
	}
	opt := p.Options
	if opt.ModelDir != "" && p.Model != "" {
		return nil, fmt.Errorf("extract: give model (embedded) or model_dir, not both")
	}
	if opt.ModelDir == "" {
		name := p.Model
		if name == "" {
			name = nermodels.Default
		}
		if !slices.Contains(nermodels.Names, name) {
			return nil, fmt.Errorf("extract: model %q is not in the binary: want one of %s (or model_dir)", name, strings.Join(nermodels.Names, ", "))
		}
		base := env.DataDir
		if base == "" {
			base = filepath.Join(os.TempDir(), "bingli-models")
		}
		dir, err := materializeModel(filepath.Join(base, "models", "ner"), name)
		if err != nil {
			return nil, err
		}
		opt.ModelDir = dir
	}
	return extract.New(opt)
}

// materializeModel copies an embedded model directory to base/name.
func materializeModel(base, name string) (string, error) {
	dir := filepath.Join(base, name)
	sub, err := fs.Sub(nermodels.FS, name)
	if err == nil {
		err = extract.WriteModelFiles(sub, dir)
	}
	if err != nil {
		return "", fmt.Errorf("model %s: %w", name, err)
	}
	return dir, nil
}
