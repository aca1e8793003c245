package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestServePprofServesTheHeapProfile(t *testing.T) {
	addr, stop, err := servePprof("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "heap profile") {
		t.Fatalf("status %d, %d bytes without a heap profile", resp.StatusCode, len(b))
	}
	if r, err := http.Get("http://" + addr + "/debug/pprof/cmdline"); err == nil && r.StatusCode == http.StatusOK {
		r.Body.Close()
		t.Fatal("the command line (paths, key file) is served")
	}
}
