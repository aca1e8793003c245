package index

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Review states of a note (services/review materialises them from the
// REVIEWS stream).
const (
	ReviewUnreviewed = "unreviewed"
	ReviewInReview   = "in_review"
	ReviewReviewed   = "reviewed"
)

// Fields of the embedded index that hold a note's review state.
const (
	fReviewStatus     = "review_status"     // keyword: unreviewed, in_review, reviewed
	fReviewAnnotators = "review_annotators" // keyword: how many annotators submitted ("0", "1", ...)
)

// ReviewStatus is a note's review state as the index keeps it.
type ReviewStatus struct {
	NoteID string `json:"note_id"`
	Status string `json:"status"`
	// Annotators is how many annotators submitted a correction.
	Annotators int `json:"annotators"`
}

// ReviewStatusIndex is a backend that keeps each note's review state,
// queryable with Query.ReviewStatus.
type ReviewStatusIndex interface {
	// SetReviewStatus records review states. A state for a note not (yet)
	// indexed is kept and applied when the note is stored.
	SetReviewStatus(ctx context.Context, sts []ReviewStatus) error
	// GetReviewStatus returns a note's review state; ok is false for a note
	// that is not indexed.
	GetReviewStatus(ctx context.Context, noteID string) (st ReviewStatus, ok bool, err error)
}

var _ ReviewStatusIndex = (*Bleve)(nil)

func validReviewStatus(s string) bool {
	return s == ReviewUnreviewed || s == ReviewInReview || s == ReviewReviewed
}

// reviewMemo holds the review states set so far, so that a note indexed
// again (reprocessed) keeps its state. It holds only reviewed or assigned
// notes: thousands, not the whole archive.
type reviewMemo struct {
	mu sync.Mutex
	m  map[string]ReviewStatus
}

func (r *reviewMemo) set(st ReviewStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]ReviewStatus{}
	}
	r.m[st.NoteID] = st
}

// get returns the note's recorded state, else unreviewed.
func (r *reviewMemo) get(noteID string) ReviewStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.m[noteID]; ok {
		return st
	}
	return ReviewStatus{NoteID: noteID, Status: ReviewUnreviewed}
}

// addTo writes the note's review fields into an index document: its
// recorded state, else unreviewed.
func (r *reviewMemo) addTo(noteID string, doc map[string]any) {
	r.mu.Lock()
	st, ok := r.m[noteID]
	r.mu.Unlock()
	if !ok {
		st = ReviewStatus{Status: ReviewUnreviewed}
	}
	doc[fReviewStatus] = st.Status
	doc[fReviewAnnotators] = strconv.Itoa(st.Annotators)
}

func addReviewFields(doc *mapping.DocumentMapping) {
	for _, name := range []string{fReviewStatus, fReviewAnnotators} {
		f := mapping.NewKeywordFieldMapping()
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		doc.AddFieldMappingsAt(name, f)
	}
}

func reviewStatusQuery(status string) query.Query {
	tq := bleve.NewTermQuery(status)
	tq.SetField(fReviewStatus)
	return tq
}

// SetReviewStatus re-indexes each already indexed note with its new review
// state, in one batch; a note not indexed yet gets its state when it is.
func (b *Bleve) SetReviewStatus(ctx context.Context, sts []ReviewStatus) error {
	batch := b.idx.NewBatch()
	for _, st := range sts {
		if !validReviewStatus(st.Status) || st.NoteID == "" || st.Annotators < 0 {
			return fmt.Errorf("index: review status %q of note %q: %w", st.Status, st.NoteID, ErrBadQuery)
		}
		b.reviews.set(st)
		n, ok, err := b.Get(ctx, st.NoteID)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		doc, err := bleveDoc(n)
		if err != nil {
			return fmt.Errorf("index: review status of %s: %w", st.NoteID, err)
		}
		b.reviews.addTo(st.NoteID, doc)
		if err := batch.Index(st.NoteID, doc); err != nil {
			return fmt.Errorf("index: review status of %s: %w", st.NoteID, err)
		}
	}
	if batch.Size() == 0 {
		return nil
	}
	if err := b.idx.Batch(batch); err != nil {
		return fmt.Errorf("index: review status batch of %d: %w", batch.Size(), err)
	}
	return nil
}

// GetReviewStatus reads a note's review state from its index document.
func (b *Bleve) GetReviewStatus(_ context.Context, noteID string) (ReviewStatus, bool, error) {
	d, err := b.idx.Document(noteID)
	if err != nil {
		return ReviewStatus{}, false, fmt.Errorf("index: review status of %s: %w", noteID, err)
	}
	if d == nil {
		return ReviewStatus{}, false, nil
	}
	st := ReviewStatus{NoteID: noteID, Status: ReviewUnreviewed}
	d.VisitFields(func(f bindex.Field) {
		switch f.Name() {
		case fReviewStatus:
			st.Status = string(f.Value())
		case fReviewAnnotators:
			st.Annotators, _ = strconv.Atoi(string(f.Value()))
		}
	})
	return st, true, nil
}
