package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/access"
	"bingli/services/timeline"
)

// patientsHandler serves GET /patients/{pseudonym}: the patient's current
// timeline (de-identified), kept up to date as notes stream in. Its note
// ids are the keyed references the deid stage gave the notes.
func patientsHandler(js jetstream.JetStream, audit *access.Auditor, log *zap.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			http.Error(w, "GET only", http.StatusMethodNotAllowed)
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/patients/")
		if id == "" {
			http.Error(w, "usage: /patients/{patient_id}", http.StatusBadRequest)
			return
		}
		t, err := timeline.Get(r.Context(), js, id)
		// The audit record says a timeline was read, never whose.
		found := 0
		if err == nil {
			found = 1
		}
		if !auditHTTP(w, r, audit, "/patients/{id}", access.AuditRecord{Rows: access.Count(found), Patients: access.Count(found)}, log) {
			return
		}
		if errors.Is(err, timeline.ErrNoPatient) {
			http.Error(w, "no such patient", http.StatusNotFound)
			return
		}
		if err != nil {
			http.Error(w, "timelines unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(t)
	})
}
