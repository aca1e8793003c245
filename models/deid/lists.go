// Package deidlists embeds the gazetteers the de-identification stage uses
// (surnames, administrative divisions, employer brands). See README.md for sources and licences.
package deidlists

import "embed"

// FS holds surnames.tsv, admin_divisions.tsv, brands.tsv and clinical_words.tsv.
//
//go:embed *.tsv
var FS embed.FS
