package synth

import (
	"context"
	"os"
	"testing"
)

func TestGenerateToDir(t *testing.T) {
	dir := os.Getenv("SYNTH_DIR")
	if dir == "" {
		t.Skip("SYNTH_DIR not set")
	}
	s, err := Write(context.Background(), Config{Patients: 200, Seed: 1, Broken: true}, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", s.Notes)
}
