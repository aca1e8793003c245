package extract

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"bingli/services/segment"
)

func TestNormChar(t *testing.T) {
	for in, want := range map[rune]rune{'Ａ': 'a', 'B': 'b', '１': '1', '\n': ' ', '\u3000': ' ', '\t': ' ', '眼': '眼', '，': ',', '。': '。'} {
		if got := NormChar(in); got != want {
			t.Errorf("NormChar(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVocabRoundTrip(t *testing.T) {
	v := BuildVocab([]string{"右眼视力下降", "左眼视力Ａ"}, 2)
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "<pad>\n<unk>\n<sp>\n力\n眼\n视\n" {
		t.Fatalf("vocab.txt = %q", got)
	}
	w, err := LoadVocab(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if w.Len() != 6 || w.ID('眼') != 4 || w.ID('右') != CharUnk || w.ID(' ') != CharSp {
		t.Fatalf("loaded vocab: len %d, 眼 %d, 右 %d", w.Len(), w.ID('眼'), w.ID('右'))
	}
	if _, err := LoadVocab(strings.NewReader("<pad>\n<unk>\n<sp>\nab\n")); err == nil {
		t.Fatal("two characters on a line: want an error")
	}
}

func TestVocabExtend(t *testing.T) {
	v := BuildVocab([]string{"右眼视力下降", "左眼视力Ａ"}, 2)
	// 眼 is already there, Ｂ folds to b, words and blanks are skipped
	v.Extend([]string{"眼", "瞳", "Ｂ", "青光", "　", "瞳"})
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "<pad>\n<unk>\n<sp>\n力\n眼\n视\n瞳\nb\n" {
		t.Fatalf("vocab.txt = %q", got)
	}
	if v.ID('瞳') != 6 || v.ID('b') != 7 {
		t.Fatalf("ids: 瞳 %d, b %d", v.ID('瞳'), v.ID('b'))
	}
}

func TestLexiconLongestMatch(t *testing.T) {
	l := NewLexicon([]string{"青光眼", "开角型青光眼", "原发性开角型青光眼", "眼压", "x"})
	text := []rune("原发性开角型青光眼，眼压高")
	got := make([]int64, len(text))
	l.Tags(text, got)
	want := []int64{LexB, LexI, LexI, LexI, LexI, LexI, LexI, LexI, LexI, LexO, LexB, LexI, LexO}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tags %v, want %v", got, want)
	}
	if MedicalLexicon() == nil {
		t.Fatal("no medical lexicon")
	}
}

func TestFeaturesFollowSegmenter(t *testing.T) {
	f := newTestFeaturizer(t)
	text := "患者 右眼眼压升高，诊断为青光眼。"
	got := f.Features(text)
	seg, _ := segment.New(segment.Options{})
	rs := []rune(text)
	if len(got.CharIDs) != len(rs) || len(got.SegTags) != len(rs) || len(got.LexTags) != len(rs) {
		t.Fatalf("lengths %d %d %d, want %d", len(got.CharIDs), len(got.SegTags), len(got.LexTags), len(rs))
	}
	if got.SegTags[2] != SegSpace || got.CharIDs[2] != CharSp {
		t.Errorf("space: seg %d char %d", got.SegTags[2], got.CharIDs[2])
	}
	for _, tok := range seg.Tokens(text) {
		first := got.SegTags[tok.Start]
		if tok.End-tok.Start == 1 && first != SegS || tok.End-tok.Start > 1 && (first != SegB || got.SegTags[tok.End-1] != SegE) {
			t.Errorf("token %q: seg tags %v", string(rs[tok.Start:tok.End]), got.SegTags[tok.Start:tok.End])
		}
	}
	for i, id := range got.CharIDs {
		if id == CharPad {
			t.Errorf("char %d has the padding id", i)
		}
	}
}

func TestChunks(t *testing.T) {
	long := strings.Repeat("眼", 300) + "。" + strings.Repeat("短句。", 30) + strings.Repeat("甲乙丙，", 80) + "\n尾"
	rs := []rune(long)
	cs := Chunks(rs, 64)
	at := 0
	for _, c := range cs {
		if c.Start != at || c.End <= c.Start || c.End-c.Start > 64 {
			t.Fatalf("chunk %+v after %d: chunks must tile the text, each 1..64 long", c, at)
		}
		at = c.End
	}
	if at != len(rs) {
		t.Fatalf("chunks end at %d, text has %d", at, len(rs))
	}
	// sentences that fit are never cut
	for _, c := range Chunks([]rune("一二三。四五六；七八\n九十"), 6) {
		if s := string([]rune("一二三。四五六；七八\n九十")[c.Start:c.End]); s != "一二三。" && s != "四五六；" && s != "七八\n九十" {
			t.Errorf("chunk %q", s)
		}
	}
	if len(Chunks(nil, 10)) != 0 {
		t.Error("empty text: want no chunks")
	}
}

func TestTagSetRoundTrip(t *testing.T) {
	spans := []Span{{Start: 0, End: 1, Label: "DRUG"}, {Start: 2, End: 5, Label: "BODY"}, {Start: 5, End: 7, Label: "DISEASE"}}
	for _, scheme := range []string{"BIO", "BIOES"} {
		ts, err := NewTagSet(CCKSLabels, scheme)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(ts)
		ts2, err := ParseTagSet(b)
		if err != nil || ts2.Scheme != scheme || !reflect.DeepEqual(ts2.Labels, CCKSLabels) {
			t.Fatalf("%s: parse labels.json: %v %+v", scheme, err, ts2)
		}
		ids := ts.Encode(9, spans)
		path := make([]int, len(ids))
		for i, id := range ids {
			path[i] = int(id)
		}
		if got := ts.Decode(path); !reflect.DeepEqual(got, spans) {
			t.Errorf("%s: decode(encode) = %v, want %v", scheme, got, spans)
		}
	}
	ts, _ := NewTagSet([]string{"DRUG"}, "BIOES")
	// lenient: a stray I starts a span, E closes it
	if got := ts.Decode([]int{2, 2, 3, 0, 3}); !reflect.DeepEqual(got, []Span{{0, 3, "DRUG", ""}, {4, 5, "DRUG", ""}}) {
		t.Errorf("lenient decode: %v", got)
	}
}

func TestExportFeatures(t *testing.T) {
	f := newTestFeaturizer(t)
	ts, _ := NewTagSet(CCKSLabels, "BIOES")
	in := `{"id":"a","text":"右眼青光眼。予噻吗洛尔。","entities":[{"start":0,"end":2,"label":"解剖部位","text":"右眼"},{"start":2,"end":5,"label":"疾病和诊断","text":"青光眼"},{"start":7,"end":11,"label":"dru","text":"噻吗洛尔"},{"start":7,"end":9,"label":"sym","text":"噻吗"}]}` + "\n"
	var out bytes.Buffer
	st, err := ExportFeatures(strings.NewReader(in), &out, f, ts, ExportOptions{MaxChunk: 6})
	if err != nil {
		t.Fatal(err)
	}
	if st.Records != 1 || st.Chunks != 2 || st.Entities != 4 || st.UnknownLabel != 1 || st.Labels["DRUG"] != 1 {
		t.Fatalf("stats %+v", st)
	}
	var lines []FeatureLine
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var fl FeatureLine
		if err := json.Unmarshal([]byte(l), &fl); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fl)
	}
	if lines[1].Start != 6 || lines[1].Chunk != 1 || len(lines[1].CharIDs) != 6 {
		t.Fatalf("second chunk %+v", lines[1])
	}
	whole := f.Features("右眼青光眼。予噻吗洛尔。")
	if !reflect.DeepEqual(lines[1].Features, whole.Slice(6, 12)) {
		t.Error("chunk features differ from the slice of the whole text's features")
	}
	tag := func(s string) int64 { return int64(ts.index[s]) }
	if want := []int64{0, tag("B-DRUG"), tag("I-DRUG"), tag("I-DRUG"), tag("E-DRUG"), 0}; !reflect.DeepEqual(lines[1].Labels, want) {
		t.Errorf("labels %v, want %v", lines[1].Labels, want)
	}
}

// TestExportFeaturesPHI: a de-identification gold note's phi spans are
// encoded with their labels as written (the PHI tagger's training data);
// a label outside the tag set is counted, not encoded.
func TestExportFeaturesPHI(t *testing.T) {
	f := newTestFeaturizer(t)
	ts, _ := NewTagSet([]string{"NAME", "DATE"}, "BIOES")
	in := `{"id":"p","text":"患者张三于3月5日复诊","phi":[{"start":2,"end":4,"label":"NAME","text":"张三"},{"start":5,"end":9,"label":"DATE","text":"3月5日"},{"start":0,"end":1,"label":"EMAIL"}]}` + "\n"
	var out bytes.Buffer
	st, err := ExportFeatures(strings.NewReader(in), &out, f, ts, ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 3 || st.UnknownLabel != 1 || st.Labels["NAME"] != 1 || st.Labels["DATE"] != 1 {
		t.Fatalf("stats %+v", st)
	}
	var fl FeatureLine
	if err := json.Unmarshal(out.Bytes(), &fl); err != nil {
		t.Fatal(err)
	}
	tag := func(s string) int64 { return int64(ts.index[s]) }
	want := []int64{0, 0, tag("B-NAME"), tag("E-NAME"), 0, tag("B-DATE"), tag("I-DATE"), tag("I-DATE"), tag("E-DATE"), 0, 0}
	if !reflect.DeepEqual(fl.Labels, want) {
		t.Errorf("labels %v, want %v", fl.Labels, want)
	}
}

func TestSplitRecords(t *testing.T) {
	var in strings.Builder
	for i := 0; i < 50; i++ {
		in.WriteString(`{"id":"` + strings.Repeat("x", i) + `"}` + "\n")
	}
	var a1, b1, a2, b2 bytes.Buffer
	na, nb, err := SplitRecords(strings.NewReader(in.String()), &a1, &b1, 40, 1)
	if err != nil || na != 40 || nb != 10 {
		t.Fatalf("split: %d %d %v", na, nb, err)
	}
	SplitRecords(strings.NewReader(in.String()), &a2, &b2, 40, 1)
	if a1.String() != a2.String() || b1.String() != b2.String() {
		t.Fatal("same seed, different split")
	}
}

func newTestFeaturizer(t testing.TB) *Featurizer {
	t.Helper()
	f, err := NewFeaturizer(BuildVocab([]string{"患者右眼眼压升高诊断为青光眼予噻吗洛尔。，"}, 1), nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestBigrams(t *testing.T) {
	bg := BuildBigrams([]string{"右眼眼压高", "左眼眼压 高", "眼压Ａb"}, 2)
	var buf bytes.Buffer
	if _, err := bg.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	// 眼压 ×3, 眼眼 ×2; 压高 is cut by the space; 压a once.
	if got := buf.String(); got != "<pad>\n<unk>\n眼压\n眼眼\n" {
		t.Fatalf("bigrams.txt = %q", got)
	}
	loaded, err := LoadBigrams(&buf)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []int64
	}{
		{"眼眼压", []int64{3, 2, BigramUnk}},
		{"眼 压", []int64{BigramUnk, BigramUnk, BigramUnk}},
		{"右眼压", []int64{BigramUnk, 2, BigramUnk}},
		{"", []int64{}},
	}
	for _, tc := range tests {
		rs := []rune(tc.text)
		for i := range rs {
			rs[i] = NormChar(rs[i])
		}
		got := make([]int64, len(rs))
		loaded.IDs(rs, got)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: ids %v, want %v", tc.text, got, tc.want)
		}
	}
	for _, bad := range []string{"<pad>\n<unk>\n眼\n", "<pad>\n<unk>\n眼 \n", "<pad>\n<unk>\n眼压\n眼压\n", "<unk>\n"} {
		if _, err := LoadBigrams(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestFeaturesWithBigrams(t *testing.T) {
	text := "患者右眼眼压升高，诊断为青光眼。"
	v := BuildVocab([]string{text}, 1)
	bg := BuildBigrams([]string{text}, 1)
	f, err := NewFeaturizer(v, bg)
	if err != nil {
		t.Fatal(err)
	}
	got := f.Features(text)
	rs := []rune(text)
	for i := range rs {
		rs[i] = NormChar(rs[i])
	}
	if len(got.BigramIDs) != len(rs) {
		t.Fatalf("%d bigram ids, want %d", len(got.BigramIDs), len(rs))
	}
	for i := 0; i+1 < len(rs); i++ {
		if want := bg.ID(rs[i], rs[i+1]); got.BigramIDs[i] != want || want == BigramUnk {
			t.Errorf("position %d: bigram id %d, want %d (known)", i, got.BigramIDs[i], want)
		}
	}
	if got.BigramIDs[len(rs)-1] != BigramUnk {
		t.Error("the last character has a bigram")
	}
	// a chunk's bigrams are a slice of the note's: the last one of a chunk
	// still sees the next chunk's first character
	sl := got.Slice(0, 4)
	if len(sl.Inputs()) != 4 || !reflect.DeepEqual(sl.BigramIDs, got.BigramIDs[:4]) || sl.BigramIDs[3] == BigramUnk {
		t.Errorf("slice: %+v", sl)
	}
	if !reflect.DeepEqual(InputNames(true), []string{"char_ids", "seg_tags", "lex_tags", "bigram_ids"}) {
		t.Error(InputNames(true))
	}
	plain, _ := NewFeaturizer(v, nil)
	if p := plain.Features(text); p.BigramIDs != nil || len(p.Inputs()) != 3 || !reflect.DeepEqual(p.CharIDs, got.CharIDs) {
		t.Errorf("without bigrams: %+v", p)
	}
}
