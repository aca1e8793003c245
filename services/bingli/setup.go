package main

import (
	"context"
	"flag"
	"fmt"
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
	c, err := nf.connect(ctx, "bingli-setup", true)
	if err != nil {
		return err
	}
	defer c.Close()
	topo := topology(c.def)
	for _, l := range topo.Links() {
		fmt.Printf("consumer %-8s on %s reads %s\n", l.Durable, l.Stream, l.From)
	}
	return nil
}
