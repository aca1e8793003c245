package ingest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/; f.Add seeds the basics.

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"病案号": "P1", "就诊日期": "2023/3/5", "text": "右眼红痛2天。"}` + "\n"))
	f.Add([]byte("{\"text\": \"a\\r\\nb\"}\r\n\n{\"text\": \"眼\xff\"}\n{\"text\": \"截"))
	f.Add(gb18030(f, `{"登记号": 7, "内容": "左眼视力下降。"}`+"\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, "jsonl") })
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("病案号,病历内容\nP1,\"多行\n文本\"\nP2,右眼\"红\n"))
	f.Add([]byte("\xEF\xBB\xBFtext,id\r\n\"a,b\",1\r\n"))
	f.Add(gb18030(f, "登记号,内容\nG1,双眼干涩。\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, "csv") })
}

func FuzzDetectEncoding(f *testing.F) {
	f.Add([]byte(noteA))
	f.Add(gb18030(f, noteB))
	f.Add([]byte{0xFF, 0xFE, 0x3C, 0x77})
	f.Fuzz(func(t *testing.T, sample []byte) {
		enc, bom := DetectEncoding(sample)
		switch enc {
		case EncUTF8, EncGB18030, EncUTF16LE, EncUTF16BE:
		default:
			t.Fatalf("unknown encoding %q", enc)
		}
		if bom < 0 || bom > len(sample) || bom > 3 {
			t.Fatalf("bom length %d of %d bytes", bom, len(sample))
		}
		if utf8.Valid(sample) && !bytes.HasPrefix(sample, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(sample, []byte{0xFE, 0xFF}) && enc != EncUTF8 {
			t.Fatalf("valid UTF-8 detected as %s", enc)
		}
	})
}

func FuzzNormalizeDate(f *testing.F) {
	for _, s := range []string{"2023-03-05", "2023年3月5日 14时30分", "20230305", "2023/2/29", "２０２３．３．５"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := NormalizeDate(s)
		if !ok {
			return
		}
		if _, err := time.Parse("2006-01-02", d); err != nil {
			t.Fatalf("NormalizeDate(%q) = %q: %v", s, d, err)
		}
		if again, ok := NormalizeDate(d); !ok || again != d {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, d, again)
		}
	})
}

// fuzzParse parses data as a file of the given format and checks the
// invariants every consumer relies on.
func fuzzParse(t *testing.T, data []byte, format string) {
	const maxNote = 256
	seq, lastLine := 0, 0
	err := parseStream(context.Background(), bytes.NewReader(data), "f."+format, format, Options{MaxNoteBytes: maxNote}, func(it Item) error {
		if it.Seq != seq {
			t.Fatalf("seq %d, want %d", it.Seq, seq)
		}
		seq++
		if it.Line < lastLine {
			t.Fatalf("line %d after %d", it.Line, lastLine)
		}
		lastLine = it.Line
		if (it.Note == nil) == (it.Bad == "") {
			t.Fatalf("item must be a note or bad, not both or neither: %+v", it)
		}
		if it.Bad != "" {
			// Reasons are ASCII apart from the documented alias list.
			r := strings.ReplaceAll(it.Bad, strings.Join(defaultAliases[FieldText], ", "), "")
			if !isASCIIString(r) {
				t.Fatalf("reason %q carries non-ASCII text", it.Bad)
			}
			return nil
		}
		n := it.Note
		if err := n.Validate(); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(n.Text) || len(n.Text) > maxNote || strings.TrimSpace(n.Text) == "" || strings.Contains(n.Text, "\r\n") {
			t.Fatalf("bad text %q", n.Text)
		}
		if n.VisitDate != "" {
			if _, err := time.Parse("2006-01-02", n.VisitDate); err != nil {
				t.Fatalf("visit date %q", n.VisitDate)
			}
		}
		if it.Line < 1 || n.Source.Line != it.Line || n.Source.Format != format {
			t.Fatalf("source %+v for line %d", n.Source, it.Line)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
}
