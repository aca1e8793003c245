package main

import (
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows a bar on a terminal and a line every few seconds otherwise.
type progress struct {
	on     bool
	tty    bool
	bar    *progressbar.ProgressBar
	last   time.Time
	phase2 bool
}

func newProgress(on bool) *progress {
	p := &progress{on: on, tty: term.IsTerminal(int(os.Stderr.Fd())), last: time.Now()}
	if on && p.tty {
		p.bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionSetDescription("ingesting records"), progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	return p
}

func (p *progress) ingested(n int) {
	if !p.on {
		return
	}
	if p.bar != nil {
		_ = p.bar.Set(n)
		return
	}
	if time.Since(p.last) > 5*time.Second {
		p.last = time.Now()
		fmt.Fprintf(os.Stderr, "ingested %d records\n", n)
	}
}

func (p *progress) finished(done, total int) {
	if !p.on {
		return
	}
	if p.bar != nil {
		if !p.phase2 {
			_ = p.bar.Finish()
			p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr),
				progressbar.OptionSetDescription("notes through the pipeline"), progressbar.OptionShowCount(),
				progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
			p.phase2 = true
		}
		_ = p.bar.Set(done)
		return
	}
	if time.Since(p.last) > 5*time.Second {
		p.last = time.Now()
		fmt.Fprintf(os.Stderr, "%d of %d notes through the pipeline\n", done, total)
	}
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
