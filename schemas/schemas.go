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

var (
	noteOnce sync.Once
	noteSch  *jsonschema.Schema
	noteErr  error
)

// Note returns the compiled note document schema.
func Note() (*jsonschema.Schema, error) {
	noteOnce.Do(func() { noteSch, noteErr = compile("note.schema.json") })
	return noteSch, noteErr
}

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

// ValidateNote checks one JSON note document against the schema.
func ValidateNote(b []byte) error {
	s, err := Note()
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return s.Validate(v)
}
