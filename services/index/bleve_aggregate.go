package index

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// bleveCountAbove is the number of matching notes above which the embedded
// backend aggregates with one count query per bucket instead of reading
// the stored diagnosis keys of every matching note: reading is one pass
// but costs a stored-field load per note (seconds at a million matches);
// a count query only walks posting lists.
var bleveCountAbove = 2000

// aggregateByCounts computes the raw counts of the requested aggregations
// with count queries: the buckets are read from the term dictionaries of
// the keyword fields, and each bucket's count is the number of notes that
// match the query AND hold one of the bucket's terms. For categories and
// eyes, the terms are the diagnosis keys (assertion|eye|CODE) that satisfy
// the diagnosis filter, so a note counts once per category or eye of its
// matching diagnoses, exactly as countNote does.
//
// A diagnosis bucket's terms all satisfy the filter, so a note holding one
// of them satisfies the diagnosis part of the query by itself: its count
// query is the rest of the query (notDx) AND the bucket's terms, without
// the filter's regexp.
func (b *Bleve) aggregateByCounts(ctx context.Context, q *Query, bq query.Query, want []Aggregation) (map[Aggregation]map[string]int, error) {
	f := q.Diagnosis
	rest := *q
	rest.Diagnosis = nil
	notDx := b.query(&rest)
	raw := map[Aggregation]map[string]int{ByCategory: {}, ByEye: {}, ByVisitYear: {}}
	keys, err := b.terms(fDx)
	if err != nil {
		return nil, err
	}
	var dxKeys []string // the diagnosis keys the filter accepts
	for _, k := range keys {
		if f.matches(k) {
			dxKeys = append(dxKeys, k)
		}
	}
	// The years' base is the query with the filter's regexp replaced by
	// the terms it accepts (a regexp is expanded again by every query).
	yearBase := bq
	if f != nil {
		if len(dxKeys) == 0 {
			return raw, nil
		}
		yearBase = and(notDx, termsQuery(fDx, dxKeys))
		if _, all := notDx.(*query.MatchAllQuery); !all {
			yearBase = bq // measured: a conjunction with the regexp is faster here
		}
	}
	var jobs []countJob
	for _, a := range want {
		groups := map[string][]string{} // bucket -> terms
		field, base := fDx, notDx
		switch a {
		case ByVisitYear:
			years, err := b.terms(fVisitYear)
			if err != nil {
				return nil, err
			}
			for _, y := range years {
				groups[y] = []string{y}
			}
			field, base = fVisitYear, yearBase
		case ByCategory:
			for _, k := range dxKeys {
				if _, _, c := splitDiagnosisKey(k); c != "" {
					groups[Category(c)] = append(groups[Category(c)], k)
				}
			}
		case ByEye:
			for _, k := range dxKeys {
				_, e, _ := splitDiagnosisKey(k)
				groups[e] = append(groups[e], k)
			}
		}
		for bucket, terms := range groups {
			jobs = append(jobs, countJob{agg: a, bucket: bucket, base: base, field: field, terms: terms})
		}
	}
	// The count queries are independent: run them on every core.
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i := range jobs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			jobs[i].n, errs[i] = b.count(ctx, jobs[i].base, jobs[i].field, jobs[i].terms)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if j.n > 0 {
			raw[j.agg][j.bucket] = j.n
		}
	}
	return raw, nil
}

// countJob is one bucket's count query.
type countJob struct {
	agg           Aggregation
	base          query.Query
	bucket, field string
	terms         []string
	n             int
}

// terms lists the distinct terms of a keyword field.
func (b *Bleve) terms(field string) ([]string, error) {
	d, err := b.idx.FieldDict(field)
	if err != nil {
		return nil, fmt.Errorf("index: terms of %s: %w", field, err)
	}
	defer d.Close()
	var out []string
	for {
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("index: terms of %s: %w", field, err)
		}
		if e == nil {
			return out, nil
		}
		if e.Count > 0 {
			out = append(out, e.Term)
		}
	}
}

// termsQuery matches notes holding any of terms in field.
func termsQuery(field string, terms []string) query.Query {
	any := make([]query.Query, len(terms))
	for i, t := range terms {
		tq := bleve.NewTermQuery(t)
		tq.SetField(field)
		any[i] = tq
	}
	return bleve.NewDisjunctionQuery(any...)
}

// and is a AND x; "every note AND x" is x.
func and(a, x query.Query) query.Query {
	if _, all := a.(*query.MatchAllQuery); all {
		return x
	}
	return bleve.NewConjunctionQuery(a, x)
}

// count returns how many notes match bq and hold any of terms in field.
func (b *Bleve) count(ctx context.Context, bq query.Query, field string, terms []string) (int, error) {
	req := bleve.NewSearchRequestOptions(and(bq, termsQuery(field, terms)), 0, 0, false)
	req.Score = bleve.ScoreNone
	sr, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("index: aggregate count: %w", err)
	}
	return int(sr.Total), nil
}
