package deid

import (
	"sort"
	"strings"
)

// Entity types (gold labels).
const (
	Name         = "NAME"
	IDNumber     = "ID_NUMBER"
	Phone        = "PHONE"
	Address      = "ADDRESS"
	RecordNumber = "RECORD_NUMBER"
	Date         = "DATE"
	DateOfBirth  = "DATE_OF_BIRTH"
	Age          = "AGE"
	Email        = "EMAIL"
	URL          = "URL"
	Organization = "ORGANIZATION"
	OtherID      = "OTHER_ID"
)

// Labels lists every entity type the stage detects.
var Labels = []string{Name, IDNumber, Phone, Address, RecordNumber, Date, DateOfBirth, Age, Email, URL, Organization, OtherID}

// Span is one detected identifier: code-point offsets into the text,
// end-exclusive.
type Span struct {
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Label      string  `json:"label"`
	Score      float64 `json:"score"`
	Recognizer string  `json:"recognizer"`
}

// Recognizer finds identifiers of one family in a text. Implementations are
// stateless after construction and safe for concurrent use.
type Recognizer interface {
	// Name identifies the recognizer (in spans, tests and docs).
	Name() string
	// Labels lists the entity types it can emit.
	Labels() []string
	// Context lists words that, found shortly before a span, raise its score.
	Context() []string
	find(d *doc, out []Span) []Span
}

// Registry is an ordered set of recognizers with a score threshold.
type Registry struct {
	recs     []Recognizer
	minScore float64
}

// contextWindow is how many code points before a span are searched for
// context words; contextBoost is added to the score when one is found.
const (
	contextWindow = 10
	contextBoost  = 0.3
)

// NewRegistry returns the default recognizers.
func NewRegistry() *Registry {
	names := newNameRecognizer() // the surname gazetteer, read once
	return &Registry{minScore: 0.5, recs: []Recognizer{
		numberRecognizer{},
		newDateRecognizer(),
		recordRecognizer{},
		contactRecognizer{},
		ageRecognizer{},
		tableRecognizer{},
		plateRecognizer{},
		newAddressRecognizer(),
		orgRecognizer{places: newAddressRecognizer()},
		names,
		nicknameRecognizer{nr: names},
		spacedNameRecognizer{nr: names},
	}}
}

// Recognizers returns the registered recognizers in order.
func (r *Registry) Recognizers() []Recognizer { return r.recs }

// Add registers another recognizer (before the registry is used).
func (r *Registry) Add(rec Recognizer) { r.recs = append(r.recs, rec) }

// detect runs every recognizer, applies context boosts and the threshold and
// resolves overlaps. It fails when a recognizer could not run.
func (r *Registry) detect(d *doc) ([]Span, error) {
	var all []Span
	for _, rec := range r.recs {
		n := len(all)
		all = rec.find(d, all)
		ctx := rec.Context()
		if len(ctx) == 0 {
			continue
		}
		for i := n; i < len(all); i++ {
			if all[i].Score < 1 && d.cueBefore(all[i].Start, contextWindow, ctx) {
				all[i].Score += contextBoost
				if all[i].Score > 1 {
					all[i].Score = 1
				}
			}
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	kept := all[:0]
	for _, s := range all {
		if s.Score >= r.minScore && s.End > s.Start {
			kept = append(kept, s)
		}
	}
	for _, rec := range r.recs {
		if nr, ok := rec.(nameRecognizer); ok {
			kept = corefNames(d, kept, nr)
			break
		}
	}
	return resolve(kept), nil
}

// resolve merges overlapping spans into their union (an overlap means both
// claim identifier text; keeping the union never leaves a fragment behind).
// The merged span takes the label of its highest-scoring, then longest member.
func resolve(spans []Span) []Span {
	if len(spans) == 0 {
		return nil
	}
	// stable: among spans with the same extent the earlier registered
	// recognizer's comes first and wins a tie (an unstable sort let the
	// order in which names were propagated from maps decide between, say,
	// RECORD_NUMBER and OTHER_ID for the same number, run to run)
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].Start != spans[j].Start {
			return spans[i].Start < spans[j].Start
		}
		return spans[i].End > spans[j].End
	})
	out := []Span{spans[0]}
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.Start >= last.End {
			out = append(out, s)
			continue
		}
		if better(s, *last) {
			last.Label, last.Score, last.Recognizer = s.Label, s.Score, s.Recognizer
		}
		if s.End > last.End {
			last.End = s.End
		}
	}
	return out
}

func better(a, b Span) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	return a.End-a.Start > b.End-b.Start
}

// hasAny reports whether s contains any of words.
func hasAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
