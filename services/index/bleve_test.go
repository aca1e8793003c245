package index

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"bingli/services/note"
)

func openTestBleve(t testing.TB) *Bleve {
	t.Helper()
	b, err := OpenBleve(BleveOptions{Dir: filepath.Join(t.TempDir(), "notes.bleve")})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestEmbeddedContract(t *testing.T) {
	runContract(t, openTestBleve(t))
}

func TestEmbeddedReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "notes.bleve")
	ctx := context.Background()
	b, err := OpenBleve(BleveOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	notes := fixtureNotes(10, 50)
	if err := b.Upsert(ctx, notes); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b, err = OpenBleve(BleveOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := b.Search(ctx, Query{})
	if err != nil || res.Total != 10 {
		t.Fatalf("after reopen: total=%d err=%v", res.Total, err)
	}
}

// TestEmbeddedQueryLatency reports the query p50/p95 over the fixture.
func TestEmbeddedQueryLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("latency measurement")
	}
	b := openTestBleve(t)
	if err := b.Upsert(context.Background(), fixtureNotes(fixtureSize, 120)); err != nil {
		t.Fatal(err)
	}
	p50, p95, err := timeQueries(b, 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embedded: %d queries over %d notes: p50 %v, p95 %v", 20*len(contractQueries), fixtureSize, p50, p95)
}

// BenchmarkUpsertEmbedded measures indexing ~500-character notes into bleve
// in batches of 256 (the Indexer's default group commit).
func BenchmarkUpsertEmbedded(b *testing.B) {
	benchUpsert(b, openTestBleve(b))
}

func benchUpsert(b *testing.B, be Backend) {
	const batch = 256
	pool := fixtureNotes(2048, 500)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		notes := make([]*note.Note, 0, batch)
		for j := i; j < min(i+batch, b.N); j++ {
			n := *pool[j%len(pool)]
			n.NoteID = benchID(j)
			notes = append(notes, &n)
		}
		if err := be.Upsert(ctx, notes); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notes/s")
}

func benchID(i int) string { return fmt.Sprintf("bench%08d", i) }

// The embedded backend aggregates page by page; with tiny pages the counts
// are still the oracle's.
func TestEmbeddedAggregationPaging(t *testing.T) {
	defer func(p int) { bleveAggPage = p }(bleveAggPage)
	bleveAggPage = 7
	b := openTestBleve(t)
	notes := fixtureNotes(fixtureSize, 60)
	if err := b.Upsert(context.Background(), notes); err != nil {
		t.Fatal(err)
	}
	for _, tc := range contractQueries {
		got, err := b.Search(context.Background(), cloneQuery(tc.q))
		if err != nil {
			t.Fatal(err)
		}
		want := oracle(notes, cloneQuery(tc.q), DefaultMinCellSize)
		if jsonOf(t, got.Aggregations) != jsonOf(t, want.Aggregations) {
			t.Errorf("%s: aggregations %s, want %s", tc.name, jsonOf(t, got.Aggregations), jsonOf(t, want.Aggregations))
		}
	}
}

func TestSearchLeavesQueryAlone(t *testing.T) {
	b := openTestBleve(t)
	q := Query{Diagnosis: &DiagnosisFilter{Codes: []string{"h40"}}}
	if _, err := b.Search(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	if q.Diagnosis.Codes[0] != "h40" {
		t.Errorf("Search changed the caller's codes to %v", q.Diagnosis.Codes)
	}
}
