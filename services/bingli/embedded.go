package main

import (
	"context"
	"fmt"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"bingli/services/bus"
	"bingli/services/output"
	"bingli/services/pipeline"
	"bingli/services/runner"
	"bingli/services/timeline"
)

// embedded is the one-machine wiring shared by run and process: an
// in-process NATS server with JetStream on disk under the data directory,
// an in-process connection and the pipeline's streams and consumers.
type embedded struct {
	ns   *server.Server
	nc   *nats.Conn
	js   jetstream.JetStream
	topo bus.Topology
}

func openEmbedded(ctx context.Context, dataDir, host string, port int, name string, def *pipeline.Definition) (*embedded, error) {
	ns, err := bus.StartEmbedded(bus.EmbeddedOptions{DataDir: dataDir, Host: host, Port: port})
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect("", nats.InProcessServer(ns), nats.Name(name))
	if err != nil {
		ns.Shutdown()
		return nil, fmt.Errorf("connect embedded nats: %w", err)
	}
	e := &embedded{ns: ns, nc: nc, topo: topology(def)}
	if e.js, err = jetStream(nc); err != nil {
		e.Close()
		return nil, err
	}
	if err := e.topo.Ensure(ctx, e.js); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func (e *embedded) Close() {
	e.nc.Close()
	e.ns.Shutdown()
}

// startOutput opens the output file and starts consuming the pipeline's
// final subject into it; the channel yields Run's result once ctx ends.
func startOutput(ctx context.Context, js jetstream.JetStream, topo bus.Topology, path string, log *zap.Logger) (*output.Writer, <-chan error, error) {
	w, err := output.Open(path)
	if err != nil {
		return nil, nil, err
	}
	link, err := topo.Link(bus.OutputConsumer)
	if err != nil {
		w.Close()
		return nil, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, js, link, log) }()
	return w, done, nil
}

// startTimelines runs the timeline sink: final notes folded into per-patient
// timelines on the timelines stream, as they arrive.
func startTimelines(ctx context.Context, js jetstream.JetStream, topo bus.Topology, workers int, log *zap.Logger) (*runner.Stats, <-chan error, error) {
	link, err := topo.Link(bus.TimelineConsumer)
	if err != nil {
		return nil, nil, err
	}
	stats := &runner.Stats{}
	done := make(chan error, 1)
	go func() {
		done <- runner.Run(ctx, js, runner.Config{Stage: timeline.NewSink(js), Link: link, Concurrency: workers, Log: log, Stats: stats})
	}()
	return stats, done, nil
}
