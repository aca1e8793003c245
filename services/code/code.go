// Package code is the code stage: it finds the diagnoses of a note,
// normalises each to ICD-10 (Beijing clinical version v6.01 plus an
// ophthalmology synonym table, both in models/icd10) and decides its
// assertion (present, negated, possible, history, family) and eye.
//
// Mentions come from diagnosis lists (诊断：1.… 2.…), where every item is a
// diagnosis, and from dictionary matches in running text (主诉, 现病史,
// 既往史, 家族史...); examination findings and plans are not read.
// Normalisation tries the synonym table and dictionary names (exact, after
// trimming laterality and assertion cues, bracketed qualifiers and stage
// words), then a learned re-ranker (models/icd10/reranker, trained on
// CHIP-CDN train) over retrieved and associated candidate names, its best
// candidates re-scored by a cross-encoder that reads the text and the name
// together (models/icd10/crossenc, ONNX): every name whose blended
// probability reaches the calibrated threshold is emitted. Below it
// the diagnosis is kept uncoded: a guessed code is worse than none.
package code

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"bingli/models/icd10"
	"bingli/services/note"
)

// version of the coding rules; Version() adds the dictionary id.
const version = "1.2.0"

// DictionaryID names the embedded code dictionary and models (without the
// cross-encoder, Options.NoCrossEncoder, the "+cdn-crossenc-v1" part is left
// out of Version).
const DictionaryID = "icd10-v601+oph-syn+cdn-rerank-v2+cdn-crossenc-v1"

// DefaultThreshold is the retrieval score below which a diagnosis stays
// uncoded when the re-ranker is off (Options.NoReranker), chosen on
// CHIP-CDN train (see README.md and cdn_test.go).
const DefaultThreshold = 0.60

// Options configure a Coder. The zero value is the default configuration.
type Options struct {
	// Threshold is the minimum re-ranker probability of an emitted name
	// (0: the calibrated threshold stored with the re-ranker), or with
	// NoReranker the minimum cosine score of a retrieved code (0:
	// DefaultThreshold).
	Threshold float64 `json:"threshold,omitempty" yaml:"threshold,omitempty"`
	// NoReranker normalises with n-gram retrieval alone (the version 1.0
	// behaviour), without the learned CHIP-CDN re-ranker.
	NoReranker bool `json:"no_reranker,omitempty" yaml:"no_reranker,omitempty"`
	// NoCrossEncoder scores candidates with the re-ranker alone, without
	// the cross-encoder (models/icd10/crossenc) blended in, at the
	// re-ranker's own thresholds. The cross-encoder needs ONNX Runtime
	// (services/onnxrt).
	NoCrossEncoder bool `json:"no_cross_encoder,omitempty" yaml:"no_cross_encoder,omitempty"`
}

// Coder is the code stage. It is safe for concurrent use.
type Coder struct {
	dict      *dictionary
	ix        *index
	trie      *trie
	threshold float64
	rr        *Reranker // nil: n-gram retrieval with a cosine threshold
	// topThreshold: with the re-ranker, the best name is emitted alone
	// when none reaches threshold but it reaches topThreshold.
	topThreshold float64
	ce           *crossEncoder // nil: re-ranker probabilities alone
	ceErrors     *atomic.Int64 // cross-encoder runs that failed (scores fell back)
	memo         *rerankMemo
}

var (
	loadOnce   sync.Once
	loadedDict *dictionary
	loadedIx   *index
	loadedTrie *trie
	loadedRR   *Reranker
	loadErr    error
	loadRRErr  error // fatal only to Coders that use the re-ranker

	loadCEOnce sync.Once
	loadedCE   *crossEncoder
	loadCEErr  error
)

// New returns a Coder. The embedded dictionary is parsed and indexed once
// per process and shared by every Coder.
func New(opt Options) (*Coder, error) {
	if opt.Threshold < 0 || opt.Threshold > 1 {
		return nil, fmt.Errorf("code: threshold %v outside [0,1]", opt.Threshold)
	}
	loadOnce.Do(func() {
		loadedDict, loadErr = loadDictionary()
		if loadErr != nil {
			loadErr = fmt.Errorf("code: load dictionary: %w", loadErr)
			return
		}
		keys := make([]string, len(loadedDict.docs))
		loadedTrie = newTrie()
		for i, d := range loadedDict.docs {
			keys[i] = d.key
			if textMatchable(d.key, d.term) {
				loadedTrie.add(d.key, d.term)
			}
		}
		loadedIx = buildIndex(keys)
		loadedRR, loadRRErr = LoadReranker(icd10.CDNReranker, icd10.CDNRerankerSHA256)
		if loadRRErr != nil {
			loadRRErr = fmt.Errorf("code: load %w", loadRRErr)
		}
	})
	if loadErr != nil {
		return nil, loadErr
	}
	c := &Coder{dict: loadedDict, ix: loadedIx, trie: loadedTrie, threshold: opt.Threshold, ceErrors: new(atomic.Int64)}
	if !opt.NoReranker {
		if loadRRErr != nil {
			return nil, loadRRErr
		}
		c.rr = loadedRR
		c.memo = newRerankMemo(50000)
		th, top := loadedRR.Threshold, loadedRR.TopThreshold
		if !opt.NoCrossEncoder {
			loadCEOnce.Do(func() {
				loadedCE, loadCEErr = loadCrossEncoder(icd10.CrossEncoderONNX, icd10.CrossEncoderSHA256, icd10.CrossEncoderVocab, icd10.CrossEncoderConfig)
				if loadCEErr != nil {
					loadCEErr = fmt.Errorf("code: load %w", loadCEErr)
				}
			})
			if loadCEErr != nil {
				return nil, loadCEErr
			}
			c.ce = loadedCE
			th, top = loadedCE.cfg.Threshold, loadedCE.cfg.TopThreshold
		}
		if c.threshold == 0 {
			c.threshold = th
		}
		c.topThreshold = top
	} else if c.threshold == 0 {
		c.threshold = DefaultThreshold
	}
	return c, nil
}

// textMatchable: which lexicon keys are looked for in running text.
// Synonyms of any length (2+), dictionary names of 3+ characters, bracket
// aliases of 4+: shorter generic names (出血, 水肿) match too much.
func textMatchable(key string, t *term) bool {
	n := len([]rune(key))
	if t.Rank > 0 {
		// History and status names (药物过敏史, 眼术后), symptoms (R codes,
		// subjective visual disturbances H53.1) and factors influencing
		// health (Z codes: 物理治疗) are no diagnoses in running text.
		if strings.HasSuffix(key, "史") || strings.HasSuffix(key, "术后") {
			return false
		}
		c := t.Codes[0].Code
		if strings.HasSuffix(key, "治疗") || strings.ContainsAny(c[:1], "RVWXYZ") || strings.HasPrefix(c, "H53.1") || strings.HasPrefix(c, "H57.1") {
			return false
		}
	}
	switch t.Rank {
	case 0:
		return n >= 2
	case 1:
		return n >= 3
	}
	return n >= 4
}

func (c *Coder) Name() string { return "code" }
func (c *Coder) Version() string {
	if c.ce == nil {
		return version + "+" + strings.TrimSuffix(DictionaryID, "+cdn-crossenc-v1")
	}
	return version + "+" + DictionaryID
}

// Process finds and codes the note's diagnoses, replacing n.Diagnoses.
func (c *Coder) Process(ctx context.Context, n *note.Note) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	failed := c.ceErrors.Load()
	n.Diagnoses = c.Diagnose(n.Text)
	if c.ceErrors.Load() != failed {
		// (a concurrent note's failure can land here too: that note is
		// then merely coded again)
		return fmt.Errorf("code %s: the cross-encoder failed on a diagnosis (ONNX Runtime); redelivered", n.NoteID)
	}
	return nil
}

// Diagnose returns the coded diagnoses of text, ordered by offset. A
// compound diagnosis (2型糖尿病性视网膜病变: E11.371 + H36.0) yields one
// Diagnosis per code over the same span.
func (c *Coder) Diagnose(text string) []note.Diagnosis {
	rs := []rune(text)
	secs := sections(rs)
	var out []note.Diagnosis
	for _, m := range c.mentions(rs, secs) {
		for _, cd := range m.codings {
			var codes []codeRef
			if cd.t != nil {
				codes = cd.t.Codes
			}
			a, eye := c.classify(rs, secs, cd.start, cd.end)
			d := note.Diagnosis{Text: string(rs[cd.start:cd.end]), Start: cd.start, End: cd.end, Score: round4(cd.score), Eye: eye, Assertion: a}
			if len(codes) == 0 {
				out = append(out, d)
				continue
			}
			for _, cr := range codes {
				d.ICD10, d.ICD10Name = cr.Code, cr.Name
				out = append(out, d)
			}
		}
	}
	c.refineDiabetesType(out)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// refineDiabetesType codes diabetic complications written without the
// type (糖尿病视网膜病变: E14.371, unspecified diabetes) under the type the
// note asserts elsewhere (2型糖尿病, E11): E14.371 becomes E11.371 when the
// v601 dictionary has it. Negated and family mentions do not count, nor does
// a note that asserts both types.
func (c *Coder) refineDiabetesType(ds []note.Diagnosis) {
	typ := ""
	for _, d := range ds {
		if d.Assertion == note.Negated || d.Assertion == note.Family {
			continue
		}
		for _, p := range []string{"E10", "E11"} {
			if strings.HasPrefix(d.ICD10, p) {
				if typ != "" && typ != p {
					return
				}
				typ = p
			}
		}
	}
	if typ == "" {
		return
	}
	for i, d := range ds {
		// Complications only: a bare 糖尿病 (E14.901) stays as written.
		if !strings.HasPrefix(d.ICD10, "E14.") || strings.HasPrefix(d.ICD10, "E14.9") || d.Assertion == note.Negated || d.Assertion == note.Family {
			continue
		}
		code := typ + d.ICD10[3:]
		if name, ok := c.dict.names[code]; ok {
			ds[i].ICD10, ds[i].ICD10Name = code, name
		}
	}
}

func round4(x float64) float64 { return float64(int64(x*10000+0.5)) / 10000 }
