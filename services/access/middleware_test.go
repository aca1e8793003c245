package access

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequire(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	keys := map[Role]string{}
	for _, r := range Roles {
		if keys[r], err = s.Add("k-"+string(r), r); err != nil {
			t.Fatal(err)
		}
	}
	h := Require(s, DatasetRoles, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := PrincipalFrom(r.Context())
		io.WriteString(w, p.Name+" "+string(p.Role))
	}))
	for _, tc := range []struct {
		name     string
		header   string
		value    string
		code     int
		body     string // 200: the handler's answer; else the JSON error kind
		wwwAuthn bool
	}{
		{"no key", "", "", 401, "unauthenticated", true},
		{"unknown key", "Authorization", "Bearer bk_nope", 401, "unauthenticated", true},
		{"basic auth is not a key", "Authorization", "Basic " + keys[Admin], 401, "unauthenticated", true},
		{"annotator refused", "Authorization", "Bearer " + keys[Annotator], 403, "forbidden", false},
		{"dataset builder, bearer", "Authorization", "Bearer " + keys[DatasetBuilder], 200, "k-dataset_builder dataset_builder", false},
		{"dataset builder, lower-case scheme", "Authorization", "bearer " + keys[DatasetBuilder], 200, "k-dataset_builder dataset_builder", false},
		{"admin, X-Bingli-Key", "X-Bingli-Key", keys[Admin], 200, "k-admin admin", false},
		{"annotator, X-Bingli-Key", "X-Bingli-Key", keys[Annotator], 403, "forbidden", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/cohort", nil)
			if tc.header != "" {
				req.Header.Set(tc.header, tc.value)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.code {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tc.code, rec.Body)
			}
			if tc.code == 200 {
				if rec.Body.String() != tc.body {
					t.Fatalf("body %q, want %q", rec.Body, tc.body)
				}
				return
			}
			var e ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error != tc.body || e.Message == "" {
				t.Fatalf("error body %q: %+v %v", rec.Body, e, err)
			}
			if got := rec.Header().Get("WWW-Authenticate") != ""; got != tc.wwwAuthn {
				t.Fatalf("WWW-Authenticate present %v, want %v", got, tc.wwwAuthn)
			}
		})
	}
}
