package code

import (
	"fmt"
	"io"
	"strings"

	"bingli/services/jsonl"
)

// CDNRecord is one CHIP-CDN (CBLUE) record: a raw diagnosis string and its
// gold standard names (dictionary names, a few of them not in v601).
type CDNRecord struct {
	Text       string   `json:"text"`
	Normalized []string `json:"normalized"`
}

// ReadCDN reads CHIP-CDN JSONL records.
func ReadCDN(r io.Reader) ([]CDNRecord, error) {
	var out []CDNRecord
	err := jsonl.Each(r, func(_ int, rec *CDNRecord) error {
		out = append(out, *rec)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("CHIP-CDN %w", err)
	}
	return out, nil
}

// CDNReport is the CHIP-CDN set-level evaluation: per record, the set of
// predicted standard names against the gold set, micro-averaged. Gold names
// that are not dictionary names stay in the gold counts. It holds counts
// only, never text.
type CDNReport struct {
	Records   int
	TP        int
	Predicted int
	Gold      int
	Uncoded   int // records for which nothing was emitted
	Exact     int // records whose predicted set equals the gold set
}

func (r CDNReport) Precision() float64 { return ratio(r.TP, r.Predicted) }
func (r CDNReport) Recall() float64    { return ratio(r.TP, r.Gold) }
func (r CDNReport) F1() float64 {
	p, rc := r.Precision(), r.Recall()
	if p+rc == 0 {
		return 0
	}
	return 2 * p * rc / (p + rc)
}

// String renders the report; its last line is "f1=0.XXXX".
func (r CDNReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "records=%d gold=%d predicted=%d tp=%d uncoded_records=%d exact_sets=%.4f\n",
		r.Records, r.Gold, r.Predicted, r.TP, r.Uncoded, ratio(r.Exact, r.Records))
	fmt.Fprintf(&b, "precision=%.4f recall=%.4f\n", r.Precision(), r.Recall())
	fmt.Fprintf(&b, "f1=%.4f", r.F1())
	return b.String()
}

// add scores one record's predicted names.
func (r *CDNReport) add(pred, gold []string) {
	r.Records++
	g := map[string]bool{}
	for _, x := range gold {
		g[x] = true
	}
	p := map[string]bool{}
	for _, x := range pred {
		p[x] = true
	}
	r.Gold += len(g)
	r.Predicted += len(p)
	if len(p) == 0 {
		r.Uncoded++
	}
	tp := 0
	for x := range p {
		if g[x] {
			tp++
		}
	}
	r.TP += tp
	if tp == len(g) && tp == len(p) {
		r.Exact++
	}
}

// EvaluateCDN normalises each record's whole text as one diagnosis (as the
// code stage does with one diagnosis-list item) and scores the names.
func EvaluateCDN(recs []CDNRecord, c *Coder) CDNReport {
	var rep CDNReport
	for _, rec := range recs {
		rep.add(c.normalizedNames(rec.Text), rec.Normalized)
	}
	return rep
}

// normalizedNames are the distinct standard names coded for text.
func (c *Coder) normalizedNames(text string) []string {
	rs := []rune(text)
	var names []string
	seen := map[string]bool{}
	for _, cd := range c.normalize(rs, 0, len(rs)) {
		if cd.t != nil && !seen[cd.t.Name] {
			seen[cd.t.Name] = true
			names = append(names, cd.t.Name)
		}
	}
	return names
}
