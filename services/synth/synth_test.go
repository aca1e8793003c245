package synth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"bingli/services/note"
)

// generate writes an archive into a fresh temp dir.
func generate(t *testing.T, cfg Config) (string, Summary) {
	t.Helper()
	dir := t.TempDir()
	s, err := Write(context.Background(), cfg, dir)
	if err != nil {
		t.Fatalf("Write(%+v): %v", cfg, err)
	}
	return dir, s
}

func readGold(t *testing.T, dir string) []GoldNote {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, FileGold))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []GoldNote
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	for sc.Scan() {
		var g GoldNote
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatalf("gold line %d: %v", len(out)+1, err)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func readManifest(t *testing.T, dir string) Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, FileManifest))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// archiveBytes reads every file under dir, keyed by relative path.
func archiveBytes(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	tests := []struct {
		name string
		a, b Config
		same bool
	}{
		{"same seed", Config{Patients: 60, Seed: 42, Broken: true}, Config{Patients: 60, Seed: 42, Broken: true}, true},
		{"other seed", Config{Patients: 60, Seed: 42}, Config{Patients: 60, Seed: 43}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			da, sa := generate(t, tt.a)
			db, sb := generate(t, tt.b)
			fa, fb := archiveBytes(t, da), archiveBytes(t, db)
			same := len(fa) == len(fb) && sa.Notes == sb.Notes
			for k, v := range fa {
				same = same && bytes.Equal(v, fb[k])
			}
			if same != tt.same {
				t.Errorf("archives identical = %v, want %v", same, tt.same)
			}
		})
	}
}

// A patient is the same whatever the number of patients generated.
func TestPatientStableAcrossSizes(t *testing.T) {
	small, _ := generate(t, Config{Patients: 10, Seed: 5})
	large, _ := generate(t, Config{Patients: 30, Seed: 5})
	gs, gl := readGold(t, small), readGold(t, large)
	if len(gl) < len(gs) {
		t.Fatalf("30 patients gave %d notes, 10 gave %d", len(gl), len(gs))
	}
	for i := range gs {
		if gs[i].ID != gl[i].ID || gs[i].Text != gl[i].Text {
			t.Fatalf("note %d differs between sizes", i)
		}
	}
}

var (
	phiLabels = []string{LabelName, LabelIDNumber, LabelPhone, LabelAddress, LabelRecordNumber, LabelDate,
		LabelDateOfBirth, LabelAge, LabelEmail, LabelOrganization, LabelOtherID}
	measureKinds = []string{KindVA, KindBCVA, KindIOP, KindAxial, KindSphere, KindCupDisc, KindCMT, KindHbA1c}
	assertions   = []note.Assertion{note.Present, note.Negated, note.Possible, note.History, note.Family}
)

func TestGoldSpans(t *testing.T) {
	dir, sum := generate(t, Config{Patients: 300, Seed: 11})
	gold := readGold(t, dir)
	if len(gold) != sum.Notes {
		t.Fatalf("gold has %d lines, Summary.Notes = %d", len(gold), sum.Notes)
	}
	seenLabel := map[string]int{}
	seenKind := map[string]int{}
	seenAssert := map[note.Assertion]int{}
	check := func(g *GoldNote, what string, start, end int, text string) {
		runes := []rune(g.Text)
		if start < 0 || end > len(runes) || start >= end {
			t.Fatalf("%s %s [%d,%d) out of range (len %d)", g.ID, what, start, end, len(runes))
		}
		if got := string(runes[start:end]); got != text {
			t.Fatalf("%s %s [%d,%d) = %q, gold says %q", g.ID, what, start, end, got, text)
		}
	}
	lastDate := map[string]string{}
	for i := range gold {
		g := &gold[i]
		if g.Text == "" || !utf8.ValidString(g.Text) {
			t.Fatalf("%s: empty or invalid text", g.ID)
		}
		if prev, ok := lastDate[g.PatientID]; ok && g.VisitDate <= prev {
			t.Errorf("%s: visit %s not after %s", g.PatientID, g.VisitDate, prev)
		}
		lastDate[g.PatientID] = g.VisitDate
		prevEnd := 0
		for _, p := range g.PHI {
			check(g, p.Label, p.Start, p.End, p.Text)
			if !slices.Contains(phiLabels, p.Label) {
				t.Errorf("%s: unknown PHI label %q", g.ID, p.Label)
			}
			if p.Start < prevEnd {
				t.Errorf("%s: PHI spans overlap or are out of order at %d", g.ID, p.Start)
			}
			prevEnd = p.End
			seenLabel[p.Label]++
			if p.Label == LabelIDNumber && !ValidResidentID(p.Text) {
				t.Errorf("%s: ID number %q fails check-digit validation", g.ID, p.Text)
			}
			if p.Label == LabelAge && (len(p.Text) != 2 || p.Text < "90") {
				t.Errorf("%s: AGE %q is not an age of 90 or over", g.ID, p.Text)
			}
		}
		for _, d := range g.Diagnoses {
			check(g, "diagnosis", d.Start, d.End, d.Text)
			if d.ICD10 == "" || !slices.Contains(assertions, d.Assertion) {
				t.Errorf("%s: diagnosis %+v lacks a code or assertion", g.ID, d)
			}
			seenAssert[d.Assertion]++
		}
		for _, m := range g.Measurements {
			check(g, "measurement", m.Start, m.End, m.Text)
			if !slices.Contains(measureKinds, m.Kind) || !strings.Contains(m.Text, strconv.FormatFloat(m.Value, 'f', -1, 64)) && m.Value != 0 {
				t.Errorf("%s: measurement %+v has unknown kind or no value", g.ID, m)
			}
			if m.Kind == KindHbA1c && m.Eye != note.EyeNone || m.Kind != KindHbA1c && m.Eye == note.EyeNone {
				t.Errorf("%s: measurement %+v has the wrong laterality", g.ID, m)
			}
			seenKind[m.Kind]++
		}
	}
	for _, l := range phiLabels {
		if seenLabel[l] == 0 {
			t.Errorf("no %s in 300 patients", l)
		}
	}
	for _, k := range measureKinds {
		if seenKind[k] == 0 {
			t.Errorf("no %s measurement in 300 patients", k)
		}
	}
	for _, a := range assertions {
		if seenAssert[a] == 0 {
			t.Errorf("no %s diagnosis in 300 patients", a)
		}
	}
	t.Logf("PHI %v", seenLabel)
}

// TestArchiveMatchesGold reads every archive file the way an ingest would
// and checks that valid notes match gold exactly and broken ones are where
// the manifest says.
func TestArchiveMatchesGold(t *testing.T) {
	for _, broken := range []bool{false, true} {
		t.Run(map[bool]string{false: "clean", true: "broken"}[broken], func(t *testing.T) {
			dir, sum := generate(t, Config{Patients: 120, Seed: 3, MeanVisits: 4, Broken: broken})
			gold := readGold(t, dir)
			man := readManifest(t, dir)
			byID := map[string]*GoldNote{}
			for i := range gold {
				byID[gold[i].ID] = &gold[i]
			}
			brokenAt := map[string]map[int]string{FileJSONL: {}, FileCSV: {}}
			for _, b := range man.BrokenList {
				brokenAt[b.File][b.Line] = b.Reason
			}
			if len(man.BrokenList) != sum.Broken || man.Broken != sum.Broken {
				t.Fatalf("manifest lists %d broken (says %d), Summary %d", len(man.BrokenList), man.Broken, sum.Broken)
			}
			if broken && sum.Broken < int(numBrokenKinds) {
				t.Fatalf("Broken: %d broken records, want at least %d", sum.Broken, numBrokenKinds)
			}
			if !broken && sum.Broken != 0 {
				t.Fatalf("not Broken but %d broken records", sum.Broken)
			}
			found := 0
			match := func(id, patient, date, typ, text, where string) {
				g, ok := byID[id]
				if !ok {
					t.Fatalf("%s: note %s not in gold", where, id)
				}
				if g.Text != text || g.PatientID != patient || (date != "" && g.VisitDate != date) || (typ != "" && g.NoteType != typ) {
					t.Fatalf("%s: note %s differs from gold", where, id)
				}
				found++
			}

			// JSONL
			jb, err := os.ReadFile(filepath.Join(dir, DirArchive, FileJSONL))
			if err != nil {
				t.Fatal(err)
			}
			brokenSeen := 0
			for i, line := range bytes.Split(bytes.TrimSuffix(jb, []byte("\n")), []byte("\n")) {
				ln := i + 1
				var n jsonlNote
				err := json.Unmarshal(line, &n)
				bad := err != nil || !utf8.Valid(line) || n.Text == "" || len(n.Text) > OversizeBytes
				if _, listed := brokenAt[FileJSONL][ln]; listed != bad {
					t.Fatalf("%s line %d: broken=%v, manifest listed=%v", FileJSONL, ln, bad, listed)
				}
				if bad {
					brokenSeen++
					continue
				}
				match(n.NoteID, n.PatientID, n.VisitDate, n.NoteType, n.Text, FileJSONL)
			}

			// CSV: GB18030, header, RFC 4180 quoting, physical line numbers
			cb, err := os.ReadFile(filepath.Join(dir, DirArchive, FileCSV))
			if err != nil {
				t.Fatal(err)
			}
			dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(cb)
			if err != nil {
				t.Fatalf("CSV does not decode as GB18030: %v", err)
			}
			r := csv.NewReader(bytes.NewReader(dec))
			r.FieldsPerRecord = 5
			header, err := r.Read()
			if err != nil || !slices.Equal(header, CSVHeader) {
				t.Fatalf("CSV header = %q, %v; want %q", header, err, CSVHeader)
			}
			multiline := 0
			for {
				rec, err := r.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("CSV: %v", err)
				}
				ln, _ := r.FieldPos(0)
				bad := rec[4] == "" || strings.ContainsRune(rec[4], utf8.RuneError)
				if _, listed := brokenAt[FileCSV][ln]; listed != bad {
					t.Fatalf("%s line %d: broken=%v, manifest listed=%v", FileCSV, ln, bad, listed)
				}
				if bad {
					brokenSeen++
					continue
				}
				if strings.Contains(rec[4], "\n") {
					multiline++
				}
				match(rec[0], rec[1], rec[2], rec[3], rec[4], FileCSV)
			}
			if multiline == 0 {
				t.Error("no CSV note with a newline inside its text field")
			}
			if brokenSeen != sum.Broken {
				t.Errorf("found %d broken records, Summary says %d", brokenSeen, sum.Broken)
			}

			// txt: UTF-8 or UTF-16LE with BOM; ids from the path
			txt := 0
			for _, rel := range sum.Files {
				if !strings.HasPrefix(rel, DirTxt+"/") {
					continue
				}
				b, err := os.ReadFile(filepath.Join(dir, DirArchive, rel))
				if err != nil {
					t.Fatal(err)
				}
				var text string
				if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
					u := make([]uint16, (len(b)-2)/2)
					for i := range u {
						u[i] = uint16(b[2+2*i]) | uint16(b[3+2*i])<<8
					}
					text = string(utf16.Decode(u))
				} else {
					text = string(b)
				}
				parts := strings.Split(rel, "/")
				match(strings.TrimSuffix(parts[2], ".txt"), parts[1], "", "", text, rel)
				txt++
			}
			if txt == 0 || txt != man.TxtUTF8+man.TxtUTF16LE {
				t.Errorf("%d txt notes, manifest says %d + %d", txt, man.TxtUTF8, man.TxtUTF16LE)
			}
			if found != sum.Notes || found != len(gold) {
				t.Errorf("notes across files = %d, Summary.Notes = %d, gold = %d", found, sum.Notes, len(gold))
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Write(ctx, Config{Patients: 10}, t.TempDir()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write with a cancelled context: %v, want context.Canceled", err)
	}
}
