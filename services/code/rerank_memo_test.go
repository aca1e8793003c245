package code

import (
	"reflect"
	"testing"
)

// The memo gives the same codings as the re-ranker itself, at any offset.
func TestRerankMemoMatchesReranker(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.memo == nil {
		t.Fatal("no memo on the default Coder")
	}
	for _, text := range []string{"右眼老年性白内障术后人工晶体眼", "2型糖尿病伴视网膜病变", "卵巢Ca术后化疗后"} {
		for _, pre := range []string{"", "诊断：1.", "初步诊断：\\n2."} {
			rs := []rune(pre + text)
			s, e := len([]rune(pre)), len(rs)
			want := c.rerankSpanUncached(rs, s, e)
			for range 2 { // a miss, then a hit
				if got := c.rerankSpan(rs, s, e); !reflect.DeepEqual(got, want) {
					t.Fatalf("%q at %d: memo %+v, re-ranker %+v", text, s, got, want)
				}
			}
		}
	}
	if c.memo.hits == 0 || c.memo.misses == 0 {
		t.Fatalf("memo hits %d, misses %d", c.memo.hits, c.memo.misses)
	}
	small := newRerankMemo(2)
	for _, k := range []string{"a", "b", "c"} {
		small.get(k, 0, func() ([]coding, bool) { return nil, true })
	}
	if len(small.m) > 2 {
		t.Fatalf("memo holds %d entries, bound 2", len(small.m))
	}
	// a degraded result (a cross-encoder failure) is returned, not kept
	degraded := newRerankMemo(10)
	got := degraded.get("d", 3, func() ([]coding, bool) { return []coding{{start: 3, end: 4}}, false })
	if len(got) != 1 || got[0].start != 3 || len(degraded.m) != 0 {
		t.Fatalf("degraded result: got %+v, memo %v", got, degraded.m)
	}
}
