// Package phibilstm2 embeds the PHI tagger phi-bilstm-v2 (a character
// BiLSTM-CRF over the extract stage's features, int8), so the binary runs it
// from any directory; see MODEL_CARD.md. The deid stage loads it with
// deid.LoadPHIModel; it is the default tagger (deid.DefaultPHIModel).
package phibilstm2

import "embed"

// Name is the model's name (manifest.json, the deid parameter phi_model).
const Name = "phi-bilstm-v2"

// FS holds the model files: model.onnx, vocab.txt, labels.json,
// transitions.json and manifest.json.
//
//go:embed model.onnx vocab.txt labels.json transitions.json manifest.json
var FS embed.FS
