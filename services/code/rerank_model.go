package code

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
)

// rerankFormat identifies the re-ranker file layout.
// /2: an ensemble of network pairs (members) instead of one.
const rerankFormat = "bingli-cdn-rerank/2"

// mlp is a one-hidden-layer perceptron over standardised features:
// p = sigmoid(w2 · relu(W1 · (x-mean)/std + b1) + b2).
type mlp struct {
	F, H      int
	Mean, Std []float32
	W1        []float32 // H rows of F
	B1        []float32
	W2        []float32
	B2        float32
}

func newMLP(f, h int, seed uint64) *mlp {
	m := &mlp{F: f, H: h, Mean: make([]float32, f), Std: make([]float32, f), W1: make([]float32, f*h), B1: make([]float32, h), W2: make([]float32, h)}
	r := newRNG(seed)
	sc := math.Sqrt(2 / float64(f))
	for i := range m.W1 {
		m.W1[i] = float32(r.norm() * sc)
	}
	for i := range m.W2 {
		m.W2[i] = float32(r.norm() * math.Sqrt(1/float64(h)))
	}
	for i := range m.Std {
		m.Std[i] = 1
	}
	return m
}

// logit of one feature vector; hid receives the hidden activations.
func (m *mlp) logit(x []float32, hid []float32) float64 {
	var buf [64]float32
	xn := buf[:0]
	if len(x) > len(buf) {
		xn = make([]float32, 0, len(x))
	}
	for f, v := range x {
		xn = append(xn, (v-m.Mean[f])/m.Std[f])
	}
	z := float64(m.B2)
	for h := 0; h < m.H; h++ {
		s := m.B1[h]
		row := m.W1[h*m.F : (h+1)*m.F]
		for f, v := range xn {
			s += row[f] * v
		}
		if s < 0 {
			s = 0
		}
		if hid != nil {
			hid[h] = s
		}
		z += float64(m.W2[h] * s)
	}
	return z
}

func (m *mlp) prob(x []float32) float64 { return sigmoid(m.logit(x, nil)) }

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// Reranker scores candidate dictionary names for a diagnosis text. It
// holds what it learned from CHIP-CDN train (statistics and weights) and
// the decision thresholds chosen on held-out train.
type Reranker struct {
	stats *cdnStats
	// members are networks trained alike from different seeds; their
	// probabilities are averaged.
	members []member
	// Threshold: names with probability ≥ Threshold are emitted.
	Threshold float64
	// TopThreshold: when no name reaches Threshold, the best one is
	// emitted if it reaches TopThreshold; otherwise the text is uncoded.
	TopThreshold float64
	// Note records how the file was trained (free text, no corpus text).
	Note string
}

// member is one first-stage network and the second stage over its scores
// (Net2 nil: none).
type member struct {
	Net  mlp
	Net2 *mlp
}

type rerankFile struct {
	Format       string
	Features     []string
	Stats        cdnStats
	Members      []member
	Stack        []string
	Threshold    float64
	TopThreshold float64
	Note         string
}

// WriteTo writes the re-ranker as one gzip-compressed gob file.
func (r *Reranker) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	f := rerankFile{Format: rerankFormat, Features: featureNames, Stats: *r.stats, Members: r.members, Stack: stackFeatureNames, Threshold: r.Threshold, TopThreshold: r.TopThreshold, Note: r.Note}
	if err := gob.NewEncoder(zw).Encode(&f); err != nil {
		return cw.n, fmt.Errorf("encode re-ranker: %w", err)
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("compress re-ranker: %w", err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// LoadReranker reads a re-ranker file; wantSHA256 (hex), when not empty,
// must match the file's checksum.
func LoadReranker(b []byte, wantSHA256 string) (*Reranker, error) {
	if wantSHA256 != "" {
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != wantSHA256 {
			return nil, fmt.Errorf("re-ranker sha256 %s, want %s", got, wantSHA256)
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("re-ranker: %w", err)
	}
	var f rerankFile
	if err := gob.NewDecoder(zr).Decode(&f); err != nil {
		return nil, fmt.Errorf("re-ranker: decode: %w", err)
	}
	if f.Format != rerankFormat {
		return nil, fmt.Errorf("re-ranker: format %q, want %q", f.Format, rerankFormat)
	}
	if !slices.Equal(f.Features, featureNames) {
		return nil, fmt.Errorf("re-ranker: trained on features %v, this build computes %v", f.Features, featureNames)
	}
	if len(f.Members) == 0 {
		return nil, fmt.Errorf("re-ranker: no networks")
	}
	for i, m := range f.Members {
		n := m.Net
		if n.F != len(featureNames) || len(n.W1) != n.F*n.H || len(n.B1) != n.H || len(n.W2) != n.H || len(n.Mean) != n.F || len(n.Std) != n.F {
			return nil, fmt.Errorf("re-ranker: member %d: inconsistent network shapes (F=%d H=%d)", i, n.F, n.H)
		}
		if n2 := m.Net2; n2 != nil {
			if !slices.Equal(f.Stack, stackFeatureNames) || n2.F != n.F+len(stackFeatureNames) || len(n2.W1) != n2.F*n2.H || len(n2.B1) != n2.H || len(n2.W2) != n2.H || len(n2.Mean) != n2.F || len(n2.Std) != n2.F {
				return nil, fmt.Errorf("re-ranker: member %d: inconsistent second stage (F=%d H=%d)", i, n2.F, n2.H)
			}
		}
	}
	if len(f.Stats.Prior) != len(f.Stats.Labels) {
		return nil, fmt.Errorf("re-ranker: %d labels but %d priors", len(f.Stats.Labels), len(f.Stats.Prior))
	}
	st := f.Stats
	st.index()
	return &Reranker{stats: &st, members: f.Members, Threshold: f.Threshold, TopThreshold: f.TopThreshold, Note: f.Note}, nil
}

// scored is a candidate with its probability.
type scored struct {
	cd *rcand
	p  float64
}

// score ranks the candidates of rs[s:e], best first.
func (c *Coder) score(r *Reranker, rs []rune, s, e int) []scored {
	return c.scoreOwn(r, rs, s, e, nil)
}

// scoreOwn is score with the record's own contribution o left out of the
// train statistics (o nil: none), for records r was trained on.
func (c *Coder) scoreOwn(r *Reranker, rs []rune, s, e int, o *own) []scored {
	q, cands := c.candidates(rs, s, e, r.stats, o)
	if len(cands) == 0 {
		return nil
	}
	fs := c.features(q, cands)
	p := make([]float64, len(cands))
	p1 := make([]float64, len(cands))
	var sx *stackCtx
	for _, m := range r.members {
		for i := range cands {
			p1[i] = m.Net.prob(fs[i])
		}
		if m.Net2 != nil {
			if sx == nil {
				sx = newStackCtx(cands, r.stats, o)
			}
			for i, x := range stackFeatures(cands, fs, p1, sx) {
				p1[i] = m.Net2.prob(x)
			}
		}
		for i := range p {
			p[i] += p1[i] / float64(len(r.members))
		}
	}
	out := make([]scored, len(cands))
	for i, cd := range cands {
		out[i] = scored{cd, p[i]}
	}
	sortScored(out)
	if c.ce != nil {
		if err := c.ce.blend(rs[s:e], out); err != nil {
			// The re-ranker's own ranking stands for this call; Process
			// sees the count rise and fails the note, so it is redelivered
			// (and dead-lettered if the model keeps failing), never passed
			// on with degraded codes.
			c.ceErrors.Add(1)
		}
	}
	return out
}

// sortScored orders candidates best first (stable: candidate order breaks ties).
func sortScored(s []scored) { sort.SliceStable(s, func(i, j int) bool { return s[i].p > s[j].p }) }

// decide keeps the names to emit from ranked candidates.
func decide(ranked []scored, th, top float64) []scored {
	var out []scored
	for _, s := range ranked {
		if s.p >= th {
			out = append(out, s)
		}
	}
	if len(out) == 0 && len(ranked) > 0 && ranked[0].p >= top {
		out = ranked[:1]
	}
	return out
}

// rng is a small deterministic generator (splitmix64) for training.
type rng struct{ s uint64 }

func newRNG(seed uint64) *rng { return &rng{s: seed} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) norm() float64 {
	u1, u2 := r.float(), r.float()
	if u1 < 1e-12 {
		u1 = 1e-12
	}
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}
