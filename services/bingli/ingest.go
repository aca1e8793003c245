package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"bingli/services/ingest"
)

func cmdIngest(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return errors.New("usage: bingli ingest PATH --nats URL [--map ...]")
	}
	path := args[0]
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	maxPending := fs.Uint64("max-pending", ingest.DefaultMaxPending, "ingest waits while more notes than this are inside the pipeline (0: no bound; memory then grows with the archive)")
	var nf natsFlags
	nf.register(fs)
	mapping := fs.String("map", "", "field mapping, e.g. patient_id=病案号,visit_date=就诊日期,text=病历内容")
	maxNote := fs.Int("max-note-bytes", 1<<20, "notes larger than this are dead-lettered")
	ensure := fs.Bool("ensure", true, "create or update the pipeline's streams and consumers (false where an admin ran 'bingli setup')")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	m, err := ingest.ParseMapping(*mapping)
	if err != nil {
		return err
	}
	c, err := nf.connect(ctx, "bingli-ingest", *ensure)
	if err != nil {
		return err
	}
	defer c.Close()
	js, log := c.js, c.log
	pub := &ingest.Publisher{JS: js, Log: log, MaxPending: *maxPending}
	res, err := pub.Publish(ctx, path, ingest.Options{Mapping: m, MaxNoteBytes: *maxNote})
	if err != nil {
		return err
	}
	fmt.Printf("ingest: files %d (%d unchanged), valid %d, bad %d, published %d, duplicate ids %d\n",
		res.Files, res.FilesSkipped, res.Valid, res.Bad, res.Published, res.Duplicates)
	return nil
}
