package code

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"bingli/services/note"
)

func newCoder(t testing.TB) *Coder {
	t.Helper()
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// want is one expected diagnosis: its text, a code prefix ("" for
// uncoded), eye and assertion.
type want struct {
	text, code string
	eye        note.Eye
	a          note.Assertion
}

func TestDiagnose(t *testing.T) {
	c := newCoder(t)
	tests := []struct {
		name string
		text string
		want []want
	}{
		{"senile, age-related and cortical cataract all H25", "诊断：1.双眼老年性白内障 2.右眼年龄相关性白内障 3.皮质性白内障(双)",
			[]want{{"老年性白内障", "H25", note.EyeBoth, note.Present}, {"年龄相关性白内障", "H25", note.EyeRight, note.Present}, {"皮质性白内障", "H25", note.EyeBoth, note.Present}}},
		{"denied diabetes is negated", "既往史：否认糖尿病史。", []want{{"糖尿病", "E14.901", "", note.Negated}}},
		{"denial covers an enumeration", "既往史：否认高血压、糖尿病史；有冠心病病史5年。",
			[]want{{"高血压", "I10", "", note.Negated}, {"糖尿病", "E14", "", note.Negated}, {"冠心病", "I25", "", note.History}}},
		{"compound DR yields E11.3 and H36.0", "诊断：双眼2型糖尿病性视网膜病变",
			[]want{{"2型糖尿病性视网膜病变", "E11.3", note.EyeBoth, note.Present}, {"2型糖尿病性视网膜病变", "H36.0", note.EyeBoth, note.Present}}},
		{"DR refined by the note's diabetes type", "诊断：1.双眼糖网 2.2型糖尿病",
			[]want{{"糖网", "E11.3", note.EyeBoth, note.Present}, {"糖网", "H36.0", note.EyeBoth, note.Present}, {"2型糖尿病", "E11.9", "", note.Present}}},
		{"possible by question mark", "初步诊断：右眼原发性开角型青光眼？", []want{{"原发性开角型青光眼", "H40.1", note.EyeRight, note.Possible}}},
		{"possible by 待排 in brackets", "诊断：左眼急性闭角型青光眼（待排）", []want{{"急性闭角型青光眼", "H40.2", note.EyeLeft, note.Possible}}},
		{"glaucoma suspect is a diagnosis", "诊断：双眼可疑青光眼", []want{{"可疑青光眼", "H40.0", note.EyeBoth, note.Present}}},
		{"family history", "家族史：母亲患青光眼，否认高度近视家族史。",
			[]want{{"青光眼", "H40", "", note.Family}, {"高度近视", "H52.1", "", note.Negated}}},
		{"OD before the item", "诊断：OD 视网膜脱离", []want{{"视网膜脱离", "H33", note.EyeRight, note.Present}}},
		{"procedure name is no diagnosis", "现病史：3年前行右眼白内障超声乳化吸除术。", nil},
		{"operated condition is history", "既往史：右眼白内障术后2年。", []want{{"白内障", "H26", note.EyeRight, note.History}}},
		{"exam findings are skipped", "眼底检查：视网膜平伏，黄斑水肿。", nil},
		{"negated finding in exam kept", "眼底检查：未见糖尿病视网膜病变征象。", []want{{"糖尿病视网膜病变", "E14.3", "", note.Negated}, {"糖尿病视网膜病变", "H36.0", "", note.Negated}}},
		{"unknown item stays uncoded", "诊断：1.左眼黄斑区旋涡样色素紊乱综合征", []want{{"黄斑区旋涡样色素紊乱综合征", "", note.EyeLeft, note.Present}}},
		{"systemic disease has no eye", "诊断：右眼老年性白内障、高血压", []want{{"老年性白内障", "H25", note.EyeRight, note.Present}, {"高血压", "I10", "", note.Present}}},
		{"near vision is not myopia", "主诉：近视力下降1月。", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Diagnose(tt.text)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diagnoses %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Text != w.text || !strings.HasPrefix(g.ICD10, w.code) || (w.code == "") != (g.ICD10 == "") || g.Eye != w.eye || g.Assertion != w.a {
					t.Errorf("diagnosis %d = %+v, want %+v", i, g, w)
				}
				if []rune(tt.text)[g.Start] != []rune(g.Text)[0] || string([]rune(tt.text)[g.Start:g.End]) != g.Text {
					t.Errorf("diagnosis %d span [%d,%d) does not hold its text", i, g.Start, g.End)
				}
			}
		})
	}
}

func TestUncodedBelowThreshold(t *testing.T) {
	c := newCoder(t)
	for _, d := range c.Diagnose("诊断：1.右眼XYZ综合症变异型 2.左眼老年性白内障") {
		if d.ICD10 != "" && d.Score < c.threshold {
			t.Errorf("%+v coded below threshold %v", d, c.threshold)
		}
		if d.ICD10 == "" && d.ICD10Name != "" {
			t.Errorf("%+v: uncoded with a name", d)
		}
	}
}

func TestOptions(t *testing.T) {
	if _, err := New(Options{Threshold: 1.5}); err == nil {
		t.Fatal("New accepted threshold 1.5")
	}
	c, err := New(Options{Threshold: 0.9})
	if err != nil || c.threshold != 0.9 {
		t.Fatalf("threshold 0.9: %v %v", c, err)
	}
}

func TestProcessReplaces(t *testing.T) {
	c := newCoder(t)
	if c.Name() != "code" || c.Version() == "" {
		t.Fatalf("name %q version %q", c.Name(), c.Version())
	}
	n := &note.Note{NoteID: "n1", Text: "诊断：双眼老年性白内障", Diagnoses: []note.Diagnosis{{Text: "旧", Start: 0, End: 1}}}
	if err := c.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if len(n.Diagnoses) != 1 || n.Diagnoses[0].Text != "老年性白内障" {
		t.Fatalf("diagnoses %+v", n.Diagnoses)
	}
	if len(n.Provenance) != 0 {
		t.Fatal("Process recorded provenance (the runner's job)")
	}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Process(ctx, n); err == nil {
		t.Fatal("Process ignored a cancelled context")
	}
}

func TestConcurrentProcess(t *testing.T) {
	c := newCoder(t)
	text := benchNote
	want := c.Diagnose(text)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				got := c.Diagnose(text)
				if len(got) != len(want) {
					t.Errorf("concurrent run: %d diagnoses, want %d", len(got), len(want))
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestHandwrittenSet asserts floors on testdata/diagnoses.jsonl: 43
// ophthalmic notes written for this stage (negations, family history,
// possible diagnoses, compound DR).
func TestHandwrittenSet(t *testing.T) {
	f, err := os.Open("testdata/diagnoses.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Evaluate(f, newCoder(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("handwritten set:\n%v", rep)
	if rep.Notes < 40 {
		t.Errorf("%d notes, want >= 40", rep.Notes)
	}
	for _, m := range []struct {
		name      string
		got, want float64
	}{
		{"mention recall", rep.MentionRecall(), 0.95},
		{"mention precision", rep.MentionPrecision(), 0.95},
		{"icd10 accuracy", rep.ICD10Accuracy(), 0.93},
		{"eye accuracy", rep.EyeAccuracy(), 0.93},
		{"assertion accuracy", rep.AssertionAccuracy(), 0.93},
	} {
		if m.got < m.want {
			t.Errorf("%s %.4f below floor %.2f", m.name, m.got, m.want)
		}
	}
}

func TestVersionNamesTheModels(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{}, "1.2.0+icd10-v601+oph-syn+cdn-rerank-v2+cdn-crossenc-v1"},
		{Options{NoCrossEncoder: true}, "1.2.0+icd10-v601+oph-syn+cdn-rerank-v2"},
	} {
		c, err := New(tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Version(); got != tc.want {
			t.Errorf("%+v: version %q, want %q", tc.opt, got, tc.want)
		}
	}
}
