package extract

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
	"unicode/utf8"

	"bingli/services/note"
)

// benchSentences are hand-written (no corpus text), about 250 characters.
const benchSentences = "患者因右眼视物模糊2月、加重1周入院。既往高血压病史10年，口服硝苯地平控释片30mg qd，血压控制可；" +
	"2型糖尿病史5年，皮下注射门冬胰岛素。查体：右眼视力0.1，左眼0.6，右眼眼压21mmHg，晶状体混浊。" +
	"辅助检查：血常规示白细胞12.3×10^9/L，中性粒细胞百分比85%，C反应蛋白45mg/L；胸部CT示右肺下叶结节。" +
	"于2019-03-02在局麻下行右眼白内障超声乳化吸除联合人工晶体植入术，术后予妥布霉素地塞米松滴眼液点眼。" +
	"诊断：1.右眼年龄相关性白内障 2.糖尿病视网膜病变 3.高血压病2级。"

// benchNotes are ~500-character notes: two passes over the sentences,
// rotated so the notes differ.
func benchNotes() []string {
	rs := []rune(benchSentences + benchSentences)
	var notes []string
	for k := 0; k < 8; k++ {
		off := k * 31 % len([]rune(benchSentences))
		notes = append(notes, string(append(append([]rune(nil), rs[off:]...), rs[:off]...)))
	}
	return notes
}

func TestBenchNotesSize(t *testing.T) {
	for _, n := range benchNotes() {
		if c := utf8.RuneCountInString(n); c < 450 || c > 550 {
			t.Fatalf("bench note has %d characters, want about 500", c)
		}
	}
}

// BenchmarkProcess: one goroutine (one core): notes/s, characters/s and
// the 99th percentile of one note's latency.
func BenchmarkProcess(b *testing.B) {
	e := testExtractor(b)
	notes := benchNotes()
	lat := make([]time.Duration, 0, b.N)
	chars := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := &note.Note{NoteID: "b", Text: notes[i%len(notes)]}
		t0 := time.Now()
		if err := e.Process(context.Background(), n); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		chars += utf8.RuneCountInString(n.Text)
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/sec, "notes/s")
	b.ReportMetric(float64(chars)/sec, "chars/s")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[(len(lat)-1)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkProcessParallel: GOMAXPROCS goroutines share one session (as the
// runner's workers do).
func BenchmarkProcessParallel(b *testing.B) {
	e := testExtractor(b)
	notes := benchNotes()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			n := &note.Note{NoteID: "b", Text: notes[i%len(notes)]}
			if err := e.Process(context.Background(), n); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notes/s")
}

// BenchmarkStages splits one note's time between features, ONNX Runtime
// and CRF decoding.
func BenchmarkStages(b *testing.B) {
	e := testExtractor(b)
	text := benchNotes()[0]
	rs := []rune(text)
	f := e.feat.Features(text)
	chunks := Chunks(rs, e.opt.MaxChunk)
	ems, width, _ := e.emissions(f, chunks)
	T := len(e.tags.Tags)
	b.Run("features", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			e.feat.Features(text)
		}
	})
	b.Run("onnx", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := e.emissions(f, chunks); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(fmt.Sprintf("crf-%dchunks", len(chunks)), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for k, c := range chunks {
				L := c.End - c.Start
				e.crf.Viterbi(ems[k*width*T:(k*width+L)*T], L)
			}
		}
	})
}

// BenchmarkProcessIntraOp2: one goroutine, ONNX Runtime using 2 threads
// per Run (the alternative to running notes in parallel).
func BenchmarkProcessIntraOp2(b *testing.B) {
	testExtractor(b) // initialises the runtime
	e, err := New(Options{ModelDir: testModelDir(), IntraOpThreads: 2})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	notes := benchNotes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := &note.Note{NoteID: "b", Text: notes[i%len(notes)]}
		if err := e.Process(context.Background(), n); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notes/s")
}
