// Package omop exports de-identified notes as tables in the shape of the
// OMOP Common Data Model (v5.4): person, visit_occurrence,
// condition_occurrence, procedure_occurrence, drug_exposure, measurement,
// note and note_nlp, in Parquet and CSV. ICD-10 codes are source values
// (concept ids are 0: mapping to OMOP standard concepts needs the Athena
// vocabularies, which are not shipped); columns prefixed bingli_ carry what
// OMOP has no field for (eye). Dates are ISO strings (YYYY-MM-DD), shifted
// per patient by de-identification.
package omop

// Person is one pseudonymous patient.
type Person struct {
	PersonID          int64  `parquet:"person_id"`
	GenderConceptID   int64  `parquet:"gender_concept_id"`
	YearOfBirth       *int32 `parquet:"year_of_birth,optional"`
	PersonSourceValue string `parquet:"person_source_value"`
}

// VisitOccurrence is one visit; bingli makes one per note.
type VisitOccurrence struct {
	VisitOccurrenceID int64  `parquet:"visit_occurrence_id"`
	PersonID          int64  `parquet:"person_id"`
	VisitConceptID    int64  `parquet:"visit_concept_id"`
	VisitStartDate    string `parquet:"visit_start_date,optional"`
	VisitEndDate      string `parquet:"visit_end_date,optional"`
	VisitSourceValue  string `parquet:"visit_source_value"`
}

// ConditionOccurrence is a diagnosis asserted present, possible or past.
type ConditionOccurrence struct {
	ConditionOccurrenceID      int64  `parquet:"condition_occurrence_id"`
	PersonID                   int64  `parquet:"person_id"`
	ConditionConceptID         int64  `parquet:"condition_concept_id"`
	ConditionStartDate         string `parquet:"condition_start_date,optional"`
	ConditionStatusSourceValue string `parquet:"condition_status_source_value"`
	VisitOccurrenceID          int64  `parquet:"visit_occurrence_id"`
	ConditionSourceValue       string `parquet:"condition_source_value"`
	ConditionSourceConceptID   int64  `parquet:"condition_source_concept_id"`
	BingliEye                  string `parquet:"bingli_eye,optional"`
	BingliName                 string `parquet:"bingli_name"`
}

// ProcedureOccurrence is a surgery or treatment procedure.
type ProcedureOccurrence struct {
	ProcedureOccurrenceID int64  `parquet:"procedure_occurrence_id"`
	PersonID              int64  `parquet:"person_id"`
	ProcedureConceptID    int64  `parquet:"procedure_concept_id"`
	ProcedureDate         string `parquet:"procedure_date,optional"`
	VisitOccurrenceID     int64  `parquet:"visit_occurrence_id"`
	ProcedureSourceValue  string `parquet:"procedure_source_value"`
	BingliEye             string `parquet:"bingli_eye,optional"`
}

// DrugExposure is a medication mention.
type DrugExposure struct {
	DrugExposureID        int64  `parquet:"drug_exposure_id"`
	PersonID              int64  `parquet:"person_id"`
	DrugConceptID         int64  `parquet:"drug_concept_id"`
	DrugExposureStartDate string `parquet:"drug_exposure_start_date,optional"`
	Sig                   string `parquet:"sig,optional"`
	RouteSourceValue      string `parquet:"route_source_value,optional"`
	DoseUnitSourceValue   string `parquet:"dose_unit_source_value,optional"`
	VisitOccurrenceID     int64  `parquet:"visit_occurrence_id"`
	DrugSourceValue       string `parquet:"drug_source_value"`
	BingliEye             string `parquet:"bingli_eye,optional"`
}

// Measurement is one measured value.
type Measurement struct {
	MeasurementID          int64    `parquet:"measurement_id"`
	PersonID               int64    `parquet:"person_id"`
	MeasurementConceptID   int64    `parquet:"measurement_concept_id"`
	MeasurementDate        string   `parquet:"measurement_date,optional"`
	ValueAsNumber          *float64 `parquet:"value_as_number,optional"`
	UnitSourceValue        string   `parquet:"unit_source_value,optional"`
	VisitOccurrenceID      int64    `parquet:"visit_occurrence_id"`
	MeasurementSourceValue string   `parquet:"measurement_source_value"`
	ValueSourceValue       string   `parquet:"value_source_value"`
	BingliEye              string   `parquet:"bingli_eye,optional"`
}

// Note is one de-identified note.
type Note struct {
	NoteID            int64  `parquet:"note_id"`
	PersonID          int64  `parquet:"person_id"`
	NoteDate          string `parquet:"note_date,optional"`
	NoteTitle         string `parquet:"note_title,optional"`
	NoteText          string `parquet:"note_text"`
	VisitOccurrenceID int64  `parquet:"visit_occurrence_id"`
	NoteSourceValue   string `parquet:"note_source_value"`
}

// NoteNLP is one extracted term with its offset and modifiers, negated and
// family mentions included (term_exists N).
type NoteNLP struct {
	NoteNLPID              int64  `parquet:"note_nlp_id"`
	NoteID                 int64  `parquet:"note_id"`
	Snippet                string `parquet:"snippet"`
	Offset                 string `parquet:"offset"`
	LexicalVariant         string `parquet:"lexical_variant"`
	NoteNLPConceptID       int64  `parquet:"note_nlp_concept_id"`
	NoteNLPSourceConceptID int64  `parquet:"note_nlp_source_concept_id"`
	NLPSystem              string `parquet:"nlp_system"`
	NLPDate                string `parquet:"nlp_date"`
	TermExists             string `parquet:"term_exists"`
	TermTemporal           string `parquet:"term_temporal,optional"`
	TermModifiers          string `parquet:"term_modifiers"`
}
