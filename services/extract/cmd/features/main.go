// Command features is the one place training gets its inputs from: it
// computes the extract stage's per-character features with the same Go code
// that serves the model (services/extract), so training and serving can
// never disagree. (It will become `bingli features`.)
//
//	features vocab  -min-freq 2 [-extra chars.txt] -o vocab.txt TRAIN.jsonl...
//	features bigrams -min-freq 2 -o bigrams.txt TRAIN.jsonl...
//	features export -vocab vocab.txt [-bigrams bigrams.txt] [-labels BODY,...] [-scheme BIOES] [-labels-out labels.json] < in.jsonl > out.jsonl
//	features split  -n 4000 -seed 1 IN.jsonl FIRST.jsonl REST.jsonl
//	features manifest -name ccks-bilstm-v1 -version 1.0.0 [-batch-size 1] MODEL_DIR
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"bingli/services/extract"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: features vocab|bigrams|export|split|manifest [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "vocab":
		err = vocab(os.Args[2:], false)
	case "bigrams":
		err = vocab(os.Args[2:], true)
	case "export":
		err = export(os.Args[2:])
	case "split":
		err = split(os.Args[2:])
	case "manifest":
		err = manifest(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q: want vocab, bigrams, export, split or manifest", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "features:", err)
		os.Exit(1)
	}
}

// vocab writes vocab.txt (characters) or, with bigrams, bigrams.txt.
func vocab(args []string, bigrams bool) error {
	name, def := "vocab", "vocab.txt"
	if bigrams {
		name, def = "bigrams", "bigrams.txt"
	}
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	minFreq := fs.Int("min-freq", 2, "keep characters (or bigrams) seen at least this often")
	out := fs.String("o", def, "output file")
	extra := fs.String("extra", "", "characters (one per line) appended after the training ones, e.g. those with pretrained embeddings (vocab only)")
	fs.Parse(args)
	var texts []string
	for _, p := range fs.Args() {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = extract.ReadRecords(f, func(r extract.Record) error { texts = append(texts, r.Text); return nil })
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	var v interface {
		io.WriterTo
		Len() int
	}
	if bigrams {
		v = extract.BuildBigrams(texts, *minFreq)
	} else {
		cv := extract.BuildVocab(texts, *minFreq)
		if *extra != "" {
			b, err := os.ReadFile(*extra)
			if err != nil {
				return err
			}
			cv.Extend(strings.Fields(string(b)))
		}
		v = cv
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if _, err := v.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d texts, %d ids (reserved ones included) -> %s\n", name, len(texts), v.Len(), *out)
	return f.Close()
}

func export(args []string) error {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	vocabPath := fs.String("vocab", "", "vocab.txt")
	bigramsPath := fs.String("bigrams", "", "bigrams.txt (models with a bigram input)")
	labels := fs.String("labels", strings.Join(extract.CCKSLabels, ","), "product labels, in tag order")
	scheme := fs.String("scheme", "BIOES", "BIO or BIOES")
	labelsOut := fs.String("labels-out", "", "write labels.json here")
	maxChunk := fs.Int("max-chunk", extract.DefaultMaxChunk, "longest chunk (code points)")
	fs.Parse(args)
	vf, err := os.Open(*vocabPath)
	if err != nil {
		return err
	}
	v, err := extract.LoadVocab(vf)
	vf.Close()
	if err != nil {
		return err
	}
	ts, err := extract.NewTagSet(strings.Split(*labels, ","), *scheme)
	if err != nil {
		return err
	}
	if *labelsOut != "" {
		b, _ := json.MarshalIndent(ts, "", " ")
		if err := os.WriteFile(*labelsOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	var bg *extract.Bigrams
	if *bigramsPath != "" {
		bf, err := os.Open(*bigramsPath)
		if err != nil {
			return err
		}
		bg, err = extract.LoadBigrams(bf)
		bf.Close()
		if err != nil {
			return err
		}
	}
	f, err := extract.NewFeaturizer(v, bg)
	if err != nil {
		return err
	}
	st, err := extract.ExportFeatures(os.Stdin, os.Stdout, f, ts, extract.ExportOptions{MaxChunk: *maxChunk})
	if err != nil {
		return err
	}
	b, _ := json.Marshal(st)
	fmt.Fprintf(os.Stderr, "export: %s\n", b)
	return nil
}

func split(args []string) error {
	fs := flag.NewFlagSet("split", flag.ExitOnError)
	n := fs.Int("n", 4000, "records in the first part")
	seed := fs.Uint64("seed", 1, "shuffle seed")
	fs.Parse(args)
	if fs.NArg() != 3 {
		return fmt.Errorf("split: want IN FIRST REST")
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()
	a, err := os.Create(fs.Arg(1))
	if err != nil {
		return err
	}
	b, err := os.Create(fs.Arg(2))
	if err != nil {
		return err
	}
	na, nb, err := extract.SplitRecords(in, a, b, *n, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "split: %d -> %s, %d -> %s (seed %d)\n", na, fs.Arg(1), nb, fs.Arg(2), *seed)
	if err := a.Close(); err != nil {
		return err
	}
	return b.Close()
}

func manifest(args []string) error {
	fs := flag.NewFlagSet("manifest", flag.ExitOnError)
	name := fs.String("name", "", "model name (default: the directory's name)")
	version := fs.String("version", "1.0.0", "model version")
	batch := fs.Int("batch-size", 0, "most chunks per ONNX Runtime call the model is served with (0: the extractor's default; 1 for int8 models)")
	fs.Parse(args)
	if fs.NArg() != 1 {
		return fmt.Errorf("manifest: want MODEL_DIR")
	}
	dir := fs.Arg(0)
	if *name == "" {
		*name = filepath.Base(filepath.Clean(dir))
	}
	m, err := extract.WriteManifest(dir, *name, *version, *batch)
	if err != nil {
		return err
	}
	for _, f := range append(extract.ModelFiles, extract.OptionalModelFiles...) {
		if sum, ok := m.Files[f]; ok {
			fmt.Printf("%s  %s\n", sum, f)
		}
	}
	return nil
}
