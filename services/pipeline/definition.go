// Package pipeline reads pipeline definitions (YAML: which stages, in which
// order, their parameters and concurrency) and builds stages from a registry
// of named stage factories, the way Benthos builds components by name.
package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"bingli/pipelines"
)

// Definition is one pipeline.
type Definition struct {
	Name    string        `yaml:"name"`
	Version int           `yaml:"version"`
	Stages  []StageConfig `yaml:"stages"`
	Runner  RunnerConfig  `yaml:"runner"`
	// File is where the definition was read from.
	File string `yaml:"-"`
}

// StageConfig configures one stage of the pipeline.
type StageConfig struct {
	Name        string         `yaml:"name"`
	Concurrency int            `yaml:"concurrency"`
	Params      map[string]any `yaml:"params"`
	// Line is the line of the stage in File, for error messages.
	Line int `yaml:"-"`
}

// RunnerConfig holds the runner settings shared by every stage.
type RunnerConfig struct {
	MaxDeliver int           `yaml:"max_deliver"`
	AckWait    time.Duration `yaml:"ack_wait"`
	Prefetch   int           `yaml:"prefetch"`
	Timeout    time.Duration `yaml:"timeout"`
}

// StageNames lists the stages in order.
func (d *Definition) StageNames() []string {
	names := make([]string, len(d.Stages))
	for i, s := range d.Stages {
		names[i] = s.Name
	}
	return names
}

// Load reads a definition by name (a shipped pipeline such as
// "ophthalmology") or by path to a YAML file.
func Load(nameOrPath string) (*Definition, error) {
	if strings.HasSuffix(nameOrPath, ".yaml") || strings.HasSuffix(nameOrPath, ".yml") || strings.ContainsRune(nameOrPath, os.PathSeparator) {
		b, err := os.ReadFile(nameOrPath)
		if err != nil {
			return nil, fmt.Errorf("pipeline: %w", err)
		}
		return Parse(nameOrPath, b)
	}
	b, err := fs.ReadFile(pipelines.FS, nameOrPath+".yaml")
	if err != nil {
		return nil, fmt.Errorf("pipeline %q: no such shipped pipeline (see pipelines/)", nameOrPath)
	}
	return Parse("pipelines/"+nameOrPath+".yaml", b)
}

// Parse decodes and validates a definition; errors name the file and line.
func Parse(file string, b []byte) (*Definition, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var d Definition
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	d.File = file
	lines := stageLines(&root)
	for i := range d.Stages {
		if i < len(lines) {
			d.Stages[i].Line = lines[i]
		}
	}
	if err := d.validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

func (d *Definition) validate() error {
	if d.Name == "" {
		return fmt.Errorf("%s: pipeline has no name", d.File)
	}
	if len(d.Stages) == 0 {
		return fmt.Errorf("%s: pipeline %s has no stages", d.File, d.Name)
	}
	seen := map[string]bool{}
	var errs []error
	for _, s := range d.Stages {
		switch {
		case s.Name == "":
			errs = append(errs, fmt.Errorf("%s:%d: stage has no name", d.File, s.Line))
		case seen[s.Name]:
			errs = append(errs, fmt.Errorf("%s:%d: stage %q listed twice", d.File, s.Line, s.Name))
		case s.Concurrency < 0:
			errs = append(errs, fmt.Errorf("%s:%d: stage %q: concurrency must be >= 0", d.File, s.Line, s.Name))
		}
		seen[s.Name] = true
	}
	if d.Runner.MaxDeliver < 0 || d.Runner.Prefetch < 0 {
		errs = append(errs, fmt.Errorf("%s: runner settings must not be negative", d.File))
	}
	return errors.Join(errs...)
}

// stageLines returns the line of each item of the top-level "stages" list.
func stageLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "stages" && m.Content[i+1].Kind == yaml.SequenceNode {
			var lines []int
			for _, item := range m.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
			return lines
		}
	}
	return nil
}
