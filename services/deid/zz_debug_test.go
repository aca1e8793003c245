package deid

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestDebugSynth(t *testing.T) {
	path := os.Getenv("DBG_GOLD")
	if path == "" {
		t.Skip()
	}
	d := testDeid(t, Options{})
	b, _ := os.ReadFile(path)
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var g GoldNote
		json.Unmarshal([]byte(l), &g)
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
				a, e := max(0, s.Start-8), min(len(rs), s.End+8)
				t.Logf("FP %s %s %q in %q", s.Label, s.Recognizer, string(rs[s.Start:s.End]), string(rs[a:e]))
			}
		}
		for _, p := range g.PHI {
			ok := true
			for i := p.Start; i < p.End; i++ {
				if !cov[i] {
					ok = false
				}
			}
			if !ok && (os.Getenv("DBG_LABEL") == "" || p.Label == os.Getenv("DBG_LABEL")) {
				a, e := max(0, p.Start-12), min(len(rs), p.End+8)
				t.Logf("MISS %s %q in %q", p.Label, p.Text, string(rs[a:e]))
			}
		}
	}
}
