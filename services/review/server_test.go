package review

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"bingli/services/note"
)

func do(t *testing.T, h http.Handler, method, path, body string, hdr map[string]string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

const okCorrection = `{"status":"corrected","entities":[{"label":"SYMPTOM","start":30,"end":35,"text":"ignored"}],"diagnoses":[]}`

func TestUnauthenticatedGets401(t *testing.T) {
	s, _ := newTestServer(t)
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/review/api/queue", ""},
		{"GET", "/review/api/notes/n1", ""},
		{"POST", "/review/api/notes/n1/corrections", okCorrection},
	} {
		for name, hdr := range map[string]map[string]string{"no key": nil, "wrong key": {keyHeader: "nope"}} {
			if w := do(t, s, c.method, c.path, c.body, hdr); w.Code != http.StatusUnauthorized {
				t.Errorf("%s %s (%s): %d, want 401", c.method, c.path, name, w.Code)
			}
		}
		if w := do(t, s, c.method, c.path, c.body, nil, &http.Cookie{Name: cookieName, Value: "forged"}); w.Code != http.StatusUnauthorized {
			t.Errorf("%s %s (forged cookie): %d, want 401", c.method, c.path, w.Code)
		}
	}
	if w := do(t, s, "GET", "/review/", "", nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/review/login" {
		t.Errorf("GET /review/ unauthenticated: %d %q, want a redirect to the login form", w.Code, w.Header().Get("Location"))
	}
}

func TestAPIKey(t *testing.T) {
	s, corr := newTestServer(t)
	if e := smallNote().Entities[1]; e.Start != 30 || e.End != 34 {
		t.Fatalf("okCorrection assumes 视物模糊 at [30,34), fixture has %+v", e)
	}
	key := map[string]string{keyHeader: testKey}
	w := do(t, s, "GET", "/review/api/notes/n1", "", key)
	if w.Code != 200 {
		t.Fatalf("get note: %d %s", w.Code, w.Body)
	}
	var v NoteView
	json.Unmarshal(w.Body.Bytes(), &v)
	if v.NoteID != "n1" || len(v.Entities) != 12 || len(v.Diagnoses) != 2 || len(v.Measurements) != 4 {
		t.Fatalf("note view: %+v", v)
	}
	if strings.Contains(w.Body.String(), "patient_id") || strings.Contains(w.Body.String(), "fixture.jsonl") {
		t.Errorf("note view leaks identifiers: %s", w.Body)
	}
	// A key-authenticated client needs no CSRF token.
	if w := do(t, s, "POST", "/review/api/notes/n1/corrections", okCorrection, key); w.Code != http.StatusCreated {
		t.Fatalf("post: %d %s", w.Code, w.Body)
	}
	c, ok, _ := corr.Latest(context.Background(), "n1")
	if !ok || c.Annotator != "ann1" || c.Entities[0].Text != "视物模糊伴" {
		t.Fatalf("stored correction: %+v", c)
	}
	w = do(t, s, "GET", "/review/api/queue", "", key)
	var q []QueueItem
	json.Unmarshal(w.Body.Bytes(), &q)
	if len(q) != 3 || q[0].Status != "corrected" || q[0].Annotator != "ann1" || q[1].Status != "pending" {
		t.Fatalf("queue: %+v", q)
	}
	w = do(t, s, "GET", "/review/api/notes/n1", "", key)
	json.Unmarshal(w.Body.Bytes(), &v)
	if len(v.Entities) != 1 || v.Review == nil || v.Review.Status != "corrected" {
		t.Fatalf("correction not applied: %+v", v)
	}
}

func TestValidation(t *testing.T) {
	s, _ := newTestServer(t)
	key := map[string]string{keyHeader: testKey}
	for name, body := range map[string]string{
		"bad label":     `{"status":"corrected","entities":[{"label":"NAME","start":0,"end":2}]}`,
		"out of range":  `{"status":"corrected","entities":[{"label":"DRUG","start":0,"end":99999}]}`,
		"empty span":    `{"status":"corrected","entities":[{"label":"DRUG","start":3,"end":3}]}`,
		"bad status":    `{"status":"maybe","entities":[]}`,
		"bad eye":       `{"status":"corrected","diagnoses":[{"start":0,"end":2,"eye":"middle","assertion":"present"}]}`,
		"bad assertion": `{"status":"corrected","diagnoses":[{"start":0,"end":2,"eye":null,"assertion":"rumoured"}]}`,
		"unknown field": `{"status":"accepted","text":"raw"}`,
	} {
		if w := do(t, s, "POST", "/review/api/notes/n1/corrections", body, key); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, w.Code)
		}
	}
	if w := do(t, s, "GET", "/review/api/notes/nope", "", key); w.Code != http.StatusNotFound {
		t.Errorf("unknown note: %d", w.Code)
	}
}

// login posts the form and returns the session cookie and the page's CSRF token.
func login(t *testing.T, s http.Handler, key string) (*http.Cookie, string) {
	t.Helper()
	w := do(t, s, "POST", "/review/login", url.Values{"key": {key}}.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/review/" {
		t.Fatalf("login: %d %q", w.Code, w.Header().Get("Location"))
	}
	cs := w.Result().Cookies()
	if len(cs) != 1 || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteStrictMode || cs[0].Path != "/review/" || len(cs[0].Value) < 40 {
		t.Fatalf("session cookie: %+v", cs)
	}
	w = do(t, s, "GET", "/review/", "", nil, cs[0])
	m := regexp.MustCompile(`name="csrf" content="([^"]+)"`).FindStringSubmatch(w.Body.String())
	if w.Code != 200 || m == nil {
		t.Fatalf("page: %d, csrf token %v", w.Code, m)
	}
	return cs[0], m[1]
}

func TestSessionAndCSRF(t *testing.T) {
	s, corr := newTestServer(t)
	if w := do(t, s, "POST", "/review/login", "key=wrong", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}); w.Header().Get("Location") != "/review/login?failed" || len(w.Result().Cookies()) != 0 {
		t.Fatalf("bad key login: %d %v", w.Code, w.Result().Cookies())
	}
	cookie, csrf := login(t, s, testKey)
	if w := do(t, s, "GET", "/review/api/queue", "", nil, cookie); w.Code != 200 {
		t.Fatalf("queue with session: %d", w.Code)
	}
	post := func(hdr map[string]string) int {
		return do(t, s, "POST", "/review/api/notes/n1/corrections", okCorrection, hdr, cookie).Code
	}
	if c := post(nil); c != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d, want 403", c)
	}
	if c := post(map[string]string{csrfHeader: "x" + csrf}); c != http.StatusForbidden {
		t.Errorf("POST with wrong CSRF token: %d, want 403", c)
	}
	_, otherCSRF := login(t, s, "k-ann2")
	if c := post(map[string]string{csrfHeader: otherCSRF}); c != http.StatusForbidden {
		t.Errorf("POST with another session's CSRF token: %d, want 403", c)
	}
	if len(corr.All()) != 0 {
		t.Fatal("a rejected POST stored a correction")
	}
	if c := post(map[string]string{csrfHeader: csrf}); c != http.StatusCreated {
		t.Fatalf("POST with CSRF token: %d", c)
	}
	// Logging out ends the session server side.
	do(t, s, "POST", "/review/logout", url.Values{"csrf": {csrf}}.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, cookie)
	if w := do(t, s, "GET", "/review/api/queue", "", nil, cookie); w.Code != http.StatusUnauthorized {
		t.Errorf("after logout: %d, want 401", w.Code)
	}
}

func TestSessionExpiry(t *testing.T) {
	s, _ := newTestServer(t)
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s.auth.now = func() time.Time { return now }
	s.auth.ttl = time.Hour
	cookie, _ := login(t, s, testKey)
	now = now.Add(59 * time.Minute)
	if w := do(t, s, "GET", "/review/api/queue", "", nil, cookie); w.Code != 200 {
		t.Fatalf("before expiry: %d", w.Code)
	}
	now = now.Add(time.Minute)
	if w := do(t, s, "GET", "/review/api/queue", "", nil, cookie); w.Code != http.StatusUnauthorized {
		t.Fatalf("after expiry: %d, want 401", w.Code)
	}
	if len(s.auth.sessions) != 0 {
		t.Errorf("expired session still held")
	}
}

type rawStore struct{}

func (rawStore) List(context.Context) ([]string, error) { return []string{"r1"}, nil }
func (rawStore) Get(context.Context, string) (*note.Note, error) {
	return &note.Note{NoteID: "r1", SourcePatientID: "MRN123", Text: "张三，男"}, nil
}

func TestRawNotesNeverServed(t *testing.T) {
	s := NewServer(rawStore{}, NewMemCorrections(), map[string]string{"ann1": HashKey(testKey)})
	w := do(t, s, "GET", "/review/api/notes/r1", "", map[string]string{keyHeader: testKey})
	if w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "张三") {
		t.Fatalf("raw note: %d %s", w.Code, w.Body)
	}
	raw := &note.Note{SchemaVersion: note.SchemaVersion, NoteID: "r1", SourcePatientID: "MRN123", Text: "张三"}
	b, _ := raw.Marshal()
	path := t.TempDir() + "/raw.jsonl"
	writeFile(t, path, b)
	if _, err := NewFileStore(path); err == nil {
		t.Fatal("file store loaded a raw note")
	}
}
