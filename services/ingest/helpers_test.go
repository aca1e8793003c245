package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Sample notes written for these tests (not from any corpus).
const (
	noteA = "主诉：右眼视物模糊3月。\n现病史：患者3月前无明显诱因出现右眼视物模糊，无眼痛。"
	noteB = "诊断：双眼年龄相关性白内障。处理：择期行左眼白内障超声乳化术。"
	noteC = "左眼眼压21mmHg，右眼眼压18mmHg。建议1周后复查。"
)

func writeFile(t testing.TB, dir, rel string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gb18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16With(t testing.TB, s string, order unicode.Endianness) []byte {
	t.Helper()
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func collect(t testing.TB, path string, opt Options) []Item {
	t.Helper()
	var items []Item
	err := Walk(context.Background(), path, opt, func(it Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return items
}

// brief renders items compactly for failure messages (bad reasons and ids
// only; these are test fixtures, not patient data).
func brief(items []Item) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("\n  " + it.File + ":")
		b.WriteString(strconv.Itoa(it.Line) + " #" + strconv.Itoa(it.Seq) + " ")
		if it.Note != nil {
			b.WriteString("note " + it.Note.NoteID)
		} else {
			b.WriteString("bad " + it.Bad)
		}
	}
	return b.String()
}
