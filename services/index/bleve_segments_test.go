package index

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// segmentSizes are the document counts of the index's current segments.
func segmentSizes(t *testing.T, b *Bleve) []uint64 {
	t.Helper()
	adv, err := b.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []uint64
	for _, s := range r.(*scorch.IndexSnapshot).Segments() {
		out = append(out, s.Count())
	}
	return out
}

// TestEmbeddedSegmentCap: merging never builds a segment over
// MaxSegmentDocs, where bleve's own policy merges the same small segments
// into fewer, larger ones.
func TestEmbeddedSegmentCap(t *testing.T) {
	ctx := context.Background()
	notes := fixtureNotes(400, 7)
	var counts []int
	for _, c := range []struct {
		name string
		cap  int
	}{{"capped", 40}, {"default", 0}} {
		b, err := OpenBleve(BleveOptions{Dir: filepath.Join(t.TempDir(), "idx"), MaxSegmentDocs: c.cap})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(notes); i += 10 {
			if err := b.Upsert(ctx, notes[i:i+10]); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond) // let the persister write segments one by one
		}
		time.Sleep(2 * time.Second) // merges settle
		sizes := segmentSizes(t, b)
		b.Close()
		t.Logf("%s: %d segments %v", c.name, len(sizes), sizes)
		var total uint64
		for _, n := range sizes {
			total += n
			if c.cap > 0 && n > uint64(c.cap) {
				t.Errorf("%s: a segment of %d notes, cap %d", c.name, n, c.cap)
			}
		}
		if total != uint64(len(notes)) {
			t.Errorf("%s: %d notes in the segments, want %d", c.name, total, len(notes))
		}
		counts = append(counts, len(sizes))
	}
	if counts[1] >= counts[0] {
		t.Errorf("bleve's default policy left %d segments, the cap %d: the cap changed nothing", counts[1], counts[0])
	}
}
