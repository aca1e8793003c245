package review

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

func TestCodesEndpoint(t *testing.T) {
	s, _ := newTestServer(t)
	key := map[string]string{keyHeader: testKey}
	w := do(t, s, "GET", "/review/api/codes?q="+"白内障"+"&n=3", "", key)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Server-Timing"), "search;dur=") {
		t.Fatalf("codes: %d %s %q", w.Code, w.Body, w.Header().Get("Server-Timing"))
	}
	got := decode[[]CodeMatch](t, w.Body.Bytes())
	if len(got) != 3 || got[0].Code != "H26.901" {
		t.Fatalf("codes for 白内障: %+v", got)
	}
	for q, code := range map[string]int{"n=0": 400, "n=x": 400, "q=" + strings.Repeat("眼", 65): 400} {
		if w := do(t, s, "GET", "/review/api/codes?"+q, "", key); w.Code != code {
			t.Errorf("%s: %d, want %d", q, w.Code, code)
		}
	}
	if w := do(t, s, "GET", "/review/api/codes?q=H26", "", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("unauthenticated: %d", w.Code)
	}
}

func TestCorrectionCodesAreChecked(t *testing.T) {
	s, corr := newTestServer(t)
	key := map[string]string{keyHeader: testKey}
	d := smallNote().Diagnoses[1] // 白内障, H26.9
	body := func(code, name string) string {
		return `{"status":"corrected","diagnoses":[{"start":` + itoa(d.Start) + `,"end":` + itoa(d.End) +
			`,"icd10":"` + code + `","icd10_name":"` + name + `","eye":"left","assertion":"present"}]}`
	}
	if w := do(t, s, "POST", "/review/api/notes/n1/corrections", body("H99.999", "made up"), key); w.Code != http.StatusBadRequest {
		t.Fatalf("unknown code: %d %s", w.Code, w.Body)
	}
	if w := do(t, s, "POST", "/review/api/notes/n1/corrections", body("H26.901", "client's name"), key); w.Code != http.StatusCreated {
		t.Fatalf("known code: %d %s", w.Code, w.Body)
	}
	c, _, _ := corr.Latest(context.Background(), "n1")
	if got := c.Diagnoses[0]; got.ICD10 != "H26.901" || got.ICD10Name != "白内障" || got.Text != "白内障" {
		t.Errorf("stored diagnosis %+v: name and text must come from the dictionary and the note", got)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// TestQAFlow: a QA sample assigns notes to ann1 and ann2; each sees the
// note as the model left it (not the other's correction), their queues put
// the assigned notes first, the statuses move from in_review to reviewed,
// and agreement compares the two.
func TestQAFlow(t *testing.T) {
	st, err := NewFileStore(writeNotes(t, smallNote(), bigNote(), thirdNote()))
	if err != nil {
		t.Fatal(err)
	}
	corr := NewMemCorrections()
	s, err := newServer(st, corr, map[string]string{"ann1": HashKey(testKey), "ann2": HashKey("k-ann2"), "boss": HashKey("k-boss")}, WithAdmins("boss"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	k1, k2, kb := map[string]string{keyHeader: testKey}, map[string]string{keyHeader: "k-ann2"}, map[string]string{keyHeader: "k-boss"}
	qa := `{"sample":2,"annotators":["ann1","ann2"],"seed":42}`
	if w := do(t, s, "POST", "/review/api/qa", qa, k1); w.Code != http.StatusForbidden {
		t.Fatalf("QA by a non-admin: %d", w.Code)
	}
	if w := do(t, s, "POST", "/review/api/qa", `{"sample":2,"annotators":["ann1","nobody"]}`, kb); w.Code != http.StatusBadRequest {
		t.Fatalf("QA for an unknown annotator: %d", w.Code)
	}
	w := do(t, s, "POST", "/review/api/qa", qa, kb)
	if w.Code != http.StatusCreated {
		t.Fatalf("QA: %d %s", w.Code, w.Body)
	}
	as := decode[[]Assignment](t, w.Body.Bytes())
	if len(as) != 2 {
		t.Fatalf("assignments %+v", as)
	}
	assigned := map[string]bool{as[0].NoteID: true, as[1].NoteID: true}
	var other string
	for _, id := range []string{"n1", "n2", "n3"} {
		if !assigned[id] {
			other = id
		}
	}
	queue := func(k map[string]string, query string) []QueueItem {
		w := do(t, s, "GET", "/review/api/queue"+query, "", k)
		if w.Code != 200 {
			t.Fatalf("queue%s: %d %s", query, w.Code, w.Body)
		}
		return decode[[]QueueItem](t, w.Body.Bytes())
	}
	q := queue(k1, "")
	if len(q) != 3 || !q[0].Assigned || !q[1].Assigned || q[2].Assigned || q[2].NoteID != other || q[0].Review != NoteInReview {
		t.Fatalf("ann1's queue: %+v", q)
	}
	if q := queue(k1, "?assigned=1"); len(q) != 2 {
		t.Fatalf("ann1's assigned queue: %+v", q)
	}
	if w := do(t, s, "GET", "/review/api/queue?status=done", "", k1); w.Code != http.StatusBadRequest {
		t.Errorf("bad status filter: %d", w.Code)
	}

	// Both review the first assigned note; ann1 drops one entity.
	id := as[0].NoteID
	n, _ := st.Get(context.Background(), id)
	ents, _ := json.Marshal(n.Entities[1:])
	dxs, _ := json.Marshal(n.Diagnoses)
	if w := do(t, s, "POST", "/review/api/notes/"+id+"/corrections", `{"status":"corrected","entities":`+string(ents)+`,"diagnoses":`+string(dxs)+`}`, k1); w.Code != 201 {
		t.Fatalf("ann1 post: %d %s", w.Code, w.Body)
	}
	v := decode[NoteView](t, do(t, s, "GET", "/review/api/notes/"+id, "", k2).Body.Bytes())
	if !v.Assigned || v.Review != nil || len(v.Entities) != len(n.Entities) {
		t.Fatalf("ann2 sees ann1's correction of a QA note: assigned %v review %+v, %d entities", v.Assigned, v.Review, len(v.Entities))
	}
	if got := s.state.Status(id); got.Status != NoteInReview || len(got.Annotators) != 1 {
		t.Fatalf("after one of two: %+v", got)
	}
	if q := queue(k1, "?status=in_review"); len(q) != 2 {
		t.Errorf("in_review filter: %+v", q)
	}
	all, _ := json.Marshal(n.Entities)
	if w := do(t, s, "POST", "/review/api/notes/"+id+"/corrections", `{"status":"accepted","entities":`+string(all)+`,"diagnoses":`+string(dxs)+`}`, k2); w.Code != 201 {
		t.Fatalf("ann2 post: %d %s", w.Code, w.Body)
	}
	if got := s.state.Status(id); got.Status != NoteReviewed || strings.Join(got.Annotators, ",") != "ann1,ann2" {
		t.Fatalf("after both: %+v", got)
	}
	if q := queue(k2, "?status=reviewed"); len(q) != 1 || q[0].NoteID != id || q[0].Reviewers != 2 || q[0].Status != StatusAccepted {
		t.Errorf("reviewed filter for ann2: %+v", q)
	}

	// Agreement: ann1 has len-1 entities, ann2 all; every ann1 entity matches.
	pairs := decode[[]map[string]any](t, do(t, s, "GET", "/review/api/agreement", "", k1).Body.Bytes())
	if len(pairs) != 1 || pairs[0]["a"] != "ann1" || pairs[0]["b"] != "ann2" || pairs[0]["notes"] != 1.0 {
		t.Fatalf("agreement: %+v", pairs)
	}
	all1 := pairs[0]["all"].(map[string]any)
	m, na, nb := len(n.Entities)-1, len(n.Entities)-1, len(n.Entities)
	if all1["matched"] != float64(m) || all1["a"] != float64(na) || all1["b"] != float64(nb) ||
		all1["f1"] != 2*float64(m)/float64(na+nb) {
		t.Errorf("agreement over all labels: %+v", all1)
	}
	page := do(t, s, "GET", "/review/agreement", "", k1)
	if page.Code != 200 || !strings.Contains(page.Body.String(), `data-pair="ann1|ann2"`) || !strings.Contains(page.Body.String(), "Cohen") {
		t.Errorf("agreement page: %d %s", page.Code, page.Body)
	}
}
