package ingest

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// unquoteJSON must agree with encoding/json on every valid string literal.
func TestUnquoteJSONMatchesEncodingJSON(t *testing.T) {
	for _, lit := range []string{
		`""`, `"plain 文本"`, `"a\nb\r\n\t\"q\" \\ \/ \b\f"`, `"\u773c\u538b"`,
		`"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ude00\u0041"`, `"\ud83d\u0041"`, `"end\\"`,
	} {
		var want string
		if err := json.Unmarshal([]byte(lit), &want); err != nil {
			t.Fatalf("%s: %v", lit, err)
		}
		got, ok := unquoteJSON([]byte(lit))
		if !ok || got != want {
			t.Errorf("unquoteJSON(%s) = %q, %v; want %q", lit, got, ok, want)
		}
	}
}

func FuzzUnquoteJSON(f *testing.F) {
	f.Add(`"a\nb\u773c\ud83d\ude00"`)
	f.Fuzz(func(t *testing.T, s string) {
		var want string
		if !utf8.ValidString(s) || json.Unmarshal([]byte(s), &want) != nil {
			return // lines are checked to be UTF-8 before they are unquoted
		}
		// Callers trim the raw value first, as lookupJSON does.
		if got, ok := unquoteJSON(bytes.TrimSpace([]byte(s))); !ok || got != want {
			t.Fatalf("unquoteJSON(%q) = %q, %v; want %q", s, got, ok, want)
		}
	})
}
