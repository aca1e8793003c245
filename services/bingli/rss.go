package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// rssSample is the process's resident set size when the output file had
// grown to outBytes.
type rssSample struct {
	at       time.Duration
	rssMB    int
	outBytes int64
}

type rssSampler struct {
	done    chan struct{}
	samples chan []rssSample
}

// startRSSSampler records this process's RSS and the size of out every
// interval until stop.
func startRSSSampler(interval time.Duration, out string) *rssSampler {
	s := &rssSampler{done: make(chan struct{}), samples: make(chan []rssSample, 1)}
	start := time.Now()
	go func() {
		var got []rssSample
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			sample := rssSample{at: time.Since(start), rssMB: rssMB()}
			if fi, err := os.Stat(out); err == nil {
				sample.outBytes = fi.Size()
			}
			got = append(got, sample)
			select {
			case <-s.done:
				s.samples <- got
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) stop() []rssSample {
	close(s.done)
	return <-s.samples
}

// rssMB reads VmRSS from /proc/self/status (0 where there is none).
func rssMB() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			var kb int
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return kb / 1024
		}
	}
	return 0
}

// rssProfile reports the RSS when the output reached 10 %, 25 %, 50 %, 75 %
// and 100 % of its final size: flat numbers mean memory does not grow with
// the number of notes.
func rssProfile(ss []rssSample) string {
	if len(ss) == 0 {
		return "n/a"
	}
	final := ss[len(ss)-1].outBytes
	var parts []string
	for _, q := range []float64{0.10, 0.25, 0.50, 0.75, 1.0} {
		for _, s := range ss {
			if final > 0 && float64(s.outBytes) >= q*float64(final) {
				parts = append(parts, fmt.Sprintf("%.0f%%: %d MB", q*100, s.rssMB))
				break
			}
		}
	}
	if len(parts) == 0 {
		return "n/a"
	}
	return strings.Join(parts, ", ")
}
