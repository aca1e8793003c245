package lac

import "testing"

func TestParseNPYRejectsBadInput(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("\x93NUMPY\x01\x00\xff\xff"), []byte("PK\x03\x04 not npy")} {
		if _, _, err := parseNPY(b); err == nil {
			t.Errorf("parseNPY(%q) accepted", b)
		}
	}
}
