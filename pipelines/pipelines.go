// Package pipelines embeds the shipped pipeline definitions so the binary
// runs them from any directory.
package pipelines

import "embed"

// FS holds every *.yaml pipeline definition of this directory.
//
//go:embed *.yaml
var FS embed.FS
