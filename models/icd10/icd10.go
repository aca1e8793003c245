// Package icd10 embeds the ICD-10 code dictionary (Beijing clinical version
// v6.01) and the hand-written ophthalmology synonym table that the code stage
// normalises diagnoses to. Sources, terms and checksums are in README.md.
package icd10

import _ "embed"

// V601 is icd10_v601.tsv: "code<TAB>name" per line, 40,474 lines, UTF-8.
// Codes of the dagger/asterisk system are written as in the source
// ("E11.371+H36.0*").
//
//go:embed icd10_v601.tsv
var V601 string

// OphthalmologySynonyms is ophthalmology_synonyms.tsv: "synonym<TAB>code"
// per line, # comments. A synonym on several lines maps to several codes
// (a compound diagnosis); every code exists in V601.
//
//go:embed ophthalmology_synonyms.tsv
var OphthalmologySynonyms string
