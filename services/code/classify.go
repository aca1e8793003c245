package code

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"bingli/services/jsonl"
	"bingli/services/laterality"
	"bingli/services/note"
)

// Classify decides the assertion and eye of the mention text[start:end]
// (code points), wherever it stands: in a diagnosis list (its item is the
// cue context) or in running text (its sentence). Diagnose decides every
// mention it codes the same way (classify), so the hand-annotated sets
// that score Classify measure what the pipeline emits. Systemic diagnoses
// (by the dictionary code of the mention) get no eye.
func (c *Coder) Classify(text string, start, end int) (note.Assertion, note.Eye) {
	rs := []rune(text)
	return c.classify(rs, sections(rs), start, end)
}

// classify is Classify over the note's runes and sections (computed once
// per note by Diagnose, which decides every mention it codes this way).
func (c *Coder) classify(rs []rune, secs []section, start, end int) (note.Assertion, note.Eye) {
	if start < 0 || end > len(rs) || start >= end {
		return note.Present, note.EyeNone
	}
	kind, cs, ce := sectionText, start, end
	var items [][2]int // the diagnosis list holding the mention
	header := ""
	for _, s := range secs {
		if start < s.start || start >= s.end {
			continue
		}
		kind, header = s.kind, s.header
		if s.kind == sectionList {
			ls, le := listRegion(rs, s)
			all := listItems(rs, ls, le)
			for _, it := range all {
				if start >= it[0] && end <= it[1] {
					cs, ce, items = it[0], it[1], all
				}
			}
			if items != nil {
				break
			}
			kind = sectionText // the running text after the list
		}
		cs, ce = sentence(rs, cs, ce, s.start, s.end)
		if its := numberedItems(rs, cs, ce); its != nil {
			// a numbered list in running text (会诊意见：1.… 2.…)
			for _, it := range its {
				if start >= it[0] && end <= it[1] {
					cs, ce, items = it[0], it[1], its
				}
			}
		}
		break
	}
	a := assertionOf(rs, start, end, cs, ce, kind)
	if a == note.Present && strings.HasPrefix(header, "鉴别") {
		a = note.Possible // 鉴别诊断：X — a differential, not a finding
	}
	if a == note.Family {
		return a, note.EyeNone // a relative's eye is not the patient's
	}
	codes := c.codesOf(rs, start, end)
	if len(codes) > 0 && !ocular(codes) {
		return a, note.EyeNone
	}
	e := eyeOf(rs, start, end, cs, ce)
	if e == note.EyeNone && items != nil && a != note.Negated && (len(codes) > 0 || laterality.Ocular(string(rs[start:end]))) {
		e = impliedEye(rs, start, end, items)
	}
	return a, e
}

// numberedItems splits the sentence [cs, ce) at its item numbers when it
// holds some (超声提示：1.右眼玻璃体积血 2.右眼视网膜脱离待排: 待排 is item 2's
// alone); nil when it holds none.
func numberedItems(rs []rune, cs, ce int) [][2]int {
	var out [][2]int
	for i := cs; i < ce; i++ {
		if !itemAt(rs, i) {
			continue
		}
		if len(out) > 0 {
			out[len(out)-1][1] = i
		}
		out = append(out, [2]int{i + itemNumberLen(rs, i), ce})
	}
	return out
}

// impliedEye is the eye in which the note places a diagnosis-list item
// that names none (and is not ruled out): the eye its other mentions in the
// note have when they all agree, else the one eye the chief complaint (主诉)
// names (主诉：右眼视物模糊2年 … 诊断：1.年龄相关性白内障 → right), else the
// eye its list's other items name when they agree (1.视网膜色素变性 OU
// 2.并发性白内障 OU 3.黄斑囊样水肿待排 → both).
func impliedEye(rs []rune, start, end int, items [][2]int) note.Eye {
	word := string(rs[start:end])
	found := note.EyeNone
	for i := 0; i+len(rs[start:end]) <= len(rs); i++ {
		if i == start || string(rs[i:i+end-start]) != word {
			continue
		}
		cs, ce := sentence(rs, i, i+end-start, 0, len(rs))
		for _, it := range numberedItems(rs, cs, ce) {
			if i >= it[0] && i < it[1] {
				cs, ce = it[0], it[1]
			}
		}
		var ok bool
		if found, ok = agreeingEye(found, eyeOf(rs, i, i+end-start, cs, ce)); !ok {
			return note.EyeNone
		}
	}
	if found != note.EyeNone {
		return found
	}
	if e := complaintEye(rs); e != note.EyeNone {
		return e
	}
	for _, it := range items {
		if start >= it[0] && start < it[1] {
			continue
		}
		var ok bool
		if found, ok = agreeingEye(found, eyeIn(rs[it[0]:it[1]], false)); !ok {
			return note.EyeNone
		}
	}
	return found
}

// agreeingEye folds one more eye into the eye found so far (none adds
// nothing); ok is false when the two disagree.
func agreeingEye(found, e note.Eye) (note.Eye, bool) {
	switch {
	case e == note.EyeNone || e == found:
		return found, true
	case found == note.EyeNone:
		return e, true
	}
	return note.EyeNone, false
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
