package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	indexschema "bingli/schemas/index"
	"bingli/services/note"
)

// ElasticOptions configures the Elasticsearch backend.
type ElasticOptions struct {
	// Addresses of cluster nodes, e.g. https://es1:9200.
	Addresses []string
	// Index is the notes index name (default "bingli-notes").
	Index string
	// Username/Password (basic auth) or APIKey (base64 "id:key"); see
	// ElasticOptionsFromEnv.
	Username, Password, APIKey string
	// OpenSearchCompat makes the client accept OpenSearch clusters, which do
	// not send the X-Elastic-Product header go-elasticsearch v8 checks for
	// (see OpenSearchCompatTransport).
	OpenSearchCompat bool
	// Transport is the HTTP transport (default http.DefaultTransport).
	Transport http.RoundTripper
	// RetryFor bounds how long Upsert keeps retrying while the cluster is
	// unreachable or overloaded (default 30s); then it returns the error and
	// the runner redelivers the notes later.
	RetryFor time.Duration
	// RequestTimeout bounds one HTTP request (default 30s).
	RequestTimeout time.Duration
	// MinCellSize is the small-cell suppression k (default 10).
	MinCellSize int
}

// Environment variables read by ElasticOptionsFromEnv. Credentials never
// come from pipeline files.
const (
	EnvElasticAddresses = "BINGLI_ES_ADDRESSES" // comma-separated
	EnvElasticUsername  = "BINGLI_ES_USERNAME"
	EnvElasticPassword  = "BINGLI_ES_PASSWORD"
	EnvElasticAPIKey    = "BINGLI_ES_API_KEY"
)

// ElasticOptionsFromEnv fills unset addresses and credentials of o from the
// environment.
func ElasticOptionsFromEnv(o ElasticOptions) ElasticOptions {
	if len(o.Addresses) == 0 {
		if v := os.Getenv(EnvElasticAddresses); v != "" {
			o.Addresses = strings.Split(v, ",")
		}
	}
	if o.Username == "" {
		o.Username = os.Getenv(EnvElasticUsername)
	}
	if o.Password == "" {
		o.Password = os.Getenv(EnvElasticPassword)
	}
	if o.APIKey == "" {
		o.APIKey = os.Getenv(EnvElasticAPIKey)
	}
	return o
}

// Elastic is the Elasticsearch 8.x (or OpenSearch, with OpenSearchCompat)
// backend.
type Elastic struct {
	es       *elasticsearch.Client
	index    string
	retryFor time.Duration
	reqTO    time.Duration
	k        int
	reviews  reviewMemo // review states set so far, written into re-indexed notes
}

var _ Backend = (*Elastic)(nil)

// NewElastic returns an Elasticsearch backend; it does not contact the
// cluster (Ensure does).
func NewElastic(o ElasticOptions) (*Elastic, error) {
	if len(o.Addresses) == 0 {
		return nil, errors.New("index: elasticsearch backend needs addresses")
	}
	if o.Index == "" {
		o.Index = "bingli-notes"
	}
	if o.RetryFor <= 0 {
		o.RetryFor = 30 * time.Second
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	tr := o.Transport
	if o.OpenSearchCompat {
		tr = OpenSearchCompatTransport(tr)
	}
	es, err := elasticsearch.NewClient(elasticsearch.Config{
		Addresses:    o.Addresses,
		Username:     o.Username,
		Password:     o.Password,
		APIKey:       o.APIKey,
		Transport:    tr,
		DisableRetry: true, // Upsert retries itself, bounded by RetryFor
	})
	if err != nil {
		return nil, fmt.Errorf("index: elasticsearch client: %w", err)
	}
	return &Elastic{es: es, index: o.Index, retryFor: o.RetryFor, reqTO: o.RequestTimeout, k: minCellSize(o.MinCellSize)}, nil
}

// do runs one request and returns its status and body; a non-2xx status
// is an error unless listed in ok.
func (e *Elastic) do(ctx context.Context, req esapi.Request, ok ...int) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, e.reqTO)
	defer cancel()
	res, err := req.Do(ctx, e.es)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, nil, err
	}
	if res.StatusCode >= 300 {
		for _, s := range ok {
			if s == res.StatusCode {
				return res.StatusCode, body, nil
			}
		}
		return res.StatusCode, body, &statusError{status: res.StatusCode, body: truncate(body, 300)}
	}
	return res.StatusCode, body, nil
}

type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return fmt.Sprintf("status %d: %s", e.status, e.body) }

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// Ensure puts the index template (schemas/index/notes.mapping.json) under
// the index's name, creates the index when absent and updates its mapping
// (additive changes only; a conflicting change is an error).
func (e *Elastic) Ensure(ctx context.Context) error {
	var tmpl map[string]any
	if err := json.Unmarshal(indexschema.NotesMapping, &tmpl); err != nil {
		return fmt.Errorf("index: notes.mapping.json: %w", err)
	}
	tmpl["index_patterns"] = []string{e.index}
	body, _ := json.Marshal(tmpl)
	if _, _, err := e.do(ctx, esapi.IndicesPutIndexTemplateRequest{Name: e.index, Body: bytes.NewReader(body)}); err != nil {
		return fmt.Errorf("index: put template %s: %w", e.index, err)
	}
	st, b, err := e.do(ctx, esapi.IndicesCreateRequest{Index: e.index}, http.StatusBadRequest)
	if err != nil {
		return fmt.Errorf("index: create %s: %w", e.index, err)
	}
	if st == http.StatusBadRequest && !bytes.Contains(b, []byte("resource_already_exists_exception")) {
		return fmt.Errorf("index: create %s: status %d: %s", e.index, st, truncate(b, 300))
	}
	mappings, _ := json.Marshal(tmpl["template"].(map[string]any)["mappings"])
	if _, _, err := e.do(ctx, esapi.IndicesPutMappingRequest{Index: []string{e.index}, Body: bytes.NewReader(mappings)}); err != nil {
		return fmt.Errorf("index: put mapping %s: %w", e.index, err)
	}
	return nil
}

// esDoc is the indexed form of a note: search fields plus the note itself
// (stored, not indexed) for Get.
type esDoc struct {
	NoteID       string          `json:"note_id"`
	PatientID    string          `json:"patient_id,omitempty"`
	NoteType     string          `json:"note_type,omitempty"`
	VisitDate    string          `json:"visit_date,omitempty"`
	VisitYear    string          `json:"visit_year,omitempty"`
	Text         string          `json:"text"`
	Diagnoses    []esDiagnosis   `json:"diagnoses,omitempty"`
	Measurements []esMeasurement `json:"measurements,omitempty"`
	Note         json.RawMessage `json:"note"`
	ReviewStatus string          `json:"review_status"`
	ReviewCount  int             `json:"review_annotators"`
}

type esDiagnosis struct {
	Text      string `json:"text,omitempty"`
	ICD10     string `json:"icd10,omitempty"`
	Category  string `json:"icd10_category,omitempty"`
	Eye       string `json:"eye"`
	Assertion string `json:"assertion"`
}

type esMeasurement struct {
	Kind  string   `json:"kind,omitempty"`
	Name  string   `json:"name,omitempty"`
	Value *float64 `json:"value,omitempty"`
	Unit  string   `json:"unit,omitempty"`
	Eye   string   `json:"eye"`
}

func elasticDoc(n *note.Note, rv ReviewStatus) ([]byte, error) {
	raw, err := json.Marshal(n)
	if err != nil {
		return nil, err
	}
	d := esDoc{NoteID: n.NoteID, PatientID: n.PatientID, NoteType: n.NoteType, Text: n.Text, Note: raw,
		ReviewStatus: rv.Status, ReviewCount: rv.Annotators}
	if _, err := time.Parse(time.DateOnly, n.VisitDate); err == nil {
		d.VisitDate, d.VisitYear = n.VisitDate, visitYear(n.VisitDate)
	}
	for _, x := range n.Diagnoses {
		d.Diagnoses = append(d.Diagnoses, esDiagnosis{Text: x.Text, ICD10: normCode(x.ICD10), Category: Category(x.ICD10), Eye: eyeKey(x.Eye), Assertion: assertionKey(x.Assertion)})
	}
	for _, m := range n.Measurements {
		d.Measurements = append(d.Measurements, esMeasurement{Kind: m.Kind, Name: m.Name, Value: m.Value, Unit: m.Unit, Eye: eyeKey(m.Eye)})
	}
	return json.Marshal(d)
}

// Upsert indexes notes with one _bulk request, retrying what failed
// transiently (unreachable cluster, 429, 5xx) with exponential backoff for
// up to RetryFor. It returns nil once every note is acknowledged (written
// to the translog); *ItemErrors when some were rejected.
func (e *Elastic) Upsert(ctx context.Context, notes []*note.Note) error {
	docs := make(map[string][]byte, len(notes))
	order := make([]string, 0, len(notes))
	failed := map[string]ItemError{}
	for _, n := range notes {
		if n.NoteID == "" {
			return fmt.Errorf("index: %w", errNoID)
		}
		b, err := elasticDoc(n, e.reviews.get(n.NoteID))
		if err != nil {
			failed[n.NoteID] = ItemError{Reason: err.Error(), Permanent: true}
			continue
		}
		if _, seen := docs[n.NoteID]; !seen {
			order = append(order, n.NoteID)
		}
		docs[n.NoteID] = b
	}
	deadline := time.Now().Add(e.retryFor)
	var lastErr error
	for attempt := 0; len(order) > 0; attempt++ {
		var retry []string
		retry, lastErr = e.bulk(ctx, order, docs, failed)
		if lastErr == nil && len(retry) == 0 {
			break
		}
		order = retry
		wait := backoff(attempt)
		if ctx.Err() != nil || time.Now().Add(wait).After(deadline) {
			if lastErr == nil {
				for _, id := range retry {
					failed[id] = ItemError{Reason: "rejected (overloaded), retries exhausted"}
				}
				break
			}
			return fmt.Errorf("index: bulk of %d notes to %s, retried for %s: %w", len(order), e.index, e.retryFor, lastErr)
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	if len(failed) > 0 {
		return &ItemErrors{Failed: failed}
	}
	return nil
}

// bulk sends one _bulk request for ids. It returns the ids to retry, or an
// error when the request as a whole failed (then all ids are retried).
func (e *Elastic) bulk(ctx context.Context, ids []string, docs map[string][]byte, failed map[string]ItemError) ([]string, error) {
	var body bytes.Buffer
	for _, id := range ids {
		meta, _ := json.Marshal(map[string]any{"index": map[string]string{"_index": e.index, "_id": id}})
		body.Write(meta)
		body.WriteByte('\n')
		body.Write(docs[id])
		body.WriteByte('\n')
	}
	st, b, err := e.do(ctx, esapi.BulkRequest{Body: &body})
	if err != nil {
		if st == 0 {
			return ids, err // unreachable: retry
		}
		if st == http.StatusTooManyRequests || st >= 500 {
			// The body is left out: it may quote documents.
			return ids, fmt.Errorf("bulk request failed with status %d", st)
		}
		// A 4xx for the whole request cannot succeed on retry. The body
		// is left out of the reason: it may quote note text.
		for _, id := range ids {
			failed[id] = ItemError{Reason: fmt.Sprintf("bulk request rejected (status %d)", st), Permanent: true}
		}
		return nil, nil
	}
	var res struct {
		Errors bool `json:"errors"`
		Items  []map[string]struct {
			ID     string `json:"_id"`
			Status int    `json:"status"`
			Error  *struct {
				Type   string `json:"type"`
				Reason string `json:"reason"`
			} `json:"error"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return ids, fmt.Errorf("decode bulk response: %w", err)
	}
	if !res.Errors {
		return nil, nil
	}
	var retry []string
	for _, it := range res.Items {
		for _, r := range it {
			if r.Error == nil {
				continue
			}
			if r.Status == http.StatusTooManyRequests || r.Status >= 500 {
				retry = append(retry, r.ID)
				continue
			}
			// Only the error type: Elasticsearch reasons can quote field
			// values (note text), which must never reach logs.
			failed[r.ID] = ItemError{Reason: fmt.Sprintf("%s (status %d)", r.Error.Type, r.Status), Permanent: true}
		}
	}
	return retry, nil
}

// backoff is 100ms doubling to 5s, with ±20% jitter.
func backoff(attempt int) time.Duration {
	d := 100 * time.Millisecond << min(attempt, 6)
	d = min(d, 5*time.Second)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// Get returns the stored note.
func (e *Elastic) Get(ctx context.Context, noteID string) (*note.Note, bool, error) {
	st, b, err := e.do(ctx, esapi.GetRequest{Index: e.index, DocumentID: noteID, SourceIncludes: []string{"note"}}, http.StatusNotFound)
	if err != nil {
		return nil, false, fmt.Errorf("index: get %s: %w", noteID, err)
	}
	if st == http.StatusNotFound {
		return nil, false, nil
	}
	var res struct {
		Found  bool `json:"found"`
		Source struct {
			Note *note.Note `json:"note"`
		} `json:"_source"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, false, fmt.Errorf("index: decode %s: %w", noteID, err)
	}
	if !res.Found || res.Source.Note == nil {
		return nil, false, nil
	}
	return res.Source.Note, true, nil
}

// Refresh makes completed writes searchable.
func (e *Elastic) Refresh(ctx context.Context) error {
	if _, _, err := e.do(ctx, esapi.IndicesRefreshRequest{Index: []string{e.index}}); err != nil {
		return fmt.Errorf("index: refresh %s: %w", e.index, err)
	}
	return nil
}

// Close releases idle connections.
func (e *Elastic) Close() error { return nil }
