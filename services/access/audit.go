package access

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// AuditFile is the name of the audit log in the data directory.
const AuditFile = "audit.jsonl"

// AuditRecord is one line of the audit log: who asked what and how much
// came back. It never holds note text or identifiers: the query is kept as
// the SHA-256 of its canonical JSON (the same hash an export's manifest
// carries), results as counts.
type AuditRecord struct {
	Time time.Time `json:"time"`
	Who  string    `json:"who"`
	Role Role      `json:"role"`
	// Via is "http" or "cli"; Action the endpoint ("POST /cohort") or
	// command ("export").
	Via    string `json:"via"`
	Action string `json:"action"`
	// QuerySHA256 is the hash of the canonical query (QueryHash).
	QuerySHA256 string `json:"query_sha256,omitempty"`
	// Outcome: ok, refused (a privacy guard said no), error.
	Outcome string `json:"outcome"`
	// Rows is the number of records returned or written (notes, rows);
	// Patients the number of patients, when known.
	Rows     *int `json:"rows,omitempty"`
	Patients *int `json:"patients,omitempty"`
	// Suppressed is true when small-cell suppression hid a count or
	// k-anonymity generalised quasi-identifiers.
	Suppressed bool `json:"suppressed"`
}

// Outcomes of an audited request.
const (
	OutcomeOK      = "ok"
	OutcomeRefused = "refused"
	OutcomeError   = "error"
)

// Auditor appends records to DATA/audit.jsonl (mode 0600), one JSON line
// each, synced before Record returns.
type Auditor struct {
	mu  sync.Mutex
	f   *os.File
	now func() time.Time
}

// OpenAudit opens (creating) the audit log in dataDir for appending.
func OpenAudit(dataDir string) (*Auditor, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	path := filepath.Join(dataDir, AuditFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return &Auditor{f: f, now: time.Now}, nil
}

// Record appends r (its Time set to now when zero).
func (a *Auditor) Record(r AuditRecord) error {
	if r.Time.IsZero() {
		r.Time = a.now().UTC()
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, err := a.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("audit: write: %w", err)
	}
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("audit: sync: %w", err)
	}
	return nil
}

// Close closes the log.
func (a *Auditor) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.f.Close()
}

// QueryHash is the hex SHA-256 of a query's canonical JSON: the query
// decoded into its Go type and encoded again (fixed field order, no
// whitespace, defaults omitted), so equal queries hash equally however they
// were written.
func QueryHash(query any) string {
	b, err := json.Marshal(query)
	if err != nil {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Count returns a pointer to n, for AuditRecord's optional counts.
func Count(n int) *int { return &n }
