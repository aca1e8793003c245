package code

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"bingli/models/icd10"
)

func TestLoadRerankerChecks(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		sha     string
		wantErr string
	}{
		{"shipped file", icd10.CDNReranker, icd10.CDNRerankerSHA256, ""},
		{"wrong checksum", icd10.CDNReranker, strings.Repeat("0", 64), "sha256"},
		{"not gzip", []byte("not a model"), "", "re-ranker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := LoadReranker(tt.data, tt.sha)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if r.Threshold <= 0 || r.Threshold >= 1 || r.TopThreshold > r.Threshold {
					t.Errorf("thresholds %v / %v not calibrated probabilities", r.Threshold, r.TopThreshold)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

// Writing and reading the re-ranker keeps every score.
func TestRerankerRoundTrip(t *testing.T) {
	c := newCoder(t)
	var buf bytes.Buffer
	if _, err := c.rr.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := LoadReranker(buf.Bytes(), "")
	if err != nil {
		t.Fatal(err)
	}
	rs := []rune("2型糖尿病周围神经病变")
	a, b := c.score(c.rr, rs, 0, len(rs)), c.score(back, rs, 0, len(rs))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d vs %d candidates", len(a), len(b))
	}
	for i := range a {
		if a[i].cd.name != b[i].cd.name || a[i].p != b[i].p {
			t.Errorf("candidate %d: %s %.6f vs %s %.6f", i, a[i].cd.name, a[i].p, b[i].cd.name, b[i].p)
		}
	}
}

// Leave-one-out: a label seen only in the record itself is no candidate
// from the association statistics, and counts drop by the record's share.
func TestStatsLeaveOneOut(t *testing.T) {
	c := newCoder(t)
	exs := []cdnExample{
		{Text: "左眼黄斑裂孔", Gold: []string{"黄斑裂孔"}},
		{Text: "右眼黄斑裂孔", Gold: []string{"黄斑裂孔"}},
		{Text: "干眼症", Gold: []string{"干眼症"}},
		{Text: "干眼症", Gold: []string{"not a dictionary name"}},
	}
	st := buildStats(exs, func(n string) bool { return c.dict.byName[n] != nil })
	st.index()
	if len(st.Labels) != 2 {
		t.Fatalf("labels %v, want the two dictionary names only", st.Labels)
	}
	tests := []struct {
		ex        cdnExample
		label     string
		wantPrior int32
		wantAssoc bool
	}{
		{exs[0], "黄斑裂孔", 1, true}, // the other record still has it
		{exs[2], "干眼症", 0, false}, // only this record has it
	}
	for _, tt := range tests {
		rs := []rune(tt.ex.Text)
		_, cands := c.candidates(rs, 0, len(rs), st, st.ownOf(tt.ex))
		var got *rcand
		for _, cd := range cands {
			if cd.name == tt.label {
				got = cd
			}
		}
		if got == nil {
			if tt.wantAssoc {
				t.Errorf("%s: %s is no candidate", tt.ex.Text, tt.label)
			}
			continue
		}
		if got.prior != tt.wantPrior {
			t.Errorf("%s: prior of %s = %d, want %d", tt.ex.Text, tt.label, got.prior, tt.wantPrior)
		}
		if (got.aMax > 0) != tt.wantAssoc {
			t.Errorf("%s: association %.3f, want present=%v", tt.ex.Text, got.aMax, tt.wantAssoc)
		}
	}
}

// Names coded together in train are counted per record, in either order,
// and a record's own pair is left out of its training features.
func TestStatsPairsLeaveOneOut(t *testing.T) {
	c := newCoder(t)
	exs := []cdnExample{
		{Text: "右乳腺癌", Gold: []string{"乳腺恶性肿瘤", "癌"}},
		{Text: "左乳腺癌", Gold: []string{"癌", "乳腺恶性肿瘤"}},
		{Text: "肺癌", Gold: []string{"肺恶性肿瘤", "癌"}},
	}
	st := buildStats(exs, func(n string) bool { return c.dict.byName[n] != nil })
	st.index()
	id := func(n string) int32 {
		l, ok := st.labelID[n]
		if !ok {
			t.Fatalf("%s is no label", n)
		}
		return l
	}
	tests := []struct {
		a, b string
		o    *own
		want int32
	}{
		{"乳腺恶性肿瘤", "癌", nil, 2},
		{"癌", "乳腺恶性肿瘤", nil, 2},
		{"乳腺恶性肿瘤", "癌", st.ownOf(exs[0]), 1},
		{"乳腺恶性肿瘤", "癌", st.ownOf(exs[2]), 2}, // not this record's pair
		{"肺恶性肿瘤", "乳腺恶性肿瘤", nil, 0},
	}
	for _, tt := range tests {
		if got := st.together(id(tt.a), id(tt.b), tt.o); got != tt.want {
			t.Errorf("together(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// An ensemble of identical members scores like one member: probabilities
// are averaged, not summed.
func TestRerankerMembersAverage(t *testing.T) {
	c := newCoder(t)
	one := *c.rr
	one.members = c.rr.members[:1]
	twice := one
	twice.members = []member{one.members[0], one.members[0]}
	rs := []rune("2型糖尿病周围神经病变")
	a, b := c.score(&one, rs, 0, len(rs)), c.score(&twice, rs, 0, len(rs))
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d vs %d candidates", len(a), len(b))
	}
	for i := range a {
		if a[i].cd.name != b[i].cd.name || math.Abs(a[i].p-b[i].p) > 1e-12 {
			t.Errorf("candidate %d: %s %.6f vs %s %.6f", i, a[i].cd.name, a[i].p, b[i].cd.name, b[i].p)
		}
	}
}
