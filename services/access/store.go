package access

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// KeysFile is the name of the key store in the data directory.
const KeysFile = "api_keys.json"

// keyPrefix marks bingli API keys, so that a leaked one is recognisable.
const keyPrefix = "bk_"

// Entry is one stored key: never the key itself, only its SHA-256.
type Entry struct {
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	SHA256  string    `json:"sha256"`
	Created time.Time `json:"created"`
}

// KeyInfo is what listing shows of a key: name, role and creation time.
type KeyInfo struct {
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	Created time.Time `json:"created"`
}

// ErrExists and ErrNoKey are returned by Add and Revoke.
var (
	ErrExists = errors.New("access: a key with that name exists")
	ErrNoKey  = errors.New("access: no key with that name")
)

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// Store is the key file (DATA/api_keys.json, mode 0600). It is re-read when
// the file changes, so a key added or revoked with 'bingli keys' takes
// effect in a running 'bingli run' at its next request.
type Store struct {
	path string

	mu      sync.Mutex
	entries []Entry
	hashes  [][]byte // decoded SHA256 of entries[i]
	modTime time.Time
	size    int64
}

// Open opens the key store in dataDir; a missing file is an empty store.
func Open(dataDir string) (*Store, error) {
	s := &Store{path: filepath.Join(dataDir, KeysFile)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(true); err != nil {
		return nil, err
	}
	return s, nil
}

// Path is the key file.
func (s *Store) Path() string { return s.path }

// reloadLocked re-reads the file when it changed (or always when force).
func (s *Store) reloadLocked(force bool) error {
	st, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) {
		s.entries, s.hashes, s.modTime, s.size = nil, nil, time.Time{}, 0
		return nil
	}
	if err != nil {
		return fmt.Errorf("access: %w", err)
	}
	if !force && st.ModTime().Equal(s.modTime) && st.Size() == s.size {
		return nil
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("access: %s is readable by others (mode %v): chmod 600 it", s.path, st.Mode().Perm())
	}
	b, err := os.ReadFile(s.path)
	if err != nil {
		return fmt.Errorf("access: %w", err)
	}
	var entries []Entry
	if err := json.Unmarshal(b, &entries); err != nil {
		return fmt.Errorf("access: %s: %w", s.path, err)
	}
	hashes := make([][]byte, len(entries))
	for i, e := range entries {
		h, err := hex.DecodeString(e.SHA256)
		if err != nil || len(h) != sha256.Size {
			return fmt.Errorf("access: %s: key %q has a malformed hash", s.path, e.Name)
		}
		if _, err := ParseRole(string(e.Role)); err != nil {
			return fmt.Errorf("access: %s: key %q: %w", s.path, e.Name, err)
		}
		hashes[i] = h
	}
	s.entries, s.hashes, s.modTime, s.size = entries, hashes, st.ModTime(), st.Size()
	return nil
}

// writeLocked replaces the file atomically with mode 0600.
func (s *Store) writeLocked(entries []Entry) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("access: %w", err)
	}
	b, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		return fmt.Errorf("access: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".api_keys-*")
	if err != nil {
		return fmt.Errorf("access: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("access: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("access: write %s: %w", s.path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("access: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("access: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("access: %w", err)
	}
	return s.reloadLocked(true)
}

// Add creates a key for name with role and returns it. Only its hash is
// stored: the key cannot be shown again.
func (s *Store) Add(name string, role Role) (string, error) {
	if !validName.MatchString(name) {
		return "", fmt.Errorf("access: key name %q: use 1-64 letters, digits, '.', '_', '@' or '-'", name)
	}
	if _, err := ParseRole(string(role)); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(false); err != nil {
		return "", err
	}
	if slices.ContainsFunc(s.entries, func(e Entry) bool { return e.Name == name }) {
		return "", fmt.Errorf("%w: %q", ErrExists, name)
	}
	raw := make([]byte, 32) // 256 bits
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("access: random key: %w", err)
	}
	key := keyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	h := sha256.Sum256([]byte(key))
	entries := append(slices.Clone(s.entries), Entry{Name: name, Role: role, SHA256: hex.EncodeToString(h[:]), Created: time.Now().UTC().Truncate(time.Second)})
	if err := s.writeLocked(entries); err != nil {
		return "", err
	}
	return key, nil
}

// Revoke deletes the key called name.
func (s *Store) Revoke(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(false); err != nil {
		return err
	}
	i := slices.IndexFunc(s.entries, func(e Entry) bool { return e.Name == name })
	if i < 0 {
		return fmt.Errorf("%w: %q", ErrNoKey, name)
	}
	return s.writeLocked(slices.Delete(slices.Clone(s.entries), i, i+1))
}

// List returns names, roles and creation times, by name; never hashes.
func (s *Store) List() ([]KeyInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(false); err != nil {
		return nil, err
	}
	out := make([]KeyInfo, len(s.entries))
	for i, e := range s.entries {
		out[i] = KeyInfo{Name: e.Name, Role: e.Role, Created: e.Created}
	}
	slices.SortFunc(out, func(a, b KeyInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Authenticate returns the principal whose key hashes to the stored hash.
// Every stored hash is compared in constant time, so the timing says
// nothing about which key (or how much of it) matched. A key file that
// became unreadable authenticates nobody.
func (s *Store) Authenticate(key string) (Principal, bool) {
	if key == "" {
		return Principal{}, false
	}
	h := sha256.Sum256([]byte(key))
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.reloadLocked(false); err != nil {
		s.entries, s.hashes = nil, nil
		return Principal{}, false
	}
	found := -1
	for i, want := range s.hashes {
		if subtle.ConstantTimeCompare(h[:], want) == 1 {
			found = i
		}
	}
	if found < 0 {
		return Principal{}, false
	}
	return Principal{Name: s.entries[found].Name, Role: s.entries[found].Role}, true
}
