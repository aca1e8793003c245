package review

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// maxCodeMatches bounds the picker's answer.
const maxCodeMatches = 50

// searchCodes answers the code picker: GET /review/api/codes?q=…&n=… returns
// the best n (default 10) codes for q. Server-Timing says how long the
// search took.
func (s *Server) searchCodes(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.authed(w, r); !ok {
		return
	}
	if s.codes == nil {
		writeError(w, http.StatusServiceUnavailable, "code dictionary not loaded")
		return
	}
	q := r.URL.Query().Get("q")
	if utf8.RuneCountInString(q) > 64 {
		writeError(w, http.StatusBadRequest, "query longer than 64 characters")
		return
	}
	n := 10
	if v := r.URL.Query().Get("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > maxCodeMatches {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("n must be 1 to %d", maxCodeMatches))
			return
		}
	}
	t0 := time.Now()
	m := s.codes.Search(q, n)
	took := time.Since(t0)
	if m == nil {
		m = []CodeMatch{}
	}
	w.Header().Set("Server-Timing", fmt.Sprintf("search;dur=%.3f", float64(took.Microseconds())/1000))
	writeJSON(w, http.StatusOK, m)
}
