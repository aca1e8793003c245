package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/bus"
	"bingli/services/dlq"
	"bingli/services/ingest"
	"bingli/services/output"
	"bingli/services/pipeline"
	"bingli/services/report"
	"bingli/services/runner"
	"bingli/services/timeline"
)

func cmdProcess(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("process", flag.ContinueOnError)
	maxPending := fs.Uint64("max-pending", ingest.DefaultMaxPending, "ingest waits while more notes than this are inside the pipeline (0: no bound; memory then grows with the archive)")
	in := fs.String("in", "", "archive file or directory (JSONL, CSV, TXT; UTF-8, GBK/GB18030, UTF-16)")
	out := fs.String("out", "", "output directory for notes.jsonl and dlq.jsonl")
	mapping := fs.String("map", "", "field mapping, e.g. patient_id=病案号,visit_date=就诊日期,text=病历内容")
	pipe := fs.String("pipeline", "ophthalmology", "pipeline name or YAML file")
	data := fs.String("data", "", "state directory (JetStream storage, key); default OUT/.bingli")
	keyFile := fs.String("key-file", "", "de-identification key file (default: BINGLI_DEID_KEY_FILE, else DATA/deid.key, created once)")
	maxNote := fs.Int("max-note-bytes", 1<<20, "notes larger than this are dead-lettered")
	logLevel := fs.String("log-level", "warn", "log level")
	quiet := fs.Bool("quiet", false, "no progress bar")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file once the pipeline has drained (before the stages stop)")
	pprofAddr := fs.String("pprof", "", "serve Go's profiles (net/http/pprof) on this address during the run, e.g. 127.0.0.1:6060, to look at memory or CPU mid-run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		fs.Usage()
		return errors.New("process: --in and --out are required")
	}
	if _, err := os.Stat(*in); err != nil {
		return fmt.Errorf("process: --in: %w", err)
	}
	log, err := newLogger(*logLevel, false)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("process: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("process: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *pprofAddr != "" {
		_, stop, err := servePprof(*pprofAddr)
		if err != nil {
			return fmt.Errorf("process: --pprof: %w", err)
		}
		defer stop()
	}
	m, err := ingest.ParseMapping(*mapping)
	if err != nil {
		return err
	}
	def, err := pipeline.Load(*pipe)
	if err != nil {
		return err
	}
	if err := registry().Check(def); err != nil {
		return err
	}
	if *data == "" {
		*data = filepath.Join(*out, ".bingli")
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		return fmt.Errorf("process: %w", err)
	}
	key, err := resolveKeyFile(*keyFile, *data, true, log)
	if err != nil {
		return err
	}

	emb, err := openEmbedded(ctx, *data, "127.0.0.1", -1, "bingli-process", def)
	if err != nil {
		return err
	}
	defer emb.Close()
	js := emb.js
	runCtx, stopStages := context.WithCancel(context.Background())
	defer stopStages()
	w, outDone, err := startOutput(runCtx, js, emb.topo, filepath.Join(*out, "notes.jsonl"), log)
	if err != nil {
		return err
	}
	before := w.Count()
	set, err := startStages(runCtx, js, def, nil, pipeline.Env{DataDir: *data, KeyFile: key, Log: log}, log)
	if err != nil {
		return err
	}
	_, tlDone, err := startTimelines(runCtx, js, emb.topo, 2, log)
	if err != nil {
		return err
	}

	started := time.Now()
	prog := newProgress(!*quiet)
	pub := &ingest.Publisher{JS: js, Log: log, MaxPending: *maxPending, Progress: func(n int) { prog.ingested(n) }}
	res, err := pub.Publish(ctx, *in, ingest.Options{Mapping: m, MaxNoteBytes: *maxNote})
	if err != nil {
		return fmt.Errorf("process: ingest: %w", err)
	}
	if err := waitDrained(ctx, js, func() { prog.finished(w.Count()-before, res.Valid) }); err != nil {
		return err
	}
	if *memProfile != "" {
		if err := writeHeapProfile(*memProfile); err != nil {
			return fmt.Errorf("process: %w", err)
		}
	}
	prog.done()
	stopStages()
	if err := set.Wait(); err != nil {
		return err
	}
	if err := <-outDone; err != nil {
		return err
	}
	if err := <-tlDone; err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("process: close output: %w", err)
	}
	dead, err := dlq.ReadAll(context.Background(), js)
	if err != nil {
		return err
	}
	if err := writeDLQ(filepath.Join(*out, "dlq.jsonl"), dead); err != nil {
		return err
	}
	patients, shown, err := writePatients(context.Background(), js, filepath.Join(*out, "patients.jsonl"))
	if err != nil {
		return err
	}
	if err := writeReport(filepath.Join(*out, "report.html"), shown); err != nil {
		return err
	}
	s := summary{Patients: patients, Pipeline: def, Result: res, Stats: set.stats, Output: w, Before: before, Dead: dead, Out: *out, Elapsed: time.Since(started)}
	s.print(os.Stdout)
	if lost := s.lost(); lost != 0 {
		return fmt.Errorf("process: %d notes unaccounted for", lost)
	}
	return nil
}

// writeHeapProfile writes the live heap (after a collection) to path.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// waitDrained returns once no note is left inside the pipeline (checked
// twice in a row), calling tick on each poll.
func waitDrained(ctx context.Context, js jetstream.JetStream, tick func()) error {
	zero := 0
	for {
		tick()
		n, err := bus.PendingPersistently(ctx, js, nil)
		if err != nil {
			return err
		}
		if n == 0 {
			zero++
			if zero >= 2 {
				return nil
			}
		} else {
			zero = 0
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("interrupted with %d notes in the pipeline; run the same command again to finish", n)
		case <-time.After(150 * time.Millisecond):
		}
	}
}

func writeDLQ(path string, recs []dlq.Record) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write dlq: %w", err)
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return fmt.Errorf("write dlq: %w", err)
		}
	}
	return f.Close()
}

// summary is what process prints at the end.
type summary struct {
	Pipeline *pipeline.Definition
	Result   ingest.Result
	Stats    map[string]*runner.Stats
	Output   *output.Writer
	Before   int
	Dead     []dlq.Record
	Out      string
	Elapsed  time.Duration
	Patients int
}

func (s summary) deadAfterIngest() int {
	n := 0
	for _, d := range s.Dead {
		if d.Stage != "ingest" {
			n++
		}
	}
	return n
}

func (s summary) lost() int {
	return s.Result.Valid - s.Output.Count() - s.deadAfterIngest()
}

func (s summary) print(w io.Writer) {
	r := s.Result
	fmt.Fprintf(w, "bingli process: pipeline %s v%d\n", s.Pipeline.Name, s.Pipeline.Version)
	fmt.Fprintf(w, "  %-10s files %d (%d unchanged since an earlier run), valid notes %d, bad records %d\n", "archive", r.Files, r.FilesSkipped, r.Valid, r.Bad)
	fmt.Fprintf(w, "  %-10s published %d this run, duplicate note ids %d\n", "ingest", r.Published, r.Duplicates)
	for _, sc := range s.Pipeline.Stages {
		st := s.Stats[sc.Name]
		fmt.Fprintf(w, "  %-10s processed %d, dead-lettered %d, retried %d\n", sc.Name, st.Processed.Load(), st.DeadLettered.Load(), st.Retried.Load())
	}
	fmt.Fprintf(w, "  %-10s %d notes in %s (%d new this run)\n", "output", s.Output.Count(), filepath.Join(s.Out, "notes.jsonl"), s.Output.Count()-s.Before)
	fmt.Fprintf(w, "  %-10s %d timelines in %s (charts: %s)\n", "patients", s.Patients, filepath.Join(s.Out, "patients.jsonl"), filepath.Join(s.Out, "report.html"))
	byStage := map[string]int{}
	for _, d := range s.Dead {
		byStage[d.Stage]++
	}
	fmt.Fprintf(w, "  %-10s %d in %s %v\n", "dead", len(s.Dead), filepath.Join(s.Out, "dlq.jsonl"), byStage)
	fmt.Fprintf(w, "  %-10s %d\n", "lost", s.lost())
	if secs := s.Elapsed.Seconds(); secs > 0 {
		fmt.Fprintf(w, "  %-10s %.1f s, %.0f notes/s this run\n", "time", secs, float64(s.Output.Count()-s.Before)/secs)
	}
}

// reportPatients is how many patients report.html shows (the longest
// followed).
const reportPatients = 50

// writePatients streams every timeline from the timelines stream to path and
// returns the number written and the reportPatients longest-followed ones:
// memory does not grow with the archive.
func writePatients(ctx context.Context, js jetstream.JetStream, path string) (int, []*timeline.Timeline, error) {
	w, err := timeline.CreateJSONL(path)
	if err != nil {
		return 0, nil, err
	}
	var top []*timeline.Timeline
	longer := func(a, b *timeline.Timeline) int { return b.FollowUpDays - a.FollowUpDays }
	err = timeline.Each(ctx, js, func(t *timeline.Timeline) error {
		if err := w.Write(t); err != nil {
			return err
		}
		top = append(top, t)
		if len(top) >= 4*reportPatients {
			slices.SortStableFunc(top, longer)
			top = top[:reportPatients]
		}
		return nil
	})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, nil, err
	}
	slices.SortStableFunc(top, longer)
	return w.Count(), top[:min(len(top), reportPatients)], nil
}

func writeReport(path string, ts []*timeline.Timeline) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := report.Write(f, ts, report.Options{}); err != nil {
		f.Close()
		return fmt.Errorf("report: %w", err)
	}
	return f.Close()
}
