package deid

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeyEnv names the environment variable holding the path of the key file.
const KeyEnv = "BINGLI_DEID_KEY_FILE"

// Key is the secret that keys every pseudonym, surrogate and date offset.
// It never prints: String, GoString, Format and MarshalText all give "[redacted]".
type Key struct{ b []byte }

const redacted = "[redacted]"

// NewKey wraps raw key bytes (at least 16).
func NewKey(b []byte) (Key, error) {
	if len(b) < 16 {
		return Key{}, errors.New("deid key: too short (need at least 16 bytes)")
	}
	return Key{b: append([]byte(nil), b...)}, nil
}

// LoadKey reads a key file: hex text (64 hex digits for 32 bytes), surrounding
// whitespace ignored. Errors name the path but never the content.
func LoadKey(path string) (Key, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Key{}, fmt.Errorf("deid key %s: %w", path, errors.Unwrap(err))
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		return Key{}, fmt.Errorf("deid key %s: not hex", path)
	}
	k, err := NewKey(b)
	if err != nil {
		return Key{}, fmt.Errorf("deid key %s: too short (need at least 16 bytes)", path)
	}
	return k, nil
}

// LoadKeyFromEnv loads the key file named by BINGLI_DEID_KEY_FILE.
func LoadKeyFromEnv() (Key, error) {
	p := os.Getenv(KeyEnv)
	if p == "" {
		return Key{}, fmt.Errorf("deid key: %s is not set", KeyEnv)
	}
	return LoadKey(p)
}

// GenerateKeyFile writes 32 random bytes as hex to path with 0600
// permissions. It refuses to overwrite an existing file.
func GenerateKeyFile(path string) error {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("deid key: random: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("deid key %s: %w", path, errors.Unwrap(err))
	}
	if _, err := f.WriteString(hex.EncodeToString(b) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("deid key %s: write failed", path)
	}
	return f.Close()
}

// IsZero reports whether the key is unset.
func (k Key) IsZero() bool { return len(k.b) == 0 }

func (k Key) String() string               { return redacted }
func (k Key) GoString() string             { return redacted }
func (k Key) Format(f fmt.State, _ rune)   { f.Write([]byte(redacted)) }
func (k Key) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// mac returns HMAC-SHA256(key, domain 0x00 parts joined by 0x00).
func (k Key) mac(domain string, parts ...string) []byte {
	h := hmac.New(sha256.New, k.b)
	h.Write([]byte(domain))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}
