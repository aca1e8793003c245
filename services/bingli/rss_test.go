package main

import (
	"testing"
	"time"
)

func TestRSSProfile(t *testing.T) {
	ss := []rssSample{
		{0, 100, 0, 0}, {time.Second, 110, 10, 10}, {2 * time.Second, 120, 10, 30},
		{3 * time.Second, 121, 10, 50}, {4 * time.Second, 130, 900, 80}, {5 * time.Second, 131, 10, 100},
	}
	want := "10%: 120 MB (110 + 10), 25%: 130 MB (120 + 10), 50%: 131 MB (121 + 10), 75%: 1030 MB (130 + 900), 100%: 141 MB (131 + 10)"
	if got := rssProfile(ss); got != want {
		t.Fatalf("rssProfile = %q, want %q", got, want)
	}
	if got, want := rssPeaks(ss), "anonymous 131 MB (at 5s), mapped files 900 MB (at 4s)"; got != want {
		t.Fatalf("rssPeaks = %q, want %q", got, want)
	}
	if got := rssProfile(nil); got != "n/a" {
		t.Fatalf("rssProfile(nil) = %q", got)
	}
	if s := readRSS(); s.anonMB <= 0 || s.fileMB <= 0 {
		t.Fatalf("readRSS = %+v, want the test binary's anonymous and file-backed resident sizes", s)
	}
}
