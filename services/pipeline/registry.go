package pipeline

import (
	"fmt"
	"sort"

	"go.uber.org/zap"

	"bingli/services/stage"
)

// Env is what a stage factory may need from its process.
type Env struct {
	DataDir string
	// KeyFile is the de-identification key file.
	KeyFile string
	Log     *zap.Logger
}

// Factory builds a stage from its parameters.
type Factory func(params map[string]any, env Env) (stage.Stage, error)

// Registry maps stage names to factories.
type Registry map[string]Factory

// Names lists the registered stages.
func (r Registry) Names() []string {
	var ns []string
	for n := range r {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// Build constructs stage sc of definition d.
func (r Registry) Build(d *Definition, sc StageConfig, env Env) (stage.Stage, error) {
	f, ok := r[sc.Name]
	if !ok {
		return nil, fmt.Errorf("%s:%d: unknown stage %q (known: %v)", d.File, sc.Line, sc.Name, r.Names())
	}
	s, err := f(sc.Params, env)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: stage %q: %w", d.File, sc.Line, sc.Name, err)
	}
	return s, nil
}

// Check reports every stage of d that the registry cannot build by name.
func (r Registry) Check(d *Definition) error {
	for _, sc := range d.Stages {
		if _, ok := r[sc.Name]; !ok {
			return fmt.Errorf("%s:%d: unknown stage %q (known: %v)", d.File, sc.Line, sc.Name, r.Names())
		}
	}
	return nil
}
