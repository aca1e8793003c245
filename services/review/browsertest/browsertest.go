// Package browsertest finds the Chromium that the review app's browser tests
// drive (Debian's chromium in CI).
package browsertest

import (
	"os"
	"os/exec"
	"testing"
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
