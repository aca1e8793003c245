// Package nermodels embeds the shipped NER models so the binary runs them
// from any directory; see each one's MODEL_CARD.md. Other directories under
// models/ner (ccks-bilstm-v1 and the float ccks-bilstm-v2, kept for
// comparison) load from disk with extract.Options.ModelDir.
package nermodels

import "embed"

// Default is the model the extract stage uses unless a pipeline names
// another (parameter model or model_dir): one network, int8.
const Default = "ccks-bilstm-v2-int8"

// Ensemble averages three seeds of the default's network (int8): more
// accurate, about 2.4 times the extract stage's cost (its MODEL_CARD.md).
const Ensemble = "ccks-bilstm-v2-ens3-int8"

// Names lists the embedded models.
var Names = []string{Default, Ensemble}

// FS holds the embedded models' directories.
//
//go:embed ccks-bilstm-v2-int8 ccks-bilstm-v2-ens3-int8
var FS embed.FS
