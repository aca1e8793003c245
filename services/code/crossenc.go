package code

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	ort "github.com/yalue/onnxruntime_go"

	"bingli/services/onnxrt"
)

// crossEncoder scores (diagnosis text, candidate name) pairs with a small
// character transformer that reads both together (models/icd10/crossenc,
// trained on CHIP-CDN train; see its MODEL_CARD.md), served by ONNX
// Runtime. Its probability is blended into the re-ranker's for the
// re-ranker's best TopK candidates.
type crossEncoder struct {
	sess  *ort.DynamicAdvancedSession
	vocab map[rune]int64
	cfg   crossEncConfig
}

// crossEncConfig is crossenc.json: the blend and the thresholds chosen
// with it on held-out train.
type crossEncConfig struct {
	Format       string  `json:"format"`
	MaxText      int     `json:"max_text"`
	MaxName      int     `json:"max_name"`
	TopK         int     `json:"top_k"`
	Weight       float64 `json:"weight"`
	Threshold    float64 `json:"threshold"`
	TopThreshold float64 `json:"top_threshold"`
}

const crossEncFormat = "bingli-cdn-crossenc/1"

// Token ids shared with models/icd10/crossenc/train.py.
const (
	cePad, ceUnk, ceCLS, ceSEP = 0, 1, 2, 3
)

// loadCrossEncoder builds the session from the model bytes (checked against
// wantSHA256), the vocabulary (one token a line, ids by line) and the
// configuration.
func loadCrossEncoder(model []byte, wantSHA256 string, vocab, config string) (*crossEncoder, error) {
	sum := sha256.Sum256(model)
	if got := hex.EncodeToString(sum[:]); got != wantSHA256 {
		return nil, fmt.Errorf("cross-encoder sha256 %s, want %s", got, wantSHA256)
	}
	x := &crossEncoder{vocab: map[rune]int64{}}
	if err := json.Unmarshal([]byte(config), &x.cfg); err != nil {
		return nil, fmt.Errorf("cross-encoder config: %w", err)
	}
	if x.cfg.Format != crossEncFormat {
		return nil, fmt.Errorf("cross-encoder format %q, want %q", x.cfg.Format, crossEncFormat)
	}
	if x.cfg.MaxText < 1 || x.cfg.MaxName < 1 || x.cfg.TopK < 1 || x.cfg.Weight < 0 || x.cfg.Weight > 1 {
		return nil, fmt.Errorf("cross-encoder config out of range: %+v", x.cfg)
	}
	for i, line := range strings.Split(strings.TrimSuffix(vocab, "\n"), "\n") {
		if i <= ceSEP {
			continue // [PAD] [UNK] [CLS] [SEP]
		}
		rs := []rune(line)
		if len(rs) != 1 {
			return nil, fmt.Errorf("cross-encoder vocabulary line %d: %q is not one character", i+1, line)
		}
		x.vocab[rs[0]] = int64(i)
	}
	var err error
	x.sess, err = onnxrt.NewSession("", model, []string{"ids", "seg", "match"}, []string{"logit"}, 1)
	if err != nil {
		return nil, fmt.Errorf("cross-encoder: load: %w", err)
	}
	return x, nil
}

// encode is train.py's encode: "[CLS] text [SEP] name [SEP]" over folded
// characters (text and name truncated), segment ids, and match flags (1: a
// text character found in the name, 2: a name character found in the text).
func (x *crossEncoder) encode(text []rune, name string) (ids, seg, match []int64) {
	tok := func(rs []rune, n int) []int64 {
		var out []int64
		for _, r := range rs {
			if r = foldRune(r); r == ' ' || r == '\t' || r == '\u00a0' {
				continue
			}
			if len(out) == n {
				break
			}
			id, ok := x.vocab[r]
			if !ok {
				id = ceUnk
			}
			out = append(out, id)
		}
		return out
	}
	t, n := tok(text, x.cfg.MaxText), tok([]rune(name), x.cfg.MaxName)
	in := func(v int64, set []int64) bool {
		for _, w := range set {
			if w == v {
				return true
			}
		}
		return false
	}
	ids = append(append(append(append([]int64{ceCLS}, t...), ceSEP), n...), ceSEP)
	seg = make([]int64, len(ids))
	match = make([]int64, len(ids))
	for i, v := range t {
		if in(v, n) {
			match[1+i] = 1
		}
	}
	for i, v := range n {
		seg[len(t)+2+i] = 1
		if in(v, t) {
			match[len(t)+2+i] = 2
		}
	}
	seg[len(ids)-1] = 1
	return ids, seg, match
}

// probs scores text against every name in one batch.
func (x *crossEncoder) probs(text []rune, names []string) ([]float64, error) {
	if len(names) == 0 {
		return nil, nil
	}
	rows := make([][3][]int64, len(names))
	width := 0
	for i, nm := range names {
		ids, seg, match := x.encode(text, nm)
		rows[i] = [3][]int64{ids, seg, match}
		width = max(width, len(ids))
	}
	in := make([]ort.Value, 3)
	for k := range in {
		data := make([]int64, len(names)*width) // cePad and segment/match 0
		for i, r := range rows {
			copy(data[i*width:], r[k])
		}
		t, err := ort.NewTensor(ort.NewShape(int64(len(names)), int64(width)), data)
		if err != nil {
			return nil, fmt.Errorf("cross-encoder: input tensor: %w", err)
		}
		defer t.Destroy()
		in[k] = t
	}
	out := []ort.Value{nil}
	if err := x.sess.Run(in, out); err != nil {
		return nil, fmt.Errorf("cross-encoder: onnxruntime: %w", err)
	}
	defer out[0].Destroy()
	t, ok := out[0].(*ort.Tensor[float32])
	if !ok {
		return nil, fmt.Errorf("cross-encoder: output is %T, want a float32 tensor", out[0])
	}
	lg := t.GetData()
	if len(lg) != len(names) {
		return nil, fmt.Errorf("cross-encoder: %d logits for %d names", len(lg), len(names))
	}
	p := make([]float64, len(lg))
	for i, z := range lg {
		p[i] = 1 / (1 + math.Exp(-float64(z)))
	}
	return p, nil
}

// blend mixes the cross-encoder's probability into ranked (best first) for
// the first TopK candidates and re-sorts; ranked is changed in place.
func (x *crossEncoder) blend(text []rune, ranked []scored) error {
	k := min(len(ranked), x.cfg.TopK)
	names := make([]string, k)
	for i := range names {
		names[i] = ranked[i].cd.name
	}
	ce, err := x.probs(text, names)
	if err != nil {
		return err
	}
	w := x.cfg.Weight
	for i, p := range ce {
		ranked[i].p = (1-w)*ranked[i].p + w*p
	}
	sortScored(ranked)
	return nil
}
