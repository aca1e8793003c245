package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"bingli/services/note"
	"bingli/services/review"
	"bingli/services/review/browsertest"
	"bingli/services/synth"
)

// TestReviewInBrowserAgainstRun drives the review app of a running `bingli
// run` in a real headless Chromium, as an annotator would: log in, open the
// first note, widen a span with the keyboard, change a diagnosis code with
// the picker, submit. The correction must be on the REVIEWS stream, and
// `bingli export --reviewed` must write it as training data.
func TestReviewInBrowserAgainstRun(t *testing.T) {
	exe := browsertest.Chromium(t)
	dir, sum := synthArchive(t, 6, false)
	data := t.TempDir()
	httpPort, natsPort := freePort(t), freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	cmd := exec.Command(bin, "run", "--data", data, "--in", filepath.Join(dir, synth.DirArchive),
		"--http", fmt.Sprintf("127.0.0.1:%d", httpPort), "--nats-listen", fmt.Sprintf("127.0.0.1:%d", natsPort))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitUntil(t, 2*time.Minute, "every note in the output", func() bool {
		return countLines(filepath.Join(data, "out", "notes.jsonl")) >= sum.Notes
	})
	keyb, err := os.ReadFile(filepath.Join(data, "annotator.key"))
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimSpace(string(keyb))
	getNote := func(id string) review.NoteView {
		req, _ := http.NewRequest("GET", base+"/review/api/notes/"+id, nil)
		req.Header.Set("X-Bingli-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var v review.NoteView
		if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil {
			t.Fatalf("GET note %s: %d", id, resp.StatusCode)
		}
		return v
	}

	ctx := browsertest.Open(t, exe, base+"/review/")
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("key")),
		chromedp.SendKeys(chromedp.ID("key"), key),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitReady(chromedp.CSS(`body[data-note]`)),
	); err != nil {
		t.Fatal(err)
	}
	noteID, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.note`))
	if err != nil {
		t.Fatal(err)
	}
	before := getNote(noteID)
	if len(before.Entities) == 0 || len(before.Diagnoses) == 0 {
		t.Fatalf("note %s has %d entities and %d diagnoses; the test needs both", noteID, len(before.Entities), len(before.Diagnoses))
	}
	first := before.Entities[0]
	// } widens the selected (first) entity by one code point; d selects the
	// first diagnosis, c opens the code picker, H40.1 and Enter pick the top
	// match; s submits.
	err = chromedp.Do(ctx,
		chromedp.KeyEvent("}"),
		chromedp.KeyEvent("d"), chromedp.KeyEvent("c"), chromedp.WaitVisible(chromedp.ID("picker")),
		chromedp.Poll[chromedp.Void](`document.activeElement && document.activeElement.id === "picker-q"`),
		chromedp.KeyEvent("H40.1"),
		chromedp.Poll[chromedp.Void](`(() => { const c = document.querySelector("#picker-list li code"); return c && c.textContent.startsWith("H40.1"); })()`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		shot := filepath.Join(t.TempDir(), "review-run.png")
		if d := os.Getenv("BINGLI_SCREENSHOTS"); d != "" {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			shot = filepath.Join(d, "review-run.png")
		}
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	picked, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#picker-list li code").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitNotVisible(chromedp.ID("picker")), chromedp.KeyEvent("s"),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.body.dataset.note !== %q`, noteID))); err != nil {
		t.Fatal(err)
	}

	// The correction is the latest event for the note on the REVIEWS stream.
	nc, err := nats.Connect(fmt.Sprintf("nats://127.0.0.1:%d", natsPort))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	st, err := js.Stream(context.Background(), review.ReviewsStream)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := st.GetLastMsgForSubject(context.Background(), "reviews."+noteID)
	if err != nil {
		t.Fatalf("no correction for %s on the REVIEWS stream: %v", noteID, err)
	}
	var c review.Correction
	if err := json.Unmarshal(msg.Data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Annotator == "" || len(c.Entities) != len(before.Entities) {
		t.Fatalf("correction by %q with %d entities, want %d", c.Annotator, len(c.Entities), len(before.Entities))
	}
	if got := c.Entities[0]; got.Start != first.Start || got.End != first.End+1 {
		t.Errorf("widened entity [%d,%d), want [%d,%d)", got.Start, got.End, first.Start, first.End+1)
	}
	// d moves to the next diagnosis from the one the selected entity belongs
	// to, so which diagnosis was recoded depends on the note: exactly one
	// must now carry the picked code, the others as they were.
	recoded := 0
	if len(c.Diagnoses) != len(before.Diagnoses) {
		t.Fatalf("correction has %d diagnoses, the note %d", len(c.Diagnoses), len(before.Diagnoses))
	}
	for i, d := range c.Diagnoses {
		switch b := before.Diagnoses[i]; {
		case d.Start != b.Start || d.End != b.End:
			t.Errorf("diagnosis %d moved: [%d,%d) -> [%d,%d)", i, b.Start, b.End, d.Start, d.End)
		case d.ICD10 != b.ICD10 && d.ICD10 == picked:
			recoded++
		case d.ICD10 != b.ICD10:
			t.Errorf("diagnosis %d coded %s, want %s or the picked %s", i, d.ICD10, b.ICD10, picked)
		}
	}
	already := slices.ContainsFunc(before.Diagnoses, func(d note.Diagnosis) bool { return d.ICD10 == picked })
	if recoded != 1 && !(recoded == 0 && already) {
		codes := func(ds []note.Diagnosis) []string { // codes and spans only: no note text in test output
			var out []string
			for _, d := range ds {
				out = append(out, fmt.Sprintf("%s@%d-%d", d.ICD10, d.Start, d.End))
			}
			return out
		}
		t.Errorf("%d diagnoses recoded to the picked %s, want 1 (before %v, after %v)", recoded, picked, codes(before.Diagnoses), codes(c.Diagnoses))
	}

	// Stopped, the run's data directory exports the correction as training data.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	out := filepath.Join(t.TempDir(), "reviewed.jsonl")
	bingli(t, "export", "--reviewed", "--data", data, "--out", out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`"start":%d,"end":%d`, first.Start, first.End+1)
	if !strings.Contains(string(b), noteID) || !strings.Contains(strings.ReplaceAll(string(b), " ", ""), want) {
		t.Errorf("export --reviewed lacks note %s with the widened span (%s): %.300s", noteID, want, b)
	}
}
