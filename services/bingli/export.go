package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"bingli/services/access"
	"bingli/services/index"
	"bingli/services/omop"
)

// exportManifest is the datasheet written beside an export.
type exportManifest struct {
	Format    string            `json:"format"`
	Source    string            `json:"source"`
	Bingli    string            `json:"bingli_version"`
	CreatedAt time.Time         `json:"created_at"`
	Rows      map[string]int    `json:"rows"`
	SHA256    map[string]string `json:"sha256"`
	Notes     string            `json:"notes"`
}

func cmdExport(ctx context.Context, args []string) error {
	if hasFlag(args, "reviewed") {
		return exportReviewed(ctx, args)
	}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "omop", "omop (Parquet and CSV tables in the shape of the OMOP CDM, every note); with --cohort: jsonl, csv or parquet")
	in := fs.String("in", "", "notes.jsonl written by 'bingli process'")
	out := fs.String("out", "", "output directory")
	cohortFile := fs.String("cohort", "", "patient cohort query (schemas/cohort.schema.json): export only its patients, k-anonymous")
	patients := fs.String("patients", "", "with --cohort: patients.jsonl (default: beside --in)")
	k := fs.Int("k", index.DefaultMinCellSize, "with --cohort: every combination of quasi-identifiers (age band, sex) must be shared by at least k patients")
	auditTo := fs.String("audit-dir", "", "directory of audit.jsonl (default OUT/.bingli of the run that wrote --in, else .data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return errors.New("export: --in and --out are required")
	}
	if *cohortFile != "" {
		if *format == "omop" {
			return errors.New("export: --cohort writes jsonl, csv or parquet; pass --format")
		}
		return exportCohort(ctx, *cohortFile, *in, *patients, *format, *out, *k, auditDir(*auditTo, resultDataDir(*in)))
	}
	if *format != "omop" {
		return fmt.Errorf("export: format %q needs --cohort (a whole archive is exported as omop)", *format)
	}
	counts, err := omop.Export(*in, *out, omop.Options{System: "bingli " + Version})
	rec := access.AuditRecord{Rows: access.Count(counts["note"]), Patients: access.Count(counts["person"])}
	if err != nil {
		rec = access.AuditRecord{Outcome: access.OutcomeError}
	}
	if aerr := auditCLI(auditDir(*auditTo, resultDataDir(*in)), "export --format omop", rec); aerr != nil {
		return fmt.Errorf("export: %w (nothing exported without an audit record)", aerr)
	}
	if err != nil {
		return err
	}
	m := exportManifest{Format: "omop-cdm-5.4-shaped", Source: filepath.Base(*in), Bingli: Version, CreatedAt: time.Now().UTC(),
		Rows: counts, SHA256: map[string]string{},
		Notes: "ICD-10 codes are source values (concept ids 0); bingli_eye carries laterality; dates are shifted per patient."}
	entries, err := os.ReadDir(*out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "manifest.json" {
			continue
		}
		sum, err := fileSHA256(filepath.Join(*out, e.Name()))
		if err != nil {
			return err
		}
		m.SHA256[e.Name()] = sum
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(*out, "manifest.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Printf("%-22s %d rows\n", k, counts[k])
	}
	fmt.Printf("wrote %s (Parquet, CSV, manifest.json)\n", *out)
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
