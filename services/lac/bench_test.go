package lac_test

import (
	"strings"
	"testing"

	"bingli/services/lac/lactest"
)

// BenchmarkAnalyze measures characters per second on clause-sized windows
// (the way deid calls it), batch of 32.
func BenchmarkAnalyze(b *testing.B) {
	m := lactest.Model(b)
	clause := []rune(strings.Repeat("今日复诊，陈晓梅诉左眼仍畏光，查体见角膜透明。", 2))
	batch := make([][]rune, 32)
	for i := range batch {
		batch[i] = clause
	}
	b.SetBytes(int64(len(string(clause)) * len(batch)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Analyze(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(clause)*len(batch)*b.N)/b.Elapsed().Seconds(), "chars/s")
}
