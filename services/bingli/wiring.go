package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.uber.org/zap"

	"bingli/services/bus"
	"bingli/services/note"
	"bingli/services/pipeline"
	"bingli/services/runner"
	"bingli/services/stage"
)

func noteSchemaVersion() string { return note.SchemaVersion }

// topology derives the bus topology of a pipeline definition.
func topology(def *pipeline.Definition) bus.Topology {
	return bus.Topology{
		Stages:     def.StageNames(),
		Replicas:   1,
		MaxDeliver: def.Runner.MaxDeliver,
		AckWait:    def.Runner.AckWait,
	}
}

// jetStream opens JetStream on nc with a bounded window of async publishes.
// An async publish whose ack does not come within publishAckWait (the
// server restarted before storing it) fails, and ingest publishes it again.
func jetStream(nc *nats.Conn) (jetstream.JetStream, error) {
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4096), jetstream.WithPublishAsyncTimeout(publishAckWait))
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	return js, nil
}

// publishAckWait bounds the wait for an async publish's ack.
const publishAckWait = 30 * time.Second

// stageSet runs a set of stages of one pipeline in this process.
type stageSet struct {
	wg     sync.WaitGroup
	stats  map[string]*runner.Stats
	errs   chan error
	stages []stage.Stage
}

// startStages builds and starts the named stages (all when names is empty).
func startStages(ctx context.Context, js jetstream.JetStream, def *pipeline.Definition, names []string, env pipeline.Env, log *zap.Logger) (*stageSet, error) {
	reg := registry()
	topo := topology(def)
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	set := &stageSet{stats: map[string]*runner.Stats{}, errs: make(chan error, len(def.Stages))}
	for i, sc := range def.Stages {
		if len(want) > 0 && !want[sc.Name] {
			continue
		}
		st, err := reg.Build(def, sc, env)
		if err != nil {
			return nil, err
		}
		set.stages = append(set.stages, st)
		link := topo.Links()[i]
		stats := &runner.Stats{}
		set.stats[sc.Name] = stats
		cfg := runner.Config{
			Stage:       st,
			Link:        link,
			Out:         bus.NotesSubject(sc.Name),
			Concurrency: sc.Concurrency,
			Prefetch:    def.Runner.Prefetch,
			Timeout:     def.Runner.Timeout,
			Log:         log,
			Stats:       stats,
		}
		set.wg.Add(1)
		go func() {
			defer set.wg.Done()
			if err := runner.Run(ctx, js, cfg); err != nil {
				set.errs <- err
			}
		}()
	}
	return set, nil
}

// Wait blocks until every stage has drained, then closes the stages that
// hold resources (an index), returning the first error.
func (s *stageSet) Wait() error {
	s.wg.Wait()
	var err error
	select {
	case err = <-s.errs:
	default:
	}
	for _, st := range s.stages {
		if c, ok := st.(io.Closer); ok {
			if cerr := c.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("close %s: %w", st.Name(), cerr)
			}
		}
	}
	return err
}

// serveHTTP serves /healthz and /metrics (and extra handlers) on addr until
// ctx ends. It returns the address actually bound.
func serveHTTP(ctx context.Context, addr string, nc *nats.Conn, extra map[string]http.Handler, log *zap.Logger) (string, error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.Handler())
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if nc.Status() != nats.CONNECTED {
			http.Error(w, "nats: "+nc.Status().String(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	for p, h := range extra {
		mux.Handle(p, h)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("http listen %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			log.Error("http server", zap.Error(err))
		}
	}()
	return ln.Addr().String(), nil
}
