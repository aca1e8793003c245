package deid

import (
	"bytes"
	"encoding/json"
	"os"
	"sort"
	"testing"
	"unicode/utf8"

	"bingli/services/lac/lactest"
)

// The held-out set (testdata/heldout.txt) was written independently of the
// recognizers, so that scoring on it is an honest measure. Do not tune rules
// against it; add new cases to handwritten.txt instead.

const heldoutTxt, heldoutJSONL = "testdata/heldout.txt", "testdata/heldout.jsonl"

func heldoutMarkupJSONL(t *testing.T) []byte { return markupFileJSONL(t, heldoutTxt) }

// TestRegenerateHeldout rewrites testdata/heldout.jsonl from the markup.
func TestRegenerateHeldout(t *testing.T) {
	if os.Getenv("BINGLI_REGEN_GOLD") == "" {
		t.Skip("set BINGLI_REGEN_GOLD=1 to regenerate testdata/heldout.jsonl")
	}
	if err := os.WriteFile(heldoutJSONL, heldoutMarkupJSONL(t), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHeldoutGold checks the held-out gold file: in sync with the markup, at
// least 50 notes with unique ids, and every span's code-point offsets select
// exactly its text.
func TestHeldoutGold(t *testing.T) {
	data, err := os.ReadFile(heldoutJSONL)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, heldoutMarkupJSONL(t)) {
		t.Fatal("heldout.jsonl is stale: BINGLI_REGEN_GOLD=1 go test ./services/deid -run TestRegenerateHeldout")
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	if len(lines) < 50 {
		t.Fatalf("%d notes, want at least 50", len(lines))
	}
	seen := map[string]bool{}
	for _, l := range lines {
		var g GoldNote
		if err := json.Unmarshal(l, &g); err != nil {
			t.Fatal(err)
		}
		if seen[g.ID] {
			t.Errorf("duplicate note id %s", g.ID)
		}
		seen[g.ID] = true
		rs := []rune(g.Text)
		for i, p := range g.PHI {
			if p.Start < 0 || p.End > len(rs) || p.Start >= p.End {
				t.Errorf("%s: span %d offsets [%d,%d) out of range", g.ID, i, p.Start, p.End)
				continue
			}
			if got := string(rs[p.Start:p.End]); got != p.Text {
				t.Errorf("%s: span %d offsets [%d,%d) do not select its text", g.ID, i, p.Start, p.End)
			}
			if utf8.RuneCountInString(p.Text) != p.End-p.Start {
				t.Errorf("%s: span %d length mismatch", g.ID, i)
			}
		}
	}
}

// scoreHeldout scores the default configuration (rules and the LAC
// person-name recognizer) on a held-out gold file and logs the per-type
// counts (never span texts).
func scoreHeldout(t *testing.T, path string) Report {
	t.Helper()
	key, err := NewKey(bytes.Repeat([]byte{0x5a}, 32))
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(key, Options{PersonNames: lactest.Model(t)})
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

// TestHeldoutScores scores the first held-out set (scored twice: before and
// after the LAC recognizer).
func TestHeldoutScores(t *testing.T) {
	checkHeldoutFloors(t, scoreHeldout(t, heldoutJSONL), heldoutFloors{phiRecall: 0.96, name: 0.96})
}
