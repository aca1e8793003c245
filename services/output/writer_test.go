package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func doc(id, file string, line int) []byte {
	return []byte(fmt.Sprintf(`{"note_id":%q,"text":"右眼视力0.5","source":{"file":%q,"line":%d}}`, id, file, line))
}

func TestWriterSkipsRedeliveriesAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.jsonl")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	clashes, err := w.writeBatch([][]byte{doc("a", "x.jsonl", 1), doc("b", "x.jsonl", 2), doc("a", "x.jsonl", 1)})
	if err != nil || len(clashes) != 0 {
		t.Fatalf("clashes %v err %v", clashes, err)
	}
	if w.Count() != 2 || w.Written() != 2 || w.Skipped() != 1 {
		t.Fatalf("count %d written %d skipped %d", w.Count(), w.Written(), w.Skipped())
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// A crash mid-line leaves a partial record: reopening drops it.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"note_id":"c","te`)
	f.Close()

	w, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	clashes, err = w.writeBatch([][]byte{doc("b", "x.jsonl", 2), doc("c", "x.jsonl", 3), doc("a", "y.csv", 7)})
	if err != nil {
		t.Fatal(err)
	}
	if len(clashes) != 1 || clashes[0] != 2 {
		t.Fatalf("clashes %v, want [2] (note a from another record)", clashes)
	}
	w.Close()
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("file has %d lines, want 3:\n%s", len(lines), b)
	}
	for i, id := range []string{"a", "b", "c"} {
		if got, _ := noteRef([]byte(lines[i])); got != id {
			t.Errorf("line %d is note %q, want %q", i+1, got, id)
		}
	}
}

func TestOpenRejectsAForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.jsonl")
	os.WriteFile(path, []byte("not json\n"), 0o600)
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "not a note document") {
		t.Fatalf("err = %v", err)
	}
}
