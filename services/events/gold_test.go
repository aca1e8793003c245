package events

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"bingli/services/goldmarkup"
	"bingli/services/jsonl"
)

// kindAlias maps the markup's short kinds to kinds and normalised units.
var kindAlias = map[string][2]string{
	"va": {KindVA, ""}, "bcva": {KindBCVA, ""}, "iop": {KindIOP, "mmHg"}, "al": {KindAxial, "mm"},
	"sph": {KindSphere, "D"}, "cyl": {KindCylinder, "D"}, "cd": {KindCupDisc, ""}, "cmt": {KindCMT, "μm"},
	"hba1c": {KindHbA1c, "%"}, "schirmer": {KindSchirmer, "mm/5min"}, "tbut": {KindTBUT, "s"},
}

var eyeAlias = map[string]string{"R": "right", "L": "left", "B": "both", "-": ""}

// parseMarkup turns a testdata/measurements_*.txt file (measurements marked
// [[text|kind|value|eye]] or [[text|other:Name|value|eye|unit]]) into gold
// notes with exact code-point offsets.
func parseMarkup(src, split string) ([]GoldNote, error) {
	var notes []GoldNote
	for _, b := range goldmarkup.Blocks(src) {
		cur := GoldNote{ID: strings.TrimSpace(b.Header), Split: split}
		text, marks, err := goldmarkup.Strip(b.Body, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", cur.ID, err)
		}
		cur.Text = text
		for _, m := range marks {
			f := m.Fields
			if len(f) < 4 {
				return nil, fmt.Errorf("%s: bad markup %q", cur.ID, m.Raw)
			}
			g := GoldMeasurement{Text: f[0], Start: m.Start, End: m.End}
			if k, ok := kindAlias[f[1]]; ok {
				g.Kind, g.Unit = k[0], k[1]
			} else if strings.HasPrefix(f[1], "other:") && len(f) == 5 {
				g.Kind, g.Unit = KindOther, f[4]
			} else {
				return nil, fmt.Errorf("%s: bad kind in %q", cur.ID, m.Raw)
			}
			v, err := parseValue(f[2])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cur.ID, err)
			}
			g.Value = v
			e, ok := eyeAlias[f[3]]
			if !ok {
				return nil, fmt.Errorf("%s: bad eye in %q", cur.ID, m.Raw)
			}
			if err := g.Eye.UnmarshalJSON([]byte(strconv.Quote(e))); e != "" && err != nil {
				return nil, err
			}
			cur.Measurements = append(cur.Measurements, g)
		}
		notes = append(notes, cur)
	}
	return notes, nil
}

func parseValue(s string) (float64, error) {
	if a, b, ok := strings.Cut(s, "/"); ok {
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 != nil || err2 != nil || y == 0 {
			return 0, fmt.Errorf("bad value %q", s)
		}
		return x / y, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("bad value %q", s)
	}
	return v, nil
}

// goldJSONL renders measurements.jsonl from the two markup files.
func goldJSONL(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, part := range []struct{ file, split string }{
		{"testdata/measurements_dev.txt", "dev"}, {"testdata/measurements_test.txt", "test"},
	} {
		src, err := os.ReadFile(part.file)
		if err != nil {
			t.Fatal(err)
		}
		notes, err := parseMarkup(string(src), part.split)
		if err != nil {
			t.Fatalf("%s: %v", part.file, err)
		}
		b, err := jsonl.Marshal(notes)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
	}
	return buf.Bytes()
}

// TestRegenerateGold rewrites testdata/measurements.jsonl from the markup.
func TestRegenerateGold(t *testing.T) {
	if os.Getenv("BINGLI_REGEN_GOLD") == "" {
		t.Skip("set BINGLI_REGEN_GOLD=1 to regenerate testdata/measurements.jsonl")
	}
	if err := os.WriteFile("testdata/measurements.jsonl", goldJSONL(t), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGoldUpToDate(t *testing.T) {
	data, err := os.ReadFile("testdata/measurements.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, goldJSONL(t)) {
		t.Fatal("testdata/measurements.jsonl is stale: run BINGLI_REGEN_GOLD=1 go test ./services/events -run TestRegenerateGold")
	}
}

// readGold reads measurements.jsonl, keeping the notes of one split ("" = all).
func readGold(t testing.TB, split string) []GoldNote {
	t.Helper()
	data, err := os.ReadFile("testdata/measurements.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out []GoldNote
	for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var g GoldNote
		if err := json.Unmarshal(line, &g); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if split == "" || g.Split == split {
			out = append(out, g)
		}
	}
	return out
}

func TestGoldOffsetsAndSize(t *testing.T) {
	count := map[string]int{}
	ids := map[string]bool{}
	for _, g := range readGold(t, "") {
		if ids[g.ID] {
			t.Errorf("duplicate id %s", g.ID)
		}
		ids[g.ID] = true
		rs := []rune(g.Text)
		for _, m := range g.Measurements {
			if m.Start < 0 || m.End > len(rs) || m.Start >= m.End || string(rs[m.Start:m.End]) != m.Text {
				t.Errorf("%s: span [%d,%d) is not %q", g.ID, m.Start, m.End, m.Text)
			}
			if _, ok := kindUnits[m.Kind]; !ok {
				t.Errorf("%s: unknown kind %q", g.ID, m.Kind)
			}
		}
		count[g.Split] += len(g.Measurements)
	}
	if count["dev"]+count["test"] < 300 || count["test"] < 100 {
		t.Errorf("gold has %d dev + %d test measurements; want ≥300 in all and ≥100 test", count["dev"], count["test"])
	}
	t.Logf("gold measurements: dev=%d test=%d", count["dev"], count["test"])
}

var kindUnits = map[string]bool{
	KindVA: true, KindBCVA: true, KindIOP: true, KindAxial: true, KindSphere: true, KindCylinder: true,
	KindCupDisc: true, KindCMT: true, KindHbA1c: true, KindSchirmer: true, KindTBUT: true, KindOther: true,
}

func jsonlOf(t testing.TB, notes []GoldNote) *bytes.Reader {
	var buf bytes.Buffer
	for _, n := range notes {
		b, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return bytes.NewReader(buf.Bytes())
}

// debugMisses logs every gold measurement not matched and every false
// positive (BINGLI_EVENTS_DEBUG=1; development only).
func debugMisses(t *testing.T, s *Stage, notes []GoldNote) {
	if os.Getenv("BINGLI_EVENTS_DEBUG") == "" {
		return
	}
	for _, g := range notes {
		pred, _, _ := s.Extract(g.Text)
		used := make([]bool, len(pred))
		for _, gm := range g.Measurements {
			ok := false
			for j, p := range pred {
				if !used[j] && p.Kind == gm.Kind && sameValue(*p.Value, gm.Value) && p.Eye == gm.Eye && overlaps(gm, p) {
					used[j], ok = true, true
					break
				}
			}
			if !ok {
				t.Logf("%s MISS %q %s %v %q", g.ID, gm.Text, gm.Kind, gm.Value, gm.Eye)
			}
		}
		for j, p := range pred {
			if !used[j] {
				t.Logf("%s FP   %q %s %v %q [%d,%d)", g.ID, p.Text, p.Kind, *p.Value, p.Eye, p.Start, p.End)
			}
		}
	}
}

func TestEvaluateDev(t *testing.T) {
	s := New()
	notes := readGold(t, "dev")
	rep, err := Evaluate(jsonlOf(t, notes), s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dev split:\n%s", rep)
	debugMisses(t, s, notes)
	if rep.F1() < 0.90 || rep.LateralityAccuracy() < 0.95 {
		t.Errorf("dev: measurement F1 %.4f (want ≥0.90), laterality %.4f (want ≥0.95)", rep.F1(), rep.LateralityAccuracy())
	}
}

// TestEvaluateTest scores the held-out split. It is skipped unless asked
// for so that development never looks at it:
//
//	BINGLI_EVENTS_TEST_SPLIT=1 go test ./services/events -run TestEvaluateTest -v
func TestEvaluateTest(t *testing.T) {
	if os.Getenv("BINGLI_EVENTS_TEST_SPLIT") == "" {
		t.Skip("set BINGLI_EVENTS_TEST_SPLIT=1 to score the held-out test split")
	}
	s := New()
	notes := readGold(t, "test")
	rep, err := Evaluate(jsonlOf(t, notes), s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("test split:\n%s", rep)
	debugMisses(t, s, notes)
}

// TestEvaluateSynth scores a synthetic gold file:
//
//	go run ./services/bingli synth --patients 50 --out /tmp/ev
//	BINGLI_SYNTH_GOLD=/tmp/ev/gold.jsonl go test ./services/events -run TestEvaluateSynth -v
func TestEvaluateSynth(t *testing.T) {
	path := os.Getenv("BINGLI_SYNTH_GOLD")
	if path == "" {
		t.Skip("set BINGLI_SYNTH_GOLD to a gold.jsonl from `bingli synth`")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Evaluate(f, New())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("synthetic gold %s:\n%s", path, rep)
	if os.Getenv("BINGLI_EVENTS_DEBUG") != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var notes []GoldNote
		for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			var g GoldNote
			if err := json.Unmarshal(line, &g); err != nil {
				t.Fatal(err)
			}
			notes = append(notes, g)
		}
		debugMisses(t, New(), notes)
	}
}
