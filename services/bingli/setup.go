package main

import (
	"context"
	"flag"
	"fmt"

	"bingli/services/bus"
	"bingli/services/pipeline"
)

// cmdSetup creates or updates a pipeline's streams, consumers and buckets on
// an external NATS server, as the admin, so that the stage processes can run
// with --ensure=false under users that may not change them.
func cmdSetup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	var nf natsFlags
	nf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, err := newLogger(nf.logLevel, nf.logJSON)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	def, err := pipeline.Load(nf.pipeline)
	if err != nil {
		return err
	}
	nc, err := bus.Connect(nf.url, "bingli-setup", log)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetStream(nc)
	if err != nil {
		return err
	}
	topo := topology(def)
	if err := topo.Ensure(ctx, js); err != nil {
		return err
	}
	for _, l := range topo.Links() {
		fmt.Printf("consumer %-8s on %s reads %s\n", l.Durable, l.Stream, l.From)
	}
	return nil
}
