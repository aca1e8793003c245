package code

import (
	"fmt"
	"testing"
)

// Training end to end on a few hand-written records: with either number of
// cross-fitting folds the networks learn to rank each record's gold name
// first (untrained networks, LR 1e-9, do not).
func TestTrainRerankerCrossFolds(t *testing.T) {
	c, err := New(Options{NoReranker: true})
	if err != nil {
		t.Fatal(err)
	}
	var recs []CDNRecord
	for _, side := range []string{"左眼", "右眼", "双眼", "左侧", "右侧", ""} {
		recs = append(recs,
			CDNRecord{Text: side + "黄斑裂孔术后复查", Normalized: []string{"黄斑裂孔"}},
			CDNRecord{Text: side + "老年性白内障(初发期)", Normalized: []string{"老年性白内障"}},
			CDNRecord{Text: side + "视网膜脱离待查", Normalized: []string{"视网膜脱离"}},
		)
	}
	for _, folds := range []int{2, 3} {
		t.Run(fmt.Sprintf("folds=%d", folds), func(t *testing.T) {
			rr, ts, err := c.TrainReranker(recs, TrainConfig{Epochs: 40, CrossFolds: folds})
			if err != nil {
				t.Fatal(err)
			}
			if ts.Records != len(recs) || ts.Positives == 0 || ts.GoldReachable > ts.Gold {
				t.Fatalf("stats %v", ts)
			}
			for _, r := range recs[:3] {
				rs := []rune(r.Text)
				ranked := c.score(rr, rs, 0, len(rs))
				if len(ranked) == 0 || ranked[0].cd.name != r.Normalized[0] {
					t.Errorf("%s: best %v, want %s", r.Text, ranked[:min(3, len(ranked))], r.Normalized[0])
				}
			}
		})
	}
}
