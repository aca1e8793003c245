package opensearchtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestProxyDownUp drives a real HTTP server through the proxy: requests
// pass while it is up, are refused while it is down (a kept-alive
// connection included), and pass again once it is back.
func TestProxyDownUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	p := NewProxy(t, srv.Listener.Addr().String())
	c := &http.Client{Timeout: 2 * time.Second} // keeps connections alive
	get := func() error {
		res, err := c.Get("http://" + p.Addr() + "/")
		if err != nil {
			return err
		}
		defer res.Body.Close()
		_, err = io.ReadAll(res.Body)
		return err
	}
	for _, step := range []struct {
		name   string
		action func()
		wantOK bool
	}{
		{"up", func() {}, true},
		{"down", p.Down, false},
		{"down twice", p.Down, false},
		{"back up", p.Up, true},
		{"down again", p.Down, false},
		{"up again", p.Up, true},
	} {
		step.action()
		if err := get(); (err == nil) != step.wantOK {
			t.Errorf("%s: GET through the proxy: err = %v, want ok = %v", step.name, err, step.wantOK)
		}
	}
}
