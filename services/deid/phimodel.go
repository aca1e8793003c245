package deid

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	phibilstm "bingli/models/deid/phi-bilstm-v1"
	phibilstm2 "bingli/models/deid/phi-bilstm-v2"
	"bingli/services/extract"
)

// PHIModelNames lists the learned PHI taggers the binary embeds (the deid
// parameter phi_model; "none" runs without one), the default first, and
// their ensemble (PHIEnsemble: both taggers, the union of their spans).
var PHIModelNames = []string{phibilstm2.Name, phibilstm.Name, PHIEnsemble}

// PHIEnsemble runs phi-bilstm-v1 and phi-bilstm-v2 and keeps the spans of
// either: on the development sets heldout9/10/11/13 phi_recall +0.25 to
// +1.1 points over v2 alone, precision −0.5 to −1.6, twice the tagger's CPU
// (models/deid/phi-bilstm-v2/MODEL_CARD.md).
const PHIEnsemble = phibilstm.Name + "+v2"

// embeddedPHIModels holds each embedded tagger's files.
var embeddedPHIModels = map[string]fs.FS{phibilstm2.Name: phibilstm2.FS, phibilstm.Name: phibilstm.FS}

// DefaultPHIModel is the tagger a deid configuration that names none runs
// ("none" turns it off): phi-bilstm-v2, trained on twice the notes of v1 and
// on OCR-like copies (models/deid/phi-bilstm-v2/MODEL_CARD.md).
const DefaultPHIModel = phibilstm2.Name

// DefaultPHIMinScore is the lowest CRF marginal (the least certain character
// of a span) at which a tagger span is kept: 0, every span of the best path,
// and the marginals are not computed (a third of the tagger's CPU). A
// threshold of 0.5 kept the same spans on every gold set but heldout6,
// where it was not tried (bingli eval deid --phi-min-score).
const DefaultPHIMinScore = 0.0

// PHIModel is a learned PHI tagger: a character BiLSTM-CRF served by the
// extract package's ONNX Runtime and CRF code, with PHI types (NAME,
// ADDRESS, DATE, RECORD_NUMBER, …) as its labels. It is safe for concurrent
// use.
type PHIModel struct {
	exts     []*extract.Extractor // one tagger, or the members of an ensemble
	minScore float64
}

// PHIModelOptions configure LoadPHIModel.
type PHIModelOptions struct {
	// Dir is where the embedded model files are written and loaded from
	// (default: os.TempDir()/bingli-models/deid/NAME). Their sha256 is
	// checked against the manifest on every load.
	Dir string
	// ModelDir loads a model directory from disk instead of an embedded one
	// (a candidate being evaluated).
	ModelDir string
	// Library is the ONNX Runtime shared library ("" resolves it).
	Library string
	// MinScore, when above 0, drops spans whose least certain character
	// has a CRF marginal below it (computing the marginals); 0 keeps the
	// best path's spans (DefaultPHIMinScore).
	MinScore float64
}

// LoadPHIModel loads the embedded tagger name (PHIModelNames), or
// opt.ModelDir when set.
func LoadPHIModel(name string, opt PHIModelOptions) (*PHIModel, error) {
	if name == PHIEnsemble && opt.ModelDir == "" {
		m := &PHIModel{minScore: opt.MinScore}
		for _, member := range []string{phibilstm.Name, phibilstm2.Name} {
			o := opt
			if o.Dir != "" {
				o.Dir = filepath.Join(opt.Dir, member)
			}
			one, err := LoadPHIModel(member, o)
			if err != nil {
				m.Close()
				return nil, err
			}
			m.exts = append(m.exts, one.exts...)
		}
		return m, nil
	}
	dir := opt.ModelDir
	if dir == "" {
		files, ok := embeddedPHIModels[name]
		if !ok {
			return nil, fmt.Errorf("deid phi model %q: want one of %v", name, PHIModelNames)
		}
		dir = opt.Dir
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "bingli-models", "deid", name)
		}
		if err := extract.WriteModelFiles(files, dir); err != nil {
			return nil, fmt.Errorf("deid phi model %s: %w", name, err)
		}
	}
	ext, err := extract.New(extract.Options{ModelDir: dir, Library: opt.Library, NoScores: opt.MinScore <= 0})
	if err != nil {
		return nil, fmt.Errorf("deid phi model %s: %w", name, err)
	}
	return &PHIModel{exts: []*extract.Extractor{ext}, minScore: opt.MinScore}, nil
}

// Model is the tagger's name and the first 12 hex digits of its ONNX
// file's sha256 (an ensemble's members joined by "+").
func (m *PHIModel) Model() string {
	names := make([]string, len(m.exts))
	for i, e := range m.exts {
		names[i] = e.Model()
	}
	return strings.Join(names, "+")
}

// Labels are the PHI types the tagger emits (its members share them).
func (m *PHIModel) Labels() []string { return m.exts[0].Labels() }

// Close releases the ONNX Runtime sessions.
func (m *PHIModel) Close() error {
	var errs []error
	for _, e := range m.exts {
		errs = append(errs, e.Close())
	}
	return errors.Join(errs...)
}

// Find returns the tagger's spans of text (each member's, for an ensemble)
// with a score of at least the model's MinScore (Recognizer "phi-model"),
// less the spans plausible() rejects.
func (m *PHIModel) Find(text string) ([]Span, error) {
	var out []Span
	for _, ext := range m.exts {
		ents, err := ext.Extract(text)
		if err != nil {
			return nil, err
		}
		for _, e := range ents {
			if e.Score < m.minScore || !plausible(e.Label, e.Text) {
				continue
			}
			// A kept tagger span enters at the registry's threshold, so that
			// where it overlaps a rule's span the union takes the rule's label
			// (rules check shapes: an ID's check digit, a date's calendar).
			out = append(out, Span{Start: e.Start, End: e.End, Label: e.Label, Score: phiSpanScore, Recognizer: phiModelRecognizerName})
		}
	}
	return out, nil
}

const (
	phiModelRecognizerName = "phi-model"
	phiSpanScore           = 0.5
)

// phiModelRecognizer runs a PHIModel over the whole note; its spans join
// the rules' (overlaps merge into their union, registry.go). If the model
// fails to run, detection fails and the note is retried, never passed on.
type phiModelRecognizer struct{ m *PHIModel }

// NewPHIModelRecognizer returns the recognizer of a learned PHI tagger
// (Options.PHIModel registers it after the rules and LAC).
func NewPHIModelRecognizer(m *PHIModel) Recognizer { return phiModelRecognizer{m: m} }

func (phiModelRecognizer) Name() string       { return phiModelRecognizerName }
func (r phiModelRecognizer) Labels() []string { return r.m.Labels() }
func (phiModelRecognizer) Context() []string  { return nil }

func (r phiModelRecognizer) find(d *doc, out []Span) []Span {
	spans, err := r.m.Find(d.orig)
	if err != nil {
		d.fail(fmt.Errorf("phi model: %w", err))
		return out
	}
	return append(out, spans...)
}

// NewPHIModelRegistry returns a registry with the tagger alone, no rules:
// for measuring what the model finds by itself (bingli eval deid
// --phi-model-only).
func NewPHIModelRegistry(m *PHIModel) *Registry {
	return &Registry{minScore: 0.5, recs: []Recognizer{NewPHIModelRecognizer(m)}}
}

// plausible rejects tagger spans that cannot be the identifier they are
// labelled as, whatever the context (the tagger reads context well, shapes
// less so):
//   - a NAME that is itself a word of the general (not a person name) or
//     medical dictionary: 哮喘, 透明, 屏幕; or that holds a function word or
//     a character no name is written with (妈妈是, ……);
//   - a DATE that is a year alone (2019年: the rules find written years), a
//     month/day pair that is no calendar date (20/40 is a Snellen
//     fraction), digits that cannot be a date (23.58/23.51, an axial
//     length pair; 119.3), or has neither a digit nor a Chinese character
//     (a form's blank, ________).
func plausible(label, text string) bool {
	switch label {
	case Name:
		return !generalWords()[text] && !medicalWords()[text] && nameShaped(text)
	case Date:
		if yearOnly.MatchString(text) || !strings.ContainsFunc(text, func(r rune) bool { return isHan(r) || r >= '0' && r <= '9' || r >= '０' && r <= '９' }) {
			return false // a year alone; a blank to fill in (________)
		}
		if m := monthDay.FindStringSubmatch(text); m != nil {
			mo, _ := strconv.Atoi(m[1])
			day, _ := strconv.Atoi(m[2])
			return mo >= 1 && mo <= 12 && day >= 1 && day <= 31
		}
		if !strings.ContainsFunc(text, isHan) {
			return numericDate(text)
		}
	}
	return true
}

// notInNames are function words no Chinese personal name is written with
// (是, 的, 了, 这, 谢谢 …): a tagger NAME span holding one took in the words
// around a name (妈妈是, 谢谢蒋, 孩子这).
const notInNames = "是的了吗呢吧啊嗯呀哦着们这被把给吃没很就也已让否"

// nameShaped reports whether a tagger NAME span is written like a name:
// Chinese characters (a middle dot in transliterated names) or Latin
// letters and spaces (Wang Lihua), without a function word or 谢谢.
func nameShaped(text string) bool {
	for _, r := range text {
		switch {
		case isHan(r):
			if strings.ContainsRune(notInNames, r) {
				return false
			}
		case r == '·' || r == '•' || r == '.' || r == ' ' || r == '-' || isLetter(r):
		default:
			return false
		}
	}
	return !strings.Contains(text, "谢谢")
}

// numericDate reports whether a span written in digits and separators alone
// can be a date: a year, month and day (2024.3.5, 24/3/5), a year and month
// (2024-03) or a month and day (3.5), each part in range; not a measure such
// as an axial length pair (23.58/23.51), 119.3 or 2986/3012.
func numericDate(text string) bool {
	var parts []int
	var widths []int
	for _, f := range strings.FieldsFunc(newDoc(text).norm, func(r rune) bool { return r < '0' || r > '9' }) {
		v, err := strconv.Atoi(f)
		if err != nil {
			return false
		}
		parts, widths = append(parts, v), append(widths, len(f))
	}
	year := func(k int) bool {
		return widths[k] == 4 && parts[k] >= 1900 && parts[k] <= 2099 || widths[k] == 2
	}
	switch len(parts) {
	case 1:
		return widths[0] == 8 && validYMD(parts[0]/10000, parts[0]/100%100, parts[0]%100) // 20240305
	case 2:
		return year(0) && widths[0] == 4 && parts[1] >= 1 && parts[1] <= 12 || validYMD(2000, parts[0], parts[1])
	case 3:
		return year(0) && validYMD(2000+parts[0]%100, parts[1], parts[2]) || validYMD(2000+parts[2]%100, parts[1], parts[0])
	}
	return false
}

var (
	yearOnly = regexp.MustCompile(`^\s*(19|20)\d\d\s*年?\s*$`)
	monthDay = regexp.MustCompile(`^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*$`)
)

// Model names the learned PHI tagger the stage runs ("" without one), so
// that each note's provenance records which tagger de-identified it
// (runner.Modeler).
func (d *Deidentifier) Model() string {
	if d.opt.PHIModel == nil {
		return ""
	}
	return d.opt.PHIModel.Model()
}
