// Package deidlists embeds the gazetteers the de-identification stage uses
// (surnames, administrative divisions). See README.md for sources and licences.
package deidlists

import "embed"

// FS holds surnames.tsv and admin_divisions.tsv.
//
//go:embed *.tsv
var FS embed.FS
