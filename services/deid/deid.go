// Package deid is the de-identification stage: it finds every identifier in
// a raw clinical note (names, ID numbers, phones, addresses, record numbers,
// dates, ages ≥ 90, e-mails, URLs, organisations, other ids), replaces them
// (typed tags or same-shape surrogates; dates shifted per patient), gives the
// patient, the note and its archive file keyed pseudonyms (the archive's
// note id does not outlive this stage) and fails closed when an independent
// leak guard still finds an ID number, mobile number or e-mail in the output.
package deid

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"bingli/services/lac"
	"bingli/services/note"
	"bingli/services/stage"
)

// Version is recorded in each note's provenance.
const Version = "0.1.0"

// Options configure a Deidentifier. The zero value is the safe default:
// typed tags for every type and dates shifted.
type Options struct {
	// Modes sets the replacement mode per entity type (default Tag).
	Modes map[string]Mode
	// NoDateShift replaces dates by the tag 〔日期〕 instead of shifting them.
	NoDateShift bool
	// Registry overrides the recognizers (default NewRegistry()).
	Registry *Registry
	// PersonNames, when set, adds the LAC person-name recognizer to the
	// registry (NewPersonNameRecognizer).
	PersonNames *lac.Model
	// OwnsPersonNames makes Close close PersonNames.
	OwnsPersonNames bool
	// PHIModel, when set, adds the learned PHI tagger to the registry
	// (NewPHIModelRecognizer, after the rules and LAC).
	PHIModel *PHIModel
	// OwnsPHIModel makes Close close PHIModel.
	OwnsPHIModel bool
}

// Close releases the models the Deidentifier owns.
func (d *Deidentifier) Close() error {
	var err error
	if d.opt.OwnsPersonNames && d.opt.PersonNames != nil {
		err = d.opt.PersonNames.Close()
	}
	if d.opt.OwnsPHIModel && d.opt.PHIModel != nil {
		if perr := d.opt.PHIModel.Close(); err == nil {
			err = perr
		}
	}
	return err
}

// Deidentifier is the "deid" stage. It is immutable after New and safe for
// concurrent use.
type Deidentifier struct {
	key  Key
	opt  Options
	reg  *Registry
	mode map[string]Mode
}

var _ stage.Stage = (*Deidentifier)(nil)

// New returns a Deidentifier keyed by key.
func New(key Key, opt Options) (*Deidentifier, error) {
	if key.IsZero() {
		return nil, fmt.Errorf("deid: no key")
	}
	d := &Deidentifier{key: key, opt: opt, reg: opt.Registry, mode: map[string]Mode{}}
	if d.reg == nil {
		d.reg = NewRegistry()
	}
	if opt.PersonNames != nil {
		reg := *d.reg
		reg.recs = append(append([]Recognizer(nil), reg.recs...), NewPersonNameRecognizer(opt.PersonNames))
		d.reg = &reg
	}
	if opt.PHIModel != nil {
		reg := *d.reg
		reg.recs = append(append([]Recognizer(nil), reg.recs...), NewPHIModelRecognizer(opt.PHIModel))
		d.reg = &reg
	}
	for l, m := range opt.Modes {
		if _, ok := Tags[l]; !ok {
			return nil, fmt.Errorf("deid: unknown entity type %q in modes", l)
		}
		d.mode[l] = m
	}
	return d, nil
}

func (d *Deidentifier) Name() string    { return "deid" }
func (d *Deidentifier) Version() string { return Version }

// Detect returns the identifier spans of text (code-point offsets). patient
// is accepted for symmetry with Process and future per-patient recognizers.
func (d *Deidentifier) Detect(text string, patient string) ([]Span, error) {
	_ = patient
	return d.reg.detect(newDoc(text))
}

// LogName is how the runner's logs name a note this stage could not
// de-identify: its keyed reference, never the archive's note id. (Its dead
// letter keeps the raw note id, archive file and line, so that the vendor
// can find the record; see Process.)
func (d *Deidentifier) LogName(n *note.Note) string { return NoteRef(d.key, n.NoteID) }

// Process de-identifies n in place: the text, the visit date, the patient
// id (a keyed pseudonym), the archive file path (FilePseudonym) and the note
// id (NoteRef). On any error n is left untouched, so that the dead letter
// names the raw record (note id, archive file and line) for the vendor.
func (d *Deidentifier) Process(ctx context.Context, n *note.Note) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	scope := patientScope(n.SourcePatientID, n.NoteID)
	off := DateOffset(d.key, scope)
	visit := ""
	refYear := 0
	if n.VisitDate != "" {
		v, err := shiftVisitDate(n.VisitDate, off)
		if err != nil {
			return stage.BadInput("deid: %v", err)
		}
		visit = v
		refYear, _ = strconv.Atoi(n.VisitDate[:4])
	}
	text, counts, err := d.apply(n.Text, scope, off, refYear)
	if err != nil {
		return fmt.Errorf("deid: %w", err)
	}
	if leaks := leakCheck(text); len(leaks) > 0 {
		return stage.BadInput("leak guard: %s", describeLeaks(leaks))
	}
	n.Text = text
	n.VisitDate = visit
	if n.SourcePatientID != "" {
		n.PatientID = PatientPseudonym(d.key, n.SourcePatientID)
	} else {
		n.PatientID = NotePseudonym(d.key, n.NoteID)
	}
	n.SourcePatientID = ""
	if n.Source.File != "" {
		n.Source.File = FilePseudonym(d.key, n.Source.File)
	}
	// The archive's note id can be a record number (住院号): from here on the
	// note is named only by its keyed reference, in messages, logs, dead
	// letters of later stages, the output, the index and the review app.
	n.NoteID = NoteRef(d.key, n.NoteID)
	// layers computed on raw text point into text that no longer exists and
	// may quote identifiers: drop them.
	n.Tokens, n.Entities, n.Diagnoses, n.Measurements, n.Procedures, n.Medications = nil, nil, nil, nil, nil, nil
	n.Deid = counts
	return nil
}

func describeLeaks(leaks map[string]int) string {
	var parts []string
	for t, c := range leaks {
		parts = append(parts, fmt.Sprintf("%s remains (%d)", t, c))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// apply detects and replaces identifiers in text; it returns the new text and
// the count of replaced spans per type.
func (d *Deidentifier) apply(text, scope string, off, refYear int) (string, map[string]int, error) {
	dc := newDoc(text)
	spans, err := d.reg.detect(dc)
	if err != nil {
		return "", nil, err
	}
	counts := map[string]int{}
	var b strings.Builder
	b.Grow(len(text) + len(spans)*8)
	last := 0 // byte offset into text
	orig := text
	// code point -> byte offsets of the original text equal those of norm
	// only where runes were not folded, so walk the original separately.
	ob := runeByteOffsets(orig)
	for _, s := range spans {
		b.WriteString(orig[last:ob[s.Start]])
		o := orig[ob[s.Start]:ob[s.End]]
		b.WriteString(d.replacement(s.Label, o, scope, off, refYear))
		counts[s.Label]++
		last = ob[s.End]
	}
	b.WriteString(orig[last:])
	if len(counts) == 0 {
		counts = nil
	}
	return b.String(), counts, nil
}

func runeByteOffsets(s string) []int {
	offs := make([]int, 0, len(s)+1)
	for i := range s {
		offs = append(offs, i)
	}
	return append(offs, len(s))
}

// replacement returns what a span of label with original text o becomes.
func (d *Deidentifier) replacement(label, o, scope string, off, refYear int) string {
	switch label {
	case Date:
		if !d.opt.NoDateShift {
			if s, ok := shiftDate(o, off, refYear); ok {
				return s
			}
		}
		return Tags[Date]
	case DateOfBirth:
		if !d.opt.NoDateShift {
			if y, oy, cn, ok := birthYear(o, off); ok {
				visitYear := refYear
				if visitYear == 0 {
					visitYear = time.Now().Year()
				}
				if visitYear-oy < 90 {
					if cn {
						return strconv.Itoa(y) + "年"
					}
					return strconv.Itoa(y)
				}
			}
		}
		return Tags[DateOfBirth]
	}
	if d.mode[label] == Surrogate {
		return surrogate(d.key, scope, label, o)
	}
	return Tags[label]
}
