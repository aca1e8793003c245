package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// rssSample is the process's resident memory when the output file had grown
// to outBytes. The kernel counts two kinds in the resident set: anonymous
// pages (the Go heap, stacks, ONNX Runtime's buffers: what the process
// owns) and file pages mapped into it (the embedded index's segments, which
// bleve maps read-only: page cache the kernel can drop and read again).
type rssSample struct {
	at       time.Duration
	anonMB   int
	fileMB   int
	outBytes int64
}

func (s rssSample) rssMB() int { return s.anonMB + s.fileMB }

type rssSampler struct {
	done    chan struct{}
	samples chan []rssSample
}

// startRSSSampler records this process's resident memory and the size of
// out every interval until stop.
func startRSSSampler(interval time.Duration, out string) *rssSampler {
	s := &rssSampler{done: make(chan struct{}), samples: make(chan []rssSample, 1)}
	start := time.Now()
	go func() {
		var got []rssSample
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			sample := readRSS()
			sample.at = time.Since(start)
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

// readRSS reads RssAnon and RssFile (+ RssShmem) from /proc/self/status
// (zeros where there is none).
func readRSS() rssSample {
	var s rssSample
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return s
	}
	kb := func(v string) int {
		var n int
		fmt.Sscanf(strings.TrimSpace(v), "%d", &n)
		return n
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "RssAnon:"); ok {
			s.anonMB = kb(v) / 1024
		} else if v, ok := strings.CutPrefix(l, "RssFile:"); ok {
			s.fileMB += kb(v) / 1024
		} else if v, ok := strings.CutPrefix(l, "RssShmem:"); ok {
			s.fileMB += kb(v) / 1024
		}
	}
	return s
}

// rssProfile reports the resident memory (anonymous + mapped files) when
// the output reached 10 %, 25 %, 50 %, 75 % and 100 % of its final size:
// flat numbers mean memory does not grow with the number of notes.
func rssProfile(ss []rssSample) string {
	if len(ss) == 0 {
		return "n/a"
	}
	final := ss[len(ss)-1].outBytes
	var parts []string
	for _, q := range []float64{0.10, 0.25, 0.50, 0.75, 1.0} {
		for _, s := range ss {
			if final > 0 && float64(s.outBytes) >= q*float64(final) {
				parts = append(parts, fmt.Sprintf("%.0f%%: %d MB (%d + %d)", q*100, s.rssMB(), s.anonMB, s.fileMB))
				break
			}
		}
	}
	if len(parts) == 0 {
		return "n/a"
	}
	return strings.Join(parts, ", ")
}

// rssPeaks are the largest anonymous and file-mapped resident sizes among
// the samples, with when each was seen.
func rssPeaks(ss []rssSample) string {
	var anon, file rssSample
	for _, s := range ss {
		if s.anonMB > anon.anonMB {
			anon = s
		}
		if s.fileMB > file.fileMB {
			file = s
		}
	}
	return fmt.Sprintf("anonymous %d MB (at %s), mapped files %d MB (at %s)",
		anon.anonMB, anon.at.Round(time.Second), file.fileMB, file.at.Round(time.Second))
}
