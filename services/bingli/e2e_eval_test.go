package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalNER scores the shipped NER model on a tiny hand-written set in the
// normalised JSONL format of ../shared/data.
func TestEvalNER(t *testing.T) {
	data := filepath.Join(t.TempDir(), "ner.jsonl")
	os.WriteFile(data, []byte(`{"id":"a","text":"患者因右眼白内障行超声乳化术。","entities":[{"start":5,"end":8,"label":"疾病和诊断","text":"白内障"}]}
{"id":"b","text":"予左氧氟沙星滴眼液点右眼。","entities":[{"start":1,"end":9,"label":"药物","text":"左氧氟沙星滴眼液"}]}
`), 0o600)
	out := bingli(t, "eval", "ner", "--data", data)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "micro_p=") || !strings.Contains(last, "micro_f1=") {
		t.Fatalf("last line %q", last)
	}
	if !strings.Contains(out, "DISEASE") || !strings.Contains(out, "DRUG") {
		t.Fatalf("report lacks the product labels:\n%s", out)
	}
}
