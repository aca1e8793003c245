package review

import (
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"bingli/services/note"
)

//go:embed static
var staticFS embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).
	ParseFS(staticFS, "static/index.html", "static/login.html"))

// Labels are the entity labels an annotator can assign, in the order of the
// 1-8 keyboard shortcuts.
var Labels = []string{"DISEASE", "SYMPTOM", "DRUG", "PROCEDURE", "EXAM", "LAB", "BODY", "EQUIPMENT"}

// Server is the review app's HTTP handler.
type Server struct {
	store Store
	corr  Corrections
	auth  *auth
	mux   *http.ServeMux
}

// NewServer returns the review app. accounts maps each annotator to the hex
// SHA-256 of their API key (see HashKey); the key is sent in X-Bingli-Key or
// typed once into the login form, which starts a cookie session.
func NewServer(store Store, corr Corrections, accounts map[string]string) http.Handler {
	return newServer(store, corr, accounts)
}

func newServer(store Store, corr Corrections, accounts map[string]string) *Server {
	s := &Server{store: store, corr: corr, auth: newAuth(accounts), mux: http.NewServeMux()}
	static, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(static)
	s.mux.HandleFunc("GET /review/{$}", s.page)
	s.mux.HandleFunc("GET /review/login", s.loginForm)
	s.mux.HandleFunc("POST /review/login", s.login)
	s.mux.HandleFunc("POST /review/logout", s.logout)
	for _, f := range []string{"app.js", "app.css"} {
		s.mux.Handle("GET /review/static/"+f, http.StripPrefix("/review/static/", files))
	}
	s.mux.HandleFunc("GET /review/api/queue", s.queue)
	s.mux.HandleFunc("GET /review/api/notes/{id}", s.getNote)
	s.mux.HandleFunc("POST /review/api/notes/{id}/corrections", s.postCorrection)
	return s
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

// QueueItem is one note in the review queue.
type QueueItem struct {
	NoteID    string     `json:"note_id"`
	Status    string     `json:"status"` // pending, accepted, corrected, rejected
	Annotator string     `json:"annotator,omitempty"`
	At        *time.Time `json:"at,omitempty"`
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authed(w, r); !ok {
		return
	}
	ids, err := s.store.List(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, "list notes")
		return
	}
	items := make([]QueueItem, 0, len(ids))
	for _, id := range ids {
		it := QueueItem{NoteID: id, Status: "pending"}
		c, ok, err := s.corr.Latest(r.Context(), id)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "read corrections")
			return
		}
		if ok {
			it.Status, it.Annotator, it.At = c.Status, c.Annotator, &c.At
		}
		items = append(items, it)
	}
	writeJSON(w, http.StatusOK, items)
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
	if _, ok := s.authed(w, r); !ok {
		return
	}
	n, ok := s.loadNote(w, r)
	if !ok {
		return
	}
	v := NoteView{NoteID: n.NoteID, NoteType: n.NoteType, Text: n.Text,
		Entities: n.Entities, Diagnoses: n.Diagnoses, Measurements: n.Measurements}
	c, found, err := s.corr.Latest(r.Context(), n.NoteID)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "read corrections")
		return
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
	p, ok := s.authed(w, r)
	if !ok {
		return
	}
	if !p.csrfOK(r) {
		writeError(w, http.StatusForbidden, "missing or wrong CSRF token")
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
	c, err := validate(n, req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	c.Annotator, c.At = p.annotator, time.Now().UTC()
	if err := s.corr.Append(r.Context(), c); err != nil {
		writeError(w, http.StatusInternalServerError, "store correction")
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

// validate checks a correction against its note and fills each span's text
// from the note itself, so a client cannot put text in that is not there.
func validate(n *note.Note, req correctionRequest) (Correction, error) {
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
