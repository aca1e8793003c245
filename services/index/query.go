package index

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"bingli/services/note"
)

// QuerySchemaVersion is the version of schemas/index/query.schema.json that
// Query encodes. A query naming another major version is rejected.
const QuerySchemaVersion = "1.0.0"

// MaxSize is the largest page of note ids one query may ask for.
const MaxSize = 10000

// Aggregation names a count a query may ask for.
type Aggregation string

const (
	// ByCategory counts notes per 3-character ICD-10 category of their
	// (matching) diagnoses.
	ByCategory Aggregation = "icd10_category"
	// ByEye counts notes per laterality of their (matching) diagnoses.
	ByEye Aggregation = "eye"
	// ByVisitYear counts notes per visit year.
	ByVisitYear Aggregation = "visit_year"
)

// Eye filter values. Right and left include diagnoses of both eyes;
// "either" is any lateralised diagnosis (right, left or both); "none" is a
// diagnosis without laterality. An empty eye filter does not restrict.
const (
	EyeFilterRight  = "right"
	EyeFilterLeft   = "left"
	EyeFilterBoth   = "both"
	EyeFilterEither = "either"
	EyeFilterNone   = "none"
)

// ErrBadQuery marks a query that cannot be run as written.
var ErrBadQuery = errors.New("bad query")

// Query is a cohort query over indexed notes. All filters that are set must
// hold (AND). See schemas/index/query.schema.json.
type Query struct {
	SchemaVersion string `json:"schema_version,omitempty"`
	// Diagnosis restricts to notes with at least one diagnosis matching the
	// filter; the same diagnosis must satisfy every part of it.
	Diagnosis *DiagnosisFilter `json:"diagnosis,omitempty"`
	// NoteTypes restricts to notes of any of these types.
	NoteTypes []string `json:"note_types,omitempty"`
	// VisitFrom and VisitTo bound the visit date (YYYY-MM-DD, inclusive).
	// Notes without a visit date never match a date bound.
	VisitFrom string `json:"visit_from,omitempty"`
	VisitTo   string `json:"visit_to,omitempty"`
	// Text restricts to notes whose text contains every word (CJK bigram)
	// of Text.
	Text string `json:"text,omitempty"`
	// ReviewStatus restricts to notes in this review state: unreviewed,
	// in_review or reviewed (services/review keeps it current).
	ReviewStatus string `json:"review_status,omitempty"`
	// Size is how many note ids to return (0: none, only counts), From the
	// offset; ids are ordered by note id.
	Size int `json:"size,omitempty"`
	From int `json:"from,omitempty"`
	// Aggregations to compute over all matching notes.
	Aggregations []Aggregation `json:"aggregations,omitempty"`
}

// DiagnosisFilter matches one diagnosis of a note.
type DiagnosisFilter struct {
	// Codes are ICD-10 codes or prefixes ("H40" matches H40.1); any of them
	// matches. Empty: any diagnosis, coded or not.
	Codes []string `json:"codes,omitempty"`
	// Eye is right, left, both, either, none or empty (any).
	Eye string `json:"eye,omitempty"`
	// Assertions the diagnosis may have; empty: any.
	Assertions []note.Assertion `json:"assertions,omitempty"`
}

// Result is a query's answer.
type Result struct {
	SchemaVersion string `json:"schema_version"`
	// Total is the number of matching notes.
	Total int `json:"total"`
	// NoteIDs is the requested page of matching note ids, by note id.
	NoteIDs []string `json:"note_ids"`
	// Aggregations holds the requested counts, buckets ordered by key, each
	// already passed through small-cell suppression.
	Aggregations map[Aggregation][]Bucket `json:"aggregations,omitempty"`
	// MinCellSize is the k below which bucket counts were suppressed.
	MinCellSize int `json:"min_cell_size"`
}

// Bucket is one aggregate count. A bucket whose count is below the minimum
// cell size carries Suppressed and no count.
type Bucket struct {
	Key        string `json:"key"`
	Count      int    `json:"count,omitempty"`
	Suppressed bool   `json:"suppressed,omitempty"`
}

// Validate checks the query and normalises it (codes upper-cased); the
// diagnosis filter is copied first, so the caller's is left untouched.
func (q *Query) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadQuery, fmt.Sprintf(format, args...))
	}
	if q.SchemaVersion != "" && !strings.HasPrefix(q.SchemaVersion, "1.") {
		return bad("schema_version %q: this build reads %s", q.SchemaVersion, QuerySchemaVersion)
	}
	if q.Diagnosis != nil {
		// Normalise a copy: the caller's filter stays as written.
		f := *q.Diagnosis
		f.Codes = slices.Clone(f.Codes)
		q.Diagnosis = &f
		for i, c := range f.Codes {
			c = normCode(c)
			if c == "" || strings.ContainsAny(c, "|*? ") {
				return bad("diagnosis code %q", f.Codes[i])
			}
			f.Codes[i] = c
		}
		switch f.Eye {
		case "", EyeFilterRight, EyeFilterLeft, EyeFilterBoth, EyeFilterEither, EyeFilterNone:
		default:
			return bad("eye %q: want right, left, both, either or none", f.Eye)
		}
		for _, a := range f.Assertions {
			switch a {
			case note.Present, note.Negated, note.Possible, note.History, note.Family:
			default:
				return bad("assertion %q", a)
			}
		}
	}
	for _, d := range []string{q.VisitFrom, q.VisitTo} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return bad("visit date %q: want YYYY-MM-DD", d)
		}
	}
	if q.Size < 0 || q.Size > MaxSize || q.From < 0 || q.From+q.Size > MaxSize {
		return bad("size %d from %d: want 0 <= from+size <= %d", q.Size, q.From, MaxSize)
	}
	if q.ReviewStatus != "" && !validReviewStatus(q.ReviewStatus) {
		return bad("review_status %q: want unreviewed, in_review or reviewed", q.ReviewStatus)
	}
	for _, a := range q.Aggregations {
		switch a {
		case ByCategory, ByEye, ByVisitYear:
		default:
			return bad("aggregation %q", a)
		}
	}
	return nil
}

// eyes returns the indexed eye values the filter accepts; nil means any.
func (f *DiagnosisFilter) eyes() []string {
	switch f.Eye {
	case EyeFilterRight:
		return []string{"right", "both"}
	case EyeFilterLeft:
		return []string{"left", "both"}
	case EyeFilterBoth:
		return []string{"both"}
	case EyeFilterEither:
		return []string{"right", "left", "both"}
	case EyeFilterNone:
		return []string{"none"}
	}
	return nil
}

func (f *DiagnosisFilter) assertions() []string {
	out := make([]string, len(f.Assertions))
	for i, a := range f.Assertions {
		out[i] = string(a)
	}
	return out
}

// diagnosisKey is how the embedded index keeps one diagnosis as a single
// keyword, so that code, eye and assertion are matched on the same
// diagnosis: "assertion|eye|CODE".
func diagnosisKey(d note.Diagnosis) string {
	return assertionKey(d.Assertion) + "|" + eyeKey(d.Eye) + "|" + normCode(d.ICD10)
}

// splitDiagnosisKey is the inverse of diagnosisKey.
func splitDiagnosisKey(k string) (assertion, eye, code string) {
	parts := strings.SplitN(k, "|", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[1], parts[2]
}

// regexp returns an expression matching exactly the diagnosis keys the
// filter accepts.
func (f *DiagnosisFilter) regexp() string {
	alt := func(vals []string, any string, suffix string) string {
		if len(vals) == 0 {
			return any
		}
		q := make([]string, len(vals))
		for i, v := range vals {
			q[i] = regexp.QuoteMeta(v) + suffix
		}
		return "(" + strings.Join(q, "|") + ")"
	}
	return alt(f.assertions(), "[^|]*", "") + `\|` + alt(f.eyes(), "[^|]*", "") + `\|` + alt(f.Codes, ".*", ".*")
}

// matches reports whether one diagnosis key satisfies the filter (nil
// filter: every diagnosis).
func (f *DiagnosisFilter) matches(key string) bool {
	if f == nil {
		return true
	}
	a, e, c := splitDiagnosisKey(key)
	if as := f.assertions(); len(as) > 0 && !contains(as, a) {
		return false
	}
	if es := f.eyes(); es != nil && !contains(es, e) {
		return false
	}
	if len(f.Codes) == 0 {
		return true
	}
	for _, p := range f.Codes {
		if strings.HasPrefix(c, p) {
			return true
		}
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
