// Command bingli turns archives of Chinese clinical notes into
// de-identified, coded, searchable research datasets.
//
//	bingli run        embedded NATS, every stage, HTTP endpoints
//	bingli process    embedded batch run: archive in, notes.jsonl out
//	bingli stage      one stage as a service against external NATS
//	bingli ingest     publish an archive to external NATS
//	bingli synth      write a synthetic ophthalmology archive
//	bingli eval       evaluate de-identification against gold data
//	bingli ref        map archive ids to their references under a run's key
//	bingli version    print versions
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Version is the bingli release, set at build time with -ldflags.
var Version = "0.1.0-dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"run", "run NATS, every stage and the HTTP endpoints in one process", cmdRun},
		{"process", "process an archive end to end on the embedded default and write notes.jsonl", cmdProcess},
		{"stage", "run one stage as a service against a NATS server or cluster", cmdStage},
		{"setup", "create a pipeline's streams and consumers on a NATS server (as its admin)", cmdSetup},
		{"ingest", "publish an archive to a NATS server or cluster", cmdIngest},
		{"query", "run a cohort query against the index (JSON in, JSON out, small cells suppressed)", cmdQuery},
		{"keys", "manage the API keys of the dataset API (add, list, revoke)", cmdKeys},
		{"export", "export processed notes as research tables (OMOP-shaped Parquet and CSV)", cmdExport},
		{"ref", "print the note references and pseudonyms a run's key gives archive ids (ref --key-file K note|patient|file ID...)", cmdRef},
		{"eval", "evaluate a stage against gold data (eval deid --data gold.jsonl)", cmdEval},
		{"review", "QA samples for two annotators and inter-annotator agreement (review qa|agreement --data DIR)", cmdReview},
		{"synth", "write a synthetic ophthalmology follow-up archive with gold identifiers", cmdSynth},
		{"bench", "benchmark the whole pipeline on a synthetic archive (Markdown report)", cmdBench},
		{"version", "print the version", cmdVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := dispatch(ctx, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bingli:", err)
		}
		os.Exit(1)
	}
}

func dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage()
		if len(args) == 0 {
			return errors.New("no command")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:])
		}
	}
	usage()
	return fmt.Errorf("unknown command %q", args[0])
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: bingli COMMAND [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'bingli COMMAND -h' for a command's flags.")
}

func cmdVersion(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Printf("bingli %s (note schema %s)\n", Version, noteSchemaVersion())
	return nil
}
