package main

import (
	"net/http"
	"os"
	"os/user"
	"path/filepath"

	"go.uber.org/zap"

	"bingli/services/access"
	"bingli/services/index"
)

// auditHTTP records one dataset API request in the audit log, with the
// caller the access middleware authenticated. It reports false (and has
// answered 500) when the record could not be written: an unaudited answer
// is not given.
func auditHTTP(w http.ResponseWriter, r *http.Request, a *access.Auditor, action string, rec access.AuditRecord, log *zap.Logger) bool {
	if a == nil {
		return true
	}
	p, _ := access.PrincipalFrom(r.Context())
	rec.Who, rec.Role, rec.Via, rec.Action = p.Name, p.Role, "http", r.Method+" "+action
	if rec.Outcome == "" {
		rec.Outcome = access.OutcomeOK
	}
	if err := a.Record(rec); err != nil {
		log.Error("audit log write failed; request refused", zap.String("action", action), zap.Error(err))
		http.Error(w, "audit log unavailable", http.StatusInternalServerError)
		return false
	}
	return true
}

// auditCLI records one command-line query or export. The caller is the
// operating-system user, with the admin role: whoever runs the command can
// read the data directory anyway.
func auditCLI(dir, command string, rec access.AuditRecord) error {
	a, err := access.OpenAudit(dir)
	if err != nil {
		return err
	}
	defer a.Close()
	who := "unknown"
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	rec.Who, rec.Role, rec.Via, rec.Action = who, access.Admin, "cli", command
	if rec.Outcome == "" {
		rec.Outcome = access.OutcomeOK
	}
	return a.Record(rec)
}

// auditDir picks where a command's audit log goes: the flag, else the data
// directory of the run whose output is read, else ./.data.
func auditDir(flagValue string, candidates ...string) string {
	if flagValue != "" {
		return flagValue
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
	}
	return ".data"
}

// resultDataDir is OUT/.bingli for a file inside a 'bingli process' output.
func resultDataDir(fileInOut string) string {
	if fileInOut == "" || fileInOut == "-" {
		return ""
	}
	return filepath.Join(filepath.Dir(fileInOut), ".bingli")
}

// anySuppressed reports whether small-cell suppression hid a bucket.
func anySuppressed(aggs map[string][]index.Bucket) bool {
	for _, bs := range aggs {
		for _, b := range bs {
			if b.Suppressed {
				return true
			}
		}
	}
	return false
}

func noteAggsSuppressed(aggs map[index.Aggregation][]index.Bucket) bool {
	m := make(map[string][]index.Bucket, len(aggs))
	for k, v := range aggs {
		m[string(k)] = v
	}
	return anySuppressed(m)
}
