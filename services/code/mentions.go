package code

import (
	"sort"
	"strings"

	"bingli/services/note"
)

// coding is one normalised span: t nil means uncoded.
type coding struct {
	start, end int
	t          *term
	score      float64
}

// mention is a diagnosis found in the text with the context its cues are
// read from: the list item, or the sentence in running text.
type mention struct {
	ctxStart, ctxEnd int
	kind             sectionKind
	codings          []coding
}

// mentions finds the diagnoses of rs, whose sections are secs.
func (c *Coder) mentions(rs []rune, secs []section) []mention {
	var out []mention
	for _, s := range secs {
		switch s.kind {
		case sectionSkip:
			// Examination findings are no diagnoses, but an explicit "no
			// sign of" one (未见霍纳综合征表现) is a negated diagnosis.
			for _, m := range c.textMentions(rs, s.start, s.end, s.kind) {
				cd := m.codings[0]
				if assertionOf(rs, cd.start, cd.end, m.ctxStart, m.ctxEnd, s.kind) == note.Negated {
					out = append(out, m)
				}
			}
		case sectionList:
			ls, le := listRegion(rs, s)
			for _, it := range listItems(rs, ls, le) {
				// 可疑青光眼 is a diagnosis (glaucoma suspect), not a
				// possible glaucoma: a dictionary term keeps its cue words.
				if st, en := trimEye(rs, it[0], it[1]); en > st {
					if t := c.dict.lexicon[fold(string(rs[st:en]))]; t != nil {
						out = append(out, mention{ctxStart: it[0], ctxEnd: it[1], kind: sectionList, codings: []coding{{start: st, end: en, t: t, score: 1}}})
						continue
					}
				}
				st, en := trimCues(rs, it[0], it[1])
				if en-st < 2 || !looksLikeDiagnosis(rs[st:en]) {
					continue
				}
				out = append(out, mention{ctxStart: it[0], ctxEnd: it[1], kind: sectionList, codings: c.codeSpan(rs, st, en, true)})
			}
			out = append(out, c.textMentions(rs, le, s.end, sectionText)...)
		default:
			out = append(out, c.textMentions(rs, s.start, s.end, s.kind)...)
		}
	}
	return out
}

// looksLikeDiagnosis rejects list items that are no diagnosis: numbers,
// punctuation, "同上", "无".
func looksLikeDiagnosis(rs []rune) bool {
	han := 0
	for _, r := range rs {
		if isHan(r) || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			han++
		}
	}
	if han < 2 {
		return false
	}
	switch string(rs) {
	case "同上", "无", "暂无", "待定", "不详", "未明":
		return false
	}
	return true
}

// procedureWords after a disease name make it part of a procedure name
// (白内障超声乳化吸除术, 青光眼小梁切除术), not a diagnosis.
var procedureWords = []string{"手术", "超声乳化", "乳化", "摘除", "切除", "吸除", "植入", "激光", "光凝", "注药", "注射", "玻切", "复位", "引流", "小梁", "滤过", "术"}

// textMentions finds dictionary matches in running text rs[start:end].
func (c *Coder) textMentions(rs []rune, start, end int, kind sectionKind) []mention {
	var out []mention
	for i := start; i < end; {
		n, t := c.trie.longest(rs, i, end)
		if n == 0 {
			i++
			continue
		}
		if !c.textGuard(rs, i, i+n, end) {
			i++
			continue
		}
		cs, ce := sentence(rs, i, i+n, start, end)
		out = append(out, mention{ctxStart: cs, ctxEnd: ce, kind: kind, codings: []coding{{start: i, end: i + n, t: t, score: 1}}})
		i += n
	}
	return out
}

// textGuard rejects matches that are part of another word or a procedure.
func (c *Coder) textGuard(rs []rune, s, e, limit int) bool {
	after := string(rs[e:min(limit, e+14)])
	if k := strings.IndexAny(after, "，,。；;、\n"); k >= 0 {
		after = after[:k]
	}
	// 近视力 (near visual acuity), 青光眼科 (a clinic), 糖尿病筛查.
	for _, w := range []string{"力", "科", "门诊", "筛查", "专科", "药", "度"} {
		if strings.HasPrefix(after, w) {
			return false
		}
	}
	if s > 0 && (rs[s-1] == '抗' || rs[s-1] == '防') {
		return false
	}
	if strings.HasPrefix(after, "术后") {
		return true
	}
	for _, w := range procedureWords {
		if strings.Contains(after, w) {
			return false
		}
	}
	return true
}

// connectors split a compound diagnosis into parts.
var connectors = []string{"伴有", "伴", "合并", "并发", "并", "及", "和", "与"}

// codeSpan normalises rs[s:e]. list says the span is a whole list item (it
// may be a compound of several diagnoses).
func (c *Coder) codeSpan(rs []rune, s, e int, list bool) []coding {
	if t := c.exactTerm(rs, s, e); t != nil {
		return []coding{{start: s, end: e, t: t, score: 1}}
	}
	if c.rr != nil {
		return c.rerankSpan(rs, s, e)
	}
	keys := lookupKeys(string(rs[s:e]))
	if list {
		if parts := c.cover(rs, s, e); len(parts) > 1 {
			return parts
		}
	}
	best := c.retrieve(keys[len(keys)-1])
	if best.t != nil && best.score >= c.threshold {
		return []coding{{start: s, end: e, t: best.t, score: best.score}}
	}
	if list {
		if parts := c.splitConnectors(rs, s, e); len(parts) > 1 {
			return parts
		}
	}
	return []coding{{start: s, end: e, score: best.score}}
}

// exactTerm is the lexicon term of rs[s:e] (itself, without bracketed
// qualifiers or stage words), or nil.
func (c *Coder) exactTerm(rs []rune, s, e int) *term {
	for _, k := range lookupKeys(string(rs[s:e])) {
		if t := c.dict.lexicon[k]; t != nil {
			return t
		}
	}
	return nil
}

// rerankSpan codes rs[s:e] with the learned re-ranker: every name whose
// probability reaches the threshold (the best one alone when none does but
// it reaches the top threshold), on the span of its dictionary match
// inside the text when there is one. Nothing emitted: one uncoded coding.
func (c *Coder) rerankSpan(rs []rune, s, e int) []coding {
	if c.memo == nil {
		return c.rerankSpanUncached(rs, s, e)
	}
	return c.memo.get(string(rs[s:e]), s, func() ([]coding, bool) {
		failed := c.ceErrors.Load()
		out := c.rerankSpanUncached(rs, s, e)
		return out, c.ceErrors.Load() == failed // a cross-encoder failure is not remembered
	})
}

func (c *Coder) rerankSpanUncached(rs []rune, s, e int) []coding {
	ranked := c.score(c.rr, rs, s, e)
	keep := decide(ranked, c.threshold, min(c.threshold, c.topThreshold))
	if len(keep) == 0 {
		var p float64
		if len(ranked) > 0 {
			p = ranked[0].p
		}
		return []coding{{start: s, end: e, score: p}}
	}
	out := make([]coding, 0, len(keep))
	for _, k := range keep {
		cd := coding{start: s, end: e, t: k.cd.t, score: k.p}
		if k.cd.subStart >= 0 {
			cd.start, cd.end = k.cd.subStart, k.cd.subEnd
		}
		out = append(out, cd)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// normalize codes rs[s:e] as one whole diagnosis string (a CHIP-CDN
// record). With the re-ranker, only a text that is itself a lexicon key
// skips it: trimming cues first would lose what they say (…术后 is a name
// of its own in v601), which the re-ranker reads.
func (c *Coder) normalize(rs []rune, s, e int) []coding {
	if c.rr == nil {
		a, b := trimCues(rs, s, e)
		if b <= a {
			return nil
		}
		return c.codeSpan(rs, a, b, true)
	}
	if t := c.dict.lexicon[fold(string(rs[s:e]))]; t != nil {
		return []coding{{start: s, end: e, t: t, score: 1}}
	}
	return c.rerankSpan(rs, s, e)
}

// retrieve returns the best retrieved term for a folded key.
func (c *Coder) retrieve(key string) coding {
	cands := c.ix.search(key, 5)
	if len(cands) == 0 {
		return coding{}
	}
	// Among near-ties prefer the more literal term (synonym, then name).
	best := cands[0]
	for _, cd := range cands[1:] {
		if cd.score < best.score-1e-6 {
			break
		}
		if c.dict.docs[cd.doc].term.Rank < c.dict.docs[best.doc].term.Rank {
			best = cd
		}
	}
	return coding{t: c.dict.docs[best.doc].term, score: best.score}
}

// cover splits rs[s:e] into dictionary terms (longest match first) when
// they cover it except for connector and filler characters.
func (c *Coder) cover(rs []rune, s, e int) []coding {
	var parts []coding
	for i := s; i < e; {
		n, t := c.trie.longest(rs, i, e)
		if n == 0 {
			if !isFiller(rs[i]) {
				return nil
			}
			i++
			continue
		}
		parts = append(parts, coding{start: i, end: i + n, t: t, score: 1})
		i += n
	}
	return parts
}

func isFiller(r rune) bool {
	return strings.ContainsRune("伴并及和与合发有、，,;；:： /\\+", r)
}

// splitConnectors codes the parts of "A伴B" when every part codes.
func (c *Coder) splitConnectors(rs []rune, s, e int) []coding {
	text := string(rs[s:e])
	for _, conn := range connectors {
		i := strings.Index(text, conn)
		if i <= 0 {
			continue
		}
		ls := s + len([]rune(text[:i]))
		rsStart := ls + len([]rune(conn))
		if rsStart >= e {
			continue
		}
		var out []coding
		for _, p := range [][2]int{{s, ls}, {rsStart, e}} {
			ps, pe := trimCues(rs, p[0], p[1])
			if pe-ps < 2 {
				return nil
			}
			sub := c.codeSpan(rs, ps, pe, false)
			for _, x := range sub {
				if x.t == nil {
					return nil
				}
			}
			out = append(out, sub...)
		}
		return out
	}
	return nil
}
