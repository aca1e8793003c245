package code

import (
	"os"
	"testing"
)

// TestEvaluateSynth evaluates on a `bingli synth` gold file named by
// BINGLI_CODE_GOLD (e.g. /tmp/cd/gold.jsonl); skipped without it.
func TestEvaluateSynth(t *testing.T) {
	path := os.Getenv("BINGLI_CODE_GOLD")
	if path == "" {
		t.Skip("set BINGLI_CODE_GOLD to a gold.jsonl written by `go run ./services/bingli synth --patients 50 --out /tmp/cd`")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open gold: %v", err)
	}
	defer f.Close()
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Evaluate(f, c)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("synth gold:\n%v", rep)
}
