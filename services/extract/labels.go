package extract

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Product entity labels.
const (
	LabelDisease    = "DISEASE"
	LabelSymptom    = "SYMPTOM"
	LabelDrug       = "DRUG"
	LabelExam       = "EXAM"
	LabelLab        = "LAB"
	LabelProcedure  = "PROCEDURE"
	LabelBody       = "BODY"
	LabelEquipment  = "EQUIPMENT"
	LabelMicrobe    = "MICROBE"
	LabelDepartment = "DEPARTMENT"
)

// CorpusLabels maps the labels of the corpora we train and evaluate on
// (CCKS 2019 / Yidu-S4K and CMeEE) to product labels. Product labels map
// to themselves.
var CorpusLabels = map[string]string{
	// CCKS 2019
	"疾病和诊断": LabelDisease,
	"影像检查":  LabelExam,
	"实验室检验": LabelLab,
	"手术":    LabelProcedure,
	"药物":    LabelDrug,
	"解剖部位":  LabelBody,
	// CMeEE
	"dis": LabelDisease,
	"sym": LabelSymptom,
	"dru": LabelDrug,
	"equ": LabelEquipment,
	"pro": LabelProcedure,
	"bod": LabelBody,
	"ite": LabelLab,
	"mic": LabelMicrobe,
	"dep": LabelDepartment,
}

// ProductLabel maps a corpus or product label to a product label.
func ProductLabel(l string) (string, bool) {
	if p, ok := CorpusLabels[l]; ok {
		return p, true
	}
	for _, p := range CorpusLabels {
		if p == l {
			return p, true
		}
	}
	return "", false
}

// CCKSLabels are the product labels of the CCKS 2019 corpus, sorted.
var CCKSLabels = []string{LabelBody, LabelDisease, LabelDrug, LabelExam, LabelLab, LabelProcedure}

// Span is a labelled code-point range [Start, End).
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Label string `json:"label"`
	Text  string `json:"text,omitempty"`
}

// TagSet is a model's tag inventory (labels.json): "O" then, for each
// label, its B-/I-(/E-/S-) tags.
type TagSet struct {
	Scheme string   // BIO or BIOES
	Labels []string // product labels, in tag order
	Tags   []string
	index  map[string]int
}

// NewTagSet builds the tag set of labels (kept in the order given).
func NewTagSet(labels []string, scheme string) (*TagSet, error) {
	var prefixes []string
	switch scheme {
	case "BIO":
		prefixes = []string{"B", "I"}
	case "BIOES":
		prefixes = []string{"B", "I", "E", "S"}
	default:
		return nil, fmt.Errorf("tag scheme %q: want BIO or BIOES", scheme)
	}
	tags := []string{"O"}
	for _, l := range labels {
		for _, p := range prefixes {
			tags = append(tags, p+"-"+l)
		}
	}
	return tagSetFromTags(tags)
}

// labelsFile is labels.json.
type labelsFile struct {
	Scheme string   `json:"scheme"`
	Tags   []string `json:"tags"`
}

// MarshalJSON writes labels.json.
func (ts *TagSet) MarshalJSON() ([]byte, error) {
	return json.Marshal(labelsFile{Scheme: ts.Scheme, Tags: ts.Tags})
}

// ParseTagSet reads labels.json.
func ParseTagSet(b []byte) (*TagSet, error) {
	var f labelsFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("labels.json: %w", err)
	}
	ts, err := tagSetFromTags(f.Tags)
	if err != nil {
		return nil, err
	}
	if f.Scheme != ts.Scheme {
		return nil, fmt.Errorf("labels.json: scheme %q, tags are %s", f.Scheme, ts.Scheme)
	}
	return ts, nil
}

func tagSetFromTags(tags []string) (*TagSet, error) {
	if len(tags) == 0 || tags[0] != "O" {
		return nil, fmt.Errorf("tags: first tag must be O")
	}
	ts := &TagSet{Tags: tags, index: map[string]int{}, Scheme: "BIO"}
	seen := map[string]bool{}
	for i, t := range tags {
		if _, dup := ts.index[t]; dup {
			return nil, fmt.Errorf("tags: %q repeated", t)
		}
		ts.index[t] = i
		if i == 0 {
			continue
		}
		p, l, ok := strings.Cut(t, "-")
		if !ok || !strings.Contains("BIES", p) || len(p) != 1 || l == "" {
			return nil, fmt.Errorf("tags: %q is not P-LABEL with P in B, I, E, S", t)
		}
		if p == "E" || p == "S" {
			ts.Scheme = "BIOES"
		}
		if !seen[l] {
			seen[l] = true
			ts.Labels = append(ts.Labels, l)
		}
	}
	for _, l := range ts.Labels {
		for _, p := range strings.Split(map[string]string{"BIO": "B I", "BIOES": "B I E S"}[ts.Scheme], " ") {
			if _, ok := ts.index[p+"-"+l]; !ok {
				return nil, fmt.Errorf("tags: %s scheme but %s-%s missing", ts.Scheme, p, l)
			}
		}
	}
	return ts, nil
}

// HasLabel reports whether the tag set can produce label l.
func (ts *TagSet) HasLabel(l string) bool { _, ok := ts.index["B-"+l]; return ok }

// Encode returns the tag id of each of n characters for spans, which must
// be inside [0, n), labelled with labels of the set and not overlap.
func (ts *TagSet) Encode(n int, spans []Span) []int64 {
	out := make([]int64, n)
	for _, s := range spans {
		if ts.Scheme == "BIOES" && s.End-s.Start == 1 {
			out[s.Start] = int64(ts.index["S-"+s.Label])
			continue
		}
		out[s.Start] = int64(ts.index["B-"+s.Label])
		for k := s.Start + 1; k < s.End; k++ {
			out[k] = int64(ts.index["I-"+s.Label])
		}
		if ts.Scheme == "BIOES" {
			out[s.End-1] = int64(ts.index["E-"+s.Label])
		}
	}
	return out
}

// Decode turns tag ids into spans. It is lenient, the way conlleval is: a
// span starts at B or S, or at an I/E whose label differs from the open
// span's; it ends at E, S, O or a label change.
func (ts *TagSet) Decode(tags []int) []Span {
	var out []Span
	open := -1
	label := ""
	closeAt := func(end int) {
		if open >= 0 {
			out = append(out, Span{Start: open, End: end, Label: label})
		}
		open, label = -1, ""
	}
	for i, id := range tags {
		if id <= 0 || id >= len(ts.Tags) {
			closeAt(i)
			continue
		}
		p, l, _ := strings.Cut(ts.Tags[id], "-")
		switch p {
		case "B":
			closeAt(i)
			open, label = i, l
		case "S":
			closeAt(i)
			out = append(out, Span{Start: i, End: i + 1, Label: l})
		case "I", "E":
			if open < 0 || label != l {
				closeAt(i)
				open, label = i, l
			}
			if p == "E" {
				closeAt(i + 1)
			}
		}
	}
	closeAt(len(tags))
	return out
}

// nonOverlapping keeps, of spans sorted by (start, end), the ones that do
// not overlap an earlier kept span, preferring the longer of spans that
// start together (CMeEE nests entities; a flat tagger sees the outer ones).
func nonOverlapping(spans []Span) (kept []Span, dropped int) {
	s := append([]Span(nil), spans...)
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Start != s[j].Start {
			return s[i].Start < s[j].Start
		}
		return s[i].End > s[j].End
	})
	end := -1
	for _, x := range s {
		if x.Start < end {
			dropped++
			continue
		}
		kept = append(kept, x)
		end = x.End
	}
	return kept, dropped
}
