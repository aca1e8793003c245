// Package indexschema embeds the index stage's schemas: the Elasticsearch
// index template (notes.mapping.json) and the cohort query JSON Schema
// (query.schema.json).
package indexschema

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// NotesMapping is the index template of the notes index.
//
//go:embed notes.mapping.json
var NotesMapping []byte

// QuerySchemaJSON is the JSON Schema of a cohort query.
//
//go:embed query.schema.json
var QuerySchemaJSON []byte

// Query returns the compiled cohort query schema.
var Query = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(QuerySchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("query schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("query.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("query.schema.json")
})
