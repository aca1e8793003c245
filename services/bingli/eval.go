package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"

	"bingli/services/deid"
)

func cmdEval(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] != "deid" {
		return errors.New("usage: bingli eval deid --data GOLD.jsonl [--key-file FILE]")
	}
	fs := flag.NewFlagSet("eval deid", flag.ContinueOnError)
	data := fs.String("data", "", "gold JSONL: notes with phi spans, as 'bingli synth' writes gold.jsonl")
	keyFile := fs.String("key-file", "", "de-identification key (default: a fresh random key; scores do not depend on it)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("eval deid: --data is required")
	}
	var key deid.Key
	var err error
	if *keyFile != "" {
		key, err = deid.LoadKey(*keyFile)
	} else {
		b := make([]byte, 32)
		if _, err = rand.Read(b); err == nil {
			key, err = deid.NewKey(b)
		}
	}
	if err != nil {
		return err
	}
	d, err := deid.New(key, deid.Options{})
	if err != nil {
		return err
	}
	f, err := os.Open(*data)
	if err != nil {
		return fmt.Errorf("eval deid: %w", err)
	}
	defer f.Close()
	rep, err := deid.Evaluate(f, d)
	if err != nil {
		return err
	}
	fmt.Println(rep.String())
	return nil
}
