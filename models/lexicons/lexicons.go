// Package lexicons embeds the word lists the segmenter loads, so that the
// binary needs no data files and works from any working directory. Sources,
// licences and how each file was made are in README.md beside this file.
package lexicons

import (
	_ "embed"
)

// GeneralZh is jieba's simplified-Chinese dictionary (as shipped by gse,
// data/dict/zh/s_1.txt) keeping words with frequency >= 5 and all single
// characters.
// Format: "word freq pos" per line.
//
//go:embed jieba_zh_s_freq5.txt
var GeneralZh string

// Medical is the THUOCL medical word list (words only, one per line).
//
//go:embed thuocl_medical.txt
var Medical string

// Ophthalmology is a hand-written list of ophthalmology terms.
// Format: "word [pos]" per line; lines starting with # are comments.
//
//go:embed ophthalmology.txt
var Ophthalmology string
