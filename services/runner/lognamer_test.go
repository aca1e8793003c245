package runner_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"bingli/services/bus"
	"bingli/services/dlq"
	"bingli/services/note"
	"bingli/services/runner"
	"bingli/services/stage"
)

// renaming stands for the deid stage: its input notes carry archive ids,
// which it replaces (here by "ref-" + id); it fails on some notes.
type renaming struct{}

func (renaming) Name() string                { return "renaming" }
func (renaming) Version() string             { return "1" }
func (renaming) LogName(n *note.Note) string { return "ref-" + n.NoteID }
func (renaming) Process(_ context.Context, n *note.Note) error {
	switch n.NoteID {
	case "n000001":
		return stage.BadInput("leak guard: PHONE remains (1)")
	case "n000002":
		return errors.New("model busy")
	case "n000003":
		panic("stage bug")
	}
	n.NoteID = "ref-" + n.NoteID
	return nil
}

var _ runner.LogNamer = renaming{}

// A stage that renames notes (LogNamer): the runner's logs name the notes
// it failed on by LogName, never by the id they came with, while their dead
// letters keep that id, file and line for whoever must find the record.
func TestRunnerLogsNameNotesByLogName(t *testing.T) {
	e := newEnv(t, "renaming", 2)
	e.publish(t, 5, 100)
	core, logs := observer.New(zapcore.DebugLevel)
	stats := &runner.Stats{}
	link, _ := e.topo.Link("renaming")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runner.Run(ctx, e.js, runner.Config{Stage: renaming{}, Link: link, Out: bus.NotesSubject("renaming"),
			Concurrency: 2, Stats: stats, Log: zap.New(core)})
	}()
	waitFor(t, "all settled", func() bool { return stats.Processed.Load() == 2 && stats.DeadLettered.Load() == 3 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	recs, err := dlq.ReadAll(context.Background(), e.js)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range recs {
		if r.File != "t.jsonl" || r.Line == 0 {
			t.Errorf("dead letter lacks the record's file and line: %+v", r)
		}
		got[r.NoteID] = r.Reason
	}
	for _, id := range []string{"n000001", "n000002", "n000003"} {
		if got[id] == "" {
			t.Errorf("no dead letter under the input's note id %s: %v", id, got)
		}
	}

	named := map[string]map[string]bool{} // message -> note_id fields
	for _, entry := range logs.All() {
		for _, f := range entry.Context {
			if strings.Contains(fmt.Sprint(f.String, f.Interface), "n00000") && !strings.HasPrefix(f.String, "ref-") {
				t.Errorf("log %q names a note by its input id: %s=%q", entry.Message, f.Key, f.String)
			}
			if f.Key == "note_id" {
				if named[entry.Message] == nil {
					named[entry.Message] = map[string]bool{}
				}
				named[entry.Message][f.String] = true
			}
		}
	}
	for _, tc := range []struct{ message, name string }{
		{"note dead-lettered", "ref-n000001"},
		{"note dead-lettered", "ref-n000002"},
		{"note dead-lettered", "ref-n000003"},
		{"process failed, will retry", "ref-n000002"},
		{"stage panicked", "ref-n000003"},
	} {
		if !named[tc.message][tc.name] {
			t.Errorf("no log %q naming %s; got %v", tc.message, tc.name, named)
		}
	}
}
