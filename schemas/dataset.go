package schemas

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// DatasetManifest returns the compiled schema of a cohort export's
// manifest.json; it refers to the cohort query schema for its query.
var DatasetManifest = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"cohort.schema.json", "dataset-manifest.schema.json"} {
		b, err := FS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
		id, _ := doc.(map[string]any)["$id"].(string)
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("schema %s: %w", name, err)
		}
	}
	return c.Compile("https://bingli.dev/schemas/dataset-manifest/1.0.0")
})

// ValidateDatasetManifest checks a cohort export's manifest.json.
func ValidateDatasetManifest(b []byte) error { return validate(DatasetManifest, b) }
