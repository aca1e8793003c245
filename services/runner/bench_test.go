package runner_test

import (
	"testing"
	"time"
)

// BenchmarkRunnerNoop measures the runner's own overhead: a no-op stage
// reading from and publishing to JetStream file storage, 1 KB notes.
//
//	go test ./services/runner -run '^$' -bench RunnerNoop -benchtime 20000x
func BenchmarkRunnerNoop(b *testing.B) {
	e := newEnv(b, "noop", 5)
	e.publish(b, b.N, 1000)
	b.ResetTimer()
	start := time.Now()
	stop, stats := e.start(b, noop{}, 2)
	waitFor(b, "all processed", func() bool { return stats.Processed.Load() == int64(b.N) })
	elapsed := time.Since(start)
	b.StopTimer()
	stop()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "notes/s")
}
