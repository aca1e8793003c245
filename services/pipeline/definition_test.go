package pipeline

import (
	"context"
	"strings"
	"testing"

	"bingli/services/note"
	"bingli/services/stage"
)

func TestLoadShippedPipeline(t *testing.T) {
	d, err := Load("ophthalmology")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "ophthalmology" || len(d.Stages) == 0 || d.Stages[0].Line == 0 {
		t.Fatalf("definition %+v", d)
	}
	if _, err := Load("nope"); err == nil {
		t.Fatal("unknown pipeline loaded")
	}
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown field", "name: x\nstages:\n  - name: a\n    concurency: 2\n", "p.yaml: yaml: unmarshal errors:\n  line 4: field concurency not found"},
		{"duplicate stage", "name: x\nstages:\n  - name: a\n  - name: a\n", "p.yaml:4: stage \"a\" listed twice"},
		{"negative concurrency", "name: x\nstages:\n  - name: a\n    concurrency: -1\n", "p.yaml:3: stage \"a\": concurrency must be >= 0"},
		{"no stages", "name: x\n", "p.yaml: pipeline x has no stages"},
		{"bad yaml", "name: [x\n", "p.yaml: yaml: line 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte(c.yaml))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

type fake struct{ name string }

func (f fake) Name() string                              { return f.name }
func (f fake) Version() string                           { return "1" }
func (f fake) Process(context.Context, *note.Note) error { return nil }

func TestRegistryBuildsByNameAndReportsUnknown(t *testing.T) {
	d, err := Parse("p.yaml", []byte("name: x\nstages:\n  - name: a\n  - name: zzz\n"))
	if err != nil {
		t.Fatal(err)
	}
	reg := Registry{"a": func(map[string]any, Env) (stage.Stage, error) { return fake{"a"}, nil }}
	s, err := reg.Build(d, d.Stages[0], Env{})
	if err != nil || s.Name() != "a" {
		t.Fatalf("build a: %v %v", s, err)
	}
	if err := reg.Check(d); err == nil || !strings.Contains(err.Error(), `p.yaml:4: unknown stage "zzz"`) {
		t.Fatalf("check: %v", err)
	}
}
