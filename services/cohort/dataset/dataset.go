// Package dataset writes record-level cohort exports: the patients a
// cohort query selects, as tables of patients, visits, diagnoses and
// measurements in JSONL, CSV or Parquet, after a k-anonymity check on the
// quasi-identifiers the de-identified notes still hold (age band, sex).
// A cohort that cannot be made k-anonymous by generalising is refused
// before any file is written.
package dataset

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"bingli/services/cohort"
	"bingli/services/deid"
	"bingli/services/index"
	"bingli/services/jsonl"
	"bingli/services/note"
	"bingli/services/timeline"
)

// Options configure an export.
type Options struct {
	// Patients is patients.jsonl and Notes notes.jsonl of a 'bingli
	// process' output (de-identified documents only).
	Patients, Notes string
	Query           cohort.Query
	// K is the k of k-anonymity (default index.DefaultMinCellSize, 10).
	K      int
	Format string
	Dir    string
	// Progress, when set, is called as patients are written.
	Progress func(done, total int)
}

// Result describes a written export.
type Result struct {
	Patients       int                   `json:"patients"`
	Rows           map[string]int        `json:"rows"`
	Files          []string              `json:"files"`
	K              int                   `json:"k"`
	Generalisation cohort.Generalisation `json:"generalisation"`
	// Pipeline lists the stage versions and models that produced the
	// exported patients' notes.
	Pipeline []Stage `json:"pipeline"`
}

// Stage is one stage version (and model) found in the notes' provenance.
type Stage struct {
	Stage   string `json:"stage"`
	Version string `json:"version"`
	Model   string `json:"model,omitempty"`
}

// Export selects the cohort, checks k-anonymity and writes the tables. A
// *cohort.KAnonymityError means the export was refused and nothing written.
func Export(ctx context.Context, opt Options) (Result, error) {
	if opt.K <= 0 {
		opt.K = index.DefaultMinCellSize
	}
	if !slices.Contains(Formats, opt.Format) {
		return Result{}, fmt.Errorf("export: format %q: want jsonl, csv or parquet", opt.Format)
	}
	ts, err := readTimelines(opt.Patients)
	if err != nil {
		return Result{}, err
	}
	sel, err := cohort.Select(ts, opt.Query)
	if err != nil {
		return Result{}, fmt.Errorf("export: %w", err)
	}
	demo, pipeline, err := readNotes(opt.Notes, sel)
	if err != nil {
		return Result{}, err
	}
	ages, sexes := make([]int, len(sel)), make([]string, len(sel))
	for i, t := range sel {
		d := demo[t.PatientID]
		ages[i], sexes[i] = d.AgeAt(t.FirstVisit), d.Sex
	}
	g, err := cohort.Anonymise(ages, sexes, opt.K)
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res := Result{Patients: len(sel), Rows: map[string]int{}, K: opt.K, Generalisation: g, Pipeline: pipeline}
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	w, err := openWriters(opt.Dir, opt.Format)
	if err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	for i, t := range sel {
		if err := ctx.Err(); err != nil {
			w.abort()
			return res, err
		}
		if err := w.add(t, g.AgeBand(ages[i]), cohort.Sex(sexes[i])); err != nil {
			w.abort()
			return res, fmt.Errorf("export: %w", err)
		}
		if opt.Progress != nil {
			opt.Progress(i+1, len(sel))
		}
	}
	if err := w.close(); err != nil {
		return res, fmt.Errorf("export: %w", err)
	}
	res.Rows, res.Files = w.counts()
	return res, nil
}

// readTimelines reads patients.jsonl. Its note ids must be the keyed
// references de-identification gives notes (deid.NoteRef): an output
// written before the deid stage replaced note ids holds the archive's ids,
// which can be record numbers and must not leave, so it is refused.
func readTimelines(path string) ([]*timeline.Timeline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer f.Close()
	var ts []*timeline.Timeline
	err = jsonl.Each(f, func(line int, t *timeline.Timeline) error {
		if !noteRefsOnly(t) {
			return fmt.Errorf("line %d: a note id that is not a note reference (n-…); the output predates note references: process the archive again", line)
		}
		ts = append(ts, t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export: %s %w", path, err)
	}
	return ts, nil
}

// noteRefsOnly reports whether every note id t holds is a note reference.
func noteRefsOnly(t *timeline.Timeline) bool {
	for _, v := range t.Visits {
		if !deid.IsNoteRef(v.NoteID) {
			return false
		}
	}
	for _, es := range [][]timeline.Event{t.Procedures, t.Medications} {
		for _, e := range es {
			if !deid.IsNoteRef(e.NoteID) {
				return false
			}
		}
	}
	for _, ms := range t.Measurements {
		for _, m := range ms {
			if !deid.IsNoteRef(m.NoteID) {
				return false
			}
		}
	}
	return true
}

// readNotes streams notes.jsonl once: the demographics of the selected
// patients and the provenance of their notes.
func readNotes(path string, sel []*timeline.Timeline) (map[string]cohort.Demographics, []Stage, error) {
	want := make(map[string]bool, len(sel))
	for _, t := range sel {
		want[t.PatientID] = true
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("export: %w", err)
	}
	defer f.Close()
	demo := map[string]cohort.Demographics{}
	seen := map[Stage]bool{}
	var stages []Stage
	err = jsonl.Each(f, func(_ int, n *note.Note) error {
		p := timeline.PatientOf(n)
		if !want[p] {
			return nil
		}
		d, ok := demo[p]
		if !ok {
			d = cohort.Demographics{Age: -1}
		}
		d.Merge(cohort.NoteDemographics(n))
		demo[p] = d
		for _, pr := range n.Provenance {
			s := Stage{Stage: pr.Stage, Version: pr.Version, Model: pr.Model}
			if !seen[s] {
				seen[s] = true
				stages = append(stages, s)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("export: %s %w", path, err)
	}
	return demo, stages, nil
}

// writers holds the four tables of one export.
type writers struct {
	patients *table[PatientRow]
	visits   *table[VisitRow]
	dx       *table[DiagnosisRow]
	meas     *table[MeasurementRow]
	all      []opened // in Tables order
}

// opened is a table being written, whatever its row type.
type opened interface {
	close() error
	file() string
	tableName() string
	rowCount() int
}

func (t *table[T]) file() string      { return t.path }
func (t *table[T]) tableName() string { return t.name }
func (t *table[T]) rowCount() int     { return t.rows }

func open[T any](w *writers, dst **table[T], dir, name, format string) error {
	t, err := newTable[T](dir, name, format)
	if err != nil {
		return err
	}
	*dst = t
	w.all = append(w.all, t)
	return nil
}

func openWriters(dir, format string) (*writers, error) {
	w := &writers{}
	err := open(w, &w.patients, dir, "patients", format)
	if err == nil {
		err = open(w, &w.visits, dir, "visits", format)
	}
	if err == nil {
		err = open(w, &w.dx, dir, "diagnoses", format)
	}
	if err == nil {
		err = open(w, &w.meas, dir, "measurements", format)
	}
	if err != nil {
		w.abort()
		return nil, err
	}
	return w, nil
}

func eye(e note.Eye) string {
	if e == note.EyeNone {
		return "none"
	}
	return string(e)
}

func (w *writers) add(t *timeline.Timeline, ageBand, sex string) error {
	if err := w.patients.write(PatientRow{PatientID: t.PatientID, Sex: sex, AgeBand: ageBand, FirstVisit: t.FirstVisit,
		LastVisit: t.LastVisit, FollowUpDays: int64(t.FollowUpDays), Visits: int64(len(t.Visits))}); err != nil {
		return err
	}
	for _, v := range t.Visits {
		if err := w.visits.write(VisitRow{PatientID: t.PatientID, NoteID: v.NoteID, Date: v.Date, NoteType: v.NoteType}); err != nil {
			return err
		}
	}
	for _, d := range t.Diagnoses {
		if err := w.dx.write(DiagnosisRow{PatientID: t.PatientID, ICD10: d.ICD10, Name: d.Name, Eye: eye(d.Eye), Assertion: string(d.Assertion),
			FirstSeen: d.FirstSeen, LastSeen: d.LastSeen, Notes: int64(d.Notes)}); err != nil {
			return err
		}
	}
	kinds := make([]string, 0, len(t.Measurements))
	for k := range t.Measurements {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		for _, m := range t.Measurements[k] {
			if err := w.meas.write(MeasurementRow{PatientID: t.PatientID, NoteID: m.NoteID, Date: m.Date, Kind: k, Name: m.Name,
				Eye: eye(m.Eye), Value: m.Value, Unit: m.Unit}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *writers) close() error {
	var errs []error
	for _, t := range w.all {
		errs = append(errs, t.close())
	}
	return errors.Join(errs...)
}

// abort closes and removes whatever was opened: no partial export stays.
func (w *writers) abort() {
	for _, t := range w.all {
		_ = t.close()
		os.Remove(t.file())
	}
}

func (w *writers) counts() (map[string]int, []string) {
	rows := map[string]int{}
	var files []string
	for _, t := range w.all {
		rows[t.tableName()] = t.rowCount()
		files = append(files, t.file())
	}
	return rows, files
}
