package runner

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	processedTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "bingli_notes_processed_total",
		Help: "Notes a stage processed and passed on.",
	}, []string{"stage"})
	deadLetteredTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "bingli_notes_dead_lettered_total",
		Help: "Notes a stage sent to its dead-letter subject.",
	}, []string{"stage"})
	retriedTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "bingli_notes_retried_total",
		Help: "Transient failures that were negatively acknowledged for redelivery.",
	}, []string{"stage"})
	processSeconds = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "bingli_stage_process_seconds",
		Help:    "Time a stage's Process took per note.",
		Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
	}, []string{"stage"})
)

// Stats counts what one runner did in this process.
type Stats struct {
	Processed    atomic.Int64
	DeadLettered atomic.Int64
	Retried      atomic.Int64
}
