package review

import (
	"slices"
	"sort"
	"testing"
	"time"
)

func TestCodeSearch(t *testing.T) {
	x, err := Codes()
	if err != nil {
		t.Fatal(err)
	}
	if x.Len() < 39000 {
		t.Fatalf("code index holds %d codes, want the whole v601 dictionary", x.Len())
	}
	codes := func(ms []CodeMatch) []string {
		out := make([]string, len(ms))
		for i, m := range ms {
			out[i] = m.Code
		}
		return out
	}
	for _, c := range []struct {
		name, q string
		first   string   // the best match
		has     []string // codes that must be among the matches
	}{
		{"exact code", "H26.9", "H26.9", nil},
		{"code prefix, broad code first", "h40", "H40", []string{"H40.0", "H40.9"}},
		{"name", "白内障", "H26.901", nil},
		{"full-width code", "Ｈ２６．９", "H26.9", nil},
		{"synonym", "糖网", "E14.371", nil},
		{"substring of a name", "黄斑前膜", "H35.304", nil},
		{"reordered name by bigrams", "变性黄斑", "", []string{"H35.301"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := x.Search(c.q, 10)
			if len(got) == 0 {
				t.Fatalf("%q: no match", c.q)
			}
			if c.first != "" && got[0].Code != c.first {
				t.Errorf("%q: first match %s %s, want %s (all: %v)", c.q, got[0].Code, got[0].Name, c.first, codes(got))
			}
			for _, h := range c.has {
				if !slices.Contains(codes(got), h) {
					t.Errorf("%q: %s not among %v", c.q, h, codes(got))
				}
			}
		})
	}
	if got := x.Search("   ", 10); len(got) != 0 {
		t.Errorf("blank query: %v", got)
	}
	if got := x.Search("H", 5); len(got) != 5 {
		t.Errorf("n=5: %d matches", len(got))
	}
	if name, ok := x.Lookup("H26.9"); !ok || name != "未特指的白内障" {
		t.Errorf("Lookup(H26.9) = %q %v", name, ok)
	}
	if _, ok := x.Lookup("Z99.999x"); ok {
		t.Error("Lookup of a made-up code succeeded")
	}
}

// TestCodeSearchLatency: every keystroke of typing a few names and codes is
// answered in well under 20 ms server side.
func TestCodeSearchLatency(t *testing.T) {
	x, err := Codes()
	if err != nil {
		t.Fatal(err)
	}
	var took []time.Duration
	for _, word := range []string{"年龄相关性黄斑变性", "原发性开角型青光眼", "糖尿病视网膜病变", "H35.301", "视网膜静脉阻塞", "干眼症"} {
		rs := []rune(word)
		for i := 1; i <= len(rs); i++ {
			t0 := time.Now()
			x.Search(string(rs[:i]), 12)
			took = append(took, time.Since(t0))
		}
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	p95 := took[len(took)*95/100]
	t.Logf("code search over %d keystrokes: median %v, p95 %v, max %v", len(took), took[len(took)/2], p95, took[len(took)-1])
	// The target (p95 < 20 ms) is checked by the recorded measurement
	// (README.md), not here: a shared CI machine makes timings noisy. The
	// test fails only on a pathology, ten times the target.
	if p95 >= 200*time.Millisecond {
		t.Errorf("code search p95 %v: something is pathologically slow (target < 20 ms)", p95)
	}
}
