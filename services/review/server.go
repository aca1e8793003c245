package review

import (
	"bingli/services/access"

	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.uber.org/zap"

	"bingli/services/note"
)

//go:embed static
var staticFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
	"f3":  func(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) },
	"kappa": func(k Kappa) string {
		if k.Kappa == nil {
			return "n/a"
		}
		return strconv.FormatFloat(*k.Kappa, 'f', 3, 64)
	},
}).
	ParseFS(staticFS, "static/index.html", "static/login.html", "static/agreement.html"))

// Labels are the entity labels an annotator can assign, in the order of the
// 1-8 keyboard shortcuts.
var Labels = []string{"DISEASE", "SYMPTOM", "DRUG", "PROCEDURE", "EXAM", "LAB", "BODY", "EQUIPMENT"}

// Server is the review app's HTTP handler.
type Server struct {
	store Store
	corr  Corrections
	state *State
	codes *CodeIndex
	auth  *auth
	mux   *http.ServeMux
	opt   options
	stop  context.CancelFunc
}

// StatusSink receives review states as they change; a Store that implements
// it (the index) keeps each note's review status queryable.
type StatusSink interface {
	SetReviewStatus(ctx context.Context, sts []NoteStatus) error
}

// StatusLister is a Store that can list the notes in one review state
// itself (the index); other stores are filtered with the server's State.
type StatusLister interface {
	ListByStatus(ctx context.Context, status string) ([]string, error)
}

type options struct {
	log    *zap.Logger
	admins map[string]bool
	keys   access.Authenticator
}

// WithKeys accepts the shared API keys (services/access) besides the
// accounts map: annotator keys review, admin keys also draw QA samples;
// dataset_builder keys are refused.
func WithKeys(k access.Authenticator) Option { return func(o *options) { o.keys = k } }

// Option configures NewServer.
type Option func(*options)

// WithLogger logs through l (never note text or identifiers).
func WithLogger(l *zap.Logger) Option { return func(o *options) { o.log = l } }

// WithAdmins lets these annotators draw QA samples over HTTP
// (POST /review/api/qa); without it only the CLI draws them.
func WithAdmins(names ...string) Option {
	return func(o *options) {
		for _, n := range names {
			o.admins[n] = true
		}
	}
}

// NewServer returns the review app. accounts maps each annotator to the hex
// SHA-256 of their API key (see HashKey); the key is sent in X-Bingli-Key or
// typed once into the login form, which starts a cookie session. The
// server replays the review log and follows it, so assignments and
// corrections made elsewhere (the CLI, other servers) show up.
func NewServer(store Store, corr Corrections, accounts map[string]string, opts ...Option) http.Handler {
	s, err := newServer(store, corr, accounts, opts...)
	if err != nil {
		s.opt.log.Error("review log replay failed; the review state may be incomplete", zap.Error(err))
	}
	return s
}

func newServer(store Store, corr Corrections, accounts map[string]string, opts ...Option) (*Server, error) {
	s := &Server{store: store, corr: corr, state: NewState(), auth: newAuth(accounts), mux: http.NewServeMux(),
		opt: options{log: zap.NewNop(), admins: map[string]bool{}}}
	for _, o := range opts {
		o(&s.opt)
	}
	s.auth.keys = s.opt.keys
	codes, codesErr := Codes()
	s.codes = codes
	static, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(static)
	s.mux.HandleFunc("GET /review/{$}", s.page)
	s.mux.HandleFunc("GET /review/agreement", s.agreementPage)
	s.mux.HandleFunc("GET /review/login", s.loginForm)
	s.mux.HandleFunc("POST /review/login", s.login)
	s.mux.HandleFunc("POST /review/logout", s.logout)
	for _, f := range []string{"app.js", "app.css"} {
		s.mux.Handle("GET /review/static/"+f, http.StripPrefix("/review/static/", files))
	}
	s.mux.HandleFunc("GET /review/api/queue", s.queue)
	s.mux.HandleFunc("GET /review/api/codes", s.searchCodes)
	s.mux.HandleFunc("GET /review/api/agreement", s.agreement)
	s.mux.HandleFunc("POST /review/api/qa", s.drawQA)
	s.mux.HandleFunc("GET /review/api/notes/{id}", s.getNote)
	s.mux.HandleFunc("POST /review/api/notes/{id}/corrections", s.postCorrection)

	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	// Replay synchronously (the state is whole before the first request),
	// push every status to the sink in one batch, then follow the log.
	err := corr.Replay(ctx, func(ev Event) { s.state.Apply(ev) })
	if err == nil {
		s.sink(ctx, s.state.Statuses()...)
	}
	go func() {
		if err := corr.Watch(ctx, s.applyEvent); err != nil && ctx.Err() == nil {
			s.opt.log.Error("review log watch ended", zap.Error(err))
		}
	}()
	return s, errors.Join(err, codesErr)
}

// Close stops following the review log.
func (s *Server) Close() { s.stop() }

// applyEvent folds an event into the state and, when the note's state
// changed, tells the sink.
func (s *Server) applyEvent(ev Event) {
	if id, changed := s.state.Apply(ev); changed {
		s.sink(context.Background(), s.state.Status(id))
	}
}

func (s *Server) sink(ctx context.Context, sts ...NoteStatus) {
	sk, ok := s.store.(StatusSink)
	if !ok || len(sts) == 0 {
		return
	}
	if err := sk.SetReviewStatus(ctx, sts); err != nil {
		s.opt.log.Warn("review status not stored in the index", zap.Int("notes", len(sts)), zap.Error(err))
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	p, ok := s.auth.identify(r)
	if !ok || p.sess == nil {
		http.Redirect(w, r, "/review/login", http.StatusSeeOther)
		return
	}
	labels, _ := json.Marshal(Labels)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	pages.ExecuteTemplate(w, "index.html", map[string]any{
		"Annotator": p.annotator, "CSRF": p.sess.csrf, "Labels": Labels, "LabelsJSON": string(labels),
	})
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	pages.ExecuteTemplate(w, "login.html", map[string]any{"Failed": r.URL.Query().Has("failed")})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	name, ok := s.auth.annotatorForKey(r.PostFormValue("key"))
	if !ok {
		http.Redirect(w, r, "/review/login?failed", http.StatusSeeOther)
		return
	}
	token, _ := s.auth.login(name)
	setSessionCookie(w, r, token, int(s.auth.ttl/time.Second))
	http.Redirect(w, r, "/review/", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	p, ok := s.auth.identify(r)
	if ok && p.sess != nil && p.csrfOK(r) {
		c, _ := r.Cookie(cookieName)
		s.auth.logout(c.Value)
	}
	setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/review/login", http.StatusSeeOther)
}

// authed runs h for an authenticated annotator, or answers 401.
func (s *Server) authed(w http.ResponseWriter, r *http.Request) (principal, bool) {
	p, ok := s.auth.identify(r)
	if !ok {
		writeError(w, http.StatusUnauthorized, "unauthenticated")
	}
	return p, ok
}

// authedWrite authenticates a state-changing request, which a login
// session must also prove with its CSRF token.
func (s *Server) authedWrite(w http.ResponseWriter, r *http.Request) (principal, bool) {
	p, ok := s.authed(w, r)
	if !ok {
		return p, false
	}
	if !p.csrfOK(r) {
		writeError(w, http.StatusForbidden, "missing or wrong CSRF token")
		return p, false
	}
	return p, true
}

// QueueItem is one note in the review queue.
type QueueItem struct {
	NoteID string `json:"note_id"`
	// Status is the review of the note that this annotator sees: their own
	// for a note assigned to them, else the latest (pending when none).
	Status    string     `json:"status"` // pending, accepted, corrected, rejected
	Annotator string     `json:"annotator,omitempty"`
	At        *time.Time `json:"at,omitempty"`
	// Review is the note's review state (unreviewed, in_review, reviewed)
	// and Reviewers how many annotators submitted a correction.
	Review    string `json:"review"`
	Reviewers int    `json:"reviewers"`
	// Assigned is true for a note of this annotator's QA assignment; those
	// come first.
	Assigned bool `json:"assigned,omitempty"`
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authed(w, r)
	if !ok {
		return
	}
	want := r.URL.Query().Get("status")
	switch want {
	case "", NoteUnreviewed, NoteInReview, NoteReviewed:
	default:
		writeError(w, http.StatusBadRequest, "status must be unreviewed, in_review or reviewed")
		return
	}
	var ids []string
	var err error
	if sl, ok := s.store.(StatusLister); ok && want != "" {
		ids, err = sl.ListByStatus(r.Context(), want)
	} else {
		ids, err = s.store.List(r.Context())
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "list notes")
		return
	}
	onlyAssigned := r.URL.Query().Get("assigned") == "1"
	var mine, rest []QueueItem
	for _, id := range ids {
		st := s.state.Status(id)
		if want != "" && st.Status != want {
			continue
		}
		it := QueueItem{NoteID: id, Status: "pending", Review: st.Status, Reviewers: len(st.Annotators)}
		it.Assigned = s.state.IsAssigned(id, p.annotator)
		var c *Correction
		var found bool
		if it.Assigned {
			c, found = s.state.LatestBy(id, p.annotator)
		} else {
			c, found = s.state.Latest(id)
		}
		if found {
			it.Status, it.Annotator, it.At = c.Status, c.Annotator, &c.At
		}
		if it.Assigned {
			mine = append(mine, it)
		} else if !onlyAssigned {
			rest = append(rest, it)
		}
	}
	writeJSON(w, http.StatusOK, append(append(make([]QueueItem, 0, len(mine)+len(rest)), mine...), rest...))
}

// NoteView is what the page gets: the de-identified text and its layers with
// the latest correction applied. Identifiers (patient id, source file) are
// left out: the annotator needs none of them.
type NoteView struct {
	NoteID       string             `json:"note_id"`
	NoteType     string             `json:"note_type,omitempty"`
	Text         string             `json:"text"`
	Entities     []note.Entity      `json:"entities"`
	Diagnoses    []note.Diagnosis   `json:"diagnoses"`
	Measurements []note.Measurement `json:"measurements"`
	Review       *Correction        `json:"review,omitempty"`
	// Assigned is true when the note is in this annotator's QA assignment.
	Assigned bool `json:"assigned,omitempty"`
}

func (s *Server) loadNote(w http.ResponseWriter, r *http.Request) (*note.Note, bool) {
	n, err := s.store.Get(r.Context(), r.PathValue("id"))
	if errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, "no such note")
		return nil, false
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "read note")
		return nil, false
	}
	if n.SourcePatientID != "" { // raw note: never shown to annotators
		writeError(w, http.StatusForbidden, "note is not de-identified")
		return nil, false
	}
	return n, true
}

func (s *Server) getNote(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authed(w, r)
	if !ok {
		return
	}
	n, ok := s.loadNote(w, r)
	if !ok {
		return
	}
	v := NoteView{NoteID: n.NoteID, NoteType: n.NoteType, Text: n.Text,
		Entities: n.Entities, Diagnoses: n.Diagnoses, Measurements: n.Measurements}
	// An annotator of a QA assignment sees only their own correction, so
	// that the two reviews stay independent.
	var c *Correction
	var found bool
	if s.state.IsAssigned(n.NoteID, p.annotator) {
		c, found = s.state.LatestBy(n.NoteID, p.annotator)
		v.Assigned = true
	} else {
		c, found = s.state.Latest(n.NoteID)
	}
	if found {
		if c.Entities != nil {
			v.Entities = c.Entities
		}
		if c.Diagnoses != nil {
			v.Diagnoses = c.Diagnoses
		}
		c.Entities, c.Diagnoses = nil, nil
		v.Review = c
	}
	if v.Entities == nil {
		v.Entities = []note.Entity{}
	}
	if v.Diagnoses == nil {
		v.Diagnoses = []note.Diagnosis{}
	}
	if v.Measurements == nil {
		v.Measurements = []note.Measurement{}
	}
	writeJSON(w, http.StatusOK, v)
}

// correctionRequest is the body of POST .../corrections.
type correctionRequest struct {
	Entities  []note.Entity    `json:"entities"`
	Diagnoses []note.Diagnosis `json:"diagnoses"`
	Comment   string           `json:"comment"`
	Status    string           `json:"status"`
}

func (s *Server) postCorrection(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authedWrite(w, r)
	if !ok {
		return
	}
	n, ok := s.loadNote(w, r)
	if !ok {
		return
	}
	var req correctionRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad correction: "+err.Error())
		return
	}
	c, err := validate(n, req, s.codes)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	c.Annotator, c.At = p.annotator, time.Now().UTC()
	if err := s.corr.Append(r.Context(), c); err != nil {
		writeError(w, http.StatusInternalServerError, "store correction")
		return
	}
	s.applyEvent(Event{Correction: &c})
	writeJSON(w, http.StatusCreated, c)
}

// validate checks a correction against its note and fills each span's text
// from the note itself, so a client cannot put text in that is not there.
func validate(n *note.Note, req correctionRequest, codes *CodeIndex) (Correction, error) {
	text := []rune(n.Text)
	switch req.Status {
	case StatusAccepted, StatusCorrected, StatusRejected:
	default:
		return Correction{}, errors.New("status must be accepted, corrected or rejected")
	}
	if utf8.RuneCountInString(req.Comment) > 2000 {
		return Correction{}, errors.New("comment longer than 2000 characters")
	}
	span := func(what string, start, end int) (string, error) {
		if start < 0 || end > len(text) || start >= end {
			return "", errors.New(what + " span out of range")
		}
		return string(text[start:end]), nil
	}
	ents := make([]note.Entity, 0, len(req.Entities))
	for _, e := range req.Entities {
		if !isLabel(e.Label) {
			return Correction{}, errors.New("unknown entity label " + e.Label)
		}
		t, err := span("entity", e.Start, e.End)
		if err != nil {
			return Correction{}, err
		}
		ents = append(ents, note.Entity{Label: e.Label, Start: e.Start, End: e.End, Text: t, Score: e.Score, Model: e.Model})
	}
	diags := make([]note.Diagnosis, 0, len(req.Diagnoses))
	for _, d := range req.Diagnoses {
		switch d.Assertion {
		case note.Present, note.Negated, note.Possible, note.History, note.Family:
		default:
			return Correction{}, errors.New("unknown assertion " + string(d.Assertion))
		}
		t, err := span("diagnosis", d.Start, d.End)
		if err != nil {
			return Correction{}, err
		}
		d.Text = t
		d.ICD10 = strings.TrimSpace(d.ICD10)
		if d.ICD10 == "" {
			d.ICD10Name = ""
		} else if codes != nil {
			name, ok := codes.Lookup(d.ICD10)
			if !ok {
				return Correction{}, errors.New("unknown ICD-10 code " + d.ICD10)
			}
			d.ICD10Name = name
		}
		diags = append(diags, d)
	}
	return Correction{NoteID: n.NoteID, Entities: ents, Diagnoses: diags,
		Comment: strings.TrimSpace(req.Comment), Status: req.Status}, nil
}

func isLabel(l string) bool {
	for _, x := range Labels {
		if x == l {
			return true
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
