package lac_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bingli/services/lac"
	"bingli/services/lac/lactest"
)

func names(text string, spans []lac.Span, kind lac.Kind) []string {
	rs := []rune(text)
	var out []string
	for _, s := range spans {
		if s.Tag == string(kind) {
			out = append(out, string(rs[s.Start:s.End]))
		}
	}
	return out
}

func TestAnalyzeFindsNames(t *testing.T) {
	m := lactest.Model(t)
	cases := []struct {
		text string
		kind lac.Kind
		want string
	}{
		{"张三在北京市工作", lac.Person, "张三"},
		{"张三在北京市工作", lac.Location, "北京市"},
		{"今日复诊，陈晓梅诉左眼仍畏光。", lac.Person, "陈晓梅"},
		{"患者由其女儿王丽华陪同就诊。", lac.Person, "王丽华"},
	}
	for _, c := range cases {
		got, err := m.Analyze([][]rune{[]rune(c.text)})
		if err != nil {
			t.Fatal(err)
		}
		if ns := names(c.text, got[0], c.kind); !contains(ns, c.want) {
			t.Errorf("%s: %s spans %q, want %q among them", c.text, c.kind, ns, c.want)
		}
	}
}

// Batching pads shorter texts; their words must not change.
func TestAnalyzeBatchEqualsSingle(t *testing.T) {
	m := lactest.Model(t)
	texts := []string{"双眼视物模糊2年，加重1月。", "今日复诊，陈晓梅诉左眼仍畏光。", "患者", "术者：李卫东，助手：欧阳明"}
	var batch [][]rune
	for _, s := range texts {
		batch = append(batch, []rune(s))
	}
	all, err := m.Analyze(batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range texts {
		one, err := m.Analyze([][]rune{[]rune(s)})
		if err != nil {
			t.Fatal(err)
		}
		if len(one[0]) != len(all[i]) {
			t.Fatalf("%q: batch %v, alone %v", s, all[i], one[0])
		}
		for j := range one[0] {
			if one[0][j] != all[i][j] {
				t.Fatalf("%q: batch %v, alone %v", s, all[i], one[0])
			}
		}
		if all[i][len(all[i])-1].End != len([]rune(s)) {
			t.Errorf("%q: words end at %d", s, all[i][len(all[i])-1].End)
		}
	}
}

func TestLoadRejectsTamperedFiles(t *testing.T) {
	lactest.Model(t)
	src, err := lac.Dir()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := filepath.Glob(filepath.Join(src, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		name := filepath.Base(path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if name == "tag.dic" {
			b = append(b, "49\tX-B\n"...)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lac.Load(dir, "", 1); err == nil || !strings.Contains(err.Error(), "tag.dic: sha256") {
		t.Fatalf("tampered tag.dic: err = %v, want a sha256 mismatch", err)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
