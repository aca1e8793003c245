package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"bingli/services/bus"
	"bingli/services/extract"
	"bingli/services/index"
	"bingli/services/note"
	"bingli/services/review"
)

// reviewedRun leaves a data directory as a run with reviews would: four
// notes in the embedded index and corrections on the REVIEWS stream (file
// storage): n1 corrected (a drug span fixed, a code changed), n2 accepted,
// n3 rejected, n4 not reviewed.
func reviewedRun(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	ent := func(label string, s, e int, text string) note.Entity {
		return note.Entity{Label: label, Start: s, End: e, Text: text, Model: "ner-test"}
	}
	mk := func(id, text string, ents []note.Entity, dx []note.Diagnosis) *note.Note {
		return &note.Note{SchemaVersion: note.SchemaVersion, NoteID: id, Text: text, NoteType: "outpatient", Entities: ents, Diagnoses: dx}
	}
	dx := note.Diagnosis{Text: "白内障", Start: 2, End: 5, ICD10: "H26.9", ICD10Name: "未特指的白内障", Eye: note.EyeRight, Assertion: note.Present}
	notes := []*note.Note{
		mk("n1", "右眼白内障，予阿托品。", []note.Entity{ent("DISEASE", 2, 5, "白内障"), ent("DRUG", 7, 9, "阿托")}, []note.Diagnosis{dx}),
		mk("n2", "左眼青光眼。", []note.Entity{ent("DISEASE", 2, 5, "青光眼")}, nil),
		mk("n3", "无法辨认。", nil, nil),
		mk("n4", "右眼干眼症。", []note.Entity{ent("DISEASE", 2, 5, "干眼症")}, nil),
	}
	b, err := index.OpenBleve(index.BleveOptions{Dir: filepath.Join(data, "index")})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Upsert(ctx, notes); err != nil {
		t.Fatal(err)
	}
	b.Close()

	ns, err := bus.StartEmbedded(bus.EmbeddedOptions{DataDir: data, Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Shutdown()
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetStream(nc)
	log, err := review.NewStreamCorrections(ctx, js, 1)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().UTC()
	gdx := dx
	gdx.ICD10 = "H26.901"
	for _, c := range []review.Correction{
		// An earlier correction of n1, replaced by the later one.
		{NoteID: "n1", Annotator: "ann1", At: t0, Status: review.StatusAccepted, Entities: notes[0].Entities},
		{NoteID: "n1", Annotator: "ann1", At: t0.Add(time.Second), Status: review.StatusCorrected,
			Entities: []note.Entity{ent("DRUG", 7, 10, "阿托品"), ent("DISEASE", 2, 5, "白内障")}, Diagnoses: []note.Diagnosis{gdx}},
		{NoteID: "n1", Annotator: "ann2", At: t0.Add(2 * time.Second), Status: review.StatusCorrected,
			Entities: []note.Entity{ent("DISEASE", 2, 5, "白内障"), ent("DRUG", 7, 10, "阿托品")}, Diagnoses: []note.Diagnosis{gdx}},
		{NoteID: "n2", Annotator: "ann1", At: t0, Status: review.StatusAccepted, Entities: notes[1].Entities},
		{NoteID: "n3", Annotator: "ann2", At: t0, Status: review.StatusRejected},
	} {
		if err := log.Append(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

func TestExportAndEvalReviewed(t *testing.T) {
	data := reviewedRun(t)
	out := filepath.Join(t.TempDir(), "reviewed.jsonl")
	got := bingli(t, "export", "--reviewed", "--data", data, "--out", out)
	if !strings.Contains(got, "wrote 2 reviewed notes (3 entities)") {
		t.Fatalf("export output: %s", got)
	}
	recs := readJSONL[extract.Record](t, out)
	if len(recs) != 2 || recs[0].ID != "n1" || recs[1].ID != "n2" {
		t.Fatalf("exported records: %+v", recs)
	}
	r := recs[0]
	if r.Text != "右眼白内障，予阿托品。" || len(r.Entities) != 2 ||
		r.Entities[0] != (extract.Span{Start: 2, End: 5, Label: "DISEASE", Text: "白内障"}) ||
		r.Entities[1] != (extract.Span{Start: 7, End: 10, Label: "DRUG", Text: "阿托品"}) {
		t.Fatalf("n1 as training data: %+v", r)
	}
	for _, e := range r.Entities {
		if string([]rune(r.Text)[e.Start:e.End]) != e.Text {
			t.Errorf("offsets of %q are not code points into the text", e.Text)
		}
	}

	// Model: n1 DISEASE right, DRUG [7,9) wrong; n2 DISEASE right. Gold:
	// DISEASE 2, DRUG 1. DISEASE P=R=1; DRUG P=R=0; micro 2/3. The one
	// diagnosis kept on its span changed code (H26.9 → H26.901), kept eye
	// and assertion.
	ev := bingli(t, "eval", "--reviewed", "--data", data)
	for _, want := range []string{
		"model=ner-test records=2",
		"DISEASE           2      2      2    1.0000  1.0000  1.0000",
		"DRUG              1      1      0    0.0000  0.0000  0.0000",
		"micro_p=0.6667 micro_r=0.6667 micro_f1=0.6667",
		"diagnoses on the same span=1 icd10_acc=0.0000 eye_acc=1.0000 assertion_acc=1.0000",
	} {
		if !strings.Contains(ev, want) {
			t.Errorf("eval --reviewed lacks %q:\n%s", want, ev)
		}
	}
}

func TestReviewQAAndAgreementCommands(t *testing.T) {
	data := reviewedRun(t)
	ctx := context.Background()
	if err := cmdReview(ctx, []string{"qa", "--data", data, "--sample", "5", "--annotators", "ann1,ann2", "--seed", "3"}); err != nil {
		t.Fatal(err)
	}
	st, err := reviewState(ctx, data, "")
	if err != nil {
		t.Fatal(err)
	}
	// Only n4 was unreviewed: it is the whole sample, assigned to both.
	if got := st.AssignedTo("ann1"); strings.Join(got, ",") != "n4" || !st.IsAssigned("n4", "ann2") {
		t.Fatalf("assigned to ann1: %v", got)
	}
	if s := st.Status("n4"); s.Status != review.NoteInReview {
		t.Errorf("n4 after assignment: %+v", s)
	}
	pairs := st.Agreement()
	// n1 was reviewed by both, identically.
	if len(pairs) != 1 || pairs[0].Notes != 1 || pairs[0].All.F1() != 1 || pairs[0].Eye.N != 1 {
		t.Fatalf("agreement: %+v", pairs)
	}
	if err := cmdReview(ctx, []string{"agreement", "--data", data}); err != nil {
		t.Fatal(err)
	}
	if err := cmdReview(ctx, []string{"qa", "--data", data, "--sample", "1", "--annotators", "ann1"}); err == nil {
		t.Error("QA with one annotator: no error")
	}
}
