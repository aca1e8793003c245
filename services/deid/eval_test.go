package deid

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"bingli/services/lac/lactest"
)

func testKey(t testing.TB) Key {
	t.Helper()
	k, err := NewKey([]byte("test-key-0123456789abcdef-not-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testDeid returns the default configuration the pipeline runs: the rule
// recognizers plus the LAC person-name recognizer.
func testDeid(t testing.TB, opt Options) *Deidentifier {
	t.Helper()
	if opt.PersonNames == nil && opt.Registry == nil {
		opt.PersonNames = lactest.Model(t)
	}
	d, err := New(testKey(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestHandwrittenTargets runs the evaluation over the hand-written set and
// asserts the targets of the issue.
func TestHandwrittenTargets(t *testing.T) {
	data, err := os.ReadFile("testdata/handwritten.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	d := testDeid(t, Options{})
	rep, err := Evaluate(bytes.NewReader(data), d)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", rep)
	if testing.Verbose() {
		logMisses(t, d, data)
	}
	targets := map[string]float64{IDNumber: 0.99, Phone: 0.99, RecordNumber: 0.99, Email: 0.99, Date: 0.99, Name: 0.97, Address: 0.97}
	for l, want := range targets {
		if ts := rep.Types[l]; ts != nil && ts.Recall() < want {
			t.Errorf("%s recall %.4f < %.2f", l, ts.Recall(), want)
		}
	}
	for _, l := range []string{IDNumber, Phone} {
		if ts := rep.Types[l]; ts != nil && ts.Leaks > 0 {
			t.Errorf("%s leaks %d", l, ts.Leaks)
		}
	}
	if p := rep.Precision(); p < 0.90 {
		t.Errorf("overall precision %.4f < 0.90", p)
	}
	if rep.GuardFailures > 0 {
		t.Errorf("%d notes would be dead-lettered by the leak guard", rep.GuardFailures)
	}
	if !strings.HasPrefix(rep.String()[strings.LastIndex(rep.String(), "\n")+1:], "phi_recall=") {
		t.Error("last line of report must be phi_recall=... leaks=...")
	}
}

// logMisses prints missed gold spans and false positives (test output only).
func logMisses(t *testing.T, d *Deidentifier, data []byte) {
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var g GoldNote
		if err := json.Unmarshal(l, &g); err != nil {
			t.Fatal(err)
		}
		rs := []rune(g.Text)
		spans := mustDetect(t, d, g.Text)
		cov := make([]bool, len(rs))
		for _, s := range spans {
			for i := s.Start; i < s.End; i++ {
				cov[i] = true
			}
			hit := false
			for _, p := range g.PHI {
				if s.Start < p.End && p.Start < s.End {
					hit = true
				}
			}
			if !hit {
				t.Logf("FP %s %s %q (%s)", g.ID, s.Label, string(rs[s.Start:s.End]), s.Recognizer)
			}
		}
		for _, p := range g.PHI {
			for i := p.Start; i < p.End; i++ {
				if !cov[i] {
					t.Logf("MISS %s %s %q", g.ID, p.Label, p.Text)
					break
				}
			}
		}
	}
}
