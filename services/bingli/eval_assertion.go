package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"bingli/services/code"
)

// evalAssertion scores the assertion and eye of every gold mention of a
// hand-annotated set (services/code/testdata/ophthalmic_assertions.jsonl),
// classified by the code stage on the gold span, per class.
func evalAssertion(args []string) error {
	fs := flag.NewFlagSet("eval assertion", flag.ContinueOnError)
	data := fs.String("data", "services/code/testdata/ophthalmic_assertions.jsonl", "hand-annotated mentions (id, text, diagnoses with start, end, eye, assertion)")
	split := fs.String("split", "all", "dev (ids whose number mod 5 is 0 or 1), test (the rest) or all")
	if err := fs.Parse(args); err != nil {
		return err
	}
	keep, err := assertionSplit(*split)
	if err != nil {
		return err
	}
	f, err := os.Open(*data)
	if err != nil {
		return fmt.Errorf("eval assertion: %w", err)
	}
	defer f.Close()
	c, err := code.New(code.Options{})
	if err != nil {
		return err
	}
	rep, err := code.EvaluateAssertions(f, c, keep)
	if err != nil {
		return fmt.Errorf("eval assertion: %w", err)
	}
	fmt.Println(rep.String())
	return nil
}

// assertionSplit selects notes of the set by the split its README defines.
func assertionSplit(split string) (func(string) bool, error) {
	dev := func(id string) bool {
		n, err := strconv.Atoi(strings.TrimLeft(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		return err == nil && (n%5 == 0 || n%5 == 1)
	}
	switch split {
	case "all":
		return nil, nil
	case "dev":
		return dev, nil
	case "test":
		return func(id string) bool { return !dev(id) }, nil
	}
	return nil, errors.New("eval assertion: --split is dev, test or all")
}
