package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"bingli/services/note"
)

// want describes an expected item; zero fields are not checked except Bad
// (an empty Bad means the item must be a note).
type want struct {
	file      string
	line, seq int
	bad       string // substring expected in Bad
	id        string // "" = derived id expected
	patient   string
	date      string
	noteType  string
	text      string
	format    string
	enc       string
}

func check(t *testing.T, items []Item, wants []want) {
	t.Helper()
	if len(items) != len(wants) {
		t.Fatalf("got %d items, want %d:%s", len(items), len(wants), brief(items))
	}
	for i, w := range wants {
		it := items[i]
		if it.File != w.file || it.Line != w.line || it.Seq != w.seq {
			t.Errorf("item %d at %s:%d #%d, want %s:%d #%d", i, it.File, it.Line, it.Seq, w.file, w.line, w.seq)
		}
		if w.bad != "" {
			if it.Note != nil || !strings.Contains(it.Bad, w.bad) {
				t.Errorf("item %d (%s:%d): Bad = %q (note %v), want containing %q", i, it.File, it.Line, it.Bad, it.Note != nil, w.bad)
			}
			continue
		}
		n := it.Note
		if n == nil || it.Bad != "" {
			t.Errorf("item %d (%s:%d): bad %q, want a note", i, it.File, it.Line, it.Bad)
			continue
		}
		id := w.id
		if id == "" {
			id = DerivedNoteID(w.file, w.line)
		}
		if n.NoteID != id || n.SourcePatientID != w.patient || n.VisitDate != w.date || n.NoteType != w.noteType {
			t.Errorf("item %d: id %q patient %q date %q type %q; want %q %q %q %q", i,
				n.NoteID, n.SourcePatientID, n.VisitDate, n.NoteType, id, w.patient, w.date, w.noteType)
		}
		if n.Text != w.text {
			t.Errorf("item %d: text %q, want %q", i, n.Text, w.text)
		}
		wantSrc := note.Source{File: w.file, Line: w.line, Format: w.format, Encoding: w.enc}
		if n.Source != wantSrc || n.SchemaVersion != note.SchemaVersion {
			t.Errorf("item %d: source %+v schema %q, want %+v %q", i, n.Source, n.SchemaVersion, wantSrc, note.SchemaVersion)
		}
		if err := n.Validate(); err != nil {
			t.Errorf("item %d: %v", i, err)
		}
	}
}

func TestWalkFormatsAndEncodings(t *testing.T) {
	dir := t.TempDir()
	// GB18030 CSV with a Chinese header and default aliases; no id column.
	writeFile(t, dir, "门诊/2023.csv", gb18030(t, "病案号,就诊日期,记录类型,病历内容\n"+
		"MZ001,2023/3/5,门诊病历,\""+noteA+"\"\n"+
		"MZ002,2023年4月1日 09:30,复诊记录,"+noteB+"\n"))
	// UTF-16LE text note in a patient directory.
	writeFile(t, dir, "P0001/出院小结.txt", utf16With(t, noteC, unicode.LittleEndian))
	// UTF-16BE text note at the root: no patient.
	writeFile(t, dir, "be.txt", utf16With(t, noteB, unicode.BigEndian))
	// UTF-8 JSONL; numbers for ids become their text.
	writeFile(t, dir, "notes.jsonl", []byte(
		`{"id": 1001, "患者ID": 12345678901234567890, "日期": "20230305", "文书类型": "入院记录", "text": "`+strings.ReplaceAll(noteA, "\n", `\n`)+`"}`+"\n"+
			`{"记录ID": "R-2", "登记号": "D77", "正文": "`+noteC+`", "extra": [1, {"x": true}]}`+"\n"))
	// UTF-8 CSV with a BOM on the header, columns in English.
	writeFile(t, dir, "bom.csv", []byte("\xEF\xBB\xBFtext,patient_id,note_id\n"+noteB+",PX,N9\n"))

	items := collect(t, dir, Options{})
	check(t, items, []want{
		{file: "P0001/出院小结.txt", id: "出院小结", patient: "P0001", text: noteC, format: "txt", enc: EncUTF16LE},
		{file: "be.txt", id: "be", text: noteB, format: "txt", enc: EncUTF16BE},
		{file: "bom.csv", line: 2, id: "N9", patient: "PX", text: noteB, format: "csv", enc: EncUTF8},
		{file: "notes.jsonl", line: 1, id: "1001", patient: "12345678901234567890", date: "2023-03-05", noteType: "入院记录", text: noteA, format: "jsonl", enc: EncUTF8},
		{file: "notes.jsonl", line: 2, seq: 1, id: "R-2", patient: "D77", text: noteC, format: "jsonl", enc: EncUTF8},
		{file: "门诊/2023.csv", line: 2, patient: "MZ001", date: "2023-03-05", noteType: "门诊病历", text: noteA, format: "csv", enc: EncGB18030},
		{file: "门诊/2023.csv", line: 4, seq: 1, patient: "MZ002", date: "2023-04-01", noteType: "复诊记录", text: noteB, format: "csv", enc: EncGB18030},
	})
}

func TestWalkSingleFile(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "P0001/随访.txt", []byte(noteA))
	check(t, collect(t, p, Options{}), []want{
		{file: "随访.txt", id: "随访", text: noteA, format: "txt", enc: EncUTF8},
	})
}

// The mixed archive: a GBK file, a UTF-8 file with a truncated JSON line,
// an empty text, a 2 MB note and an impossible date, and an unsupported
// file. Bad items land on the right lines, everything else flows.
func TestMixedArchive(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a_gbk.csv", gb18030(t, "登记号,记录日期,内容\r\n"+
		"G-1,2022-12-01,"+noteB+"\r\n"+
		"G-2,2022-12-02,"+noteC+"\r\n"))
	big := strings.Repeat("视网膜", 2<<20/9+1) // just over 2 MiB of UTF-8
	writeFile(t, dir, "b_utf8.jsonl", []byte(
		`{"病案号": "P1", "text": "`+noteB+`"}`+"\n"+
			`{"病案号": "P2", "text": "右眼视力0.`+"\n"+ // truncated
			"   \t\n"+ // blank: not a record
			`{"病案号": "P3", "text": "  　 "}`+"\n"+ // whitespace only
			`{"病案号": "P4", "text": "`+big+`"}`+"\n"+
			`{"病案号": "P5", "就诊日期": "2023-02-30", "text": "`+noteC+`"}`+"\n"+
			`{"病案号": "P6", "text": "`+noteC+`"}`+"\n"))
	writeFile(t, dir, "c.docx", []byte("PK\x03\x04"))

	items := collect(t, dir, Options{})
	check(t, items, []want{
		{file: "a_gbk.csv", line: 2, patient: "G-1", date: "2022-12-01", text: noteB, format: "csv", enc: EncGB18030},
		{file: "a_gbk.csv", line: 3, seq: 1, patient: "G-2", date: "2022-12-02", text: noteC, format: "csv", enc: EncGB18030},
		{file: "b_utf8.jsonl", line: 1, patient: "P1", text: noteB, format: "jsonl", enc: EncUTF8},
		{file: "b_utf8.jsonl", line: 2, seq: 1, bad: "truncated JSON"},
		{file: "b_utf8.jsonl", line: 4, seq: 2, bad: "empty text"},
		{file: "b_utf8.jsonl", line: 5, seq: 3, bad: "note too large: 2.0 MB > 1.0 MB limit"},
		{file: "b_utf8.jsonl", line: 6, seq: 4, bad: "visit_date not a date"},
		{file: "b_utf8.jsonl", line: 7, seq: 5, patient: "P6", text: noteC, format: "jsonl", enc: EncUTF8},
		{file: "c.docx", bad: `unsupported file type ".docx"`},
	})
	assertReasonsCarryNoValues(t, items, "P2", "右眼", "视网膜", "2023-02-30", "PK")
}

// assertReasonsCarryNoValues fails if a bad reason holds any of the given
// values or any non-ASCII text (reasons name fields, sizes and positions).
func assertReasonsCarryNoValues(t *testing.T, items []Item, values ...string) {
	t.Helper()
	for _, it := range items {
		for _, v := range values {
			if it.Bad != "" && strings.Contains(it.Bad, v) {
				t.Errorf("%s:%d: reason %q carries a value", it.File, it.Line, it.Bad)
			}
		}
		if !isASCIIString(it.Bad) {
			t.Errorf("%s:%d: reason %q is not plain ASCII", it.File, it.Line, it.Bad)
		}
	}
}

func TestMappingOverridesAliases(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m.jsonl", []byte(
		`{"文书编号": "W1", "病案号": "B1", "登记号": "D1", "就诊时间": "2021.7.9", "病历内容": "`+noteB+`", "正文内容": "`+noteC+`"}`+"\n"))
	tests := []struct {
		mapping string
		w       want
	}{
		{"", want{file: "m.jsonl", line: 1, patient: "B1", text: noteB, format: "jsonl", enc: EncUTF8}},
		{"note_id=文书编号,patient_id=登记号,visit_date=就诊时间,text=正文内容",
			want{file: "m.jsonl", line: 1, id: "W1", patient: "D1", date: "2021-07-09", text: noteC, format: "jsonl", enc: EncUTF8}},
		{"text=不存在", want{file: "m.jsonl", line: 1, bad: "missing text field"}},
	}
	for _, tt := range tests {
		m, err := ParseMapping(tt.mapping)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(tt.mapping, func(t *testing.T) {
			check(t, collect(t, dir, Options{Mapping: m}), []want{tt.w})
		})
	}
}

func TestCSVHeaderProblems(t *testing.T) {
	tests := []struct {
		name, content, mapping, bad string
	}{
		{"empty file", "", "", "no CSV header"},
		{"no text column", "病案号,诊断\nP1,白内障\n", "", "no text column in CSV header"},
		{"mapped column missing", "病案号,病历内容\nP1,x\n", "patient_id=住院号", "mapped column for patient_id"},
		{"malformed header", "a,\"b\n", "", "malformed CSV header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "h.csv", []byte(tt.content))
			m, _ := ParseMapping(tt.mapping)
			items := collect(t, dir, Options{Mapping: m})
			if len(items) != 1 || !strings.Contains(items[0].Bad, tt.bad) {
				t.Fatalf("items %s; want one bad %q", brief(items), tt.bad)
			}
		})
	}
}

func TestDerivedNoteIDs(t *testing.T) {
	dir := t.TempDir()
	content := []byte(`{"text": "` + noteB + `"}` + "\n" + `{"text": "` + noteC + `"}` + "\n")
	writeFile(t, dir, "x/a.jsonl", content)
	writeFile(t, dir, "y/a.jsonl", content)
	first := collect(t, dir, Options{})
	second := collect(t, dir, Options{})
	ids := map[string]bool{}
	for i, it := range first {
		if it.Note == nil {
			t.Fatalf("item %d bad: %s", i, it.Bad)
		}
		if it.Note.NoteID != second[i].Note.NoteID {
			t.Errorf("item %d: id %s then %s", i, it.Note.NoteID, second[i].Note.NoteID)
		}
		if len(it.Note.NoteID) != 18 || !strings.HasPrefix(it.Note.NoteID, "n-") {
			t.Errorf("item %d: id %q not n- and 16 hex digits", i, it.Note.NoteID)
		}
		ids[it.Note.NoteID] = true
	}
	if len(ids) != 4 {
		t.Errorf("want 4 distinct ids (2 lines × 2 paths), got %d", len(ids))
	}
	// The formula is part of the contract: sha256("x/a.jsonl\x001").
	sum := sha256.Sum256([]byte("x/a.jsonl\x001"))
	if want := "n-" + hex.EncodeToString(sum[:])[:16]; first[0].Note.NoteID != want || DerivedNoteID("x/a.jsonl", 1) != want {
		t.Errorf("first id %s, want %s", first[0].Note.NoteID, want)
	}
}

func TestCRLF(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.jsonl", []byte(`{"text": "第一行\r\n第二行\r"}`+"\r\n"+`{"text": "单独\r回车"}`+"\r\n"))
	writeFile(t, dir, "b.csv", []byte("id,text\r\n1,\"第一行\r\n第二行\"\r\n2,末行\r\n"))
	writeFile(t, dir, "c.txt", []byte("第一行\r\n第二行\r\n"))
	check(t, collect(t, dir, Options{}), []want{
		{file: "a.jsonl", line: 1, text: "第一行\n第二行", format: "jsonl", enc: EncUTF8},
		{file: "a.jsonl", line: 2, seq: 1, text: "单独\r回车", format: "jsonl", enc: EncUTF8},
		{file: "b.csv", line: 2, id: "1", text: "第一行\n第二行", format: "csv", enc: EncUTF8},
		{file: "b.csv", line: 4, seq: 1, id: "2", text: "末行", format: "csv", enc: EncUTF8},
		{file: "c.txt", id: "c", text: "第一行\n第二行\n", format: "txt", enc: EncUTF8},
	})
}

func TestCSVRecordLines(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m.csv", []byte("病案号,病历内容\n"+
		"P1,\"主诉：眼红。\n\n查体：结膜充血。\"\n"+ // lines 2-4
		"\n"+ // line 5 blank
		"P2,\"他说\"\"看不清\"\"，\n伴畏光\"\n"+ // lines 6-7
		"P3,单行\n")) // line 8
	check(t, collect(t, dir, Options{}), []want{
		{file: "m.csv", line: 2, patient: "P1", text: "主诉：眼红。\n\n查体：结膜充血。", format: "csv", enc: EncUTF8},
		{file: "m.csv", line: 6, seq: 1, patient: "P2", text: "他说\"看不清\"，\n伴畏光", format: "csv", enc: EncUTF8},
		{file: "m.csv", line: 8, seq: 2, patient: "P3", text: "单行", format: "csv", enc: EncUTF8},
	})
}

func TestCSVMalformedRows(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m.csv", []byte("病案号,病历内容\n"+
		"P1,"+noteB+"\n"+ // 2 ok
		"P2,右眼\"红\"肿\n"+ // 3 bare quote
		"P3,"+noteC+",多余\n"+ // 4 wrong field count
		"P4,\"结膜\"炎\"\n"+ // 5 bad quote
		"P5,"+noteC+"\n"+ // 6 ok
		"P6,\"未闭合\n"+ // 7 unclosed quote to end of file
		"P7,"+noteB+"\n"))
	items := collect(t, dir, Options{})
	check(t, items, []want{
		{file: "m.csv", line: 2, patient: "P1", text: noteB, format: "csv", enc: EncUTF8},
		{file: "m.csv", line: 3, seq: 1, bad: "bare quote in unquoted field at line 3"},
		{file: "m.csv", line: 4, seq: 2, bad: "wrong field count: 3 fields, header has 2"},
		{file: "m.csv", line: 5, seq: 3, bad: "extraneous or missing quote at line 5"},
		{file: "m.csv", line: 6, seq: 4, patient: "P5", text: noteC, format: "csv", enc: EncUTF8},
		{file: "m.csv", line: 7, seq: 5, bad: "quoted field starting at line 7 not closed properly"},
	})
	assertReasonsCarryNoValues(t, items, "P2", "P3", "P4", "P6", "P7", "红", "结膜")
}

func TestUndecodableRecords(t *testing.T) {
	dir := t.TempDir()
	// UTF-8 file: the broken line lies past the 64 KiB sample.
	var b strings.Builder
	for b.Len() < sampleSize+1000 {
		b.WriteString(`{"text": "` + noteB + `"}` + "\n")
	}
	lines := strings.Count(b.String(), "\n")
	b.WriteString("{\"text\": \"眼\xff压\"}\n")
	b.WriteString(`{"text": "` + noteC + `"}` + "\n")
	writeFile(t, dir, "a.jsonl", []byte(b.String()))
	// GB18030 CSV with a dangling lead byte in one record.
	gb := gb18030(t, "病历内容,病案号\n"+noteB+",G1\n")
	gb = append(gb, gb18030(t, "眼压")...)
	gb = append(gb, 0x81, ',', 'G', '2', '\n')
	gb = append(gb, gb18030(t, noteC+",G3\n")...)
	writeFile(t, dir, "b.csv", gb)
	// UTF-16LE text with a lone surrogate.
	u := utf16With(t, "左眼", unicode.LittleEndian)
	writeFile(t, dir, "c.txt", append(u, 0x00, 0xD8, 0x41, 0x00))

	items := collect(t, dir, Options{})
	var bad []Item
	for _, it := range items {
		if it.Bad != "" {
			bad = append(bad, it)
		}
	}
	check(t, bad, []want{
		{file: "a.jsonl", line: lines + 1, seq: lines, bad: "undecodable bytes (not valid utf-8)"},
		{file: "b.csv", line: 3, seq: 1, bad: "undecodable bytes (not valid gb18030)"},
		{file: "c.txt", bad: "undecodable bytes (not valid utf-16le)"},
	})
	if n := len(items) - len(bad); n != lines+1+2 {
		t.Errorf("%d valid notes, want %d", n, lines+3)
	}
	last := items[lines+1]
	if last.Note == nil || last.Note.Text != noteC || last.Note.Source.Encoding != EncUTF8 {
		t.Errorf("record after the broken line: %+v", last)
	}
}

func TestJSONLBadShapes(t *testing.T) {
	dir := t.TempDir()
	long := `{"text": "` + strings.Repeat("a", 2<<20) + `"}`
	writeFile(t, dir, "s.jsonl", []byte(strings.Join([]string{
		`[1, 2]`,
		`null`,
		`{"text": true}`,
		`{"病案号": {"nested": 1}, "text": "x"}`,
		`{"病案号": "P1"}`,
		`{"text": "ok" } trailing`,
		`not json at all`,
		long,
		`{"病案号": null, "text": "好"}`,
	}, "\n")))
	items := collect(t, dir, Options{MaxNoteBytes: 16})
	check(t, items, []want{
		{file: "s.jsonl", line: 1, bad: "JSON line is not an object"},
		{file: "s.jsonl", line: 2, seq: 1, bad: "JSON line is not an object"},
		{file: "s.jsonl", line: 3, seq: 2, bad: "field text is not a string or number"},
		{file: "s.jsonl", line: 4, seq: 3, bad: "field patient_id is not a string or number"},
		{file: "s.jsonl", line: 5, seq: 4, bad: "missing text field"},
		{file: "s.jsonl", line: 6, seq: 5, bad: "invalid JSON at byte"},
		{file: "s.jsonl", line: 7, seq: 6, bad: "invalid JSON at byte 2"},
		{file: "s.jsonl", line: 8, seq: 7, bad: "record too large: line of 2.0 MB > 1.0 MB read limit"},
		{file: "s.jsonl", line: 9, seq: 8, text: "好", format: "jsonl", enc: EncUTF8},
	})
}

func TestTXTNotes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "P1/空.txt", nil)
	writeFile(t, dir, "P1/大.txt", []byte(strings.Repeat("视", 1<<20)))        // 3 MiB of UTF-8
	writeFile(t, dir, "P1/gb.txt", gb18030(t, strings.Repeat("视", 700<<10))) // 1.4 MiB stored, 2.1 MB as UTF-8
	writeFile(t, dir, "P2/诊断.TXT", gb18030(t, noteB))
	check(t, collect(t, dir, Options{}), []want{
		{file: "P1/gb.txt", bad: "note too large: 2.1 MB > 1.0 MB limit"},
		{file: "P1/大.txt", bad: "note too large: 3.0 MB > 1.0 MB limit"},
		{file: "P1/空.txt", bad: "empty text"},
		{file: "P2/诊断.TXT", id: "诊断", patient: "P2", text: noteB, format: "txt", enc: EncGB18030},
	})
}

func TestWalkOrderHiddenAndUnsupported(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, ".git/config.txt", []byte(noteA))
	writeFile(t, dir, ".DS_Store", []byte{0, 1})
	writeFile(t, dir, "b/.~lock.csv", []byte("text\nx\n"))
	writeFile(t, dir, "b/2.txt", []byte(noteB))
	writeFile(t, dir, "b/10.txt", []byte(noteC))
	writeFile(t, dir, "a.xlsx", []byte("PK"))
	writeFile(t, dir, "README", []byte("说明"))
	check(t, collect(t, dir, Options{}), []want{
		{file: "README", bad: "unsupported file type (no extension)"},
		{file: "a.xlsx", bad: `unsupported file type ".xlsx"`},
		{file: "b/10.txt", id: "10", patient: "b", text: noteC, format: "txt", enc: EncUTF8},
		{file: "b/2.txt", id: "2", patient: "b", text: noteB, format: "txt", enc: EncUTF8},
	})
}

func TestWalkStops(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.jsonl", []byte(strings.Repeat(`{"text": "`+noteB+`"}`+"\n", 10)))
	writeFile(t, dir, "b.txt", []byte(noteC))

	stop := errors.New("stop here")
	n := 0
	err := Walk(context.Background(), dir, Options{}, func(Item) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if err != stop || n != 3 {
		t.Errorf("fn error: Walk = %v after %d items, want the same error after 3", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = Walk(ctx, dir, Options{}, func(Item) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("cancel: Walk = %v after %d items", err, n)
	}

	if err := Walk(context.Background(), filepath.Join(dir, "missing"), Options{}, func(Item) error { return nil }); err == nil {
		t.Errorf("Walk of a missing path succeeded")
	}
}

func TestFileFingerprint(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", []byte("text\n"+noteA+"\n"))
	b := writeFile(t, dir, "copy/renamed.csv", []byte("text\n"+noteA+"\n"))
	c := writeFile(t, dir, "c.csv", []byte("text\n"+noteB+"\n"))
	fa, err := FileFingerprint(a)
	if err != nil {
		t.Fatal(err)
	}
	fb, _ := FileFingerprint(b)
	fc, _ := FileFingerprint(c)
	if fa != fb || fa == fc {
		t.Errorf("fingerprints a=%s b=%s c=%s: want a==b!=c", fa, fb, fc)
	}
	sum := sha256.Sum256([]byte("text\n" + noteA + "\n"))
	if want := strconv.Itoa(len("text\n"+noteA+"\n")) + ":" + hex.EncodeToString(sum[:]); fa != want {
		t.Errorf("fingerprint %q, want <size>:<sha256 hex>", fa)
	}
	if _, err := FileFingerprint(filepath.Join(dir, "nope")); err == nil {
		t.Error("fingerprint of a missing file succeeded")
	}
}

func TestCSVUnclosedQuoteIsBoundedInMemory(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("病案号,病历内容\nP1,眼红。\nP2,\"从这里起引号未闭合\n")
	for b.Len() < 3<<20 {
		b.WriteString("P3," + noteC + "\n")
	}
	writeFile(t, dir, "q.csv", []byte(b.String()))
	items := collect(t, dir, Options{MaxNoteBytes: 64}) // read limit 1 MiB + 512 B
	check(t, items, []want{
		{file: "q.csv", line: 2, patient: "P1", text: "眼红。", format: "csv", enc: EncUTF8},
		{file: "q.csv", line: 3, seq: 1, bad: "CSV record exceeds the 1.0 MB read limit (unclosed quote?); rest of file not parsed"},
	})
}
