package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"bingli/services/code"
	"bingli/services/deid"
	"bingli/services/events"
	"bingli/services/extract"
	"bingli/services/pipeline"
)

const evalUsage = `usage: bingli eval deid|code|coding|assertion|events|ner --data GOLD.jsonl
  deid    per-type precision/recall of identifiers; last line phi_recall=… leaks=…
  code    ICD-10, eye and assertion accuracy of diagnoses; last line icd10_acc=… eye_acc=… assertion_acc=…
  coding  CHIP-CDN set-level normalisation: --data is CHIP-CDN JSONL ({"text","normalized"}); last line f1=…
  assertion  assertion and eye accuracy per class on hand-annotated mentions (default: services/code/testdata/ophthalmic_assertions.jsonl; --split dev|test|all); last line assertion_acc=… eye_acc=…
  events  measurement F1 (kind, value and eye) and laterality; last line measurement_f1=… laterality_acc=…
  ner     strict entity P/R/F1 per label on the normalised JSONL of ../shared/data (CCKS labels); last line …micro_f1=…
  --reviewed --data DIR   the model's P/R per label against the notes annotators reviewed in a run (REVIEWS stream + index)
GOLD is the format 'bingli synth' writes to gold.jsonl (or a hand-annotated set in it).`

func cmdEval(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(evalUsage)
	}
	if hasFlag(args, "reviewed") {
		return evalReviewed(ctx, args)
	}
	switch args[0] {
	case "deid":
		return evalDeid(args[1:])
	case "coding":
		return evalCoding(args[1:])
	case "assertion":
		return evalAssertion(args[1:])
	case "code", "events", "ner":
		fs := flag.NewFlagSet("eval "+args[0], flag.ContinueOnError)
		data := fs.String("data", "", "gold JSONL")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *data == "" {
			return errors.New("eval " + args[0] + ": --data is required")
		}
		f, err := os.Open(*data)
		if err != nil {
			return fmt.Errorf("eval %s: %w", args[0], err)
		}
		defer f.Close()
		var rep fmt.Stringer
		switch args[0] {
		case "ner":
			st, err := newExtract(nil, pipeline.Env{})
			if err != nil {
				return err
			}
			x := st.(*extract.Extractor)
			defer x.Close()
			r, err := extract.Evaluate(f, x)
			if err != nil {
				return err
			}
			rep = r
		case "code":
			c, err := code.New(code.Options{})
			if err != nil {
				return err
			}
			rep, err = code.Evaluate(f, c)
			if err != nil {
				return err
			}
		default:
			r, err := events.Evaluate(f, events.New())
			if err != nil {
				return err
			}
			rep = r
		}
		fmt.Println(rep.String())
		return nil
	}
	return errors.New(evalUsage)
}

func evalDeid(args []string) error {
	fs := flag.NewFlagSet("eval deid", flag.ContinueOnError)
	data := fs.String("data", "", "gold JSONL: notes with phi spans, as 'bingli synth' writes gold.jsonl")
	keyFile := fs.String("key-file", "", "de-identification key (default: a fresh random key; scores do not depend on it)")
	names := fs.String("person-names", "lac", "learned person-name recognizer: lac or none (rules only)")
	phiModel := fs.String("phi-model", deid.DefaultPHIModel, "learned PHI tagger run beside the rules: none or "+strings.Join(deid.PHIModelNames, ", "))
	phiModelDir := fs.String("phi-model-dir", "", "load the PHI tagger from this model directory instead (a candidate; overrides --phi-model)")
	phiOnly := fs.Bool("phi-model-only", false, "score the PHI tagger alone (no rules, no LAC): what the model finds by itself")
	phiMinScore := fs.Float64("phi-min-score", 0, "when above 0, drop tagger spans whose least certain character's CRF marginal is below this (0: keep the best path's spans, no marginals computed)")
	if err := fs.Parse(args); err != nil {
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
	pn, err := loadPersonNames(*names)
	if err != nil {
		return err
	}
	var pm *deid.PHIModel
	if *phiModelDir != "" {
		pm, err = deid.LoadPHIModel("", deid.PHIModelOptions{ModelDir: *phiModelDir, MinScore: *phiMinScore})
	} else if *phiModel != "none" {
		if !slices.Contains(deid.PHIModelNames, *phiModel) {
			err = fmt.Errorf("eval deid: --phi-model %q: want none or one of %s", *phiModel, strings.Join(deid.PHIModelNames, ", "))
		} else {
			pm, err = deid.LoadPHIModel(*phiModel, deid.PHIModelOptions{MinScore: *phiMinScore})
		}
	}
	if err != nil {
		if pn != nil {
			pn.Close()
		}
		return err
	}
	opt := deid.Options{PersonNames: pn, OwnsPersonNames: true, PHIModel: pm, OwnsPHIModel: true}
	if *phiOnly {
		if pm == nil {
			return errors.New("eval deid: --phi-model-only needs --phi-model or --phi-model-dir")
		}
		if pn != nil {
			pn.Close()
		}
		defer pm.Close()
		opt = deid.Options{Registry: deid.NewPHIModelRegistry(pm)}
	}
	d, err := deid.New(key, opt)
	if err != nil {
		return err
	}
	defer d.Close()
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
