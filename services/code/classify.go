package code

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"bingli/services/jsonl"
	"bingli/services/note"
)

// Classify decides the assertion and eye of the mention text[start:end]
// (code points), wherever it stands: in a diagnosis list (its item is the
// cue context) or in running text (its sentence). It is what Diagnose does
// for the mentions it finds, given a span found by someone else: an
// annotator, or the NER model's DISEASE and SYMPTOM entities. Systemic
// diagnoses (by the dictionary code of the mention) get no eye.
func (c *Coder) Classify(text string, start, end int) (note.Assertion, note.Eye) {
	rs := []rune(text)
	if start < 0 || end > len(rs) || start >= end {
		return note.Present, note.EyeNone
	}
	kind, cs, ce := sectionText, start, end
	for _, s := range sections(rs) {
		if start < s.start || start >= s.end {
			continue
		}
		kind = s.kind
		if s.kind == sectionList {
			ls, le := listRegion(rs, s)
			for _, it := range listItems(rs, ls, le) {
				if start >= it[0] && end <= it[1] {
					cs, ce = it[0], it[1]
				}
			}
			if cs != start || ce != end {
				break
			}
			kind = sectionText // the running text after the list
		}
		cs, ce = sentence(rs, cs, ce, s.start, s.end)
		break
	}
	a := assertionOf(rs, start, end, cs, ce, kind)
	codes := c.codesOf(rs, start, end)
	if len(codes) > 0 && !ocular(codes) {
		return a, note.EyeNone
	}
	return a, eyeOf(rs, start, end, cs, ce)
}

// codesOf is the codes of the mention itself when it is a dictionary name
// or synonym (after trimming cues and qualifiers), else nil. Re-ranker
// guesses do not decide that a mention is systemic: trained on CHIP-CDN
// diagnosis strings, they code bare eye findings (异物感, 肿胀, 突出) as
// systemic conditions and would take their eye away.
func (c *Coder) codesOf(rs []rune, start, end int) []codeRef {
	if t := c.exactTerm(rs, start, end); t != nil {
		return t.Codes
	}
	return nil
}

// ClassReport is the accuracy of assertion and eye on gold mentions, per
// gold class.
type ClassReport struct {
	Mentions                     int
	AssertionOK, EyeOK           int
	AssertionByClass, EyeByClass map[string][2]int // class -> {correct, gold}
}

func (r ClassReport) AssertionAccuracy() float64 { return ratio(r.AssertionOK, r.Mentions) }
func (r ClassReport) EyeAccuracy() float64       { return ratio(r.EyeOK, r.Mentions) }

func (r ClassReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mentions=%d\n", r.Mentions)
	for _, part := range []struct {
		name string
		m    map[string][2]int
	}{{"assertion", r.AssertionByClass}, {"eye", r.EyeByClass}} {
		var classes []string
		for k := range part.m {
			classes = append(classes, k)
		}
		sort.Strings(classes)
		for _, k := range classes {
			v := part.m[k]
			fmt.Fprintf(&b, "%-9s %-9s gold=%-4d correct=%-4d accuracy=%.4f\n", part.name, k, v[1], v[0], ratio(v[0], v[1]))
		}
	}
	fmt.Fprintf(&b, "assertion_acc=%.4f eye_acc=%.4f", r.AssertionAccuracy(), r.EyeAccuracy())
	return b.String()
}

// assertionGold is a hand-annotated note: mentions with their gold assertion
// and eye (services/code/testdata/ophthalmic_assertions.jsonl).
type assertionGold struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Diagnoses []struct {
		Start     int     `json:"start"`
		End       int     `json:"end"`
		Text      string  `json:"text"`
		Eye       *string `json:"eye"`
		Assertion string  `json:"assertion"`
	} `json:"diagnoses"`
}

// EvaluateAssertions classifies every gold mention of the JSONL stream with
// Classify; keep selects notes by id (nil keeps all).
func EvaluateAssertions(r io.Reader, c *Coder, keep func(id string) bool) (ClassReport, error) {
	rep := ClassReport{AssertionByClass: map[string][2]int{}, EyeByClass: map[string][2]int{}}
	err := jsonl.Each(r, func(line int, g *assertionGold) error {
		if keep != nil && !keep(g.ID) {
			return nil
		}
		rs := []rune(g.Text)
		for _, m := range g.Diagnoses {
			if m.Start < 0 || m.End > len(rs) || m.Start >= m.End || string(rs[m.Start:m.End]) != m.Text {
				return fmt.Errorf("line %d (%s): mention offsets do not select %q", line, g.ID, m.Text)
			}
			a, e := c.Classify(g.Text, m.Start, m.End)
			goldEye := "none"
			if m.Eye != nil {
				goldEye = *m.Eye
			}
			gotEye := string(e)
			if gotEye == "" {
				gotEye = "none"
			}
			rep.Mentions++
			tally(rep.AssertionByClass, m.Assertion, string(a) == m.Assertion, &rep.AssertionOK)
			tally(rep.EyeByClass, goldEye, gotEye == goldEye, &rep.EyeOK)
		}
		return nil
	})
	return rep, err
}

func tally(m map[string][2]int, class string, ok bool, total *int) {
	v := m[class]
	v[1]++
	if ok {
		v[0]++
		*total++
	}
	m[class] = v
}
