package segment

import (
	"context"
	"errors"
	"strings"
	"testing"

	"bingli/services/note"
	"bingli/services/stage"
)

// newTest returns a Segmenter (dictionaries are cached per process).
func newTest(t testing.TB, opt Options) *Segmenter {
	t.Helper()
	s, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// words renders the tokens of text as "a|b|c".
func words(s *Segmenter, text string) string {
	rs := []rune(text)
	var parts []string
	for _, t := range s.Tokens(text) {
		parts = append(parts, string(rs[t.Start:t.End]))
	}
	return strings.Join(parts, "|")
}

func TestSegmentWords(t *testing.T) {
	s := newTest(t, Options{})
	tests := []struct{ name, text, want string }{
		{"lexicon keeps a long diagnosis whole", "诊断：原发性开角型青光眼", "诊断|：|原发性开角型青光眼"},
		{"measurement with unit", "右眼眼压21mmHg", "右眼|眼压|21|mmHg"},
		{"unit after a space", "左眼眼压 18 mmHg。", "左眼|眼压|18|mmHg|。"},
		{"decimal acuity", "VOD 0.8，VOS0.5", "VOD|0.8|，|VOS|0.5"},
		{"Snellen fraction", "矫正视力OS20/40", "矫正视力|OS|20/40"},
		{"lab name with digit", "HbA1c 7.2%", "HbA1c|7.2|%"},
		{"drug and dose", "玻璃体腔注射雷珠单抗0.5mg", "玻璃体腔注射|雷珠单抗|0.5|mg"},
		{"ophthalmology terms", "糖尿病视网膜病变伴黄斑水肿", "糖尿病视网膜病变|伴|黄斑水肿"},
		{"full-width Latin and digits", "Ｂ超示眼轴２３．５ｍｍ", "Ｂ超|示|眼轴|２３．５|ｍｍ"},
		{"refraction with sign", "屈光度-2.50DS", "屈光度|-|2.50|DS"},
		{"case is kept", "IOP: 21 MMHG, od", "IOP|:|21|MMHG|,|od"},
		{"newlines are not tokens", "主诉：\r\n双眼视物模糊\n", "主诉|：|双眼|视物模糊"},
		{"ideographic space", "白内障\u3000术后", "白内障|术后"},
		{"surgery", "行超声乳化联合人工晶体植入术", "行|超声乳化|联合|人工晶体植入术"},
		{"empty", "", ""},
		{"only spaces", " \t\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := words(s, tt.text); got != tt.want {
				t.Errorf("words(%q)\n got %s\nwant %s", tt.text, got, tt.want)
			}
			checkTokens(t, tt.text, s.Tokens(tt.text))
		})
	}
}

func TestSegmentPOS(t *testing.T) {
	s := newTest(t, Options{})
	text := "右眼眼压21mmHg，青光眼"
	want := []note.Token{
		{Start: 0, End: 2, POS: "n"}, {Start: 2, End: 4, POS: "n"},
		{Start: 4, End: 6, POS: "m"}, {Start: 6, End: 10, POS: "eng"},
		{Start: 10, End: 11, POS: "x"}, {Start: 11, End: 14, POS: "n"},
	}
	got := s.Tokens(text)
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("token %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestLexiconsMatter(t *testing.T) {
	without := newTest(t, Options{NoMedical: true, NoOphthalmology: true})
	with := newTest(t, Options{})
	const text = "原发性开角型青光眼"
	if got := words(without, text); got == text {
		t.Errorf("without lexicons %q is already one token: the test shows nothing", text)
	}
	if got := words(with, text); got != text {
		t.Errorf("with lexicons got %s, want one token", got)
	}
	if with.Version() == without.Version() {
		t.Errorf("versions should differ with the dictionaries: %s", with.Version())
	}
}

func TestExtraLexicon(t *testing.T) {
	path := t.TempDir() + "/extra.txt"
	if err := writeFile(path, "# test terms\n视网膜色素变性\n眼前节 n\n"); err != nil {
		t.Fatal(err)
	}
	s := newTest(t, Options{ExtraLexicons: []string{path}})
	if got, want := words(s, "双眼视网膜色素变性，眼前节正常"), "双眼|视网膜色素变性|，|眼前节|正常"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := New(Options{ExtraLexicons: []string{path + ".missing"}}); err == nil {
		t.Error("missing extra lexicon: want an error")
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, opt := range []Options{{HMM: "maybe"}, {Dictionary: "zh_t"}} {
		if _, err := New(opt); err == nil {
			t.Errorf("New(%+v): want an error", opt)
		}
	}
}

func TestProcess(t *testing.T) {
	s := newTest(t, Options{})
	if s.Name() != "segment" || !strings.HasPrefix(s.Version(), version+"+dict.") {
		t.Errorf("name %q version %q", s.Name(), s.Version())
	}
	n := &note.Note{NoteID: "n1", Text: "右眼眼压21mmHg"}
	n.Tokens = []note.Token{{Start: 0, End: 1}} // replaced, not appended to
	if err := s.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if len(n.Tokens) != 4 || n.Validate() != nil {
		t.Errorf("tokens %v, validate %v", n.Tokens, n.Validate())
	}

	bad := &note.Note{NoteID: "n2", Text: "眼压\xff21"}
	if err := s.Process(context.Background(), bad); !errors.Is(err, stage.ErrBadInput) {
		t.Errorf("invalid UTF-8: got %v, want ErrBadInput", err)
	}
	if strings.Contains(s.Process(context.Background(), bad).Error(), "眼压") {
		t.Error("error reason contains note text")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Process(ctx, n); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: got %v", err)
	}
}
