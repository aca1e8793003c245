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

	"bingli/services/index"
)

// cmdQuery runs a cohort query (schemas/index/query.schema.json) against the
// embedded index a 'bingli process' run left in its data directory, or
// against an Elasticsearch/OpenSearch cluster, and prints the result as
// JSON. Aggregate cells below k are suppressed by the backend.
func cmdQuery(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	cohort := fs.String("cohort", "", "cohort query JSON file ('-' for standard input)")
	data := fs.String("data", "", "data directory of a finished 'bingli process' run (OUT/.bingli): its embedded index")
	es := fs.String("es", "", "Elasticsearch addresses, comma-separated (instead of --data); credentials from BINGLI_ES_*")
	esIndex := fs.String("es-index", "", "Elasticsearch index (default bingli-notes)")
	compat := fs.Bool("opensearch-compat", false, "accept an OpenSearch cluster")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cohort == "" || (*data == "") == (*es == "") {
		return errors.New("query: --cohort and exactly one of --data or --es are required")
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
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
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
// the running index stage's backend.
func cohortHandler(b index.Backend) http.Handler {
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
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(res)
	})
}
