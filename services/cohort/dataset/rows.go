package dataset

// The record tables of a cohort export. Every row is keyed by the
// pseudonymous patient id; dates are the per-patient shifted dates of
// de-identification; no text beyond a diagnosis' normalised name.

// PatientRow is one patient of the cohort, with the generalised
// quasi-identifiers.
type PatientRow struct {
	PatientID    string `parquet:"patient_id" json:"patient_id"`
	Sex          string `parquet:"sex" json:"sex"`
	AgeBand      string `parquet:"age_band" json:"age_band"`
	FirstVisit   string `parquet:"first_visit" json:"first_visit"`
	LastVisit    string `parquet:"last_visit" json:"last_visit"`
	FollowUpDays int64  `parquet:"follow_up_days" json:"follow_up_days"`
	Visits       int64  `parquet:"visits" json:"visits"`
}

// DiagnosisRow is one diagnosis (code, eye, assertion) of a patient.
type DiagnosisRow struct {
	PatientID string `parquet:"patient_id" json:"patient_id"`
	ICD10     string `parquet:"icd10" json:"icd10"`
	Name      string `parquet:"name" json:"name"`
	Eye       string `parquet:"eye" json:"eye"`
	Assertion string `parquet:"assertion" json:"assertion"`
	FirstSeen string `parquet:"first_seen" json:"first_seen"`
	LastSeen  string `parquet:"last_seen" json:"last_seen"`
	Notes     int64  `parquet:"notes" json:"notes"`
}

// MeasurementRow is one point of a measurement series.
type MeasurementRow struct {
	PatientID string   `parquet:"patient_id" json:"patient_id"`
	NoteID    string   `parquet:"note_id" json:"note_id"`
	Date      string   `parquet:"date" json:"date"`
	Kind      string   `parquet:"kind" json:"kind"`
	Name      string   `parquet:"name" json:"name"`
	Eye       string   `parquet:"eye" json:"eye"`
	Value     *float64 `parquet:"value,optional" json:"value"`
	Unit      string   `parquet:"unit" json:"unit"`
}

// VisitRow is one note of a patient.
type VisitRow struct {
	PatientID string `parquet:"patient_id" json:"patient_id"`
	NoteID    string `parquet:"note_id" json:"note_id"`
	Date      string `parquet:"date" json:"date"`
	NoteType  string `parquet:"note_type" json:"note_type"`
}

// Tables are the files of an export, in writing order.
var Tables = []string{"patients", "visits", "diagnoses", "measurements"}
