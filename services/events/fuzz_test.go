package events

import (
	"context"
	"testing"
	"time"
	"unicode/utf8"

	"bingli/services/note"
)

// FuzzProcess: for any text, Process returns (it must never loop), every span
// lies inside the text and matches its Text, and the note stays valid.
func FuzzProcess(f *testing.F) {
	for _, s := range []string{
		"视力：右眼0.5，左眼0.8；眼压：右18 左21mmHg",
		"VOD 0.5 VOS 0.8\nTOD 18 TOS 21",
		"验光：OD -3.50DS/-0.75DC×180→1.0",
		"右眼：\n视力 指数/30cm\n眼压 45mmHg\n左眼：\n视力 0.8",
		"血压 130/80mmHg，空腹血糖 7.2mmol/L",
		"2023-03-05 行右眼超声乳化白内障吸除联合人工晶体植入术",
		"曲伏前列素滴眼液 每晚一次 双眼",
		"(((视力）））0.5/",
		"眼压-",
		"〔姓名",
	} {
		f.Add(s)
	}
	s := New()
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || text == "" {
			return
		}
		n := &note.Note{NoteID: "fuzz", Text: text}
		done := make(chan error, 1)
		go func() { done <- s.Process(context.Background(), n) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Process did not return within 5s on %q", text)
		}
		if err := n.Validate(); err != nil {
			t.Fatal(err)
		}
		rs := []rune(text)
		for _, m := range n.Measurements {
			if string(rs[m.Start:m.End]) != m.Text || m.Value == nil {
				t.Fatalf("measurement %+v does not match its span", m)
			}
		}
		for _, p := range n.Procedures {
			if string(rs[p.Start:p.End]) != p.Text {
				t.Fatalf("procedure %+v does not match its span", p)
			}
		}
		for _, m := range n.Medications {
			if string(rs[m.Start:m.End]) != m.Text {
				t.Fatalf("medication %+v does not match its span", m)
			}
		}
	})
}
