package deid

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"bingli/services/bus"
	"bingli/services/bus/bustest"
	"bingli/services/dlq"
	"bingli/services/note"
	"bingli/services/runner"
)

// After de-identification a note is named only by its keyed reference; the
// pseudonyms derived from the archive's note id still come from that id.
func TestProcessReplacesNoteIDByReference(t *testing.T) {
	k := testKey(t)
	d := testDeid(t, Options{Registry: NewRegistry()})
	for _, tc := range []struct {
		name, noteID, patient, file string
		wantPatient                 string
	}{
		{"record number as note id", "ZY20230305001", "H0001", "notes.jsonl", PatientPseudonym(k, "H0001")},
		{"txt archive, no patient column", "EMR000000101", "", "txt/MR20230000001/EMR000000101.txt", NotePseudonym(k, "EMR000000101")},
		{"no file", "n1", "H0002", "", PatientPseudonym(k, "H0002")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := rawNote(tc.noteID, tc.patient, "2023-03-05", "右眼视力0.5，眼压18mmHg。")
			n.Source = note.Source{File: tc.file, Line: 7, Format: "jsonl", Encoding: "utf-8"}
			if err := d.Process(context.Background(), n); err != nil {
				t.Fatal(err)
			}
			if want := NoteRef(k, tc.noteID); n.NoteID != want || !IsNoteRef(n.NoteID) {
				t.Errorf("note id %q, want the reference %q", n.NoteID, want)
			}
			if n.PatientID != tc.wantPatient {
				t.Errorf("patient id %q, want %q (from the archive's ids)", n.PatientID, tc.wantPatient)
			}
			if tc.file != "" && n.Source.File != FilePseudonym(k, tc.file) {
				t.Errorf("source file %q, want its pseudonym", n.Source.File)
			}
			if n.Source.Line != 7 {
				t.Errorf("source line %d, want 7", n.Source.Line)
			}
			if d.LogName(rawNote(tc.noteID, "", "", "x")) != n.NoteID {
				t.Errorf("LogName %q differs from the reference %q", d.LogName(rawNote(tc.noteID, "", "", "x")), n.NoteID)
			}
		})
	}
	// Deterministic: a redelivered raw note gets the same reference
	// (Nats-Msg-Id and the output's de-duplication rely on it).
	a, b := rawNote("X1", "H1", "", "无"), rawNote("X1", "H1", "", "无")
	if err := errors.Join(d.Process(context.Background(), a), d.Process(context.Background(), b)); err != nil {
		t.Fatal(err)
	}
	if a.NoteID != b.NoteID {
		t.Errorf("two runs of one note: %s and %s", a.NoteID, b.NoteID)
	}
}

func TestIsNoteRef(t *testing.T) {
	k := testKey(t)
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{NoteRef(k, "EMR000000101"), true},
		{NoteRef(k, ""), true},
		{"n-0123456789abcdef0123", true},
		{"EMR000000101", false},
		{"n-0123456789abcdef012", false},   // 19 hex digits
		{"n-0123456789abcdef01234", false}, // 21
		{"n-0123456789ABCDEF0123", false},  // upper case
		{"p-0123456789abcdef0123", false},  // a patient pseudonym
		{"n-0123456789abcdefg123", false},
		{"", false},
	} {
		if got := IsNoteRef(tc.id); got != tc.want {
			t.Errorf("IsNoteRef(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
}

// A note the leak guard stops is dead-lettered by the runner under its raw
// note id, archive file and line (the vendor must find the record), while
// the logs name it by its reference only, and never quote its text.
func TestLeakGuardDeadLetterFindsRecordLogsReference(t *testing.T) {
	topo := bus.Topology{Stages: []string{"deid"}, MaxDeliver: 3, AckWait: 5 * time.Second}
	js := bustest.Start(t, topo)
	const (
		noteID = "ZY20230305001"
		file   = "txt/MR20230000001/ZY20230305001.txt"
		phone  = "13812345678"
	)
	text := "患者电话 " + phone + "，右眼视力0.5。"
	raw := note.Note{SchemaVersion: note.SchemaVersion, NoteID: noteID, SourcePatientID: "MR20230000001", Text: text,
		Source: note.Source{File: file, Line: 3, Format: "txt", Encoding: "utf-8"}}
	b, err := raw.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	msg := nats.NewMsg(bus.RawSubject)
	msg.Data = b
	msg.Header.Set(jetstream.MsgIDHeader, noteID)
	if _, err := js.PublishMsg(context.Background(), msg); err != nil {
		t.Fatal(err)
	}

	// A registry without recognizers lets the phone through to the guard.
	d := testDeid(t, Options{Registry: &Registry{minScore: 0.5}})
	core, logs := observer.New(zapcore.DebugLevel)
	link, _ := topo.Link("deid")
	stats := &runner.Stats{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runner.Run(ctx, js, runner.Config{Stage: d, Link: link, Out: bus.NotesSubject("deid"), Concurrency: 1, Stats: stats, Log: zap.New(core)})
	}()
	deadline := time.Now().Add(30 * time.Second)
	for stats.DeadLettered.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	recs, err := dlq.ReadAll(context.Background(), js)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("dead letters %+v, want one", recs)
	}
	r := recs[0]
	if r.Stage != "deid" || r.NoteID != noteID || r.File != file || r.Line != 3 || r.Reason != "bad input: leak guard: PHONE remains (1)" {
		t.Errorf("dead letter %+v: want the raw record's note id, file and line, and the guard's reason", r)
	}
	ref := NoteRef(testKey(t), noteID)
	found := false
	for _, e := range logs.All() {
		line := e.Message
		for k, v := range e.ContextMap() {
			line += " " + k + "=" + fmt.Sprint(v)
		}
		for _, bad := range []string{noteID, "MR20230000001", phone, "右眼视力"} {
			if strings.Contains(line, bad) {
				t.Errorf("log %q holds an archive identifier or text", line)
			}
		}
		if e.Message == "note dead-lettered" && e.ContextMap()["note_id"] == ref {
			found = true
		}
	}
	if !found {
		t.Errorf("no dead-letter log naming the note by its reference %s", ref)
	}
	if stats.Processed.Load() != 0 {
		t.Errorf("%d notes passed the guard", stats.Processed.Load())
	}
}
