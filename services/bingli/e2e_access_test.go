package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"bingli/services/access"
	"bingli/services/synth"
)

// datasetKeys adds one key of each role to a data directory with the
// 'bingli keys' command, before 'bingli run' starts, and returns them.
func datasetKeys(t *testing.T, data string) map[access.Role]string {
	t.Helper()
	keys := map[access.Role]string{}
	for _, r := range access.Roles {
		keys[r] = strings.TrimSpace(bingli(t, "keys", "add", "--data", data, "--role", string(r), "--name", "e2e-"+string(r)))
	}
	list := bingli(t, "keys", "list", "--data", data)
	for r, k := range keys {
		if !strings.Contains(list, "e2e-"+string(r)) || strings.Contains(list, k) {
			t.Fatalf("keys list shows %q: want names and roles, never keys", list)
		}
	}
	return keys
}

// checkDatasetAccess runs against a 'bingli run' that finished its archive:
// the dataset API answers dataset_builder and admin keys only, a
// dataset_builder key reaches nothing of the review app (de-identified
// notes with their text for annotators), what the dataset API answers
// holds no identifier of the archive, and each answer is audit-logged
// without identifiers.
func checkDatasetAccess(t *testing.T, port int, data, archiveDir string, keys map[access.Role]string, reviewKey, patientID string) {
	t.Helper()
	auditPath := filepath.Join(data, access.AuditFile)
	before, _ := os.ReadFile(auditPath) // the run's earlier requests
	call := func(method, path, body, header, key string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, fmt.Sprintf("http://127.0.0.1:%d%s", port, path), strings.NewReader(body))
		if key != "" {
			req.Header.Set(header, key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	bearer := func(k string) string { return "Bearer " + k }
	endpoints := []struct{ method, path, body string }{
		{"POST", "/cohort", `{"diagnosis":{"codes":["H"]},"size":50,"aggregations":["icd10_category","eye","visit_year"]}`},
		{"POST", "/cohort/patients", `{"diagnosis":{"codes":["H"]},"include_ids":true,"aggregations":["eye"]}`},
		{"GET", "/patients/" + patientID, ""},
	}
	var answers []string
	for _, e := range endpoints {
		for _, tc := range []struct {
			who, header, key string
			want             int
		}{
			{"no key", "", "", http.StatusUnauthorized},
			{"a review app key", "X-Bingli-Key", reviewKey, http.StatusUnauthorized},
			{"annotator", "Authorization", bearer(keys[access.Annotator]), http.StatusForbidden},
			{"dataset_builder", "Authorization", bearer(keys[access.DatasetBuilder]), http.StatusOK},
			{"admin", "X-Bingli-Key", keys[access.Admin], http.StatusOK},
		} {
			code, body := call(e.method, e.path, e.body, tc.header, tc.key)
			if code != tc.want {
				t.Errorf("%s %s with %s: %d, want %d (%.200s)", e.method, e.path, tc.who, code, tc.want, body)
				continue
			}
			if code != http.StatusOK {
				var eb access.ErrorBody
				if err := json.Unmarshal([]byte(body), &eb); err != nil || eb.Error == "" || eb.Message == "" {
					t.Errorf("%s %s with %s: not a JSON error: %.200s", e.method, e.path, tc.who, body)
				}
				continue
			}
			answers = append(answers, body)
		}
	}
	// The timeline holds de-identified fields only: the pseudonym, shifted
	// dates, codes, events and measurements; no source patient id, no text.
	_, tl := call("GET", "/patients/"+patientID, "", "X-Bingli-Key", keys[access.DatasetBuilder])
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(tl), &fields); err != nil {
		t.Fatal(err)
	}
	for f := range fields {
		if !slices.Contains([]string{"patient_id", "first_visit", "last_visit", "follow_up_days", "visits", "diagnoses", "procedures", "medications", "measurements"}, f) {
			t.Errorf("GET /patients answers field %q", f)
		}
	}
	// The notes a cohort names are the references de-identification gave
	// them (deid.NoteRef under the run's key), as they are, not hashed again.
	refs := map[string]bool{}
	for _, ref := range noteRefs(t, filepath.Join(data, "deid.key"), goldNoteIDs(t, archiveDir)) {
		refs[ref] = true
	}
	_, cb := call("POST", "/cohort", `{"diagnosis":{"codes":["H"]},"size":50}`, "X-Bingli-Key", keys[access.DatasetBuilder])
	var page struct {
		NoteIDs []string `json:"note_ids"`
	}
	if err := json.Unmarshal([]byte(cb), &page); err != nil || len(page.NoteIDs) == 0 {
		t.Fatalf("POST /cohort: %v %.200s", err, cb)
	}
	var timeline struct {
		Visits []struct {
			NoteID string `json:"note_id"`
		} `json:"visits"`
	}
	if err := json.Unmarshal([]byte(tl), &timeline); err != nil || len(timeline.Visits) == 0 {
		t.Fatalf("GET /patients: %v %.200s", err, tl)
	}
	for _, v := range timeline.Visits {
		page.NoteIDs = append(page.NoteIDs, v.NoteID)
	}
	for _, id := range page.NoteIDs {
		if !refs[id] {
			t.Fatalf("the dataset API names note %q, not the reference of an archive note", id)
		}
	}
	// A dataset builder gets nothing of the review app: its queue, its
	// notes (with their text) and its corrections answer 401.
	// (/review/ itself only serves the login form to a caller without an
	// annotator session.)
	for _, p := range []string{"/review/api/queue", "/review/api/notes/x"} {
		for _, h := range []string{"X-Bingli-Key", "Authorization"} {
			k := keys[access.DatasetBuilder]
			if h == "Authorization" {
				k = bearer(k)
			}
			if code, _ := call("GET", p, "", h, k); code == http.StatusOK {
				t.Errorf("GET %s with a dataset_builder key (%s): 200", p, h)
			}
		}
	}
	// The shared annotator and admin keys open the review app (its queue
	// lists the notes); only the dataset_builder key is refused above.
	for _, r := range []access.Role{access.Annotator, access.Admin} {
		if code, _ := call("GET", "/review/api/queue", "", "X-Bingli-Key", keys[r]); code != http.StatusOK {
			t.Errorf("GET /review/api/queue with a shared %s key: %d, want 200", r, code)
		}
	}
	// No identifier of the archive in any answer: source patient ids, ID
	// numbers, phones (the leak guard's classes), nor any raw note text.
	all := strings.Join(answers, "\n")
	for _, g := range readJSONL[synth.GoldNote](t, filepath.Join(archiveDir, synth.FileGold)) {
		if g.PatientID != "" && strings.Contains(all, g.PatientID) {
			t.Fatalf("a source patient id of note %s reached a dataset builder", g.ID)
		}
		if strings.Contains(all, `"`+g.ID+`"`) {
			t.Fatalf("the archive's note id %s reached a dataset builder (only references may)", g.ID)
		}
		for _, p := range g.PHI {
			if (p.Label == "ID_NUMBER" || p.Label == "PHONE") && strings.Contains(all, p.Text) {
				t.Fatalf("a %s of note %s reached a dataset builder", p.Label, g.ID)
			}
		}
		if len([]rune(g.Text)) > 40 && strings.Contains(all, string([]rune(g.Text)[:40])) {
			t.Fatalf("raw text of note %s reached a dataset builder", g.ID)
		}
	}
	// Every answered dataset request is one audit line, by the key's name,
	// without the pseudonym it asked for.
	b, err := os.ReadFile(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), patientID) {
		t.Fatal("the audit log holds a patient id")
	}
	byWho := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(b[len(before):])), "\n") {
		var r access.AuditRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if r.Via != "http" || r.Outcome != access.OutcomeOK {
			t.Errorf("audit record %+v", r)
		}
		byWho[r.Who+" "+string(r.Role)]++
	}
	want := map[string]int{"e2e-dataset_builder dataset_builder": 5, "e2e-admin admin": 3}
	if fmt.Sprint(byWho) != fmt.Sprint(want) {
		t.Fatalf("audit records by caller %v, want %v (refused requests are not answered, so not logged)", byWho, want)
	}
}
