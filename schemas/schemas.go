// Package schemas embeds the JSON Schemas of bingli's messages and exports
// and compiles them for validation.
package schemas

import (
	"bytes"
	"embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed *.json
var FS embed.FS

// Note returns the compiled note document schema.
var Note = sync.OnceValues(func() (*jsonschema.Schema, error) { return compile("note.schema.json") })

// Patient returns the compiled patient timeline schema.
var Patient = sync.OnceValues(func() (*jsonschema.Schema, error) { return compile("patient.schema.json") })

func compile(name string) (*jsonschema.Schema, error) {
	b, err := FS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", name, err)
	}
	return c.Compile(name)
}

// Cohort returns the compiled patient-level cohort query schema.
var Cohort = sync.OnceValues(func() (*jsonschema.Schema, error) { return compile("cohort.schema.json") })

// ValidateCohort checks one patient-level cohort query against its schema.
func ValidateCohort(b []byte) error { return validate(Cohort, b) }

// ValidateNote checks one JSON note document against its schema.
func ValidateNote(b []byte) error { return validate(Note, b) }

// ValidatePatient checks one JSON patient timeline against its schema.
func ValidatePatient(b []byte) error { return validate(Patient, b) }

func validate(schema func() (*jsonschema.Schema, error), b []byte) error {
	s, err := schema()
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.Validate(v)
}
