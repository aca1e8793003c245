// Package timeline groups de-identified note documents by pseudonymous
// patient into follow-up timelines: visits in date order, each diagnosis
// with when it was first and last seen, treatments, and measurement series.
package timeline

import (
	"cmp"
	"slices"

	"bingli/services/note"
)

// Timeline is one patient's follow-up record (patients.jsonl, one a line).
type Timeline struct {
	PatientID string `json:"patient_id"`
	// FirstVisit and LastVisit are shifted dates (YYYY-MM-DD); notes without
	// a visit date are listed but do not bound the follow-up.
	FirstVisit   string                   `json:"first_visit,omitempty"`
	LastVisit    string                   `json:"last_visit,omitempty"`
	FollowUpDays int                      `json:"follow_up_days"`
	Visits       []Visit                  `json:"visits"`
	Diagnoses    []DiagnosisSeen          `json:"diagnoses"`
	Procedures   []Event                  `json:"procedures"`
	Medications  []Event                  `json:"medications"`
	Measurements map[string][]Measurement `json:"measurements"`
}

// Visit is one note of the patient.
type Visit struct {
	NoteID   string `json:"note_id"`
	Date     string `json:"date,omitempty"`
	NoteType string `json:"note_type,omitempty"`
}

// DiagnosisSeen is one diagnosis (code, eye, assertion) across the notes
// that mention it.
type DiagnosisSeen struct {
	ICD10     string         `json:"icd10,omitempty"`
	Name      string         `json:"name"`
	Eye       note.Eye       `json:"eye"`
	Assertion note.Assertion `json:"assertion"`
	FirstSeen string         `json:"first_seen,omitempty"`
	LastSeen  string         `json:"last_seen,omitempty"`
	Notes     int            `json:"notes"`
}

// Event is a procedure or medication on a date.
type Event struct {
	NoteID string   `json:"note_id"`
	Date   string   `json:"date,omitempty"`
	Text   string   `json:"text"`
	Eye    note.Eye `json:"eye"`
}

// Measurement is one point of a measurement series.
type Measurement struct {
	NoteID string   `json:"note_id"`
	Date   string   `json:"date,omitempty"`
	Eye    note.Eye `json:"eye"`
	Value  *float64 `json:"value"`
	Unit   string   `json:"unit,omitempty"`
	Name   string   `json:"name,omitempty"`
}

// New returns an empty timeline for a patient.
func New(patientID string) *Timeline {
	return &Timeline{PatientID: patientID, Visits: []Visit{}, Diagnoses: []DiagnosisSeen{}, Procedures: []Event{},
		Medications: []Event{}, Measurements: map[string][]Measurement{}}
}

// PatientOf is the timeline key of a note.
func PatientOf(n *note.Note) string {
	if n.PatientID == "" {
		return "unknown"
	}
	return n.PatientID
}

// Has reports whether the note is already in the timeline.
func (t *Timeline) Has(noteID string) bool {
	for _, v := range t.Visits {
		if v.NoteID == noteID {
			return true
		}
	}
	return false
}

// Add folds one note into the timeline and restores its order. A note
// already in it is ignored, so replays do not double-count.
func (t *Timeline) Add(n *note.Note) {
	if t.Has(n.NoteID) {
		return
	}
	date := n.VisitDate
	t.Visits = append(t.Visits, Visit{NoteID: n.NoteID, Date: date, NoteType: n.NoteType})
	seenHere := map[int]bool{}
	for _, d := range n.Diagnoses {
		name := cmp.Or(d.ICD10Name, d.Text)
		i := t.diagnosis(d.ICD10, name, d.Eye, d.Assertion)
		if seenHere[i] {
			continue
		}
		seenHere[i] = true
		ds := &t.Diagnoses[i]
		ds.Notes++
		ds.FirstSeen = minDate(ds.FirstSeen, date)
		ds.LastSeen = maxDate(ds.LastSeen, date)
	}
	for _, p := range n.Procedures {
		t.Procedures = append(t.Procedures, Event{NoteID: n.NoteID, Date: cmp.Or(p.Date, date), Text: p.Text, Eye: p.Eye})
	}
	for _, m := range n.Medications {
		t.Medications = append(t.Medications, Event{NoteID: n.NoteID, Date: date, Text: m.Text, Eye: m.Eye})
	}
	for _, m := range n.Measurements {
		t.Measurements[m.Kind] = append(t.Measurements[m.Kind], Measurement{NoteID: n.NoteID, Date: date, Eye: m.Eye, Value: m.Value, Unit: m.Unit, Name: m.Name})
	}
	t.order()
}

// diagnosis returns the index of the entry for (code, eye, assertion) — or
// (name, eye, assertion) when uncoded — adding it when missing.
func (t *Timeline) diagnosis(code, name string, eye note.Eye, a note.Assertion) int {
	for i, d := range t.Diagnoses {
		if d.ICD10 == code && d.Eye == eye && d.Assertion == a && (code != "" || d.Name == name) {
			return i
		}
	}
	t.Diagnoses = append(t.Diagnoses, DiagnosisSeen{ICD10: code, Name: name, Eye: eye, Assertion: a})
	return len(t.Diagnoses) - 1
}

// order sorts visits and events by date (undated last, then note id) and
// recomputes the follow-up span.
func (t *Timeline) order() {
	byDate := func(ad, an, bd, bn string) int { return cmp.Or(cmpDate(ad, bd), cmp.Compare(an, bn)) }
	slices.SortFunc(t.Visits, func(x, y Visit) int { return byDate(x.Date, x.NoteID, y.Date, y.NoteID) })
	slices.SortStableFunc(t.Procedures, func(x, y Event) int { return byDate(x.Date, x.NoteID, y.Date, y.NoteID) })
	slices.SortStableFunc(t.Medications, func(x, y Event) int { return byDate(x.Date, x.NoteID, y.Date, y.NoteID) })
	for k := range t.Measurements {
		slices.SortStableFunc(t.Measurements[k], func(x, y Measurement) int { return byDate(x.Date, x.NoteID, y.Date, y.NoteID) })
	}
	slices.SortStableFunc(t.Diagnoses, func(x, y DiagnosisSeen) int {
		// by first sighting, coded before uncoded
		return cmp.Or(cmpDate(x.FirstSeen, y.FirstSeen), cmpDate(x.ICD10, y.ICD10), cmp.Compare(x.Name, y.Name),
			cmp.Compare(x.Eye, y.Eye), cmp.Compare(x.Assertion, y.Assertion))
	})
	t.FirstVisit, t.LastVisit = "", ""
	for _, v := range t.Visits {
		t.FirstVisit = minDate(t.FirstVisit, v.Date)
		t.LastVisit = maxDate(t.LastVisit, v.Date)
	}
	t.FollowUpDays = daysBetween(t.FirstVisit, t.LastVisit)
}

// Builder accumulates notes into timelines in memory.
type Builder struct {
	patients map[string]*Timeline
}

// NewBuilder returns an empty builder.
func NewBuilder() *Builder { return &Builder{patients: map[string]*Timeline{}} }

// Add folds one note into its patient's timeline.
func (b *Builder) Add(n *note.Note) {
	pid := PatientOf(n)
	t := b.patients[pid]
	if t == nil {
		t = New(pid)
		b.patients[pid] = t
	}
	t.Add(n)
}

// Timelines returns every patient's timeline, by patient id.
func (b *Builder) Timelines() []*Timeline {
	out := make([]*Timeline, 0, len(b.patients))
	for _, t := range b.patients {
		out = append(out, t)
	}
	slices.SortFunc(out, func(x, y *Timeline) int { return cmp.Compare(x.PatientID, y.PatientID) })
	return out
}
