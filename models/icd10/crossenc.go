package icd10

import _ "embed"

// CrossEncoderONNX is crossenc/crossenc.onnx: a small character transformer
// that reads a diagnosis text and one candidate dictionary name together
// and scores whether the name codes the text; its probability is blended
// into the re-ranker's (services/code). Trained from scratch on CHIP-CDN
// train only by crossenc/train.py; see crossenc/MODEL_CARD.md.
//
//go:embed crossenc/crossenc.onnx
var CrossEncoderONNX []byte

// CrossEncoderSHA256 is the checksum services/code verifies before loading
// CrossEncoderONNX.
const CrossEncoderSHA256 = "7e97107eea69d9114c257c76edf8368fbb8d201344010b1f4e1ac74cc25fb57e"

// CrossEncoderVocab is crossenc/vocab.txt: the model's characters, one a
// line, token id = line number - 1 (the first four are [PAD] [UNK] [CLS]
// [SEP]).
//
//go:embed crossenc/vocab.txt
var CrossEncoderVocab string

// CrossEncoderConfig is crossenc/crossenc.json: input lengths, how many of
// the re-ranker's best candidates are re-scored, the blend weight and the
// emission thresholds chosen with it on held-out train.
//
//go:embed crossenc/crossenc.json
var CrossEncoderConfig string
