package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportString(t *testing.T) {
	r := Report{Model: "m", Records: 2, Labels: []LabelScore{{Label: "BODY", Gold: 4, Pred: 2, TP: 2}},
		Micro: LabelScore{Label: "micro", Gold: 4, Pred: 2, TP: 2}}
	s := r.String()
	if !strings.HasSuffix(s, "micro_f1=0.6667") || !strings.Contains(s, "BODY") {
		t.Fatalf("report:\n%s", s)
	}
}

// dataDir is ../shared/data beside the repository.
var dataDir = filepath.Join("..", "..", "..", "shared", "data")

// TestEvaluateCCKS reports strict scores on CCKS 2019 dev (model selection)
// and test. Run: go test ./services/extract -run EvaluateCCKS -v
// Set EXTRACT_EVAL_SPLITS=dev to leave the test split alone.
func TestEvaluateCCKS(t *testing.T) {
	if _, err := os.Stat(filepath.Join(dataDir, "ccks2019-ner")); err != nil {
		t.Skipf("CCKS 2019 data absent (%s): nothing to evaluate", dataDir)
	}
	e := testExtractor(t)
	splits := []string{"dev", "test"}
	if s := os.Getenv("EXTRACT_EVAL_SPLITS"); s != "" {
		splits = strings.Split(s, ",")
	}
	for _, split := range splits {
		f, err := os.Open(filepath.Join(dataDir, "ccks2019-ner", split+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Evaluate(f, e)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("CCKS 2019 %s:\n%s", split, rep)
		if rep.Micro.F1() < 0.5 {
			t.Errorf("%s micro F1 %.4f: the model is broken", split, rep.Micro.F1())
		}
	}
}
