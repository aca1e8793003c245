package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"go.uber.org/zap"

	"bingli/services/access"
	"bingli/services/index"
	"bingli/services/ingest"
	"bingli/services/pipeline"
	"bingli/services/review"
)

func cmdRun(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	maxPending := fs.Uint64("max-pending", ingest.DefaultMaxPending, "ingest waits while more notes than this are inside the pipeline (0: no bound; memory then grows with the archive)")
	data := fs.String("data", ".data", "state directory (JetStream storage, key, output)")
	pipe := fs.String("pipeline", "ophthalmology", "pipeline name or YAML file")
	listen := fs.String("nats-listen", "127.0.0.1:4222", "address the embedded NATS server listens on (other bingli processes may connect)")
	httpAddr := fs.String("http", "127.0.0.1:8080", "address of /healthz and /metrics")
	in := fs.String("in", "", "archive to ingest at start (optional; 'bingli ingest' can add more)")
	mapping := fs.String("map", "", "field mapping for --in")
	keyFile := fs.String("key-file", "", "de-identification key file (default: BINGLI_DEID_KEY_FILE, else DATA/deid.key, created once)")
	logLevel := fs.String("log-level", "info", "log level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(*logLevel, false)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	def, err := pipeline.Load(*pipe)
	if err != nil {
		return err
	}
	if err := registry().Check(def); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(*data, "out"), 0o700); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	key, err := resolveKeyFile(*keyFile, *data, true, log)
	if err != nil {
		return err
	}
	host, portStr, err := net.SplitHostPort(*listen)
	if err != nil {
		return fmt.Errorf("run: --nats-listen: %w", err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return fmt.Errorf("run: --nats-listen port: %w", err)
	}
	emb, err := openEmbedded(ctx, *data, host, port, "bingli-run", def)
	if err != nil {
		return err
	}
	defer emb.Close()
	js := emb.js

	outPath := filepath.Join(*data, "out", "notes.jsonl")
	w, outDone, err := startOutput(ctx, js, emb.topo, outPath, log)
	if err != nil {
		return err
	}
	set, err := startStages(ctx, js, def, nil, pipeline.Env{DataDir: *data, KeyFile: key, Log: log}, log)
	if err != nil {
		return err
	}
	_, tlDone, err := startTimelines(ctx, js, emb.topo, 2, log)
	if err != nil {
		return err
	}
	keys, err := access.Open(*data)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	if ks, err := keys.List(); err == nil && len(ks) == 0 {
		log.Warn("no API keys yet: the dataset API refuses every request until one is added with 'bingli keys add --role dataset_builder --name NAME --data DIR'")
	}
	audit, err := access.OpenAudit(*data)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	defer audit.Close()
	var backend index.Backend
	for _, st := range set.stages {
		if ix, ok := st.(*index.Indexer); ok {
			backend = ix.Backend()
		}
	}
	handlers := datasetAPI(keys, audit, js, backend, log)
	for _, st := range set.stages {
		if ix, ok := st.(*index.Indexer); ok {
			accounts, err := annotatorAccounts(*data, log)
			if err != nil {
				return err
			}
			corrections, err := review.NewStreamCorrections(ctx, js, 1)
			if err != nil {
				return err
			}
			handlers["/review/"] = review.NewServer(indexStore{ix.Backend()}, corrections, accounts, review.WithKeys(keys), review.WithLogger(log))
		}
	}
	addr, err := serveHTTP(ctx, *httpAddr, emb.nc, handlers, log)
	if err != nil {
		return err
	}
	log.Info("bingli running", zap.String("nats", emb.ns.ClientURL()), zap.String("http", addr),
		zap.String("pipeline", def.Name), zap.String("output", outPath))
	if *in != "" {
		m, err := ingest.ParseMapping(*mapping)
		if err != nil {
			return err
		}
		pub := &ingest.Publisher{JS: js, Log: log, MaxPending: *maxPending}
		res, err := pub.Publish(ctx, *in, ingest.Options{Mapping: m})
		if err != nil {
			return fmt.Errorf("run: ingest: %w", err)
		}
		log.Info("archive ingested", zap.Int("files", res.Files), zap.Int("valid", res.Valid), zap.Int("bad", res.Bad), zap.Int("published", res.Published))
	}
	<-ctx.Done()
	log.Info("shutting down: draining stages")
	err = set.Wait()
	if oerr := <-outDone; err == nil {
		err = oerr
	}
	if terr := <-tlDone; err == nil {
		err = terr
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}
