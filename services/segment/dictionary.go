package segment

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/go-ego/gse"
	"github.com/go-ego/gse/hmm"
	"github.com/vcaesar/cedar"

	"bingli/models/lexicons"
)

// dictionary is the loaded vocabulary: gse's double-array trie (keys are
// words with ASCII lower-cased) plus, by trie value, the word's log
// frequency and part of speech. It is read-only once built and shared by
// every Segmenter with the same options.
type dictionary struct {
	trie     *gse.Dictionary
	logFreq  []float64 // by trie value; -Inf for a word with no frequency yet
	freq     []float64
	pos      []string
	total    float64
	logTotal float64
	id       string // short content hash, part of the stage version
}

// lookup returns the trie value of key: ok is false when key is not a word;
// more is false when no word starts with key (stop extending it).
func (d *dictionary) lookup(key []byte) (val int, ok, more bool) {
	val, _, err := d.trie.Value(key)
	switch {
	case err == nil:
		return val, d.freq[val] > 0, true
	case errors.Is(err, cedar.ErrNoVal):
		return 0, false, true
	default:
		return 0, false, false
	}
}

// lexicon is one word list loaded on top of the general dictionary.
type lexicon struct {
	name string
	text string
	// defaultPOS is the tag of entries without one.
	defaultPOS string
	// overridePOS: the list's tag replaces the general dictionary's.
	overridePOS bool
}

// builder adds words to a dictionary being loaded.
type builder struct {
	d      *dictionary
	tok    gse.Segmenter // only used for ToToken (splits text as gse does)
	posTab map[string]string
	tune   []string // lexicon words whose frequency is tuned at the end
}

func newBuilder(trie *gse.Dictionary) *builder {
	return &builder{d: &dictionary{trie: trie}, posTab: map[string]string{}}
}

// intern keeps one copy of each part-of-speech string.
func (b *builder) intern(pos string) string {
	if p, ok := b.posTab[pos]; ok {
		return p
	}
	b.posTab[pos] = pos
	return pos
}

// add inserts word (or updates it: the higher frequency wins). It returns
// the trie value.
func (b *builder) add(word string, freq float64, pos string, overridePOS bool) (int, error) {
	d := b.d
	n := d.trie.NumTokens()
	if err := d.trie.AddToken(b.tok.ToToken(word, freq, pos)); err != nil {
		return 0, fmt.Errorf("add %q: %w", word, err)
	}
	if d.trie.NumTokens() > n { // new word
		d.freq = append(d.freq, freq)
		d.pos = append(d.pos, b.intern(pos))
		d.total += freq
		return n, nil
	}
	val, _, err := d.trie.Value(lowerASCII(word))
	if err != nil {
		return 0, fmt.Errorf("find %q after adding it: %w", word, err)
	}
	if freq > d.freq[val] {
		d.total += freq - d.freq[val]
		d.freq[val] = freq
	}
	if overridePOS || d.pos[val] == "" {
		d.pos[val] = b.intern(pos)
	}
	return val, nil
}

// fromGeneral adopts the words of a dictionary gse loaded itself.
func (b *builder) fromGeneral() {
	for i := range b.d.trie.Tokens {
		t := &b.d.trie.Tokens[i]
		b.d.freq = append(b.d.freq, t.Freq())
		b.d.pos = append(b.d.pos, b.intern(t.Pos()))
		b.d.total += t.Freq()
	}
}

// addGeneral loads "word freq [pos]" lines (jieba's dictionary format).
func (b *builder) addGeneral(text string) error {
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		freq, err := strconv.ParseFloat(f[1], 64)
		if err != nil || freq <= 0 {
			return fmt.Errorf("dictionary line %q: bad frequency", line)
		}
		pos := ""
		if len(f) > 2 {
			pos = f[2]
		}
		if _, err := b.add(f[0], freq, pos, false); err != nil {
			return err
		}
	}
	return nil
}

// addLexicon loads "word [freq] [pos]" lines; # starts a comment line.
// Words get their frequency at the end (tune).
func (b *builder) addLexicon(lx lexicon) error {
	for line := range strings.Lines(lx.text) {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		word, freq, pos, override := f[0], 0.0, lx.defaultPOS, lx.overridePOS
		rest := f[1:]
		if len(rest) > 0 {
			if v, err := strconv.ParseFloat(rest[0], 64); err == nil {
				if v < 0 {
					return fmt.Errorf("lexicon %s: word %q: negative frequency", lx.name, word)
				}
				freq, rest = v, rest[1:]
			}
		}
		if len(rest) > 0 {
			pos, override = rest[0], true
		}
		if _, err := b.add(word, freq, pos, override); err != nil {
			return fmt.Errorf("lexicon %s: %w", lx.name, err)
		}
		b.tune = append(b.tune, word)
	}
	return nil
}

// finish gives each lexicon word the smallest frequency with which the
// word, alone, beats every split of it (jieba's suggest_freq), unless it
// already has more, and computes the log frequencies.
func (b *builder) finish() {
	d := b.d
	d.logFreq = make([]float64, len(d.freq))
	for i, f := range d.freq {
		d.logFreq[i] = math.Log(f)
	}
	var s scanner
	var c cutter
	for _, w := range b.tune {
		d.logTotal = math.Log(d.total)
		s.scan(w)
		n := len(s.units)
		if n == 0 {
			continue
		}
		val, _, err := d.trie.Value(lowerASCII(w))
		if err != nil {
			continue // not reachable: add inserted it
		}
		// A word the scanner splits at punctuation, or whose key it folds
		// differently, is never looked up whole: leave its frequency.
		blockOK := string(s.key(0, n)) == string(lowerASCII(w))
		for _, u := range s.units {
			blockOK = blockOK && u.inBlock()
		}
		want := 1.0
		if blockOK && n > 1 {
			split := c.bestSplit(d, &s, n)
			want = math.Floor(math.Exp(split+d.logTotal)) + 1
		}
		if want > d.freq[val] {
			d.total += want - d.freq[val]
			d.freq[val] = want
			d.logFreq[val] = math.Log(want)
		}
	}
	d.logTotal = math.Log(d.total)
}

// lowerASCII is the trie key of a dictionary word (gse lower-cases ASCII).
func lowerASCII(s string) []byte {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// hmmOnce loads gse's HMM model (jieba's character emission probabilities,
// package-level maps in gse/hmm) exactly once, before any Segmenter exists.
var hmmOnce sync.Once

func loadHMM() { hmmOnce.Do(func() { hmm.LoadModel() }) }

// dictionaries caches loaded dictionaries by options, so each is loaded
// once per process however many Segmenters (stages, tests) ask for it.
var dictionaries sync.Map // key string -> *dictEntry

type dictEntry struct {
	once sync.Once
	d    *dictionary
	err  error
}

func cachedDictionary(opt Options) (*dictionary, error) {
	lexs, err := opt.lexicons()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "general=%s\n", opt.Dictionary)
	for _, lx := range lexs {
		fmt.Fprintf(h, "lexicon=%s %d\n%s\n", lx.name, len(lx.text), lx.text)
	}
	key := hex.EncodeToString(h.Sum(nil))
	e, _ := dictionaries.LoadOrStore(key, &dictEntry{})
	entry := e.(*dictEntry)
	entry.once.Do(func() {
		entry.d, entry.err = loadDictionary(opt.Dictionary, lexs)
		if entry.err == nil {
			entry.d.id = key[:12]
		}
	})
	return entry.d, entry.err
}

// loadDictionary builds a dictionary from scratch (no cache).
func loadDictionary(general string, lexs []lexicon) (*dictionary, error) {
	var b *builder
	switch general {
	case DictTrimmed, "":
		b = newBuilder(gse.NewDict())
		if err := b.addGeneral(lexicons.GeneralZh); err != nil {
			return nil, fmt.Errorf("segment: general dictionary: %w", err)
		}
	case DictGseZhS:
		seg := gse.Segmenter{SkipLog: true, NotLoadHMM: true}
		if err := seg.LoadDictEmbed("zh_s"); err != nil {
			return nil, fmt.Errorf("segment: gse zh_s dictionary: %w", err)
		}
		b = newBuilder(seg.Dict)
		b.fromGeneral()
	case DictNone:
		b = newBuilder(gse.NewDict())
	default:
		return nil, fmt.Errorf("segment: unknown dictionary %q (want %q, %q or %q)", general, DictTrimmed, DictGseZhS, DictNone)
	}
	for _, lx := range lexs {
		if err := b.addLexicon(lx); err != nil {
			return nil, fmt.Errorf("segment: %w", err)
		}
	}
	if b.d.total == 0 && len(b.tune) == 0 {
		return nil, errors.New("segment: no words loaded")
	}
	b.finish()
	return b.d, nil
}

// lexicons lists the word lists the options ask for, extra files read now.
func (opt Options) lexicons() ([]lexicon, error) {
	var lexs []lexicon
	if !opt.NoMedical {
		lexs = append(lexs, lexicon{name: "thuocl_medical", text: lexicons.Medical, defaultPOS: "n"})
	}
	if !opt.NoOphthalmology {
		lexs = append(lexs, lexicon{name: "ophthalmology", text: lexicons.Ophthalmology, defaultPOS: "n", overridePOS: true})
	}
	for _, path := range opt.ExtraLexicons {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("segment: extra lexicon: %w", err)
		}
		lexs = append(lexs, lexicon{name: path, text: string(b), defaultPOS: "n"})
	}
	return lexs, nil
}
