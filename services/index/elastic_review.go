package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/elastic/go-elasticsearch/v8/esapi"
)

var _ ReviewStatusIndex = (*Elastic)(nil)

// SetReviewStatus updates the review fields of the indexed notes in one
// _bulk request of partial updates; a note not indexed yet (404) gets its
// state when it is.
func (e *Elastic) SetReviewStatus(ctx context.Context, sts []ReviewStatus) error {
	var body bytes.Buffer
	for _, st := range sts {
		if !validReviewStatus(st.Status) || st.NoteID == "" || st.Annotators < 0 {
			return fmt.Errorf("index: review status %q of note %q: %w", st.Status, st.NoteID, ErrBadQuery)
		}
		e.reviews.set(st)
		meta, _ := json.Marshal(obj{"update": obj{"_index": e.index, "_id": st.NoteID, "retry_on_conflict": 3}})
		doc, _ := json.Marshal(obj{"doc": obj{"review_status": st.Status, "review_annotators": st.Annotators}})
		body.Write(meta)
		body.WriteByte('\n')
		body.Write(doc)
		body.WriteByte('\n')
	}
	if body.Len() == 0 {
		return nil
	}
	_, b, err := e.do(ctx, esapi.BulkRequest{Body: &body})
	if err != nil {
		return fmt.Errorf("index: review status of %d notes: %w", len(sts), err)
	}
	var res struct {
		Items []map[string]struct {
			Status int `json:"status"`
			Error  *struct {
				Type string `json:"type"`
			} `json:"error"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return fmt.Errorf("index: decode review status response: %w", err)
	}
	for _, it := range res.Items {
		for _, r := range it {
			if r.Error != nil && r.Status != http.StatusNotFound {
				return fmt.Errorf("index: review status update: %s (status %d)", r.Error.Type, r.Status)
			}
		}
	}
	return nil
}

// GetReviewStatus reads a note's review fields.
func (e *Elastic) GetReviewStatus(ctx context.Context, noteID string) (ReviewStatus, bool, error) {
	st, b, err := e.do(ctx, esapi.GetRequest{Index: e.index, DocumentID: noteID, SourceIncludes: []string{"review_status", "review_annotators"}}, http.StatusNotFound)
	if err != nil {
		return ReviewStatus{}, false, fmt.Errorf("index: review status of %s: %w", noteID, err)
	}
	if st == http.StatusNotFound {
		return ReviewStatus{}, false, nil
	}
	var doc struct {
		Source struct {
			Status     string `json:"review_status"`
			Annotators int    `json:"review_annotators"`
		} `json:"_source"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return ReviewStatus{}, false, fmt.Errorf("index: review status of %s: %w", noteID, err)
	}
	out := ReviewStatus{NoteID: noteID, Status: doc.Source.Status, Annotators: doc.Source.Annotators}
	if out.Status == "" {
		out.Status = ReviewUnreviewed
	}
	return out, true, nil
}
