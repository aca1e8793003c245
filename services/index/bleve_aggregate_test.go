package index

import "testing"

// TestEmbeddedContractCountAggregation runs the contract suite with the
// embedded backend aggregating every query by count queries (the path of
// large result sets), so both of its aggregation paths agree with the
// brute-force oracle.
func TestEmbeddedContractCountAggregation(t *testing.T) {
	old := bleveCountAbove
	bleveCountAbove = 0
	t.Cleanup(func() { bleveCountAbove = old })
	runContract(t, openTestBleve(t))
}
