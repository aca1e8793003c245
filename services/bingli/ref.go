package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"go.uber.org/zap"

	"bingli/services/deid"
)

// refKinds are what 'bingli ref' computes, by the name it takes.
var refKinds = map[string]func(deid.Key, string) string{
	"note":    deid.NoteRef,
	"patient": deid.PatientPseudonym,
	"file":    deid.FilePseudonym,
}

const refUsage = "usage: bingli ref [--key-file KEY | --data DIR] note|patient|file [ID ...]"

// cmdRef prints what de-identification under a run's key turned the
// archive's identifiers into, so that the hospital, which holds the key,
// can map an output, a log line or a dead letter back to its records:
//
//	bingli ref --key-file K note ID...      note references ("n-…", the note_id after deid)
//	bingli ref --key-file K patient ID...   patient pseudonyms ("p-…")
//	bingli ref --key-file K file PATH...    archive file pseudonyms ("f-…"; PATH relative to the archive root)
//
// Each line of output is the identifier, a tab and what it became. Without
// IDs on the command line, they are read from standard input, one a line.
// A note without a patient id has the patient pseudonym "p-n…", derived
// from its note id; it links to no other note.
func cmdRef(_ context.Context, args []string) error {
	return runRef(args, os.Stdin, os.Stdout)
}

func runRef(args []string, in io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("ref", flag.ContinueOnError)
	keyFile := fs.String("key-file", "", "the run's de-identification key file (default: BINGLI_DEID_KEY_FILE, else DIR/deid.key with --data)")
	data := fs.String("data", "", "state directory of the run whose deid.key to use ('bingli run' --data, 'bingli process' OUT/.bingli)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), refUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("ref: " + refUsage)
	}
	kind, ids := fs.Arg(0), fs.Args()[1:]
	ref, ok := refKinds[kind]
	if !ok {
		return fmt.Errorf("ref: %q: want note, patient or file (%s)", kind, refUsage)
	}
	path, err := resolveKeyFile(*keyFile, *data, false, zap.NewNop())
	if err != nil {
		return fmt.Errorf("ref: %w (or --data DIR of the run)", err)
	}
	key, err := deid.LoadKey(path)
	if err != nil {
		return fmt.Errorf("ref: %w", err)
	}
	w := bufio.NewWriter(out)
	emit := func(id string) error {
		_, err := fmt.Fprintf(w, "%s\t%s\n", id, ref(key, id))
		return err
	}
	if len(ids) > 0 {
		for _, id := range ids {
			if err := emit(id); err != nil {
				return fmt.Errorf("ref: %w", err)
			}
		}
		return w.Flush()
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		id := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(id) == "" {
			continue
		}
		if err := emit(id); err != nil {
			return fmt.Errorf("ref: %w", err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("ref: standard input: %w", err)
	}
	if n == 0 {
		return errors.New("ref: no identifiers (give them as arguments or on standard input, one a line)")
	}
	return w.Flush()
}
