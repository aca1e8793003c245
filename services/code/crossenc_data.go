package code

// RankedCandidate is one candidate name of a diagnosis text with the
// re-ranker's probability.
type RankedCandidate struct {
	Name string
	P    float64
}

// Ranked is what the re-ranker r sees of a whole diagnosis text (a
// CHIP-CDN record): exact is the name when the text is itself a lexicon key
// (normalize skips the re-ranker then), else ranked lists the candidates,
// best first. With leaveOut, the record's own contribution (text and gold)
// is left out of r's train statistics, as in training: for listing the
// candidates of records r was trained on.
func (c *Coder) Ranked(r *Reranker, rec CDNRecord, leaveOut bool) (exact string, ranked []RankedCandidate) {
	rs := []rune(rec.Text)
	if t := c.dict.lexicon[fold(rec.Text)]; t != nil {
		return t.Name, nil
	}
	var o *own
	if leaveOut {
		o = r.stats.ownOf(cdnExample{Text: rec.Text, Gold: rec.Normalized})
	}
	for _, s := range c.scoreOwn(r, rs, 0, len(rs), o) {
		ranked = append(ranked, RankedCandidate{Name: s.cd.name, P: s.p})
	}
	return "", ranked
}

// CrossEncoderErrors counts the cross-encoder runs that failed since the
// process started (Process fails such a note, so the runner redelivers it;
// Diagnose alone codes the item with the re-ranker's scores).
func (c *Coder) CrossEncoderErrors() int64 { return c.ceErrors.Load() }
