package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"bingli/services/access"
)

// cmdKeys manages the API keys of the dataset API (DATA/api_keys.json):
//
//	bingli keys add --role dataset_builder --name NAME   prints the key once
//	bingli keys list                                     names and roles only
//	bingli keys revoke NAME
func cmdKeys(_ context.Context, args []string) error {
	usage := errors.New("keys: usage: bingli keys add --role ROLE --name NAME | list | revoke NAME  [--data DIR]")
	if len(args) == 0 {
		return usage
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	data := fs.String("data", ".data", "data directory of 'bingli run' (holds api_keys.json)")
	role := fs.String("role", "", "add: annotator, dataset_builder or admin")
	name := fs.String("name", "", "add: a name for the key (who holds it)")
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	store, err := access.Open(*data)
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		if *name == "" || *role == "" || len(pos) > 0 {
			return errors.New("keys add: --role and --name are required")
		}
		r, err := access.ParseRole(*role)
		if err != nil {
			return err
		}
		key, err := store.Add(*name, r)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "key %q (%s) added to %s; it is shown once, only its SHA-256 is kept:\n", *name, r, store.Path())
		fmt.Println(key)
		return nil
	case "list":
		keys, err := store.List()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED")
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", k.Name, k.Role, k.Created.Format("2006-01-02 15:04:05Z"))
		}
		return tw.Flush()
	case "revoke":
		if len(pos) != 1 {
			return errors.New("keys revoke: name the key to revoke")
		}
		if err := store.Revoke(pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "key %q revoked\n", pos[0])
		return nil
	}
	return usage
}
