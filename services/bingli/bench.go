package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"bingli/services/jsonl"

	"bingli/services/note"
	"bingli/services/synth"
)

// cmdBench generates a synthetic archive, runs the whole embedded pipeline
// on it in this process, and reports end-to-end and per-stage throughput and
// per-note latency (from each note's provenance), CPU time and peak RSS, as
// a Markdown section. With --doc it replaces that section of the file.
func cmdBench(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	patients := fs.Int("patients", 1700, "synthetic patients (about 6 notes each)")
	work := fs.String("dir", "", "work directory (default: a temporary one, removed afterwards)")
	doc := fs.String("doc", "", "Markdown file whose '<!-- SECTION -->' section is replaced with the result")
	section := fs.String("section", "bench:e2e", "section of --doc to replace (bench:long for the long run)")
	pprofAddr := fs.String("pprof", "", "serve Go's profiles on this address during the run (see process --pprof)")
	pipe := fs.String("pipeline", "ophthalmology", "pipeline name or YAML file (see process --pipeline)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir := *work
	if dir == "" {
		tmp, err := os.MkdirTemp("", "bingli-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	sum, err := synth.Write(ctx, synth.Config{Patients: *patients, Seed: 42}, filepath.Join(dir, "synth"))
	if err != nil {
		return err
	}
	out := filepath.Join(dir, "result")
	var before syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	stdout := os.Stdout
	os.Stdout, _ = os.Open(os.DevNull)
	sampler := startRSSSampler(2*time.Second, filepath.Join(out, "notes.jsonl"))
	pargs := []string{"--in", filepath.Join(dir, "synth", synth.DirArchive), "--out", out, "--pipeline", *pipe, "--quiet", "--log-level", "error"}
	if *pprofAddr != "" {
		pargs = append(pargs, "--pprof", *pprofAddr)
	}
	err = cmdProcess(ctx, pargs)
	samples := sampler.stop()
	os.Stdout = stdout
	if err != nil {
		return err
	}
	wall := time.Since(start)
	var after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := tv(after.Utime) + tv(after.Stime) - tv(before.Utime) - tv(before.Stime)

	st, err := analyse(filepath.Join(out, "notes.jsonl"))
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Command: `bingli bench --patients %d --pipeline %s` (`go tool task bench` uses 1700, `bench:long` 170000), %s.\n\n", *patients, *pipe, time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, "Machine: %s, %d cores (GOMAXPROCS %d), %s, %s.\n\n", cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), memTotal(), runtime.Version())
	fmt.Fprintf(&b, "| measure | value |\n|---|---|\n")
	fmt.Fprintf(&b, "| notes (synthetic, %d patients) | %d (%.0f characters a note on average) |\n", sum.Patients, st.notes, float64(st.chars)/float64(max(st.notes, 1)))
	fmt.Fprintf(&b, "| end to end (`bingli process`, wall) | %.1f s: **%.0f notes/s**, %.0f chars/s |\n", wall.Seconds(), float64(st.notes)/wall.Seconds(), float64(st.chars)/wall.Seconds())
	fmt.Fprintf(&b, "| CPU time | %.1f s (%.0f%% of one core on average) |\n", cpu.Seconds(), 100*cpu.Seconds()/wall.Seconds())
	fmt.Fprintf(&b, "| peak RSS (kernel high-water mark, anonymous + mapped files) | %d MB |\n", after.Maxrss/1024)
	fmt.Fprintf(&b, "| peak RSS sampled every 2 s | %s |\n", rssPeaks(samples))
	fmt.Fprintf(&b, "| RSS as the output grew (anonymous + mapped files) | %s |\n", rssProfile(samples))
	fmt.Fprintf(&b, "| per-note latency, ingest to last stage | p50 %s, p99 %s |\n", st.latency(0.50), st.latency(0.99))
	for _, s := range st.stages {
		fmt.Fprintf(&b, "| stage %s | %.0f notes/s while it ran (%d notes in %.1f s) |\n", s.name, float64(s.n)/s.span.Seconds(), s.n, s.span.Seconds())
	}
	fmt.Print(b.String())
	if *doc != "" {
		return replaceSection(*doc, *section, b.String())
	}
	return nil
}

func tv(t syscall.Timeval) time.Duration {
	return time.Duration(t.Sec)*time.Second + time.Duration(t.Usec)*time.Microsecond
}

type stageSpan struct {
	name        string
	first, last time.Time
	n           int
	span        time.Duration
}

type benchStats struct {
	notes, chars int
	latencies    []time.Duration
	stages       []*stageSpan
}

func (s *benchStats) latency(q float64) string {
	if len(s.latencies) == 0 {
		return "n/a"
	}
	slices.Sort(s.latencies)
	return s.latencies[int(q*float64(len(s.latencies)-1))].Round(time.Millisecond).String()
}

// analyse reads the provenance of every note: when ingest published it and
// when each stage finished it.
func analyse(path string) (*benchStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st := &benchStats{}
	byName := map[string]*stageSpan{}
	err = jsonl.Each(f, func(_ int, n *note.Note) error {
		st.notes++
		st.chars += len([]rune(n.Text))
		if len(n.Provenance) >= 2 {
			st.latencies = append(st.latencies, n.Provenance[len(n.Provenance)-1].At.Sub(n.Provenance[0].At))
		}
		for i, p := range n.Provenance {
			s := byName[p.Stage]
			if s == nil {
				s = &stageSpan{name: p.Stage, first: p.At, last: p.At}
				byName[p.Stage] = s
				st.stages = append(st.stages, s)
			}
			s.n++
			from := p.At
			if i > 0 {
				from = n.Provenance[i-1].At
			}
			if from.Before(s.first) {
				s.first = from
			}
			if p.At.After(s.last) {
				s.last = p.At
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, s := range st.stages {
		s.span = max(s.last.Sub(s.first), time.Millisecond)
	}
	return st, nil
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	b, _ := os.ReadFile("/proc/meminfo")
	var kb int
	if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err != nil {
		return "memory unknown"
	}
	return fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
}

// replaceSection replaces the text between <!-- NAME --> and <!-- /NAME -->.
func replaceSection(path, name, body string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	open, closing := []byte("<!-- "+name+" -->\n"), []byte("<!-- /"+name+" -->")
	i, j := bytes.Index(b, open), bytes.Index(b, closing)
	if i < 0 || j < i {
		return errors.New("bench: " + path + " has no <!-- " + name + " --> section")
	}
	var out bytes.Buffer
	out.Write(b[:i+len(open)])
	io.WriteString(&out, body)
	out.Write(b[j:])
	return os.WriteFile(path, out.Bytes(), 0o644)
}
