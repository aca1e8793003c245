package main

import (
	"testing"
	"time"
)

func TestRSSProfile(t *testing.T) {
	ss := []rssSample{{0, 100, 0}, {time.Second, 120, 10}, {2 * time.Second, 130, 30}, {3 * time.Second, 131, 50}, {4 * time.Second, 140, 80}, {5 * time.Second, 141, 100}}
	want := "10%: 120 MB, 25%: 130 MB, 50%: 131 MB, 75%: 140 MB, 100%: 141 MB"
	if got := rssProfile(ss); got != want {
		t.Fatalf("rssProfile = %q, want %q", got, want)
	}
	if got := rssProfile(nil); got != "n/a" {
		t.Fatalf("rssProfile(nil) = %q", got)
	}
	if mb := rssMB(); mb <= 0 {
		t.Fatalf("rssMB = %d, want the test binary's resident size", mb)
	}
}
