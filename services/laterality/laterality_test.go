package laterality

import (
	"strings"
	"testing"

	"bingli/services/note"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		word string
		want note.Eye
	}{
		{"右眼", note.EyeRight}, {"右", note.EyeRight}, {"右侧", note.EyeRight}, {"OD", note.EyeRight},
		{"R", note.EyeRight}, {"r", note.EyeRight}, {"ＯＤ", note.EyeRight}, {" 右眼： ", note.EyeRight},
		{"左眼", note.EyeLeft}, {"左", note.EyeLeft}, {"左侧", note.EyeLeft}, {"OS", note.EyeLeft}, {"L", note.EyeLeft},
		{"双眼", note.EyeBoth}, {"双侧", note.EyeBoth}, {"双", note.EyeBoth}, {"OU", note.EyeBoth}, {"BE", note.EyeBoth},
		{"眼", note.EyeNone}, {"", note.EyeNone}, {"左右", note.EyeNone}, {"ODS", note.EyeNone},
	} {
		if got := Parse(tc.word); got != tc.want {
			t.Errorf("Parse(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

// at marks the mention with ⟨ ⟩ in s and runs At on it.
func at(t *testing.T, s string) note.Eye {
	t.Helper()
	i := strings.Index(s, "⟨")
	j := strings.Index(s, "⟩")
	if i < 0 || j < i {
		t.Fatalf("no ⟨mention⟩ in %q", s)
	}
	text := []rune(s[:i] + s[i+len("⟨"):j] + s[j+len("⟩"):])
	start := len([]rune(s[:i]))
	end := start + len([]rune(s[i+len("⟨"):j]))
	return At(text, start, end)
}

func TestAt(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       note.Eye
	}{
		{"inside", "诊断：⟨右眼白内障⟩", note.EyeRight},
		{"inside OS", "⟨OS青光眼⟩", note.EyeLeft},
		{"before with colon", "右眼：眼压⟨18mmHg⟩", note.EyeRight},
		{"before same clause", "右眼视力⟨0.5⟩", note.EyeRight},
		{"nearest wins", "视力：右眼0.5，左眼⟨0.8⟩", note.EyeLeft},
		{"first of pair", "视力：右眼⟨0.5⟩，左眼0.8", note.EyeRight},
		{"bare characters", "眼压：右18 左⟨21mmHg⟩", note.EyeLeft},
		{"bare right", "眼压：右⟨18⟩ 左21mmHg", note.EyeRight},
		{"letters", "眼压 R 18 L ⟨21⟩ mmHg", note.EyeLeft},
		{"VOD", "VOD ⟨0.5⟩ VOS 0.8", note.EyeRight},
		{"VOS", "VOD 0.5 VOS ⟨0.8⟩", note.EyeLeft},
		{"both", "双眼眼压均为⟨15mmHg⟩", note.EyeBoth},
		{"OU", "眼压 OU ⟨15mmHg⟩", note.EyeBoth},
		{"full-width", "ＯＳ：⟨０.８⟩", note.EyeLeft},
		{"clause ends at 。", "右眼视力0.5。眼压⟨18mmHg⟩", note.EyeNone},
		{"clause ends at ；", "右眼视力0.5；眼压⟨18mmHg⟩", note.EyeNone},
		{"clause ends at line", "右眼视力0.5\n眼压⟨18mmHg⟩", note.EyeNone},
		{"comma keeps clause", "右眼视力0.5，眼压⟨18mmHg⟩", note.EyeRight},
		{"header list", "右眼：\n  视力0.5\n  眼压⟨18⟩mmHg\n左眼：\n  视力0.8", note.EyeRight},
		{"second header", "右眼：\n  视力0.5\n左眼：\n  视力0.8\n  眼压⟨21⟩mmHg", note.EyeLeft},
		{"header with items", "左眼：视力0.3；眼压⟨25mmHg⟩；前房浅", note.EyeLeft},
		{"bracket header", "【右眼】\n角膜透明\nC/D ⟨0.5⟩", note.EyeRight},
		{"header 检查", "OD检查：\n眼压⟨16⟩", note.EyeRight},
		{"header stops at blank line", "右眼：\n视力0.5\n\n眼压⟨18⟩", note.EyeNone},
		{"header stops at section", "右眼：\n视力0.5\n辅助检查：\n血糖⟨7.2⟩", note.EyeNone},
		{"non-header eye stops", "右眼视力0.5；眼压18\n血压⟨130⟩", note.EyeNone},
		{"左右 is not an eye", "3天左右⟨复查⟩", note.EyeNone},
		{"mmol/L is not an eye", "血糖 7.2mmol/L ⟨8⟩", note.EyeNone},
		{"R in a word", "CRT ⟨320⟩μm", note.EyeNone},
		{"no eye", "视力⟨0.5⟩", note.EyeNone},
		{"右侧", "右侧⟨上睑⟩", note.EyeRight},
	} {
		if got := at(t, tc.text); got != tc.want {
			t.Errorf("%s: At(%q) = %q, want %q", tc.name, tc.text, got, tc.want)
		}
	}
}

func TestWordAt(t *testing.T) {
	for _, tc := range []struct {
		text string
		i    int
		eye  note.Eye
		n    int
	}{
		{"右眼", 0, note.EyeRight, 2},
		{"右18", 0, note.EyeRight, 1},
		{"右上方", 0, note.EyeNone, 0},
		{"左右", 0, note.EyeNone, 0},
		{"左右", 1, note.EyeNone, 0},
		{"OD 0.5", 0, note.EyeRight, 2},
		{"ODS", 0, note.EyeNone, 0},
		{"BE", 0, note.EyeBoth, 2},
		{"be", 0, note.EyeNone, 0},
		{"mmol/L 5", 5, note.EyeNone, 0},
		{"R:18", 0, note.EyeRight, 1},
		{"Ref", 0, note.EyeNone, 0},
		{"VOD", 1, note.EyeRight, 2},
		{"GOOD", 2, note.EyeNone, 0},
	} {
		e, n := WordAt([]rune(tc.text), tc.i)
		if e != tc.eye || n != tc.n {
			t.Errorf("WordAt(%q, %d) = %q, %d; want %q, %d", tc.text, tc.i, e, n, tc.eye, tc.n)
		}
	}
}

func TestColumns(t *testing.T) {
	text := []rune("检查        右眼      左眼\n视力        0.5       0.8\n眼压        18        21\n")
	pos := len([]rune("检查        右眼      左眼\n视力        0.5       0.8\n眼压    "))
	got := Columns(text, pos)
	if len(got) != 2 || got[0] != note.EyeRight || got[1] != note.EyeLeft {
		t.Errorf("Columns = %v, want [right left]", got)
	}
	if got := Columns([]rune("右眼 左眼\n\n眼压 18 21"), 12); got != nil {
		t.Errorf("Columns across a blank line = %v, want nil", got)
	}
	if got := Columns([]rune("视力0.5"), 3); got != nil {
		t.Errorf("Columns with no header = %v, want nil", got)
	}
}
