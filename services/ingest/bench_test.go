package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchArchive writes about 8 MiB of notes in the given shape and returns
// the directory and its size in bytes.
func benchArchive(b *testing.B, format string, gb bool) (string, int64) {
	b.Helper()
	dir := b.TempDir()
	body := strings.Repeat(noteA+"\n"+noteB+noteC, 4) // ~700 bytes of UTF-8
	var sb strings.Builder
	if format == "csv" {
		sb.WriteString("记录ID,病案号,就诊日期,记录类型,病历内容\n")
	}
	for i := 0; sb.Len() < 8<<20; i++ {
		switch format {
		case "jsonl":
			fmt.Fprintf(&sb, `{"记录ID": "R%d", "病案号": "P%06d", "就诊日期": "2023-03-05 14:30:00", "记录类型": "门诊病历", "病历内容": %q}`+"\n",
				i, i%5000, body)
		case "csv":
			fmt.Fprintf(&sb, "R%d,P%06d,2023/3/5,门诊病历,\"%s\"\n", i, i%5000, body)
		}
	}
	content := []byte(sb.String())
	if gb {
		content = gb18030(b, sb.String())
	}
	p := writeFile(b, dir, "archive."+format, content)
	info, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	return filepath.Dir(p), info.Size()
}

func benchmarkWalk(b *testing.B, format string, gb bool) {
	dir, size := benchArchive(b, format, gb)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		notes := 0
		err := Walk(context.Background(), dir, Options{}, func(it Item) error {
			if it.Note == nil {
				return fmt.Errorf("unexpected bad record: %s", it.Bad)
			}
			notes++
			return nil
		})
		if err != nil || notes == 0 {
			b.Fatal(err, notes)
		}
	}
}

func BenchmarkWalkJSONLUTF8(b *testing.B)    { benchmarkWalk(b, "jsonl", false) }
func BenchmarkWalkCSVUTF8(b *testing.B)      { benchmarkWalk(b, "csv", false) }
func BenchmarkWalkCSVGB18030(b *testing.B)   { benchmarkWalk(b, "csv", true) }
func BenchmarkWalkJSONLGB18030(b *testing.B) { benchmarkWalk(b, "jsonl", true) }
