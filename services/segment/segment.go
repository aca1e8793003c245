// Package segment is the segmentation stage: it splits each note's
// de-identified text into words (note.Token) with gse's dictionary trie
// and HMM, jieba's general dictionary and bingli's medical lexicons.
//
// Offsets are exact code points into the original text, end-exclusive:
// tokens are contiguous runs of non-space characters, ordered, never
// overlapping, and together cover every non-space character. Case, width
// and spacing are never changed (mmHg stays mmHg) because tokens are spans
// of the original text; only dictionary lookups fold case and width.
package segment

import (
	"context"
	"fmt"
	"sync"
	"unicode/utf8"

	"bingli/services/note"
	"bingli/services/stage"
)

// version of the segmentation rules; Version() adds the dictionary id.
const version = "1.0.0"

// General dictionaries (Options.Dictionary).
const (
	// DictTrimmed is jieba's simplified-Chinese dictionary without words of
	// frequency below 5, embedded from models/lexicons (the default).
	DictTrimmed = "jieba-freq5"
	// DictGseZhS is gse's full embedded simplified dictionary (zh_s): 2.5x
	// the words, about twice the load time and heap.
	DictGseZhS = "gse-zh_s"
	// DictNone loads the lexicons only.
	DictNone = "none"
)

// Options configure a Segmenter. The zero value is the default pipeline
// configuration.
type Options struct {
	// Dictionary is the general vocabulary: DictTrimmed (default, ""),
	// DictGseZhS or DictNone.
	Dictionary string `json:"dictionary,omitempty" yaml:"dictionary,omitempty"`
	// NoMedical leaves out the THUOCL medical word list.
	NoMedical bool `json:"no_medical,omitempty" yaml:"no_medical,omitempty"`
	// NoOphthalmology leaves out the ophthalmology term list.
	NoOphthalmology bool `json:"no_ophthalmology,omitempty" yaml:"no_ophthalmology,omitempty"`
	// ExtraLexicons are files of "word [freq] [pos]" lines (# comments)
	// loaded after the embedded lists; like them, each word is given a
	// frequency that keeps it whole.
	ExtraLexicons []string `json:"extra_lexicons,omitempty" yaml:"extra_lexicons,omitempty"`
	// HMM: HMMOn also cuts runs of characters no dictionary word covers with
	// gse's HMM (finds unknown words); HMMOff leaves them one character a
	// token. HMMDefault is HMMOn: see BENCHMARK.md for the measurement.
	HMM HMMMode `json:"hmm,omitempty" yaml:"hmm,omitempty"`
}

// HMMMode switches the HMM for out-of-vocabulary words.
type HMMMode string

const (
	HMMDefault HMMMode = ""
	HMMOn      HMMMode = "on"
	HMMOff     HMMMode = "off"
)

// defaultHMM is what HMMDefault means.
const defaultHMM = true

// Segmenter is the segmentation stage. It is safe for concurrent use.
type Segmenter struct {
	dict    *dictionary
	hmm     bool
	version string
	pool    sync.Pool // *work
}

// work is one goroutine's scratch space.
type work struct {
	s scanner
	c cutter
}

var _ stage.Stage = (*Segmenter)(nil)

// New returns a Segmenter. Dictionaries are loaded on first use of a set of
// options and shared by every Segmenter of the process with the same ones.
func New(opt Options) (*Segmenter, error) {
	useHMM := defaultHMM
	switch opt.HMM {
	case HMMDefault:
	case HMMOn:
		useHMM = true
	case HMMOff:
		useHMM = false
	default:
		return nil, fmt.Errorf("segment: hmm %q: want %q or %q", opt.HMM, HMMOn, HMMOff)
	}
	if useHMM {
		loadHMM()
	}
	d, err := cachedDictionary(opt)
	if err != nil {
		return nil, err
	}
	v := version + "+dict." + d.id
	if useHMM {
		v += ".hmm"
	}
	return &Segmenter{dict: d, hmm: useHMM, version: v}, nil
}

// Name implements stage.Stage.
func (s *Segmenter) Name() string { return "segment" }

// Version implements stage.Stage: the rules' version, the loaded
// dictionaries' content hash and whether the HMM is on.
func (s *Segmenter) Version() string { return s.version }

// Process implements stage.Stage: it sets n.Tokens (replacing any, so a
// redelivered note gets the same tokens).
func (s *Segmenter) Process(ctx context.Context, n *note.Note) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !utf8.ValidString(n.Text) {
		return stage.BadInput("segment: text is not valid UTF-8")
	}
	n.Tokens = s.Tokens(n.Text)
	return nil
}

// Tokens segments text, which should be valid UTF-8 (invalid bytes count
// as one code point each, as in []rune(text)).
func (s *Segmenter) Tokens(text string) []note.Token {
	w, _ := s.pool.Get().(*work)
	if w == nil {
		w = new(work)
	}
	w.s.scan(text)
	toks := w.c.cut(s.dict, &w.s, s.hmm)
	out := make([]note.Token, len(toks))
	copy(out, toks)
	s.pool.Put(w)
	return out
}
