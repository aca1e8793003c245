package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/access"
	"bingli/services/cohort"
	"bingli/services/index"
	"bingli/services/jsonl"
	"bingli/services/timeline"
)

// cmdQuery runs a cohort query (schemas/index/query.schema.json) against the
// embedded index a 'bingli process' run left in its data directory, or
// against an Elasticsearch/OpenSearch cluster, and prints the result as
// JSON. Aggregate cells below k are suppressed by the backend.
func cmdQuery(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "cohort query JSON file ('-' for standard input)")
	data := fs.String("data", "", "data directory of a finished 'bingli process' run (OUT/.bingli): its embedded index")
	patients := fs.String("patients", "", "patient-level cohort over timelines (OUT/patients.jsonl; schemas/cohort.schema.json)")
	k := fs.Int("k", index.DefaultMinCellSize, "small-cell suppression: counts below k are not shown (patient-level)")
	es := fs.String("es", "", "Elasticsearch addresses, comma-separated (instead of --data); credentials from BINGLI_ES_*")
	esIndex := fs.String("es-index", "", "Elasticsearch index (default bingli-notes)")
	compat := fs.Bool("opensearch-compat", false, "accept an OpenSearch cluster")
	auditTo := fs.String("audit-dir", "", "directory of audit.jsonl (default: --data, else OUT/.bingli beside --patients, else .data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *patients != "" {
		return queryPatients(*cohort, *patients, *k, auditDir(*auditTo, *data, resultDataDir(*patients)))
	}
	if *cohort == "" || (*data == "") == (*es == "") {
		return errors.New("query: --cohort and exactly one of --data, --es or --patients are required")
	}
	q, err := readQuery(*cohort)
	if err != nil {
		return err
	}
	opt := index.Options{Embedded: index.BleveOptions{Dir: filepath.Join(*data, "index")}}
	if *es != "" {
		opt = index.Options{Backend: "elasticsearch", Elastic: index.ElasticOptionsFromEnv(index.ElasticOptions{
			Addresses: strings.Split(*es, ","), Index: *esIndex, OpenSearchCompat: *compat})}
	} else if _, err := os.Stat(opt.Embedded.Dir); err != nil {
		return fmt.Errorf("query: no index in %s (run 'bingli process' first)", *data)
	}
	b, err := index.Open(ctx, opt)
	if err != nil {
		return fmt.Errorf("query: %w (while 'bingli run' holds the embedded index, use its POST /cohort)", err)
	}
	defer b.Close()
	res, err := b.Search(ctx, q)
	rec := access.AuditRecord{QuerySHA256: access.QueryHash(q), Outcome: access.OutcomeError}
	if err == nil {
		rec = access.AuditRecord{QuerySHA256: rec.QuerySHA256, Rows: access.Count(res.Total), Suppressed: noteAggsSuppressed(res.Aggregations)}
	}
	if aerr := auditCLI(auditDir(*auditTo, *data), "query", rec); aerr != nil {
		return fmt.Errorf("query: %w (no answer without an audit record)", aerr)
	}
	if err != nil {
		return err
	}
	return printJSON(res)
}

func readQuery(path string) (index.Query, error) {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return index.Query{}, fmt.Errorf("query: %w", err)
		}
		defer f.Close()
		r = f
	}
	return decodeQuery(r)
}

func decodeQuery(r io.Reader) (index.Query, error) {
	var q index.Query
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return q, fmt.Errorf("query: not a cohort query: %w", err)
	}
	return q, nil
}

// cohortHandler serves POST /cohort on 'bingli run': a cohort query against
// the running index stage's backend. The note ids it answers are the keyed
// references the deid stage gave the notes.
func cohortHandler(b index.Backend, audit *access.Auditor, log *zap.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST a cohort query (schemas/index/query.schema.json)", http.StatusMethodNotAllowed)
			return
		}
		q, err := decodeQuery(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		res, err := b.Search(r.Context(), q)
		if err != nil {
			if auditHTTP(w, r, audit, "/cohort", access.AuditRecord{QuerySHA256: access.QueryHash(q), Outcome: access.OutcomeError}, log) {
				http.Error(w, err.Error(), http.StatusBadRequest)
			}
			return
		}
		if !auditHTTP(w, r, audit, "/cohort", access.AuditRecord{QuerySHA256: access.QueryHash(q), Rows: access.Count(res.Total),
			Suppressed: noteAggsSuppressed(res.Aggregations)}, log) {
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(res)
	})
}

// queryPatients answers a patient-level cohort query over patients.jsonl.
func queryPatients(cohortFile, patientsFile string, k int, auditTo string) error {
	if cohortFile == "" {
		return errors.New("query: --cohort is required")
	}
	var q cohort.Query
	if err := decodeJSONFile(cohortFile, &q); err != nil {
		return err
	}
	f, err := os.Open(patientsFile)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer f.Close()
	var ts []*timeline.Timeline
	if err := jsonl.Each(f, func(_ int, t *timeline.Timeline) error { ts = append(ts, t); return nil }); err != nil {
		return fmt.Errorf("query: %s %w", patientsFile, err)
	}
	res, err := cohort.Run(ts, q, k)
	if aerr := auditCLI(auditTo, "query --patients", patientAudit(q, res, err)); aerr != nil {
		return fmt.Errorf("query: %w (no answer without an audit record)", aerr)
	}
	if err != nil {
		return err
	}
	return printJSON(res)
}

// printJSON writes a query result to standard output, indented, with
// Chinese and <>& as they are.
func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func decodeJSONFile(path string, v any) error {
	var r io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("query: %w", err)
		}
		defer f.Close()
		r = f
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("query: not a cohort query: %w", err)
	}
	return nil
}

// patientCohortHandler serves POST /cohort/patients on 'bingli run': a
// patient-level cohort over the timelines as they stand.
func patientCohortHandler(js jetstream.JetStream, audit *access.Auditor, log *zap.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST a patient cohort query (schemas/cohort.schema.json)", http.StatusMethodNotAllowed)
			return
		}
		var q cohort.Query
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			http.Error(w, "not a cohort query: "+err.Error(), http.StatusBadRequest)
			return
		}
		ts, err := timeline.ReadAll(r.Context(), js)
		if err != nil {
			http.Error(w, "timelines unavailable", http.StatusServiceUnavailable)
			return
		}
		res, err := cohort.Run(ts, q, index.DefaultMinCellSize)
		if !auditHTTP(w, r, audit, "/cohort/patients", patientAudit(q, res, err), log) {
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(res)
	})
}

// patientAudit is the audit record of a patient-level cohort query: the
// patient count only when it was shown (at least k).
func patientAudit(q cohort.Query, res cohort.Result, err error) access.AuditRecord {
	rec := access.AuditRecord{QuerySHA256: access.QueryHash(q)}
	if err != nil {
		rec.Outcome = access.OutcomeError
		return rec
	}
	rec.Suppressed = res.Total == nil || anySuppressed(res.Aggregations)
	if res.Total != nil {
		rec.Patients = access.Count(*res.Total)
		rec.Rows = access.Count(len(res.PatientIDs))
	}
	return rec
}
