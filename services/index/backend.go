// Package index is the index stage: it stores de-identified, coded notes in a
// searchable index and answers cohort queries over them.
//
// Two backends sit behind one small interface: an embedded bleve index on
// local disk (the default for one machine) and Elasticsearch 8.x (or
// OpenSearch through a compatibility option) for production clusters. One
// contract test suite runs against both and asserts identical results.
package index

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"bingli/services/note"
)

// Backend stores notes and answers cohort queries.
type Backend interface {
	// Ensure creates the index and its mapping; it is idempotent.
	Ensure(ctx context.Context) error
	// Upsert stores notes under their note id (idempotent: storing a note
	// again replaces it). It returns only once the notes are stored. A
	// *ItemErrors error says which notes failed and whether permanently.
	Upsert(ctx context.Context, notes []*note.Note) error
	// Get returns a stored note; ok is false when there is none.
	Get(ctx context.Context, noteID string) (n *note.Note, ok bool, err error)
	// Search runs a cohort query.
	Search(ctx context.Context, q Query) (Result, error)
	// Refresh makes all completed writes visible to Search.
	Refresh(ctx context.Context) error
	Close() error
}

// ItemErrors reports the notes of one Upsert that were not stored while
// the others were.
type ItemErrors struct {
	// Failed maps note id to why it was not stored.
	Failed map[string]ItemError
}

// ItemError is one note's failure.
type ItemError struct {
	Reason string
	// Permanent is true when retrying cannot help (a mapping conflict, a
	// malformed document); false for transient failures (overload).
	Permanent bool
}

func (e *ItemErrors) Error() string {
	ids := make([]string, 0, len(e.Failed))
	for id := range e.Failed {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	fmt.Fprintf(&b, "%d notes not stored", len(ids))
	for i, id := range ids {
		if i == 3 {
			b.WriteString(", ...")
			break
		}
		fmt.Fprintf(&b, "; %s: %s", id, e.Failed[id].Reason)
	}
	return b.String()
}

// errNoID is returned for a note without a note id.
var errNoID = errors.New("note without note_id")

// Category returns the 3-character ICD-10 category of a code ("H40.11" ->
// "H40"), upper-cased; "" for an empty code.
func Category(code string) string {
	code = normCode(code)
	if len(code) > 3 {
		return code[:3]
	}
	return code
}

func normCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// eyeKey is the indexed value of a laterality; a diagnosis without one is
// indexed as "none" so that it can be filtered and counted.
func eyeKey(e note.Eye) string {
	if e == note.EyeNone {
		return "none"
	}
	return string(e)
}

// assertionKey is the indexed value of an assertion ("none" when unset).
func assertionKey(a note.Assertion) string {
	if a == "" {
		return "none"
	}
	return string(a)
}

// visitYear returns the year of a YYYY-MM-DD visit date, "" when absent or
// malformed.
func visitYear(date string) string {
	if len(date) >= 4 && isDigits(date[:4]) {
		return date[:4]
	}
	return ""
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
