package access

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStoreAddAuthenticateRevoke(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	builder, err := s.Add("alice", DatasetBuilder)
	if err != nil {
		t.Fatal(err)
	}
	annot, err := s.Add("bob", Annotator)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(builder, keyPrefix) || len(builder) != len(keyPrefix)+43 || builder == annot {
		t.Fatalf("keys %q %q: want distinct bk_ + 43 base64url characters (256 bits)", builder, annot)
	}

	// The file holds hashes only, and only its owner may read it.
	st, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	raw, _ := os.ReadFile(s.Path())
	if strings.Contains(string(raw), builder) || strings.Contains(string(raw), annot) {
		t.Fatal("key file holds a key in the clear")
	}

	// A second store on the same directory (another process: 'bingli keys')
	// sees the keys, and its revocation reaches the first.
	other, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key  string
		want Principal
		ok   bool
	}{
		{builder, Principal{"alice", DatasetBuilder}, true},
		{annot, Principal{"bob", Annotator}, true},
		{builder + "x", Principal{}, false},
		{"", Principal{}, false},
		{strings.ToUpper(builder), Principal{}, false},
	} {
		got, ok := other.Authenticate(tc.key)
		if ok != tc.ok || got != tc.want {
			t.Errorf("Authenticate(%.8s...) = %+v %v, want %+v %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
	if _, err := s.Add("alice", Admin); !errors.Is(err, ErrExists) {
		t.Fatalf("second alice: %v, want ErrExists", err)
	}
	list, err := other.List()
	if err != nil || len(list) != 2 || list[0].Name != "alice" || list[0].Role != DatasetBuilder || list[1].Name != "bob" {
		t.Fatalf("List = %+v %v", list, err)
	}
	if err := other.Revoke("alice"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Authenticate(builder); ok {
		t.Fatal("revoked key still authenticates in the first store")
	}
	if p, ok := s.Authenticate(annot); !ok || p.Name != "bob" {
		t.Fatal("revoking alice lost bob")
	}
	if err := s.Revoke("alice"); !errors.Is(err, ErrNoKey) {
		t.Fatalf("revoke twice: %v, want ErrNoKey", err)
	}
}

func TestStoreRejects(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		role Role
	}{
		{"", DatasetBuilder},
		{"has space", DatasetBuilder},
		{"ok", "superuser"},
	} {
		if _, err := s.Add(tc.name, tc.role); err == nil {
			t.Errorf("Add(%q, %q) accepted", tc.name, tc.role)
		}
	}
	// A key file others can read is refused rather than trusted.
	if _, err := s.Add("carol", Admin); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, KeysFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("Open with a 0644 key file: %v", err)
	}
}
