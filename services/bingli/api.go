package main

import (
	"net/http"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/access"
	"bingli/services/index"
)

// datasetAPI is the dataset builders' part of 'bingli run': cohort queries
// over the index and the timelines, and single timelines. Every endpoint
// needs a dataset_builder or admin key (services/access) and is
// audit-logged; all of them answer from de-identified documents only, whose
// note ids are already keyed references (the deid stage replaced them). b
// is nil when the pipeline has no index stage.
func datasetAPI(keys access.Authenticator, audit *access.Auditor, js jetstream.JetStream, b index.Backend, log *zap.Logger) map[string]http.Handler {
	h := map[string]http.Handler{
		"/patients/":       patientsHandler(js, audit, log),
		"/cohort/patients": patientCohortHandler(js, audit, log),
	}
	if b != nil {
		h["/cohort"] = cohortHandler(b, audit, log)
	}
	for p, handler := range h {
		h[p] = access.Require(keys, access.DatasetRoles, handler)
	}
	return h
}
