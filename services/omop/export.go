package omop

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"bingli/services/jsonl"

	"bingli/services/note"
)

// Counts are the rows written per table.
type Counts map[string]int

// Options configure an export.
type Options struct {
	// System names the NLP system in note_nlp (e.g. "bingli 0.1.0").
	System string
	// Now is the export date written as nlp_date (default today).
	Now time.Time
}

type writers struct {
	visit     *table[VisitOccurrence]
	condition *table[ConditionOccurrence]
	procedure *table[ProcedureOccurrence]
	drug      *table[DrugExposure]
	meas      *table[Measurement]
	note      *table[Note]
	nlp       *table[NoteNLP]
}

// Export reads notes.jsonl and writes the OMOP-shaped tables into dir.
// Conditions asserted present, possible or history become
// condition_occurrence rows; every diagnosis (negated and family too) is a
// note_nlp row with term_exists and modifiers.
func Export(notesPath, dir string, opt Options) (Counts, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("omop: %w", err)
	}
	f, err := os.Open(notesPath)
	if err != nil {
		return nil, fmt.Errorf("omop: %w", err)
	}
	defer f.Close()
	var w writers
	var tables []opened
	err = errors.Join(
		open(dir, "visit_occurrence", &w.visit, &tables),
		open(dir, "condition_occurrence", &w.condition, &tables),
		open(dir, "procedure_occurrence", &w.procedure, &tables),
		open(dir, "drug_exposure", &w.drug, &tables),
		open(dir, "measurement", &w.meas, &tables),
		open(dir, "note", &w.note, &tables),
		open(dir, "note_nlp", &w.nlp, &tables),
	)
	if err != nil {
		for _, t := range tables {
			t.abort()
		}
		return nil, fmt.Errorf("omop: %w", err)
	}

	persons := map[string]int64{}
	var noteID int64
	var errs []error
	err = jsonl.Each(f, func(_ int, n *note.Note) error {
		pid, ok := persons[n.PatientID]
		if !ok {
			pid = int64(len(persons) + 1)
			persons[n.PatientID] = pid
		}
		noteID++
		return w.add(noteID, pid, n, opt)
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("%s %w", notesPath, err))
	}
	counts := Counts{}
	for _, t := range tables {
		if err := t.close(); err != nil {
			errs = append(errs, err)
		}
		counts[t.tableName()] = t.rowCount()
	}
	if len(errs) > 0 {
		return counts, fmt.Errorf("omop: %w", errors.Join(errs...))
	}
	pt, err := newTable[Person](dir, "person")
	if err != nil {
		return counts, fmt.Errorf("omop: %w", err)
	}
	sources := make([]string, len(persons)) // person_id - 1 -> pseudonym
	for p, id := range persons {
		sources[id-1] = p
	}
	for i, p := range sources {
		if err := pt.write(Person{PersonID: int64(i + 1), PersonSourceValue: p}); err != nil {
			pt.abort()
			return counts, fmt.Errorf("omop: %w", err)
		}
	}
	if err := pt.close(); err != nil {
		return counts, fmt.Errorf("omop: %w", err)
	}
	counts["person"] = pt.rows
	return counts, nil
}

// visit concept ids: 9201 inpatient visit, 9202 outpatient visit.
func visitConcept(noteType string) int64 {
	for _, w := range []string{"入院", "出院", "住院", "手术", "病程"} {
		if strings.Contains(noteType, w) {
			return 9201
		}
	}
	return 9202
}

func (w *writers) add(id, pid int64, n *note.Note, opt Options) error {
	date := n.VisitDate
	if err := w.visit.write(VisitOccurrence{VisitOccurrenceID: id, PersonID: pid, VisitConceptID: visitConcept(n.NoteType),
		VisitStartDate: date, VisitEndDate: date, VisitSourceValue: n.NoteType}); err != nil {
		return err
	}
	if err := w.note.write(Note{NoteID: id, PersonID: pid, NoteDate: date, NoteTitle: n.NoteType, NoteText: n.Text,
		VisitOccurrenceID: id, NoteSourceValue: n.NoteID}); err != nil {
		return err
	}
	runes := []rune(n.Text)
	for _, d := range n.Diagnoses {
		if d.Assertion == note.Present || d.Assertion == note.Possible || d.Assertion == note.History {
			if err := w.condition.write(ConditionOccurrence{ConditionOccurrenceID: int64(w.condition.rows + 1), PersonID: pid,
				ConditionStartDate: date, ConditionStatusSourceValue: string(d.Assertion), VisitOccurrenceID: id,
				ConditionSourceValue: d.ICD10, BingliEye: string(d.Eye), BingliName: firstNonEmpty(d.ICD10Name, d.Text)}); err != nil {
				return err
			}
		}
		exists := "Y"
		if d.Assertion == note.Negated || d.Assertion == note.Family {
			exists = "N"
		}
		temporal := ""
		if d.Assertion == note.History {
			temporal = "past"
		}
		mods := fmt.Sprintf("assertion=%s;eye=%s;icd10=%s", d.Assertion, eyeOrNone(d.Eye), d.ICD10)
		if err := w.nlp.write(NoteNLP{NoteNLPID: int64(w.nlp.rows + 1), NoteID: id, Snippet: snippet(runes, d.Start, d.End),
			Offset: strconv.Itoa(d.Start), LexicalVariant: d.Text, NLPSystem: opt.System, NLPDate: opt.Now.Format(time.DateOnly),
			TermExists: exists, TermTemporal: temporal, TermModifiers: mods}); err != nil {
			return err
		}
	}
	for _, p := range n.Procedures {
		if err := w.procedure.write(ProcedureOccurrence{ProcedureOccurrenceID: int64(w.procedure.rows + 1), PersonID: pid,
			ProcedureDate: firstNonEmpty(p.Date, date), VisitOccurrenceID: id, ProcedureSourceValue: p.Text, BingliEye: string(p.Eye)}); err != nil {
			return err
		}
	}
	for _, m := range n.Medications {
		sig := strings.TrimSpace(strings.Join([]string{m.Dose, m.Frequency}, " "))
		if err := w.drug.write(DrugExposure{DrugExposureID: int64(w.drug.rows + 1), PersonID: pid, DrugExposureStartDate: date,
			Sig: sig, RouteSourceValue: m.Route, VisitOccurrenceID: id, DrugSourceValue: m.Text, BingliEye: string(m.Eye)}); err != nil {
			return err
		}
	}
	for _, m := range n.Measurements {
		src := m.Kind
		if m.Name != "" {
			src += ":" + m.Name
		}
		if err := w.meas.write(Measurement{MeasurementID: int64(w.meas.rows + 1), PersonID: pid, MeasurementDate: date,
			ValueAsNumber: m.Value, UnitSourceValue: m.Unit, VisitOccurrenceID: id, MeasurementSourceValue: src,
			ValueSourceValue: m.Text, BingliEye: string(m.Eye)}); err != nil {
			return err
		}
	}
	return nil
}

func snippet(rs []rune, start, end int) string {
	s, e := max(start-10, 0), min(end+10, len(rs))
	if start < 0 || end > len(rs) || start > end {
		return ""
	}
	return string(rs[s:e])
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func eyeOrNone(e note.Eye) string {
	if e == note.EyeNone {
		return "none"
	}
	return string(e)
}
