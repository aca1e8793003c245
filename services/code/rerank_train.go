package code

import (
	"fmt"
	"math"
)

// TrainConfig are the re-ranker's training hyperparameters.
type TrainConfig struct {
	Hidden int     // hidden units (default 32)
	Epochs int     // passes over the candidate pairs (default 6)
	LR     float64 // Adam step (default 0.003)
	L2     float64 // weight decay (default 1e-5)
	Seed   uint64
	// NoStack trains the first stage only.
	NoStack bool
	// CrossFolds is the number of folds over which the second stage's
	// first-stage scores are cross-fitted (default 2).
	CrossFolds int
	// Members is the number of network pairs trained from seeds Seed,
	// Seed+100, … and averaged (default 1).
	Members int
}

func (c TrainConfig) withDefaults() TrainConfig {
	if c.Hidden == 0 {
		c.Hidden = 32
	}
	if c.Epochs == 0 {
		c.Epochs = 6
	}
	if c.LR == 0 {
		c.LR = 0.003
	}
	if c.L2 == 0 {
		c.L2 = 1e-5
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.Members == 0 {
		c.Members = 1
	}
	return c
}

// TrainStats counts what training saw.
type TrainStats struct {
	Records, Pairs, Positives int
	GoldReachable, Gold       int // gold names among the candidates / all gold names
	Labels, Buckets           int
	FinalLoss                 float64
}

func (s TrainStats) String() string {
	return fmt.Sprintf("records=%d pairs=%d positives=%d candidate_recall=%.4f labels=%d buckets=%d loss=%.4f",
		s.Records, s.Pairs, s.Positives, ratio(s.GoldReachable, s.Gold), s.Labels, s.Buckets, s.FinalLoss)
}

// pairGroup is one training record's candidates: pairs lo..hi-1.
type pairGroup struct {
	cands  []*rcand
	st     *cdnStats
	own    *own
	lo, hi int
}

// TrainReranker learns the re-ranker from CHIP-CDN records (train split
// only): statistics over all records, then candidate-pair features with
// each record's own contribution left out, then the network. Thresholds
// are left at 0.5; choose them on held-out records with ChooseThresholds.
func (c *Coder) TrainReranker(recs []CDNRecord, cfg TrainConfig) (*Reranker, TrainStats, error) {
	cfg = cfg.withDefaults()
	var ts TrainStats
	if len(recs) == 0 {
		return nil, ts, fmt.Errorf("train re-ranker: no records")
	}
	exs := make([]cdnExample, len(recs))
	for i, r := range recs {
		exs[i] = cdnExample{Text: r.Text, Gold: r.Normalized}
	}
	st := buildStats(exs, func(n string) bool { return c.dict.byName[n] != nil })
	ts.Records, ts.Labels, ts.Buckets = len(recs), len(st.Labels), len(st.Buckets)
	var xs [][]float32
	var ys []float32
	var groups []pairGroup
	for _, e := range exs {
		rs := []rune(e.Text)
		o := st.ownOf(e)
		q, cands := c.candidates(rs, 0, len(rs), st, o)
		gold := map[string]bool{}
		for _, g := range e.Gold {
			gold[g] = true
		}
		ts.Gold += len(gold)
		groups = append(groups, pairGroup{cands: cands, st: st, own: o, lo: len(xs), hi: len(xs) + len(cands)})
		for i, f := range c.features(q, cands) {
			y := float32(0)
			if gold[cands[i].name] {
				y = 1
				ts.Positives++
				ts.GoldReachable++
			}
			xs = append(xs, f)
			ys = append(ys, y)
		}
	}
	ts.Pairs = len(xs)
	rr := &Reranker{stats: st, Threshold: 0.5, TopThreshold: 0.5}
	for k := 0; k < cfg.Members; k++ {
		mc := cfg
		mc.Seed = cfg.Seed + 100*uint64(k)
		var m member
		m.Net, m.Net2, ts.FinalLoss = trainMember(xs, ys, groups, mc)
		rr.members = append(rr.members, m)
	}
	return rr, ts, nil
}

// trainMember trains one first-stage network over all pairs and, unless
// cfg.NoStack, the second stage over first-stage scores; it returns the
// last network's final loss.
func trainMember(xs [][]float32, ys []float32, groups []pairGroup, cfg TrainConfig) (mlp, *mlp, float64) {
	net := newMLP(len(featureNames), cfg.Hidden, cfg.Seed)
	standardise(net, xs)
	loss := trainMLP(net, xs, ys, cfg)
	if cfg.NoStack {
		return *net, nil, loss
	}
	// Second stage: first-stage scores of every record come from a network
	// trained on the other records (cross-fitting over cfg.CrossFolds
	// folds; two: the other half), so that they look like scores on
	// unseen text.
	nf := max(2, cfg.CrossFolds)
	half := make([][]int, nf)
	for gi := range groups {
		half[gi%nf] = append(half[gi%nf], gi)
	}
	p1 := make([]float64, len(xs))
	for h := 0; h < nf; h++ {
		var hx [][]float32
		var hy []float32
		for gi := range groups {
			if gi%nf == h {
				continue
			}
			hx = append(hx, xs[groups[gi].lo:groups[gi].hi]...)
			hy = append(hy, ys[groups[gi].lo:groups[gi].hi]...)
		}
		hn := newMLP(len(featureNames), cfg.Hidden, cfg.Seed+uint64(h)+1)
		standardise(hn, hx)
		trainMLP(hn, hx, hy, cfg)
		for _, gi := range half[h] {
			for k := groups[gi].lo; k < groups[gi].hi; k++ {
				p1[k] = hn.prob(xs[k])
			}
		}
	}
	x2 := make([][]float32, 0, len(xs))
	for _, g := range groups {
		x2 = append(x2, stackFeatures(g.cands, xs[g.lo:g.hi], p1[g.lo:g.hi], newStackCtx(g.cands, g.st, g.own))...)
	}
	net2 := newMLP(len(featureNames)+len(stackFeatureNames), cfg.Hidden, cfg.Seed+11)
	standardise(net2, x2)
	loss = trainMLP(net2, x2, ys, cfg)
	return *net, net2, loss
}

func standardise(m *mlp, xs [][]float32) {
	n := float64(len(xs))
	for f := 0; f < m.F; f++ {
		var s, ss float64
		for _, x := range xs {
			s += float64(x[f])
			ss += float64(x[f]) * float64(x[f])
		}
		mean := s / n
		sd := math.Sqrt(max(ss/n-mean*mean, 0))
		if sd < 1e-6 {
			sd = 1
		}
		m.Mean[f], m.Std[f] = float32(mean), float32(sd)
	}
}

// trainMLP minimises binary cross-entropy with Adam over shuffled
// mini-batches and returns the last epoch's mean loss.
func trainMLP(m *mlp, xs [][]float32, ys []float32, cfg TrainConfig) float64 {
	const batch = 128
	params := [][]float32{m.W1, m.B1, m.W2}
	grads := [][]float64{make([]float64, len(m.W1)), make([]float64, len(m.B1)), make([]float64, len(m.W2))}
	mom := [][]float64{make([]float64, len(m.W1)), make([]float64, len(m.B1)), make([]float64, len(m.W2))}
	vel := [][]float64{make([]float64, len(m.W1)), make([]float64, len(m.B1)), make([]float64, len(m.W2))}
	var gB2, mB2, vB2 float64
	const b1, b2, eps = 0.9, 0.999, 1e-8
	step := 0
	r := newRNG(cfg.Seed + 7)
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	hid := make([]float32, m.H)
	xn := make([]float32, m.F)
	var loss float64
	for ep := 0; ep < cfg.Epochs; ep++ {
		for i := len(order) - 1; i > 0; i-- {
			j := int(r.next() % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		loss = 0
		for start := 0; start < len(order); start += batch {
			end := min(start+batch, len(order))
			for _, g := range grads {
				clear(g)
			}
			gB2 = 0
			for _, k := range order[start:end] {
				x := xs[k]
				p := sigmoid(m.logit(x, hid))
				y := float64(ys[k])
				loss -= y*math.Log(max(p, 1e-12)) + (1-y)*math.Log(max(1-p, 1e-12))
				d := p - y
				gB2 += d
				for f := range xn {
					xn[f] = (x[f] - m.Mean[f]) / m.Std[f]
				}
				for h := 0; h < m.H; h++ {
					grads[2][h] += d * float64(hid[h])
					if hid[h] <= 0 {
						continue
					}
					dh := d * float64(m.W2[h])
					grads[1][h] += dh
					row := grads[0][h*m.F : (h+1)*m.F]
					for f, v := range xn {
						row[f] += dh * float64(v)
					}
				}
			}
			step++
			nb := float64(end - start)
			c1 := 1 - math.Pow(b1, float64(step))
			c2 := 1 - math.Pow(b2, float64(step))
			for pi, p := range params {
				g, mo, ve := grads[pi], mom[pi], vel[pi]
				for i := range p {
					gi := g[i]/nb + cfg.L2*float64(p[i])
					mo[i] = b1*mo[i] + (1-b1)*gi
					ve[i] = b2*ve[i] + (1-b2)*gi*gi
					p[i] -= float32(cfg.LR * (mo[i] / c1) / (math.Sqrt(ve[i]/c2) + eps))
				}
			}
			gi := gB2 / nb
			mB2 = b1*mB2 + (1-b1)*gi
			vB2 = b2*vB2 + (1-b2)*gi*gi
			m.B2 -= float32(cfg.LR * (mB2 / c1) / (math.Sqrt(vB2/c2) + eps))
		}
		loss /= float64(len(xs))
	}
	return loss
}

// ThresholdChoice is the outcome of ChooseThresholds.
type ThresholdChoice struct {
	Threshold, TopThreshold float64
	Report                  CDNReport
}

// ChooseThresholds sweeps the emission thresholds of r over held-out
// records (never the dev or test split) and returns the pair with the best
// set-level F1, with every sweep point reported through log.
func (c *Coder) ChooseThresholds(r *Reranker, recs []CDNRecord, log func(ThresholdChoice)) ThresholdChoice {
	// Score once; decide many times.
	type rec struct {
		ranked []scored
		exact  []string // names from an exact lexicon hit (no re-ranking)
		gold   []string
	}
	all := make([]rec, len(recs))
	for i, x := range recs {
		rs := []rune(x.Text)
		all[i].gold = x.Normalized
		// An exact lexicon hit after trimming cues is coded without the
		// re-ranker (the shipped v1 thresholds were chosen this way;
		// normalize skips the re-ranker only for an untrimmed exact hit,
		// which measured within 0.003 F1 of it on the hold-out).
		if a, b := trimCues(rs, 0, len(rs)); b > a {
			if t := c.exactTerm(rs, a, b); t != nil {
				all[i].exact = []string{t.Name}
				continue
			}
		}
		all[i].ranked = c.score(r, rs, 0, len(rs))
	}
	var best ThresholdChoice
	for th := 0.10; th <= 0.901; th += 0.025 {
		for top := 0.0; top <= th+1e-9; top += 0.05 {
			var rep CDNReport
			for _, x := range all {
				names := x.exact
				if names == nil {
					for _, s := range decide(x.ranked, th, top) {
						names = append(names, s.cd.name)
					}
				}
				rep.add(names, x.gold)
			}
			ch := ThresholdChoice{Threshold: round4(th), TopThreshold: round4(top), Report: rep}
			if log != nil {
				log(ch)
			}
			if rep.F1() > best.Report.F1() {
				best = ch
			}
		}
	}
	return best
}

// WithReranker returns a copy of c that normalises with r alone (no
// cross-encoder) at r's thresholds, with a memo of its own (c's holds
// codings of another re-ranker).
func (c *Coder) WithReranker(r *Reranker) *Coder {
	cc := *c
	cc.rr = r
	cc.ce = nil
	cc.memo = newRerankMemo(50000)
	cc.threshold, cc.topThreshold = r.Threshold, r.TopThreshold
	return &cc
}
