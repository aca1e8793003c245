package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"bingli/services/index/opensearchtest"
	"bingli/services/note"
)

// The scale benchmark of issue 7: index N synthetic notes (documents made
// directly, no NLP pipeline), then time a fixed mix of cohort queries.
//
//	BINGLI_SCALE_NOTES=1000000 go test ./services/index -run TestScale -v -timeout 3h
//
//	BINGLI_SCALE_BACKENDS  embedded (default), opensearch, or embedded,opensearch
//	BINGLI_SCALE_DIR       keep the embedded index there; a rerun with the
//	                       same N reuses it and only times the queries
//	BINGLI_SCALE_BATCH     notes per Upsert (default 1000)
//	BINGLI_SCALE_ROUNDS    times each query runs (default 20)
//	BINGLI_SCALE_COUNT_ABOVE  embedded: aggregate by count queries above
//	                       this many matches (default 2000; 1000000000 reads
//	                       every match's stored keys, the old path)
//
// Skipped unless BINGLI_SCALE_NOTES is set.

// scaleCodes is the diagnosis mix of the synthetic notes: common
// ophthalmology diagnoses and a long tail of rare codes (small cells).
var scaleCodes = []struct {
	code   string
	weight int // per 1000 diagnoses
}{
	{"H40.1", 120}, {"H40.2", 40}, {"H40.9", 10}, {"H25.9", 160}, {"H26.9", 50}, {"H35.3", 60},
	{"E11.3", 80}, {"H52.1", 140}, {"H16.0", 40}, {"H10.9", 60}, {"H33.0", 20}, {"H04.1", 80},
	{"H47.2", 3}, {"H49.0", 2}, {"H18.6", 4}, {"H44.2", 5}, {"H34.8", 4}, {"Q12.0", 1},
	{"H20.0", 12}, {"H11.0", 15}, {"", 44},
}

var scaleTypes = []string{"门诊病历", "门诊病历", "门诊病历", "门诊病历", "复诊记录", "住院病历", "手术记录", "出院记录"}

// scaleNote builds note i deterministically (the same i gives the same
// note on every run): ~6 notes a patient, visits 2015-2024 with more in
// later years, 0-4 diagnoses, 0-4 IOP or acuity measurements and
// 200-700 characters of text (about 440 on average, like the synthetic
// archive's notes).
func scaleNote(i int, totalWeight int) *note.Note {
	r := rand.New(rand.NewPCG(uint64(i), 0x5ca1e))
	n := &note.Note{
		SchemaVersion: note.SchemaVersion,
		NoteID:        fmt.Sprintf("s%08d", i),
		Source:        note.Source{File: "scale.jsonl", Line: i + 1, Format: "jsonl", Encoding: "utf-8"},
		PatientID:     fmt.Sprintf("P%07d", i/6),
		NoteType:      scaleTypes[r.IntN(len(scaleTypes))],
	}
	if r.IntN(50) != 0 { // 2% undated
		y := 2015 + int(10*(1-r.Float64()*r.Float64())) // more notes in later years
		n.VisitDate = fmt.Sprintf("%d-%02d-%02d", min(y, 2024), 1+r.IntN(12), 1+r.IntN(28))
	}
	want := 200 + r.IntN(500)
	var text strings.Builder
	for chars := 0; chars < want; {
		p := fixturePhrases[r.IntN(len(fixturePhrases))]
		text.WriteString(p)
		chars += len([]rune(p))
	}
	n.Text = text.String()
	for range r.IntN(5) {
		x, code := r.IntN(totalWeight), ""
		for _, c := range scaleCodes {
			if x < c.weight {
				code = c.code
				break
			}
			x -= c.weight
		}
		n.Diagnoses = append(n.Diagnoses, note.Diagnosis{Text: "诊断", Start: 0, End: 2, ICD10: code,
			Eye: fixtureEyes[r.IntN(len(fixtureEyes))], Assertion: fixtureAssertions[r.IntN(len(fixtureAssertions))]})
	}
	for range r.IntN(5) {
		kind, v, unit := "iop", 10+float64(r.IntN(250))/10, "mmHg"
		if r.IntN(2) == 0 {
			kind, v, unit = "va", float64(1+r.IntN(15))/10, ""
		}
		n.Measurements = append(n.Measurements, note.Measurement{Text: "眼压", Start: 0, End: 2, Kind: kind, Value: &v, Unit: unit,
			Eye: fixtureEyes[r.IntN(4)]})
	}
	return n
}

// scaleQueries is the fixed query mix: what a dataset builder asks, from a
// broad cohort with every aggregation to a rare code.
var scaleQueries = []struct {
	name string
	q    Query
}{
	{"POAG either eye, present; 100 ids; 3 aggregations", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H40.1"}, Eye: "either", Assertions: []note.Assertion{note.Present}}, Size: 100,
		Aggregations: []Aggregation{ByCategory, ByEye, ByVisitYear}}},
	{"H40 in 2020-2021; 100 ids", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H40"}}, VisitFrom: "2020-01-01", VisitTo: "2021-12-31", Size: 100}},
	{"E11.3 inpatient; by year", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"E11.3"}}, NoteTypes: []string{"住院病历"}, Aggregations: []Aggregation{ByVisitYear}}},
	{"text 视野 + H40; 50 ids", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H40"}}, Text: "视野", Size: 50}},
	{"rare H47.2; 100 ids; by category, eye", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H47.2"}}, Size: 100, Aggregations: []Aggregation{ByCategory, ByEye}}},
	{"both eyes negated; 10 ids", Query{Diagnosis: &DiagnosisFilter{Eye: "both", Assertions: []note.Assertion{note.Negated}}, Size: 10}},
	{"H25 right eye 2023; 100 ids; by eye", Query{Diagnosis: &DiagnosisFilter{Codes: []string{"H25"}, Eye: "right"}, VisitFrom: "2023-01-01", VisitTo: "2023-12-31", Size: 100, Aggregations: []Aggregation{ByEye}}},
	{"all notes; count by year", Query{Aggregations: []Aggregation{ByVisitYear}}},
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestScale(t *testing.T) {
	n := envInt("BINGLI_SCALE_NOTES", 0)
	if n == 0 {
		t.Skip("set BINGLI_SCALE_NOTES (e.g. 1000000) to run the scale benchmark")
	}
	backends := strings.Split(os.Getenv("BINGLI_SCALE_BACKENDS"), ",")
	if backends[0] == "" {
		backends = []string{"embedded"}
	}
	for _, name := range backends {
		t.Run(name, func(t *testing.T) {
			var b Backend
			switch name {
			case "embedded":
				dir := os.Getenv("BINGLI_SCALE_DIR")
				if dir == "" {
					dir = t.TempDir()
				}
				bl, err := OpenBleve(BleveOptions{Dir: filepath.Join(dir, fmt.Sprintf("scale-%d", n))})
				if err != nil {
					t.Fatal(err)
				}
				defer bl.Close()
				b = bl
			case "opensearch":
				b = newOpenSearchBackend(t, opensearchtest.Shared(t), nil)
			default:
				t.Fatalf("backend %q: want embedded or opensearch", name)
			}
			scaleRun(t, name, b, n)
		})
	}
}

func scaleRun(t *testing.T, name string, b Backend, n int) {
	ctx := context.Background()
	have, err := b.Search(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if have.Total == n {
		t.Logf("%s: index already holds %d notes; timing queries only", name, n)
	} else {
		scaleIndex(t, name, b, n)
	}
	if v, err := strconv.Atoi(os.Getenv("BINGLI_SCALE_COUNT_ABOVE")); err == nil { // compare the embedded aggregation paths
		old := bleveCountAbove
		bleveCountAbove = v
		t.Cleanup(func() { bleveCountAbove = old })
	}
	rounds := envInt("BINGLI_SCALE_ROUNDS", 20)
	// One warm-up pass, then rounds passes over the mix, interleaved.
	per := make([][]time.Duration, len(scaleQueries))
	totals := make([]int, len(scaleQueries))
	for round := -1; round < rounds; round++ {
		for i, sq := range scaleQueries {
			start := time.Now()
			res, err := b.Search(ctx, sq.q)
			d := time.Since(start)
			if err != nil {
				t.Fatalf("%s: %v", sq.name, err)
			}
			if round >= 0 {
				per[i] = append(per[i], d)
			}
			totals[i] = res.Total
		}
	}
	var all []time.Duration
	t.Logf("%s: %d notes, %d rounds of %d queries", name, n, rounds, len(scaleQueries))
	t.Logf("| query | matching notes | p50 | p95 |")
	t.Logf("|---|---|---|---|")
	for i, sq := range scaleQueries {
		all = append(all, per[i]...)
		p50, p95 := percentiles(per[i])
		t.Logf("| %s | %d | %v | %v |", sq.name, totals[i], p50.Round(100*time.Microsecond), p95.Round(100*time.Microsecond))
	}
	p50, p95 := percentiles(all)
	t.Logf("| **all %d queries** | | **%v** | **%v** |", len(all), p50.Round(100*time.Microsecond), p95.Round(100*time.Microsecond))
}

// scaleIndex indexes notes 0..n-1 in batches, generating the next batch
// while the current one is written.
func scaleIndex(t *testing.T, name string, b Backend, n int) {
	ctx := context.Background()
	batch := envInt("BINGLI_SCALE_BATCH", 1000)
	total := 0
	for _, c := range scaleCodes {
		total += c.weight
	}
	batches := make(chan []*note.Note, 2)
	go func() {
		defer close(batches)
		for from := 0; from < n; from += batch {
			notes := make([]*note.Note, 0, batch)
			for i := from; i < min(n, from+batch); i++ {
				notes = append(notes, scaleNote(i, total))
			}
			batches <- notes
		}
	}()
	cpu0 := cpuTime()
	start, last, lastN, done := time.Now(), time.Now(), 0, 0
	for notes := range batches {
		if err := b.Upsert(ctx, notes); err != nil {
			t.Fatalf("upsert at %d: %v", done, err)
		}
		done += len(notes)
		if done-lastN >= 100000 || done == n {
			t.Logf("%s: %d notes indexed, %.0f notes/s over the last %d, %.0f notes/s overall", name, done,
				float64(done-lastN)/time.Since(last).Seconds(), done-lastN, float64(done)/time.Since(start).Seconds())
			last, lastN = time.Now(), done
		}
	}
	if err := b.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	el, cpu := time.Since(start), cpuTime()-cpu0
	t.Logf("%s: indexed %d notes in %v: %.0f notes/s (batches of %d); this process used %.0f CPU-s (%.2f cores on average, %.0f notes per CPU-second; an OpenSearch node's CPU is not counted)",
		name, n, el.Round(time.Second), float64(n)/el.Seconds(), batch, cpu.Seconds(), cpu.Seconds()/el.Seconds(), float64(n)/cpu.Seconds())
	res, err := b.Search(ctx, Query{})
	if err != nil || res.Total != n {
		t.Fatalf("after indexing: total %d, want %d (%v)", res.Total, n, err)
	}
}

func percentiles(ds []time.Duration) (p50, p95 time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return at(0.50), at(0.95)
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
