package deid

import (
	"bytes"
	"os"
	"sort"
	"testing"

	"bingli/services/lac/lactest"
)

// scoreHeldout scores the rules and the LAC person-name recognizer on a
// held-out gold file and logs the per-type counts (never span texts).
func scoreHeldout(t *testing.T, path string) Report {
	t.Helper()
	return scoreGold(t, path, Options{PersonNames: lactest.Model(t)})
}

// scoreGold scores a configuration on a gold file and logs the per-type
// counts (never span texts).
func scoreGold(t *testing.T, path string, opt Options) Report {
	t.Helper()
	key, err := NewKey(bytes.Repeat([]byte{0x5a}, 32))
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(key, opt)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Evaluate(f, d)
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]string, 0, len(rep.Types))
	for l := range rep.Types {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		s := rep.Types[l]
		t.Logf("%-14s gold=%d caught=%d recall=%.4f pred=%d corr=%d precision=%.4f leaks=%d",
			l, s.Gold, s.Caught, s.Recall(), s.Predicted, s.Correct, s.Precision(), s.Leaks)
	}
	t.Logf("notes=%d guard_failures=%d phi_recall=%.4f precision=%.4f leaks=%d",
		rep.Notes, rep.GuardFailures, rep.PHIRecall(), rep.Precision(), rep.Leaks())
	return rep
}

// heldoutFloors are regression floors a little under the scores measured
// (README.md): CI catches a regression without pinning the exact score.
type heldoutFloors struct{ phiRecall, name float64 }

func checkHeldoutFloors(t *testing.T, rep Report, f heldoutFloors) {
	t.Helper()
	if r := rep.PHIRecall(); r < f.phiRecall {
		t.Errorf("phi_recall %.4f, want >= %.2f", r, f.phiRecall)
	}
	if s := rep.Types[Name]; s != nil && s.Recall() < f.name {
		t.Errorf("NAME recall %.4f, want >= %.2f", s.Recall(), f.name)
	}
	for _, l := range []string{IDNumber, Phone} {
		if s := rep.Types[l]; s != nil && s.Leaks > 0 {
			t.Errorf("%d %s leaks, want 0", s.Leaks, l)
		}
	}
}
