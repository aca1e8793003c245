package synth

import (
	"context"
	"testing"
)

func benchmarkWrite(b *testing.B, patients int) {
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		s, err := Write(context.Background(), Config{Patients: patients, Seed: 7, Broken: true}, dir)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(s.Notes), "notes/op")
	}
}

func BenchmarkWrite1k(b *testing.B) { benchmarkWrite(b, 1000) }
