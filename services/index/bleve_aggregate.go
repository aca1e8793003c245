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
func (b *Bleve) aggregateByCounts(ctx context.Context, bq query.Query, f *DiagnosisFilter, want []Aggregation) (map[Aggregation]map[string]int, error) {
	raw := map[Aggregation]map[string]int{ByCategory: {}, ByEye: {}, ByVisitYear: {}}
	var dxKeys []string
	var jobs []countJob
	for _, a := range want {
		if a != ByVisitYear && dxKeys == nil {
			keys, err := b.terms(fDx)
			if err != nil {
				return nil, err
			}
			dxKeys = []string{}
			for _, k := range keys {
				if f.matches(k) {
					dxKeys = append(dxKeys, k)
				}
			}
		}
		groups := map[string][]string{} // bucket -> terms
		field := fDx
		switch a {
		case ByVisitYear:
			years, err := b.terms(fVisitYear)
			if err != nil {
				return nil, err
			}
			for _, y := range years {
				groups[y] = []string{y}
			}
			field = fVisitYear
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
			jobs = append(jobs, countJob{agg: a, bucket: bucket, field: field, terms: terms})
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
			jobs[i].n, errs[i] = b.count(ctx, bq, jobs[i].field, jobs[i].terms)
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

// count returns how many notes match bq and hold any of terms in field.
func (b *Bleve) count(ctx context.Context, bq query.Query, field string, terms []string) (int, error) {
	any := make([]query.Query, len(terms))
	for i, t := range terms {
		tq := bleve.NewTermQuery(t)
		tq.SetField(field)
		any[i] = tq
	}
	var cq query.Query = bleve.NewDisjunctionQuery(any...)
	if _, all := bq.(*query.MatchAllQuery); !all { // "every note AND x" is x
		cq = bleve.NewConjunctionQuery(bq, cq)
	}
	req := bleve.NewSearchRequestOptions(cq, 0, 0, false)
	req.Score = bleve.ScoreNone
	sr, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("index: aggregate count: %w", err)
	}
	return int(sr.Total), nil
}
