package deid

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"bingli/services/lac/lactest"
	"bingli/services/synth"
)

// goldSet is one hand-written gold set: testdata/NAME.txt (markup, the
// source of truth: "## id|patient|visit" blocks, identifiers marked
// [[LABEL|text]]) and testdata/NAME.jsonl generated from it. Each set's
// README says who wrote it and how.
type goldSet struct {
	name     string
	minNotes int
	minimums map[string]int // label -> spans it was commissioned with ("" = all)
	validIDs bool           // every ID_NUMBER is a valid resident ID
	// floors for the score test (nil: none); a little under the scores
	// measured (README.md), so CI catches regressions: floors for the
	// rules and LAC, tagged for the default configuration (with the PHI
	// tagger, DefaultPHIModel)
	floors, tagged *heldoutFloors
}

var goldSets = []goldSet{
	// hand-written alongside the rules (not independent): TestHandwrittenTargets scores it
	{name: "handwritten", minNotes: 60, floors: &heldoutFloors{phiRecall: 0.99, name: 0.99}, tagged: &heldoutFloors{phiRecall: 0.99, name: 0.99}},
	// held-out: written without reading the recognizers; do not tune on them
	{name: "heldout", minNotes: 50, floors: &heldoutFloors{phiRecall: 0.98, name: 0.98}, tagged: &heldoutFloors{phiRecall: 0.99, name: 0.99}},
	{name: "heldout2", minNotes: 60, minimums: map[string]int{"": 500, "NAME": 150, "ADDRESS": 60}, floors: &heldoutFloors{phiRecall: 0.98, name: 0.98}, tagged: &heldoutFloors{phiRecall: 0.99, name: 0.99}},
	{name: "heldout3", minNotes: 60, minimums: map[string]int{"": 500, "NAME": 220, "ADDRESS": 70}, floors: &heldoutFloors{phiRecall: 0.98, name: 0.97}, tagged: &heldoutFloors{phiRecall: 0.98, name: 0.98}},
	// heldout4: scored once on 2026-11-28 (phi_recall 0.9330, NAME 0.9293), then used for development
	{name: "heldout4", minNotes: 70, minimums: map[string]int{"": 650, "NAME": 230, "ADDRESS": 80}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.98, name: 0.98}, tagged: &heldoutFloors{phiRecall: 0.98, name: 0.98}},
	// heldout5: scored with the rules before (phi_recall 0.9477, NAME 0.9332) and after (0.9618, 0.9545)
	// the deidrules3 pass, which did not see it; then used for development by deidrules4 (1.0000, 1.0000)
	{name: "heldout5", minNotes: 70, minimums: map[string]int{"": 650, "NAME": 220, "ADDRESS": 80}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.99, name: 0.99}, tagged: &heldoutFloors{phiRecall: 0.99, name: 0.99}},
	// heldout6: written without reading the recognizers (prose-heavy, relative and lunar dates); scored before
	// (phi_recall 0.9031, NAME 0.9029) and after (0.9193, 0.9114) the deidrules4 pass, which did not see it;
	// a development set since session 6 (2026-11-28; studied, and trained on by phi-bilstm-v2)
	{name: "heldout6", minNotes: 70, minimums: map[string]int{"": 650, "NAME": 220, "ADDRESS": 80}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.94, name: 0.92}, tagged: &heldoutFloors{phiRecall: 0.97, name: 0.97}},
	// heldout7: written without reading the recognizers (a representative eye-hospital archive sample); scored once
	// per configuration at commit c815e53: rules + LAC phi_recall 0.9622, NAME 0.9608; a development set since
	// session 6 (studied, trained on by phi-bilstm-v2)
	{name: "heldout7", minNotes: 75, minimums: map[string]int{"": 700, "NAME": 220, "ADDRESS": 80, "DATE": 100}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.96, name: 0.95}, tagged: &heldoutFloors{phiRecall: 0.98, name: 0.99}},
	// heldout8: written without reading the recognizers (other hospital systems, long follow-up series); scored once
	// at commit 4405629: rules + LAC phi_recall 0.9625, NAME 0.9525; with the tagger 0.9783, 0.9763; a development
	// set since session 6 (studied, trained on by phi-bilstm-v2)
	{name: "heldout8", minNotes: 75, minimums: map[string]int{"": 700, "NAME": 220, "ADDRESS": 80, "DATE": 100}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.95, name: 0.94}, tagged: &heldoutFloors{phiRecall: 0.98, name: 0.98}},
	// heldout9: written without reading the recognizers (a general hospital's eye patients across departments,
	// referral letters, insurance paperwork); scored once at 590d09c: rules + LAC 0.9646, default 0.9924; then
	// phi-bilstm-v2's model-selection set (errors not studied)
	{name: "heldout9", minNotes: 75, minimums: map[string]int{"": 700, "NAME": 220, "ADDRESS": 80, "DATE": 100}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.95, name: 0.95}, tagged: &heldoutFloors{phiRecall: 0.98, name: 0.98}},
	// heldout10: written without reading the recognizers (outpatient optometry, private eye-hospital chains, TCM eye
	// clinics, screening reports, online consultations, call-centre logs, OCR-converted paper records); scored at
	// 15fe97b (default 0.9046) and once more at 40793d4 (0.9422); then a development set (studied)
	{name: "heldout10", minNotes: 80, minimums: map[string]int{"": 800, "NAME": 220, "ADDRESS": 80, "DATE": 250, "RECORD_NUMBER": 80}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.94, name: 0.95}, tagged: &heldoutFloors{phiRecall: 0.97, name: 0.98}},
	// heldout11: written without reading the recognizers (a county medical community and a regional platform:
	// township and village clinics, chronic-disease follow-up series, referral slips, platform exports); scored at
	// 15fe97b (default 0.9275) and once more at 40793d4 (0.9282); then a development set (studied)
	{name: "heldout11", minNotes: 85, minimums: map[string]int{"": 1300, "NAME": 480, "ADDRESS": 130, "DATE": 300, "RECORD_NUMBER": 90}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.90, name: 0.87}, tagged: &heldoutFloors{phiRecall: 0.95, name: 0.93}},
	// heldout12: written without reading the recognizers (a large eye hospital's long-term follow-up archive:
	// 2012-2024, old and new record systems, elderly glaucoma and cataract patients, community referrals); scored
	// once at e3f0956 (default 0.9822, rules + LAC 0.9441); never studied
	{name: "heldout12", minNotes: 90, minimums: map[string]int{"": 1000, "NAME": 300, "ADDRESS": 100, "DATE": 280, "RECORD_NUMBER": 80, "AGE": 90}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.93, name: 0.93}, tagged: &heldoutFloors{phiRecall: 0.97, name: 0.98}},
	// heldout13: written without reading the recognizers (messy exports and other departments' paperwork: spreadsheet
	// and XML/JSON-like dumps, OCR'd paper, trauma and forensic letters, paediatrics, pharmacy/billing, SMS/WeChat,
	// complaints, death records); scored once at e3f0956 (default 0.9093, NAME 0.8223); then a development set
	{name: "heldout13", minNotes: 80, minimums: map[string]int{"": 1000, "NAME": 300, "ADDRESS": 100, "DATE": 250, "RECORD_NUMBER": 80}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.90, name: 0.88}, tagged: &heldoutFloors{phiRecall: 0.94, name: 0.93}},
	// heldout14: written without reading the recognizers (a random sample across one eye hospital's archive,
	// 2015-2025, as a dataset vendor receives it: free-text EMR notes of every type, HL7/XML/JSON/key=value/CSV
	// exports, OCR'd scanned paper); scored once at 668f29b (default 0.9446, rules + LAC 0.9098); never studied
	{name: "heldout14", minNotes: 80, minimums: map[string]int{"": 1000, "NAME": 350, "ADDRESS": 90, "DATE": 250, "RECORD_NUMBER": 80, "ID_NUMBER": 15, "PHONE": 50}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.90, name: 0.86}, tagged: &heldoutFloors{phiRecall: 0.93, name: 0.91}},
	// a development set: written independently, then used to improve the rules
	{name: "dev2", minNotes: 60, minimums: map[string]int{"NAME": 200, "ADDRESS": 80}, validIDs: true, floors: &heldoutFloors{phiRecall: 0.98, name: 0.98}, tagged: &heldoutFloors{phiRecall: 0.99, name: 0.99}},
}

func (g goldSet) txt() string   { return "testdata/" + g.name + ".txt" }
func (g goldSet) jsonl() string { return "testdata/" + g.name + ".jsonl" }

// TestRegenerateGold rewrites each set's JSONL from its markup
// (BINGLI_REGEN_GOLD=1, or the names of the sets to rewrite: heldout3,dev2).
func TestRegenerateGold(t *testing.T) {
	which := os.Getenv("BINGLI_REGEN_GOLD")
	if which == "" {
		t.Skip("set BINGLI_REGEN_GOLD=1 (or a comma-separated list of sets) to regenerate testdata/*.jsonl")
	}
	for _, g := range goldSets {
		if which != "1" && !strings.Contains(","+which+",", ","+g.name+",") {
			continue
		}
		if err := os.WriteFile(g.jsonl(), markupFileJSONL(t, g.txt()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGoldSets checks every gold file: in sync with its markup, enough notes
// with unique ids, known labels, spans in order whose code-point offsets
// select exactly their text, the commissioned sizes.
func TestGoldSets(t *testing.T) {
	for _, g := range goldSets {
		t.Run(g.name, func(t *testing.T) {
			data, err := os.ReadFile(g.jsonl())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, markupFileJSONL(t, g.txt())) {
				t.Fatalf("%s is stale: BINGLI_REGEN_GOLD=%s go test ./services/deid -run TestRegenerateGold", g.jsonl(), g.name)
			}
			lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
			if len(lines) < g.minNotes {
				t.Fatalf("%d notes, want at least %d", len(lines), g.minNotes)
			}
			seen := map[string]bool{}
			counts := map[string]int{}
			for _, l := range lines {
				var n GoldNote
				if err := json.Unmarshal(l, &n); err != nil {
					t.Fatal(err)
				}
				if seen[n.ID] {
					t.Errorf("duplicate note id %s", n.ID)
				}
				seen[n.ID] = true
				rs := []rune(n.Text)
				for i, p := range n.PHI {
					counts[""]++
					counts[p.Label]++
					if p.Start < 0 || p.End > len(rs) || p.Start >= p.End {
						t.Errorf("%s: span %d offsets [%d,%d) out of range", n.ID, i, p.Start, p.End)
						continue
					}
					if got := string(rs[p.Start:p.End]); got != p.Text || utf8.RuneCountInString(p.Text) != p.End-p.Start {
						t.Errorf("%s: span %d offsets [%d,%d) do not select its text", n.ID, i, p.Start, p.End)
					}
					if !knownGoldLabel[p.Label] {
						t.Errorf("%s: span %d has unknown label %q", n.ID, i, p.Label)
					}
					if g.validIDs && p.Label == IDNumber && !residentIDValid(p.Text) {
						t.Errorf("%s: span %d is not a valid resident ID", n.ID, i)
					}
				}
			}
			for label, min := range g.minimums {
				if counts[label] < min {
					t.Errorf("%d spans labelled %q, want at least %d", counts[label], label, min)
				}
			}
		})
	}
}

// TestScores scores the rules and LAC, and the default configuration (with
// the PHI tagger), on every set with floors, logging the per-type counts
// (never span texts).
func TestScores(t *testing.T) {
	for _, g := range goldSets {
		if g.floors != nil {
			t.Run(g.name, func(t *testing.T) {
				rep := scoreHeldout(t, g.jsonl())
				if rep.Notes < g.minNotes {
					t.Errorf("scored %d notes, want at least %d", rep.Notes, g.minNotes)
				}
				checkHeldoutFloors(t, rep, *g.floors)
			})
		}
		if g.tagged != nil {
			t.Run(g.name+"/tagger", func(t *testing.T) {
				rep := scoreGold(t, g.jsonl(), Options{PersonNames: lactest.Model(t), PHIModel: testPHIModel(t)})
				checkHeldoutFloors(t, rep, *g.tagged)
			})
		}
	}
}

// knownGoldLabel lists the labels a gold span may carry.
var knownGoldLabel = map[string]bool{
	"NAME": true, "ID_NUMBER": true, "PHONE": true, "ADDRESS": true, "RECORD_NUMBER": true,
	"DATE": true, "DATE_OF_BIRTH": true, "AGE": true, "EMAIL": true, "URL": true,
	"OTHER_ID": true, "ORGANIZATION": true, "LABEL": true,
}

// residentIDValid reports whether s, once full-width digits are folded and
// dashes dropped, is a valid resident ID (synth.ValidResidentID).
func residentIDValid(s string) bool {
	var b strings.Builder
	for _, r := range s {
		if r = foldRune(r); r != '-' {
			b.WriteRune(r)
		}
	}
	return synth.ValidResidentID(b.String())
}

func TestResidentIDValid(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"110105198503121234", true},
		{"110105 19850312 1234", true},
		{"110105-19850312-1234", true},
		{"１１０１０５１９８５０３１２１２３４", true},
		{"50010319600114359X", true},
		{"620102281106042", true},
		{"110105198503121235", false},
		{"11010519850312123", false},
		{"1101051985031212X4", false},
	} {
		if got := residentIDValid(c.in); got != c.want {
			t.Errorf("residentIDValid(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
