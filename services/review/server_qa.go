package review

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"time"

	"go.uber.org/zap"
)

// qaRequest is the body of POST /review/api/qa.
type qaRequest struct {
	Sample     int      `json:"sample"`
	Annotators []string `json:"annotators"`
	Seed       *uint64  `json:"seed,omitempty"`
}

// drawQA draws a QA sample among the unreviewed notes and assigns each to
// two annotators (admins only).
func (s *Server) drawQA(w http.ResponseWriter, r *http.Request) {
	p, ok := s.authedWrite(w, r)
	if !ok {
		return
	}
	if !s.opt.admins[p.annotator] && !s.auth.isAdmin(p.annotator) {
		writeError(w, http.StatusForbidden, "only an admin draws QA samples")
		return
	}
	var req qaRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad QA request: "+err.Error())
		return
	}
	for _, a := range req.Annotators {
		if _, ok := s.auth.accounts[a]; !ok {
			writeError(w, http.StatusBadRequest, "no annotator account "+a)
			return
		}
	}
	ids, err := s.store.List(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, "list notes")
		return
	}
	seed := uint64(time.Now().UnixNano())
	if req.Seed != nil {
		seed = *req.Seed
	}
	as, err := s.DrawQA(r.Context(), ids, req.Sample, req.Annotators, seed)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusCreated, as)
}

// DrawQA draws a QA sample among the unreviewed notes of ids, logs the
// assignments and applies them to the server's state.
func (s *Server) DrawQA(ctx context.Context, ids []string, n int, annotators []string, seed uint64) ([]Assignment, error) {
	pool := make([]string, 0, len(ids))
	for _, id := range ids {
		if s.state.Status(id).Status == NoteUnreviewed {
			pool = append(pool, id)
		}
	}
	now := time.Now().UTC()
	as, err := DrawSample(pool, n, annotators, "qa-"+now.Format("20060102T150405Z"), now, rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)))
	if err != nil {
		return nil, err
	}
	if err := s.corr.Assign(ctx, as); err != nil {
		return nil, err
	}
	for i := range as {
		s.applyEvent(Event{Assignment: &as[i]})
	}
	return as, nil
}

// agreement answers GET /review/api/agreement: every annotator pair's
// span F1 per label and kappa for assertion and eye.
func (s *Server) agreement(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authed(w, r); !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.state.Agreement())
}

func (s *Server) agreementPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.auth.identify(r)
	if !ok {
		http.Redirect(w, r, "/review/login", http.StatusSeeOther)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(w, "agreement.html", map[string]any{"Annotator": p.annotator, "Pairs": s.state.Agreement()}); err != nil {
		s.opt.log.Error("agreement page", zap.Error(err))
	}
}
