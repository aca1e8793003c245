package synth

import (
	"testing"
	"time"
)

func TestValidResidentID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true},   // the GB 11643 example
		{"11010519491231002x", true},   // lower-case check character
		{"110105 19491231 002X", true}, // spaced
		{"110105491231002", true},      // 15-digit first generation
		{"110105194912310021", false},  // wrong check digit
		{"110105194902300028", false},  // 30 February
		{"11010519491231002", false},   // too short
		{"11010519491231002X1", false},
		{"110105491331002", false}, // month 13
		{"11010519491231A02X", false},
	}
	for _, tt := range tests {
		if got := ValidResidentID(tt.id); got != tt.want {
			t.Errorf("ValidResidentID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestResidentIDForms(t *testing.T) {
	dob := time.Date(1958, 2, 28, 0, 0, 0, 0, time.UTC)
	for seq := 0; seq < 1000; seq += 37 {
		for _, male := range []bool{true, false} {
			id := residentID("330106", dob, male, seq)
			if !ValidResidentID(id) {
				t.Fatalf("residentID(seq %d) = %s: invalid", seq, id)
			}
			if odd := (id[16]-'0')%2 == 1; odd != male {
				t.Errorf("%s: sequence parity says male=%v, want %v", id, odd, male)
			}
			for _, form := range []string{oldResidentID(id), spacedResidentID(id)} {
				if !ValidResidentID(form) {
					t.Errorf("form %q of %s invalid", form, id)
				}
			}
		}
	}
}
