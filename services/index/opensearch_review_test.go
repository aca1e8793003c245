package index

import (
	"testing"

	"bingli/services/index/opensearchtest"
)

func TestOpenSearchReviewStatus(t *testing.T) {
	runReviewStatus(t, newOpenSearchBackend(t, opensearchtest.Shared(t), nil))
}
