package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/bus"
	"bingli/services/output"
	"bingli/services/pipeline"
)

// natsFlags are the flags of every command that talks to external NATS.
type natsFlags struct {
	url, pipeline, logLevel string
	logJSON                 bool
}

// client is what a command against external NATS needs: its logger, the
// pipeline, the connection and JetStream.
type client struct {
	log *zap.Logger
	def *pipeline.Definition
	nc  *nats.Conn
	js  jetstream.JetStream
}

// connect loads the pipeline, connects, and ensures the topology when asked.
func (n *natsFlags) connect(ctx context.Context, name string, ensure bool) (*client, error) {
	log, err := newLogger(n.logLevel, n.logJSON)
	if err != nil {
		return nil, err
	}
	def, err := pipeline.Load(n.pipeline)
	if err != nil {
		return nil, err
	}
	nc, err := bus.Connect(n.url, name, log)
	if err != nil {
		return nil, err
	}
	js, err := jetStream(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	if ensure {
		if err := topology(def).Ensure(ctx, js); err != nil {
			nc.Close()
			return nil, err
		}
	}
	return &client{log: log, def: def, nc: nc, js: js}, nil
}

// Close closes the connection and flushes the logs.
func (c *client) Close() {
	c.nc.Close()
	_ = c.log.Sync()
}

func (n *natsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&n.url, "nats", "nats://127.0.0.1:4222", "NATS server URL (comma-separated for a cluster)")
	fs.StringVar(&n.pipeline, "pipeline", "ophthalmology", "pipeline name or YAML file")
	fs.StringVar(&n.logLevel, "log-level", "info", "log level")
	fs.BoolVar(&n.logJSON, "log-json", true, "JSON logs")
}

func cmdStage(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return errors.New("usage: bingli stage NAME --nats URL [flags]  (NAME: a stage of the pipeline, output or timeline)")
	}
	name := args[0]
	fs := flag.NewFlagSet("stage "+name, flag.ContinueOnError)
	var nf natsFlags
	nf.register(fs)
	httpAddr := fs.String("http", "", "serve /healthz and /metrics on this address (e.g. 127.0.0.1:9100)")
	keyFile := fs.String("key-file", "", "de-identification key file (deid only; default BINGLI_DEID_KEY_FILE)")
	out := fs.String("out", "", "for the output stage: the JSONL file to append final notes to")
	data := fs.String("data", "", "local state directory (the index stage's embedded backend keeps its index here)")
	ensure := fs.Bool("ensure", true, "create or update the pipeline's streams and consumers (false where an admin ran 'bingli setup')")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	c, err := nf.connect(ctx, "bingli-stage-"+name, *ensure)
	if err != nil {
		return err
	}
	defer c.Close()
	log, def, js, nc := c.log.With(zap.Int("pid", os.Getpid())), c.def, c.js, c.nc
	topo := topology(def)
	if *httpAddr != "" {
		addr, err := serveHTTP(ctx, *httpAddr, nc, nil, log)
		if err != nil {
			return err
		}
		log.Info("http endpoints", zap.String("addr", addr))
	}
	if name == bus.OutputConsumer {
		if *out == "" {
			return errors.New("stage output: --out FILE is required")
		}
		w, err := output.Open(*out)
		if err != nil {
			return err
		}
		link, _ := topo.Link(bus.OutputConsumer)
		err = w.Run(ctx, js, link, log)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if name == bus.TimelineConsumer {
		_, done, err := startTimelines(ctx, js, topo, 2, log)
		if err != nil {
			return err
		}
		return <-done
	}
	if _, err := topo.Link(name); err != nil {
		return err
	}
	env := pipeline.Env{Log: log, DataDir: *data}
	if name == "deid" {
		if env.KeyFile, err = resolveKeyFile(*keyFile, "", false, log); err != nil {
			return err
		}
	}
	set, err := startStages(ctx, js, def, []string{name}, env, log)
	if err != nil {
		return err
	}
	if err := set.Wait(); err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	return nil
}
