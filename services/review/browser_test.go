package review

import (
	"bingli/services/review/browsertest"

	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

type latency struct {
	Median, P95, Max, HandlerMax float64
	N                            int
}

// measureJS dispatches keystrokes on the big note and times each from the
// keydown to the task after the next animation frame (the frame it rendered).
const measureJS = `(async () => {
  const keys = ["j", "}", "{", "2", "1", "]", "[", "j", "a", "k"];
  const ts = [], hs = [];
  for (let r = 0; r < 6; r++) for (const key of keys) {
    const t0 = performance.now();
    document.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
    hs.push(performance.now() - t0);
    await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { Median: ts[ts.length >> 1], P95: ts[Math.floor(ts.length * 0.95)], Max: ts[ts.length - 1], HandlerMax: Math.max(...hs), N: ts.length };
})()`

// pickerFocused waits until the code picker's search box has the keyboard.
var pickerFocused = chromedp.Poll[chromedp.Void](`document.activeElement && document.activeElement.id === "picker-q"`)

func TestBrowserReview(t *testing.T) {
	exe := browsertest.Chromium(t)
	s, corr := newTestServer(t)
	srv := httptest.NewServer(s)
	defer srv.Close()

	ctx := browsertest.Open(t, exe, srv.URL+"/review/")

	small := smallNote()
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("key")),
		chromedp.SendKeys(chromedp.ID("key"), testKey),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitReady(chromedp.CSS(`body[data-note="n1"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Every highlighted run reads exactly its entity's text: the code-point
	// offsets survive the astral 𠮷 before them.
	runs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#text span.b0")).map((s) => {
		let t = "", e = s; for (;;) { t += e.textContent; if (e.classList.contains("b1")) break; e = e.nextElementSibling; } return t; })`))
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != len(small.Entities) {
		t.Fatalf("page shows %d entity runs, want %d: %q", len(runs), len(small.Entities), runs)
	}
	for i, e := range small.Entities {
		if runs[i] != e.Text {
			t.Errorf("run %d reads %q, want %q", i, runs[i], e.Text)
		}
	}

	// Keyboard: entity 0 is selected on open. j → 视物模糊, } extends its end,
	// 1 relabels it DISEASE, j → 眼痛, x rejects it, e cycles the first
	// diagnosis's eye (right → left), s submits and opens the next note.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("j"), chromedp.KeyEvent("}"), chromedp.KeyEvent("1")); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "review.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	// Code picker on the selected diagnosis (the first, selected by e): c
	// opens it, H35.3 searches, ↓ moves to the second match (H35.301),
	// Enter picks it. A second c … Esc changes nothing.
	err = chromedp.Do(ctx,
		chromedp.KeyEvent("j"), chromedp.KeyEvent("x"), chromedp.KeyEvent("e"),
		chromedp.KeyEvent("c"), chromedp.WaitVisible(chromedp.ID("picker")), pickerFocused,
		chromedp.KeyEvent("H35.3"),
		chromedp.WaitReady(chromedp.CSS(`#picker-list li:first-child code`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#picker-list li code").textContent === "H35.3" && document.getElementById("picker-q").value === "H35.3"`),
	)
	if err != nil {
		t.Fatal(err)
	}
	png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "code-picker.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitNotVisible(chromedp.ID("picker")),
		chromedp.KeyEvent("c"), chromedp.WaitVisible(chromedp.ID("picker")), pickerFocused,
		chromedp.KeyEvent("H40"), chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible(chromedp.ID("picker")),
	)
	if err != nil {
		t.Fatal(err)
	}
	cell, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#diags tbody tr").cells[1].textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if cell != "H35.301 黄斑变性" {
		t.Errorf("diagnosis code cell after picking: %q, want H35.301 黄斑变性", cell)
	}
	err = chromedp.Do(ctx,
		chromedp.KeyEvent("s"),
		chromedp.WaitReady(chromedp.CSS(`body[data-note="n2"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	c, ok, _ := corr.Latest(context.Background(), "n1")
	if !ok {
		t.Fatal("no correction stored for n1")
	}
	if c.Status != StatusCorrected || c.Annotator != "ann1" || len(c.Entities) != len(small.Entities)-1 {
		t.Fatalf("correction: status %q by %q with %d entities", c.Status, c.Annotator, len(c.Entities))
	}
	want := small.Entities[1]
	if got := c.Entities[1]; got.Label != "DISEASE" || got.Start != want.Start || got.End != want.End+1 || got.Text != "视物模糊伴" {
		t.Errorf("edited entity: %+v, want DISEASE [%d,%d) 视物模糊伴", got, want.Start, want.End+1)
	}
	for _, e := range c.Entities {
		if e.Text == "眼痛" {
			t.Errorf("rejected entity 眼痛 still in the correction")
		}
	}
	if c.Entities[2].Text != small.Entities[3].Text || c.Entities[0] != small.Entities[0] {
		t.Errorf("untouched entities changed: %+v", c.Entities[:3])
	}
	if c.Diagnoses[0].Eye != "left" || c.Diagnoses[1].Eye != "left" {
		t.Errorf("diagnosis eyes: %q %q, want left left", c.Diagnoses[0].Eye, c.Diagnoses[1].Eye)
	}
	if d := c.Diagnoses[0]; d.ICD10 != "H35.301" || d.ICD10Name != "黄斑变性" {
		t.Errorf("picked code: %s %s, want H35.301 黄斑变性 (Esc on the second picker must change nothing)", d.ICD10, d.ICD10Name)
	}
	if d := c.Diagnoses[1]; d.ICD10 != small.Diagnoses[1].ICD10 {
		t.Errorf("untouched diagnosis code changed: %s", d.ICD10)
	}

	// Keystroke-to-render latency on the big note (n2: ~2,000 code points, 100 entities).
	nEnts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#ents li").length`))
	if err != nil {
		t.Fatal(err)
	}
	lat, err := chromedp.Run(ctx, chromedp.Evaluate[latency](measureJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("keystroke→render on %d entities over %d keys: median %.1f ms, p95 %.1f ms, max %.1f ms (handler alone max %.1f ms)",
		nEnts, lat.N, lat.Median, lat.P95, lat.Max, lat.HandlerMax)
	if nEnts != 100 {
		t.Errorf("big note shows %d entities, want 100", nEnts)
	}
	// The target (p95 < 50 ms) is checked by the recorded measurement
	// (README.md); on a shared CI machine only a pathology fails the test.
	if lat.P95 >= 500 {
		t.Errorf("keystroke→render p95 %.1f ms: something is pathologically slow (target < 50 ms)", lat.P95)
	}

	// n adds an entity from the text selection: 姓名〕 at [1,4).
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const sp = document.querySelectorAll("#text span"), r = document.createRange();
		r.setStart(sp[1].firstChild, 0); r.setEnd(sp[3].firstChild, 1);
		getSelection().removeAllRanges(); getSelection().addRange(r); })()`), chromedp.KeyEvent("n")); err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[document.querySelectorAll("#ents li").length + "", document.querySelector("#ents li").textContent]`))
	if err != nil {
		t.Fatal(err)
	}
	if first[0] != "101" || first[1] != "DISEASE 姓名〕 [1,4)" {
		t.Errorf("after n: %q, want 101 entities, the first DISEASE 姓名〕 [1,4)", first)
	}
}
