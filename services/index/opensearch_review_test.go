package index

import "testing"

func TestOpenSearchReviewStatus(t *testing.T) {
	runReviewStatus(t, newOpenSearchBackend(t, openSearchURL(t), nil))
}
