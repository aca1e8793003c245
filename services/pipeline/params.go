package pipeline

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// DecodeParams decodes a stage's params into a typed options struct (its
// yaml tags name the keys); unknown keys are errors.
func DecodeParams(params map[string]any, into any) error {
	if len(params) == 0 {
		return nil
	}
	b, err := yaml.Marshal(params)
	if err != nil {
		return fmt.Errorf("params: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("params: %w", err)
	}
	return nil
}
