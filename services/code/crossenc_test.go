package code

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"bingli/models/icd10"
)

// TestCrossEncoderParity checks that the Go encoding and ONNX Runtime
// reproduce the token ids, match flags and probabilities train.py computed
// with PyTorch for hand-written pairs (models/icd10/crossenc/parity.json,
// written with the shipped model).
func TestCrossEncoderParity(t *testing.T) {
	b, err := os.ReadFile("../../models/icd10/crossenc/parity.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Text, Name string
		IDs        []int64 `json:"ids"`
		Match      []int64 `json:"match"`
		P          float64 `json:"p"`
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 5 {
		t.Fatalf("parity.json: %d rows", len(rows))
	}
	x := testCrossEncoder(t)
	for _, r := range rows {
		ids, seg, match := x.encode([]rune(r.Text), r.Name)
		if !slices.Equal(ids, r.IDs) {
			t.Errorf("%s | %s: ids %v, want %v", r.Text, r.Name, ids, r.IDs)
		}
		if !slices.Equal(match, r.Match) {
			t.Errorf("%s | %s: match %v, want %v", r.Text, r.Name, match, r.Match)
		}
		if seg[0] != 0 || seg[len(seg)-1] != 1 {
			t.Errorf("%s | %s: segments %v", r.Text, r.Name, seg)
		}
		// Scored alone and in a batch with a longer pair (padding must
		// not change the score).
		for _, names := range [][]string{{r.Name}, {r.Name, "原发性开角型青光眼伴有视野缺损的晚期病例"}} {
			p, err := x.probs([]rune(r.Text), names)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(p[0]-r.P) > 1e-4 {
				t.Errorf("%s | %s (batch of %d): p=%.6f, PyTorch %.6f", r.Text, r.Name, len(names), p[0], r.P)
			}
		}
	}
}

// TestCrossEncoderBlend checks the blend: only the first TopK candidates
// move, by the configured weight, and the result is sorted again.
func TestCrossEncoderBlend(t *testing.T) {
	x := testCrossEncoder(t)
	text := []rune("左侧乳腺癌术后")
	names := []string{"乳腺恶性肿瘤", "乳腺良性肿瘤", "术后状态", "高血压"}
	ranked := make([]scored, len(names))
	for i, n := range names {
		ranked[i] = scored{cd: &rcand{name: n}, p: 0.5 - 0.1*float64(i)}
	}
	ce, err := x.probs(text, names)
	if err != nil {
		t.Fatal(err)
	}
	xk := *x
	xk.cfg.TopK = 3
	if err := xk.blend(text, ranked); err != nil {
		t.Fatal(err)
	}
	w := xk.cfg.Weight
	for i, n := range names {
		want := 0.5 - 0.1*float64(i)
		if i < 3 {
			want = (1-w)*want + w*ce[i]
		}
		got := -1.0
		for _, s := range ranked {
			if s.cd.name == n {
				got = s.p
			}
		}
		if math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: p=%.6f, want %.6f", n, got, want)
		}
	}
	if !slices.IsSortedFunc(ranked, func(a, b scored) int { return -cmpFloat(a.p, b.p) }) {
		t.Errorf("not sorted after blending: %v", ranked)
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testCrossEncoder(t *testing.T) *crossEncoder {
	t.Helper()
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.ce == nil {
		t.Fatal("default Coder has no cross-encoder")
	}
	if _, err := loadCrossEncoder(icd10.CrossEncoderONNX, "0000", icd10.CrossEncoderVocab, icd10.CrossEncoderConfig); err == nil {
		t.Error("loaded a cross-encoder with a wrong checksum")
	}
	return c.ce
}

// TestCrossEncoderHoldout scores a train hold-out fold with a re-ranker
// trained without it (the re-ranker trainer's --fit-out) and the shipped
// cross-encoder blend, through the Go path (EvaluateCDN), to check that it
// reproduces the number train.py/sweep.py reported for that fold. Opt-in:
//
//	BINGLI_CE_FIT=/work/cdn4-data/fit5.gob.gz BINGLI_CE_FOLD=5 go test ./services/code -run CrossEncoderHoldout -v
func TestCrossEncoderHoldout(t *testing.T) {
	fit, fold := os.Getenv("BINGLI_CE_FIT"), os.Getenv("BINGLI_CE_FOLD")
	if fit == "" || fold == "" {
		t.Skip("set BINGLI_CE_FIT and BINGLI_CE_FOLD to score a train hold-out fold")
	}
	b, err := os.ReadFile(fit)
	if err != nil {
		t.Fatal(err)
	}
	r, err := LoadReranker(b, "")
	if err != nil {
		t.Fatal(err)
	}
	recs := cdnFile(t, "train.jsonl")
	var held []CDNRecord
	for i, x := range recs {
		if fmt.Sprint(i%6) == fold {
			held = append(held, x)
		}
	}
	c := newCoder(t)
	alone := c.WithReranker(r)
	blend := c.WithReranker(r)
	blend.ce, blend.threshold, blend.topThreshold = c.ce, c.ce.cfg.Threshold, c.ce.cfg.TopThreshold
	t.Logf("fold %s, re-ranker alone (%.3f/%.3f):\n%v", fold, alone.threshold, alone.topThreshold, EvaluateCDN(held, alone))
	t.Logf("fold %s, with the cross-encoder (%+v):\n%v", fold, c.ce.cfg, EvaluateCDN(held, blend))
}

func TestRanked(t *testing.T) {
	c := newCoder(t)
	for _, tc := range []struct {
		rec       CDNRecord
		leaveOut  bool
		wantExact string
	}{
		{CDNRecord{Text: "高血压", Normalized: []string{"高血压"}}, false, "高血压"},
		{CDNRecord{Text: "左侧乳腺癌术后", Normalized: []string{"乳腺恶性肿瘤"}}, false, ""},
	} {
		exact, ranked := c.Ranked(c.rr, tc.rec, tc.leaveOut)
		if exact != tc.wantExact {
			t.Errorf("%s: exact %q, want %q", tc.rec.Text, exact, tc.wantExact)
		}
		if exact != "" {
			if ranked != nil {
				t.Errorf("%s: exact hit and %d candidates", tc.rec.Text, len(ranked))
			}
			continue
		}
		if len(ranked) == 0 {
			t.Fatalf("%s: no candidates", tc.rec.Text)
		}
		for i := 1; i < len(ranked); i++ {
			if ranked[i].P > ranked[i-1].P {
				t.Fatalf("%s: not ranked best first at %d", tc.rec.Text, i)
			}
		}
		if !slices.ContainsFunc(ranked, func(r RankedCandidate) bool { return r.Name == "乳腺恶性肿瘤" }) {
			t.Errorf("%s: 乳腺恶性肿瘤 not among %d candidates", tc.rec.Text, len(ranked))
		}
	}
	if n := c.CrossEncoderErrors(); n != 0 {
		t.Errorf("%d cross-encoder errors", n)
	}
}
