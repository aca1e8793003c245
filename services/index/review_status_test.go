package index

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"bingli/services/note"
)

func TestBleveReviewStatus(t *testing.T) {
	b, err := OpenBleve(BleveOptions{Dir: filepath.Join(t.TempDir(), "index")})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	runReviewStatus(t, b)
}

// reviewBackend is a backend that keeps review states.
type reviewBackend interface {
	Backend
	ReviewStatusIndex
}

// runReviewStatus is the review-state part of the contract, for every
// backend that keeps review states.
func runReviewStatus(t *testing.T, b reviewBackend) {
	ctx := context.Background()
	refresh := func() {
		if r, ok := b.(interface{ Refresh(context.Context) error }); ok {
			if err := r.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk := func(id string) *note.Note {
		return &note.Note{SchemaVersion: note.SchemaVersion, NoteID: id, Text: "右眼白内障", NoteType: "outpatient"}
	}
	if err := b.Upsert(ctx, []*note.Note{mk("a"), mk("b"), mk("c")}); err != nil {
		t.Fatal(err)
	}
	ids := func(status string) []string {
		t.Helper()
		refresh()
		res, err := b.Search(ctx, Query{ReviewStatus: status, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		return res.NoteIDs
	}
	if got := ids(ReviewUnreviewed); len(got) != 3 {
		t.Fatalf("fresh notes unreviewed: %v", got)
	}
	// "z" is not indexed yet: its state waits for the note.
	err := b.SetReviewStatus(ctx, []ReviewStatus{{NoteID: "a", Status: ReviewReviewed, Annotators: 2}, {NoteID: "b", Status: ReviewInReview, Annotators: 1}, {NoteID: "z", Status: ReviewReviewed, Annotators: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		status string
		want   string
	}{{ReviewUnreviewed, "[c]"}, {ReviewInReview, "[b]"}, {ReviewReviewed, "[a]"}, {"", "[a b c]"}} {
		if got := ids(c.status); fmtIDs(got) != c.want {
			t.Errorf("status %q: %v, want %s", c.status, got, c.want)
		}
	}
	if st, ok, _ := b.GetReviewStatus(ctx, "a"); !ok || st.Status != ReviewReviewed || st.Annotators != 2 {
		t.Errorf("state of a: %+v %v", st, ok)
	}
	// The note is still whole after the status update, and indexing it again
	// (reprocessing) keeps its state; z gets its state when it arrives.
	if n, ok, _ := b.Get(ctx, "a"); !ok || n.Text != "右眼白内障" {
		t.Errorf("note a after the status update: %+v", n)
	}
	if err := b.Upsert(ctx, []*note.Note{mk("a"), mk("z")}); err != nil {
		t.Fatal(err)
	}
	if got := ids(ReviewReviewed); fmtIDs(got) != "[a z]" {
		t.Errorf("reviewed after reindexing a and indexing z: %v", got)
	}
	refresh()
	if res, _ := b.Search(ctx, Query{Text: "白内障", ReviewStatus: ReviewInReview, Size: 10}); fmtIDs(res.NoteIDs) != "[b]" {
		t.Errorf("text and status together: %v", res.NoteIDs)
	}
	if _, err := b.Search(ctx, Query{ReviewStatus: "done"}); !errors.Is(err, ErrBadQuery) {
		t.Errorf("bad review status: %v", err)
	}
	if err := b.SetReviewStatus(ctx, []ReviewStatus{{NoteID: "a", Status: "done"}}); err == nil {
		t.Error("SetReviewStatus accepted an unknown state")
	}
}

func fmtIDs(ids []string) string {
	s := "["
	for i, id := range ids {
		if i > 0 {
			s += " "
		}
		s += id
	}
	return s + "]"
}
