// Package nermodels embeds the shipped NER models so the binary runs them
// from any directory; see each model's MODEL_CARD.md.
package nermodels

import "embed"

// Default is the model the extract stage uses unless a pipeline names
// another directory.
const Default = "ccks-bilstm-v1"

// FS holds every shipped model directory.
//
//go:embed ccks-bilstm-v1
var FS embed.FS
