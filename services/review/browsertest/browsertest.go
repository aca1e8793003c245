// Package browsertest finds the Chromium that the review app's browser tests
// drive (Debian's chromium in CI).
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium returns the browser's path. Without one the test is skipped,
// unless CI is set: there a missing browser is a failure.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium found and CI is set: the browser tests must run")
	}
	t.Skip("no Chromium found (install chromium, or set CI to make this a failure)")
	return ""
}

// Open starts headless Chromium (exe, from Chromium) and opens url. The
// returned context drives the page for at most 90 seconds; the browser
// stops when the test ends. (The first navigation starts the browser, so it
// runs without that timeout.)
func Open(t testing.TB, exe, url string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1400, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancel(); cancelCtx(); cancelAlloc() })
	return ctx
}
