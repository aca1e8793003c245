package synth

import (
	"strings"
	"unicode/utf8"

	"bingli/services/note"
)

// GoldNote is one line of gold.jsonl: a valid note as written in the archive
// and every identifier, diagnosis and measurement in it, with Unicode
// code-point offsets (end-exclusive) into Text.
//
// Span conventions: a diagnosis span covers the disease name without its
// laterality word (双眼 / 右眼 / OD go into Eye) or assertion cue (否认,
// 考虑...可能); a measurement span covers the value with its unit as written
// ("18mmHg", "0.5", "-6.50DS", "320μm"); an AGE span covers the digits only.
// Disease words inside procedure names (白内障超声乳化...) are not diagnoses.
type GoldNote struct {
	ID           string        `json:"id"`
	PatientID    string        `json:"patient_id"`
	VisitDate    string        `json:"visit_date"`
	NoteType     string        `json:"note_type"`
	Text         string        `json:"text"`
	PHI          []PHISpan     `json:"phi"`
	Diagnoses    []Diagnosis   `json:"diagnoses"`
	Measurements []Measurement `json:"measurements"`
}

// Diagnosis is a gold diagnosis mention.
type Diagnosis struct {
	Start     int            `json:"start"`
	End       int            `json:"end"`
	Text      string         `json:"text"`
	ICD10     string         `json:"icd10"`
	Eye       note.Eye       `json:"eye"` // null when the mention has no laterality
	Assertion note.Assertion `json:"assertion"`
}

// Measurement is a gold measurement; Unit is normalised ("mmHg", "mm",
// "μm", "%", "D"; "" for visual acuity and cup/disc ratio).
type Measurement struct {
	Start int      `json:"start"`
	End   int      `json:"end"`
	Text  string   `json:"text"`
	Kind  string   `json:"kind"`
	Value float64  `json:"value"`
	Unit  string   `json:"unit"`
	Eye   note.Eye `json:"eye"`
}

// PHISpan is one identifier in a note.
type PHISpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Label string `json:"label"`
	Text  string `json:"text"`
}

// PHI labels.
const (
	LabelName         = "NAME"
	LabelIDNumber     = "ID_NUMBER"
	LabelPhone        = "PHONE"
	LabelAddress      = "ADDRESS"
	LabelRecordNumber = "RECORD_NUMBER"
	LabelDate         = "DATE"
	LabelDateOfBirth  = "DATE_OF_BIRTH"
	LabelAge          = "AGE"
	LabelEmail        = "EMAIL"
	LabelOrganization = "ORGANIZATION"
	LabelOtherID      = "OTHER_ID"
)

// Measurement kinds.
const (
	KindVA      = "visual_acuity"
	KindBCVA    = "corrected_visual_acuity"
	KindIOP     = "iop"
	KindAxial   = "axial_length"
	KindSphere  = "refraction_sphere"
	KindCupDisc = "cup_disc_ratio"
	KindCMT     = "cmt"
	KindHbA1c   = "hba1c"
)

// builder writes note text while recording annotated spans at code-point
// offsets, so gold offsets are exact by construction.
type builder struct {
	sb   strings.Builder
	n    int // code points written so far
	phi  []PHISpan
	dx   []Diagnosis
	meas []Measurement
}

func (b *builder) reset() {
	b.sb.Reset()
	b.n = 0
	b.phi = nil
	b.dx = nil
	b.meas = nil
}

// add writes plain text.
func (b *builder) add(parts ...string) {
	for _, s := range parts {
		b.sb.WriteString(s)
		b.n += utf8.RuneCountInString(s)
	}
}

// id writes an identifier and records it as PHI.
func (b *builder) id(label, s string) {
	start := b.n
	b.add(s)
	b.phi = append(b.phi, PHISpan{Start: start, End: b.n, Label: label, Text: s})
}

// diag writes a disease name and records it as a diagnosis.
func (b *builder) diag(d disease, eye note.Eye, a note.Assertion) {
	start := b.n
	b.add(d.name)
	b.dx = append(b.dx, Diagnosis{Start: start, End: b.n, Text: d.name, ICD10: d.icd10, Eye: eye, Assertion: a})
}

// measure writes a measured value (with its unit as written) and records it.
func (b *builder) measure(s, kind string, value float64, unit string, eye note.Eye) {
	start := b.n
	b.add(s)
	b.meas = append(b.meas, Measurement{Start: start, End: b.n, Text: s, Kind: kind, Value: value, Unit: unit, Eye: eye})
}

func (b *builder) String() string { return b.sb.String() }
