package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"bingli/services/access"
	"bingli/services/cohort"
	"bingli/services/cohort/dataset"
	"bingli/services/note"
)

// datasetManifest is the datasheet of a cohort export: what was asked,
// what came out, which code and models made it, and the files' sums.
type datasetManifest struct {
	Format           string                `json:"format"`
	Query            cohort.Query          `json:"query"`
	QuerySHA256      string                `json:"query_sha256"`
	Patients         int                   `json:"patients"`
	Rows             map[string]int        `json:"rows"`
	K                int                   `json:"k"`
	QuasiIdentifiers []string              `json:"quasi_identifiers"`
	Generalisation   cohort.Generalisation `json:"generalisation"`
	Bingli           string                `json:"bingli_version"`
	NoteSchema       string                `json:"note_schema_version"`
	CohortSchema     string                `json:"cohort_schema_version"`
	Pipeline         []dataset.Stage       `json:"pipeline"`
	Source           []string              `json:"source"`
	CreatedAt        time.Time             `json:"created_at"`
	SHA256           map[string]string     `json:"sha256"`
	Notes            string                `json:"notes"`
}

// exportCohort writes the patients a cohort query selects as record
// tables, refusing when k-anonymity cannot be reached; every attempt is
// audit-logged.
func exportCohort(ctx context.Context, cohortFile, notesPath, patientsPath, format, out string, k int, auditTo string) error {
	var q cohort.Query
	if err := decodeJSONFile(cohortFile, &q); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if patientsPath == "" {
		patientsPath = filepath.Join(filepath.Dir(notesPath), "patients.jsonl")
	}
	bar := newExportProgress()
	res, err := dataset.Export(ctx, dataset.Options{Patients: patientsPath, Notes: notesPath, Query: q, K: k, Format: format, Dir: out,
		Progress: bar.set})
	bar.done()
	rec := access.AuditRecord{QuerySHA256: access.QueryHash(q)}
	var kerr *cohort.KAnonymityError
	switch {
	case errors.As(err, &kerr):
		rec.Outcome, rec.Suppressed = access.OutcomeRefused, true
	case err != nil:
		rec.Outcome = access.OutcomeError
	default:
		rows := 0
		for _, n := range res.Rows {
			rows += n
		}
		rec.Rows, rec.Patients = access.Count(rows), access.Count(res.Patients)
		rec.Suppressed = res.Generalisation.Name != cohort.Ladder[0].Name
	}
	if aerr := auditCLI(auditTo, "export --format "+format, rec); aerr != nil {
		if err == nil {
			removeFiles(res.Files)
		}
		return fmt.Errorf("export: %w (nothing exported without an audit record)", aerr)
	}
	if err != nil {
		return err
	}
	m := datasetManifest{Format: format, Query: q, QuerySHA256: rec.QuerySHA256, Patients: res.Patients, Rows: res.Rows, K: res.K,
		QuasiIdentifiers: cohort.QuasiIdentifierNames, Generalisation: res.Generalisation, Bingli: Version,
		NoteSchema: note.SchemaVersion, CohortSchema: cohort.SchemaVersion, Pipeline: res.Pipeline,
		Source: []string{filepath.Base(notesPath), filepath.Base(patientsPath)}, CreatedAt: time.Now().UTC(), SHA256: map[string]string{},
		Notes: "Pseudonymous patient ids and per-patient shifted dates from de-identification; no note text. " +
			"Quasi-identifiers (age band at first visit, sex) are generalised until every combination is shared by at least k patients."}
	for _, f := range res.Files {
		sum, err := fileSHA256(f)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		m.SHA256[filepath.Base(f)] = sum
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for _, t := range dataset.Tables {
		fmt.Printf("%-14s %d rows\n", t, res.Rows[t])
	}
	fmt.Printf("wrote %s: %d patients (%s, k=%d), manifest.json\n", out, res.Patients, res.Generalisation.Name, res.K)
	return nil
}

func removeFiles(files []string) {
	for _, f := range files {
		os.Remove(f)
	}
}

// exportProgress is a bar on a terminal, a line every few seconds on a
// pipe, always on stderr.
type exportProgress struct {
	bar  *progressbar.ProgressBar
	last time.Time
}

func newExportProgress() *exportProgress {
	return &exportProgress{last: time.Now()}
}

func (p *exportProgress) set(done, total int) {
	if p.bar == nil && term.IsTerminal(int(os.Stderr.Fd())) {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription("exporting patients"), progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	if p.bar != nil {
		_ = p.bar.Set(done)
		return
	}
	if done == total || time.Since(p.last) > 3*time.Second {
		p.last = time.Now()
		fmt.Fprintf(os.Stderr, "exported %d of %d patients\n", done, total)
	}
}

func (p *exportProgress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
