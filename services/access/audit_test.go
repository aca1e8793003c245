package access

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestAuditAppendsOneLinePerRecord(t *testing.T) {
	dir := t.TempDir()
	a, err := OpenAudit(dir)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			if err := a.Record(AuditRecord{Who: "alice", Role: DatasetBuilder, Via: "http", Action: "POST /cohort",
				QuerySHA256: QueryHash(map[string]int{"size": i}), Outcome: OutcomeOK, Rows: Count(i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening appends.
	a, err = OpenAudit(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Record(AuditRecord{Who: "ops", Role: Admin, Via: "cli", Action: "export", Outcome: OutcomeRefused}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	path := filepath.Join(dir, AuditFile)
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("audit mode %v", st.Mode().Perm())
	}
	f, _ := os.Open(path)
	defer f.Close()
	sc := bufio.NewScanner(f)
	seen := map[int]bool{}
	n := 0
	for sc.Scan() {
		var r AuditRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		if r.Time.IsZero() {
			t.Fatalf("line %d without time", n)
		}
		if r.Via == "http" {
			if r.Rows == nil || len(r.QuerySHA256) != 64 {
				t.Fatalf("line %d: %+v", n, r)
			}
			seen[*r.Rows] = true
		}
	}
	if n != 51 || len(seen) != 50 {
		t.Fatalf("%d lines, %d distinct http records; want 51 and 50", n, len(seen))
	}
}

func TestQueryHashIsCanonical(t *testing.T) {
	type q struct {
		Codes []string `json:"codes,omitempty"`
		Size  int      `json:"size,omitempty"`
	}
	var a, b q
	json.Unmarshal([]byte(`{"size": 10, "codes": ["H40"]}`), &a)
	json.Unmarshal([]byte("{\n  \"codes\":[\"H40\"],\"size\":10}"), &b)
	if QueryHash(a) != QueryHash(b) {
		t.Fatal("the same query written two ways hashes differently")
	}
	if QueryHash(a) == QueryHash(q{Codes: []string{"H25"}, Size: 10}) {
		t.Fatal("different queries hash equally")
	}
}
