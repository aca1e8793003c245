package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"bingli/services/note"
)

// bleveMappingVersion is stored in the index; an index built with another
// mapping version must be rebuilt.
const bleveMappingVersion = "2" // 2: review_status, review_annotators

// Field names in the embedded index.
const (
	fNote      = "note"       // the whole note as JSON, stored, not indexed
	fText      = "text"       // CJK-analysed text
	fDx        = "dx"         // one keyword per diagnosis: assertion|eye|CODE
	fDxCode    = "dx_code"    // ICD-10 codes
	fMeas      = "meas"       // one keyword per measurement: kind|eye
	fNoteType  = "note_type"  // keyword
	fPatient   = "patient_id" // keyword
	fVisitDate = "visit_date" // datetime
	fVisitYear = "visit_year" // keyword
)

// BleveOptions configures the embedded backend.
type BleveOptions struct {
	// Dir is the index directory (created on first use).
	Dir string
	// MinCellSize is the small-cell suppression k (default 10).
	MinCellSize int
	// MaxSegmentDocs caps the notes in one index segment that merging may
	// build (default DefaultMaxSegmentDocs). A merge maps its source
	// segments into memory and reads them through, so the largest merge
	// sets how far the process's resident file pages rise while it runs;
	// bleve's own default (5,000,000 documents) lets that grow with the
	// archive. Segments at half the cap are no longer merged.
	MaxSegmentDocs int
}

// DefaultMaxSegmentDocs bounds a merged segment at about 1 GB of index
// (5–6 KB a note in the default mapping) and a 1,000,000-note index at
// roughly 5–20 segments.
const DefaultMaxSegmentDocs = 200_000

// scorchConfig is bleve's runtime configuration for the embedded index:
// the merge policy with the segment cap, the rest bleve's defaults.
func scorchConfig(maxDocs int) map[string]interface{} {
	if maxDocs <= 0 {
		maxDocs = DefaultMaxSegmentDocs
	}
	// decoded by scorch over its own defaults (mergeplan.MergePlanOptions)
	return map[string]interface{}{"scorchMergePlanOptions": map[string]interface{}{"MaxSegmentSize": maxDocs}}
}

// Bleve is the embedded backend: a bleve index on local disk.
type Bleve struct {
	idx       bleve.Index
	k         int
	reviews   reviewMemo
	closeOnce sync.Once
	closeErr  error
}

var _ Backend = (*Bleve)(nil)

// OpenBleve opens the embedded index under opts.Dir, creating it when absent.
func OpenBleve(opts BleveOptions) (*Bleve, error) {
	if opts.Dir == "" {
		return nil, errors.New("index: embedded backend needs a directory")
	}
	var idx bleve.Index
	var err error
	if _, statErr := os.Stat(filepath.Join(opts.Dir, "index_meta.json")); statErr == nil {
		idx, err = bleve.OpenUsing(opts.Dir, scorchConfig(opts.MaxSegmentDocs))
	} else {
		if err := os.MkdirAll(filepath.Dir(opts.Dir), 0o755); err != nil {
			return nil, fmt.Errorf("index: %w", err)
		}
		idx, err = bleve.NewUsing(opts.Dir, bleveMapping(), scorch.Name, scorch.Name, scorchConfig(opts.MaxSegmentDocs))
		if err == nil {
			err = idx.SetInternal([]byte("bingli_mapping_version"), []byte(bleveMappingVersion))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", opts.Dir, err)
	}
	return &Bleve{idx: idx, k: minCellSize(opts.MinCellSize)}, nil
}

func bleveMapping() *mapping.IndexMappingImpl {
	kw := func(store bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false // no faceting or sorting on these
		return f
	}
	text := mapping.NewTextFieldMapping()
	text.Analyzer = cjk.AnalyzerName
	text.Store = false
	text.IncludeInAll = false
	// No phrase queries or highlighting (yet): term vectors and doc values
	// would only slow indexing down.
	text.IncludeTermVectors = false
	text.DocValues = false
	stored := mapping.NewTextFieldMapping()
	stored.Index = false
	stored.Store = true
	stored.IncludeInAll = false
	stored.IncludeTermVectors = false
	stored.DocValues = false
	date := mapping.NewDateTimeFieldMapping()
	date.IncludeInAll = false
	date.DocValues = false

	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fNote, stored)
	doc.AddFieldMappingsAt(fText, text)
	doc.AddFieldMappingsAt(fDx, kw(true))
	doc.AddFieldMappingsAt(fDxCode, kw(false))
	doc.AddFieldMappingsAt(fMeas, kw(false))
	doc.AddFieldMappingsAt(fNoteType, kw(false))
	doc.AddFieldMappingsAt(fPatient, kw(false))
	doc.AddFieldMappingsAt(fVisitDate, date)
	doc.AddFieldMappingsAt(fVisitYear, kw(true))
	addReviewFields(doc)

	m := mapping.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}

// Ensure checks that the index was built with this build's mapping.
func (b *Bleve) Ensure(ctx context.Context) error {
	v, err := b.idx.GetInternal([]byte("bingli_mapping_version"))
	if err != nil {
		return fmt.Errorf("index: read mapping version: %w", err)
	}
	if string(v) != bleveMappingVersion {
		return fmt.Errorf("index: embedded index has mapping version %q, this build writes %q: rebuild it", v, bleveMappingVersion)
	}
	return nil
}

// bleveDoc is what the embedded index stores for one note.
func bleveDoc(n *note.Note) (map[string]any, error) {
	raw, err := json.Marshal(n)
	if err != nil {
		return nil, err
	}
	dx := make([]string, 0, len(n.Diagnoses))
	var codes []string
	for _, d := range n.Diagnoses {
		dx = append(dx, diagnosisKey(d))
		if c := normCode(d.ICD10); c != "" {
			codes = append(codes, c)
		}
	}
	meas := make([]string, 0, len(n.Measurements))
	for _, m := range n.Measurements {
		meas = append(meas, m.Kind+"|"+eyeKey(m.Eye))
	}
	doc := map[string]any{
		fNote:     string(raw),
		fText:     n.Text,
		fDx:       dx,
		fDxCode:   codes,
		fMeas:     meas,
		fNoteType: n.NoteType,
		fPatient:  n.PatientID,
	}
	if t, err := time.Parse(time.DateOnly, n.VisitDate); err == nil {
		doc[fVisitDate] = t
		doc[fVisitYear] = visitYear(n.VisitDate)
	}
	return doc, nil
}

// Upsert indexes notes in one batch; bleve returns once the batch is
// persisted.
func (b *Bleve) Upsert(ctx context.Context, notes []*note.Note) error {
	if len(notes) == 0 {
		return nil
	}
	batch := b.idx.NewBatch()
	failed := map[string]ItemError{}
	for _, n := range notes {
		if n.NoteID == "" {
			return fmt.Errorf("index: %w", errNoID)
		}
		doc, err := bleveDoc(n)
		if err == nil {
			b.reviews.addTo(n.NoteID, doc)
			err = batch.Index(n.NoteID, doc)
		}
		if err != nil {
			failed[n.NoteID] = ItemError{Reason: err.Error(), Permanent: true}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := b.idx.Batch(batch); err != nil {
		return fmt.Errorf("index: embedded batch of %d: %w", len(notes), err)
	}
	if len(failed) > 0 {
		return &ItemErrors{Failed: failed}
	}
	return nil
}

// Get returns the stored note.
func (b *Bleve) Get(ctx context.Context, noteID string) (*note.Note, bool, error) {
	d, err := b.idx.Document(noteID)
	if err != nil {
		return nil, false, fmt.Errorf("index: get %s: %w", noteID, err)
	}
	if d == nil {
		return nil, false, nil
	}
	var raw []byte
	d.VisitFields(func(f bindex.Field) {
		if f.Name() == fNote {
			raw = f.Value()
		}
	})
	if raw == nil {
		return nil, false, nil
	}
	var n note.Note
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, false, fmt.Errorf("index: decode stored note %s: %w", noteID, err)
	}
	return &n, true, nil
}

// Refresh is a no-op: a completed batch is already searchable.
func (b *Bleve) Refresh(ctx context.Context) error { return nil }

// Close closes the index; it is idempotent.
func (b *Bleve) Close() error {
	b.closeOnce.Do(func() { b.closeErr = b.idx.Close() })
	return b.closeErr
}

func (b *Bleve) query(q *Query) query.Query {
	var must []query.Query
	if f := q.Diagnosis; f != nil {
		rq := bleve.NewRegexpQuery(f.regexp())
		rq.SetField(fDx)
		must = append(must, rq)
	}
	if len(q.NoteTypes) > 0 {
		var any []query.Query
		for _, t := range q.NoteTypes {
			tq := bleve.NewTermQuery(t)
			tq.SetField(fNoteType)
			any = append(any, tq)
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	if q.VisitFrom != "" || q.VisitTo != "" {
		var from, to time.Time
		if q.VisitFrom != "" {
			from, _ = time.Parse(time.DateOnly, q.VisitFrom)
		}
		if q.VisitTo != "" {
			to, _ = time.Parse(time.DateOnly, q.VisitTo)
		}
		incl := true
		dq := bleve.NewDateRangeInclusiveQuery(from, to, &incl, &incl)
		dq.SetField(fVisitDate)
		must = append(must, dq)
	}
	if q.Text != "" {
		mq := bleve.NewMatchQuery(q.Text)
		mq.SetField(fText)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		must = append(must, mq)
	}
	if q.ReviewStatus != "" {
		must = append(must, reviewStatusQuery(q.ReviewStatus))
	}
	if len(must) == 0 {
		return bleve.NewMatchAllQuery()
	}
	return bleve.NewConjunctionQuery(must...)
}

// Search runs a cohort query. Aggregations are computed here, over the
// stored diagnosis keys of every matching note, so that they count the
// diagnoses that match the filter exactly as the nested aggregations of
// the Elasticsearch backend do.
func (b *Bleve) Search(ctx context.Context, q Query) (Result, error) {
	if err := q.Validate(); err != nil {
		return Result{}, err
	}
	bq := b.query(&q)
	req := bleve.NewSearchRequestOptions(bq, q.Size, q.From, false)
	req.Score = bleve.ScoreNone // ids come by note id, not by relevance
	if q.Size > 0 {
		req.SortBy([]string{"_id"})
	}
	sr, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("index: search: %w", err)
	}
	res := Result{SchemaVersion: QuerySchemaVersion, Total: int(sr.Total), NoteIDs: make([]string, 0, len(sr.Hits)), MinCellSize: b.k}
	for _, h := range sr.Hits {
		res.NoteIDs = append(res.NoteIDs, h.ID)
	}
	if len(q.Aggregations) == 0 {
		return res, nil
	}
	var raw map[Aggregation]map[string]int
	if res.Total > bleveCountAbove {
		raw, err = b.aggregateByCounts(ctx, &q, bq, q.Aggregations)
	} else {
		raw, err = b.aggregate(ctx, bq, q.Diagnosis)
	}
	if err != nil {
		return Result{}, err
	}
	res.Aggregations = suppressAll(q.Aggregations, raw, b.k)
	return res, nil
}

// bleveAggPage is how many matching notes one aggregation page reads.
var bleveAggPage = 5000

// aggregate pages through all matching notes (by id) and counts them.
func (b *Bleve) aggregate(ctx context.Context, bq query.Query, f *DiagnosisFilter) (map[Aggregation]map[string]int, error) {
	page := bleveAggPage
	raw := map[Aggregation]map[string]int{ByCategory: {}, ByEye: {}, ByVisitYear: {}}
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bq, page, 0, false)
		req.SortBy([]string{"_id"})
		req.Fields = []string{fDx, fVisitYear}
		if after != nil {
			req.SearchAfter = after
		}
		sr, err := b.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("index: aggregate: %w", err)
		}
		for _, h := range sr.Hits {
			countNote(raw, storedStrings(h.Fields[fDx]), storedStrings(h.Fields[fVisitYear]), f)
		}
		if len(sr.Hits) < page {
			return raw, nil
		}
		after = []string{sr.Hits[len(sr.Hits)-1].ID}
	}
}

// countNote adds one matching note to the raw counts: once per distinct
// category and eye among its diagnoses that match f, once for its year.
func countNote(raw map[Aggregation]map[string]int, dx, years []string, f *DiagnosisFilter) {
	cats, eyes := map[string]bool{}, map[string]bool{}
	for _, k := range dx {
		if !f.matches(k) {
			continue
		}
		_, e, c := splitDiagnosisKey(k)
		if c != "" {
			cats[Category(c)] = true
		}
		eyes[e] = true
	}
	for c := range cats {
		raw[ByCategory][c]++
	}
	for e := range eyes {
		raw[ByEye][e]++
	}
	if len(years) > 0 && years[0] != "" {
		raw[ByVisitYear][years[0]]++
	}
}

// storedStrings reads a stored field, which bleve returns as a string for
// one value and a slice for several.
func storedStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
