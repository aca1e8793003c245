package code

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// CHIP-CDN (CBLUE) lives outside the repository (research-only terms): its
// text must never be copied in. Tests that need it skip without it.
func cdnDir(t testing.TB) string {
	dir := os.Getenv("BINGLI_CHIP_CDN")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data", "chip-cdn")
	}
	if _, err := os.Stat(filepath.Join(dir, "dev.jsonl")); err != nil {
		t.Skipf("CHIP-CDN not found at %s (../shared/data/chip-cdn; set BINGLI_CHIP_CDN): %v", dir, err)
	}
	return dir
}

type cdnRecord struct {
	Text       string   `json:"text"`
	Normalized []string `json:"normalized"`
}

// cdnFile reads a CHIP-CDN split (train.jsonl, dev.jsonl) with ReadCDN.
func cdnFile(t testing.TB, name string) []CDNRecord {
	t.Helper()
	f, err := os.Open(filepath.Join(cdnDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := ReadCDN(f)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func readCDN(t testing.TB, path string) []cdnRecord {
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open CHIP-CDN: %v", err)
	}
	defer f.Close()
	var out []cdnRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var r cdnRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("CHIP-CDN line %d: %v", line, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read CHIP-CDN: %v", err)
	}
	return out
}

// cdnScore is the CHIP-CDN evaluation of a Coder.
type cdnScore struct {
	records, acc1 int // top candidate of the whole text among gold names
	// Set level over standard names, micro-averaged.
	tp, pred, gold int
	// Set level over codes (gold names mapped to codes via the dictionary;
	// gold names not in it are left out of the code-level counts).
	ctp, cpred, cgold int
	uncoded, items    int
}

func (s cdnScore) String() string {
	p := float64(s.tp) / float64(max(1, s.pred))
	r := float64(s.tp) / float64(max(1, s.gold))
	cp := float64(s.ctp) / float64(max(1, s.cpred))
	cr := float64(s.ctp) / float64(max(1, s.cgold))
	return fmt.Sprintf("records=%d acc@1=%.4f names P=%.4f R=%.4f F1=%.4f codes P=%.4f R=%.4f F1=%.4f items=%d uncoded=%d",
		s.records, float64(s.acc1)/float64(s.records), p, r, f1(p, r), cp, cr, f1(cp, cr), s.items, s.uncoded)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func scoreCDN(c *Coder, recs []cdnRecord) cdnScore {
	var s cdnScore
	for _, r := range recs {
		s.records++
		gold := map[string]bool{}
		goldCodes := map[string]bool{}
		for _, g := range r.Normalized {
			gold[g] = true
			if t := c.dict.lexicon[fold(g)]; t != nil {
				goldCodes[t.Codes[0].Code] = true
			}
		}
		rs := []rune(r.Text)
		// accuracy@1: the whole text as one query.
		st, en := trimCues(rs, 0, len(rs))
		if en > st {
			keys := lookupKeys(string(rs[st:en]))
			top := ""
			for _, k := range keys {
				if t := c.dict.lexicon[k]; t != nil {
					top = t.Name
					break
				}
			}
			if top == "" {
				if b := c.retrieve(keys[len(keys)-1]); b.t != nil {
					top = b.t.Name
				}
			}
			if gold[top] {
				s.acc1++
			}
		}
		// Set level: every item coded as in a diagnosis list.
		pred := map[string]bool{}
		predCodes := map[string]bool{}
		for _, it := range listItems(rs, 0, len(rs)) {
			a, b := trimCues(rs, it[0], it[1])
			if b-a < 1 {
				continue
			}
			for _, cd := range c.codeSpan(rs, a, b, true) {
				s.items++
				if cd.t == nil {
					s.uncoded++
					continue
				}
				pred[cd.t.Name] = true
				predCodes[cd.t.Codes[0].Code] = true
			}
		}
		s.pred += len(pred)
		s.gold += len(gold)
		for n := range pred {
			if gold[n] {
				s.tp++
			}
		}
		s.cpred += len(predCodes)
		s.cgold += len(goldCodes)
		for k := range predCodes {
			if goldCodes[k] {
				s.ctp++
			}
		}
	}
	return s
}

// TestCDNThresholdSweep measures the retrieval threshold of the
// NoReranker baseline on CHIP-CDN train (run with -run CDNThresholdSweep
// -v; it takes a while).
func TestCDNThresholdSweep(t *testing.T) {
	if testing.Short() || os.Getenv("BINGLI_CDN_SWEEP") == "" {
		t.Skip("set BINGLI_CDN_SWEEP=1 to sweep the threshold on CHIP-CDN train")
	}
	recs := readCDN(t, filepath.Join(cdnDir(t), "train.jsonl"))
	base, err := New(Options{NoReranker: true})
	if err != nil {
		t.Fatal(err)
	}
	for th := 0.30; th <= 0.951; th += 0.05 {
		c := *base
		c.threshold = th
		t.Logf("train threshold=%.2f %v", th, scoreCDN(&c, recs))
	}
}

// cdnDevFloor is the CHIP-CDN dev set-level F1 measured once with the
// shipped re-ranker (see README.md), less a small margin for float
// summation order; the test guards against regressions.
const cdnDevFloor = 0.655

// TestCDNDev reports the CHIP-CDN dev numbers of the shipped Coder (the
// same evaluation as `bingli eval coding`) and asserts the measured floor.
func TestCDNDev(t *testing.T) {
	if testing.Short() {
		t.Skip("CHIP-CDN dev evaluation takes a few seconds")
	}
	recs := cdnFile(t, "dev.jsonl")
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep := EvaluateCDN(recs, c)
	t.Logf("CHIP-CDN dev threshold=%.3f top=%.3f\n%v", c.threshold, c.topThreshold, rep)
	if rep.Records != 2000 {
		t.Errorf("records = %d, want 2000", rep.Records)
	}
	if rep.F1() < cdnDevFloor {
		t.Errorf("CHIP-CDN dev F1 %.4f below the measured floor %.4f", rep.F1(), cdnDevFloor)
	}
}
