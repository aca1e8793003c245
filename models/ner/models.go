// Package nermodels embeds the shipped NER model so the binary runs it from
// any directory; see its MODEL_CARD.md. Other directories under models/ner
// (ccks-bilstm-v1 and the float ccks-bilstm-v2, kept for comparison) load from disk with
// extract.Options.ModelDir.
package nermodels

import "embed"

// Default is the model the extract stage uses unless a pipeline names
// another directory.
const Default = "ccks-bilstm-v2-int8"

// FS holds the default model's directory.
//
//go:embed ccks-bilstm-v2-int8
var FS embed.FS
