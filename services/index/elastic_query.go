package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/elastic/go-elasticsearch/v8/esapi"
)

type obj = map[string]any

// esDiagnosisFilter is the filter on one nested diagnosis (fields are
// diagnoses.*); nil filter: any diagnosis.
func esDiagnosisFilter(f *DiagnosisFilter) obj {
	if f == nil {
		return obj{"match_all": obj{}}
	}
	var filter []any
	if len(f.Codes) > 0 {
		var should []any
		for _, c := range f.Codes {
			should = append(should, obj{"prefix": obj{"diagnoses.icd10": c}})
		}
		filter = append(filter, obj{"bool": obj{"should": should, "minimum_should_match": 1}})
	}
	if es := f.eyes(); es != nil {
		filter = append(filter, obj{"terms": obj{"diagnoses.eye": es}})
	}
	if as := f.assertions(); len(as) > 0 {
		filter = append(filter, obj{"terms": obj{"diagnoses.assertion": as}})
	}
	if len(filter) == 0 {
		return obj{"match_all": obj{}}
	}
	return obj{"bool": obj{"filter": filter}}
}

func esQuery(q *Query) obj {
	var filter []any
	if q.Diagnosis != nil {
		filter = append(filter, obj{"nested": obj{"path": "diagnoses", "query": esDiagnosisFilter(q.Diagnosis)}})
	}
	if len(q.NoteTypes) > 0 {
		filter = append(filter, obj{"terms": obj{"note_type": q.NoteTypes}})
	}
	if q.VisitFrom != "" || q.VisitTo != "" {
		r := obj{"format": "yyyy-MM-dd"}
		if q.VisitFrom != "" {
			r["gte"] = q.VisitFrom
		}
		if q.VisitTo != "" {
			r["lte"] = q.VisitTo
		}
		filter = append(filter, obj{"range": obj{"visit_date": r}})
	}
	if q.Text != "" {
		filter = append(filter, obj{"match": obj{"text": obj{"query": q.Text, "operator": "and"}}})
	}
	if q.ReviewStatus != "" {
		t := obj{"term": obj{"review_status": q.ReviewStatus}}
		if q.ReviewStatus == ReviewUnreviewed { // documents indexed before the field existed
			t = obj{"bool": obj{"should": []any{t, obj{"bool": obj{"must_not": obj{"exists": obj{"field": "review_status"}}}}}, "minimum_should_match": 1}}
		}
		filter = append(filter, t)
	}
	if len(filter) == 0 {
		return obj{"match_all": obj{}}
	}
	return obj{"bool": obj{"filter": filter}}
}

// Bucket limits of the terms aggregations; far above the number of ICD-10
// categories (about 2,000), eyes and years.
const (
	esCategoryBuckets = 5000
	esSmallBuckets    = 500
)

func esAggs(q *Query) obj {
	notes := obj{"notes": obj{"reverse_nested": obj{}}}
	return obj{
		"dx": obj{"nested": obj{"path": "diagnoses"}, "aggs": obj{
			"m": obj{"filter": esDiagnosisFilter(q.Diagnosis), "aggs": obj{
				"cat": obj{"terms": obj{"field": "diagnoses.icd10_category", "size": esCategoryBuckets}, "aggs": notes},
				"eye": obj{"terms": obj{"field": "diagnoses.eye", "size": esSmallBuckets}, "aggs": notes},
			}},
		}},
		"year": obj{"terms": obj{"field": "visit_year", "size": esSmallBuckets}},
	}
}

type esTerms struct {
	Other   int `json:"sum_other_doc_count"`
	Buckets []struct {
		Key      string `json:"key"`
		DocCount int    `json:"doc_count"`
		Notes    *struct {
			DocCount int `json:"doc_count"`
		} `json:"notes"`
	} `json:"buckets"`
}

func (t esTerms) counts() (map[string]int, error) {
	if t.Other > 0 {
		return nil, fmt.Errorf("terms aggregation truncated (%d documents in other buckets)", t.Other)
	}
	out := make(map[string]int, len(t.Buckets))
	for _, b := range t.Buckets {
		n := b.DocCount
		if b.Notes != nil {
			n = b.Notes.DocCount // nested: count notes, not diagnoses
		}
		out[b.Key] = n
	}
	return out, nil
}

// Search runs a cohort query: note ids ordered by note id, total, and
// aggregations counting notes (reverse_nested) per category and eye of the
// diagnoses that match the filter.
func (e *Elastic) Search(ctx context.Context, q Query) (Result, error) {
	if err := q.Validate(); err != nil {
		return Result{}, err
	}
	body := obj{
		"query":            esQuery(&q),
		"size":             q.Size,
		"from":             q.From,
		"sort":             []any{obj{"note_id": "asc"}},
		"_source":          false,
		"track_total_hits": true,
	}
	if len(q.Aggregations) > 0 {
		body["aggs"] = esAggs(&q)
	}
	b, _ := json.Marshal(body)
	_, rb, err := e.do(ctx, esapi.SearchRequest{Index: []string{e.index}, Body: bytes.NewReader(b)})
	if err != nil {
		return Result{}, fmt.Errorf("index: search %s: %w", e.index, err)
	}
	var res struct {
		Hits struct {
			Total struct {
				Value int `json:"value"`
			} `json:"total"`
			Hits []struct {
				ID string `json:"_id"`
			} `json:"hits"`
		} `json:"hits"`
		Aggregations struct {
			Dx struct {
				M struct {
					Cat esTerms `json:"cat"`
					Eye esTerms `json:"eye"`
				} `json:"m"`
			} `json:"dx"`
			Year esTerms `json:"year"`
		} `json:"aggregations"`
	}
	if err := json.Unmarshal(rb, &res); err != nil {
		return Result{}, fmt.Errorf("index: decode search response: %w", err)
	}
	out := Result{SchemaVersion: QuerySchemaVersion, Total: res.Hits.Total.Value, NoteIDs: make([]string, 0, len(res.Hits.Hits)), MinCellSize: e.k}
	for _, h := range res.Hits.Hits {
		out.NoteIDs = append(out.NoteIDs, h.ID)
	}
	if len(q.Aggregations) == 0 {
		return out, nil
	}
	raw := map[Aggregation]map[string]int{}
	for a, t := range map[Aggregation]esTerms{ByCategory: res.Aggregations.Dx.M.Cat, ByEye: res.Aggregations.Dx.M.Eye, ByVisitYear: res.Aggregations.Year} {
		c, err := t.counts()
		if err != nil {
			return Result{}, fmt.Errorf("index: %s: %w", a, err)
		}
		raw[a] = c
	}
	out.Aggregations = suppressAll(q.Aggregations, raw, e.k)
	return out, nil
}
