package laterality

import (
	"strings"
	"testing"

	"bingli/services/note"
)

func TestCell(t *testing.T) {
	const table = "专科检查：\n" +
		"            右眼          左眼\n" +
		"视力        0.3           1.0\n" +
		"结膜        轻度充血      无充血\n" +
		"晶状体      皮质混浊      透明\n" +
		"诊断：1.白内障 2.结膜炎\n"
	const odos = "项目  OD      OS\n前房  积血    清\n玻璃体  清    积血\n"
	const noHeader = "结膜        充血          无充血\n"
	const broken = "            右眼          左眼\n视力        0.3           1.0\n\n角膜        水肿          透明\n"
	for _, tc := range []struct {
		name, text, word string
		nth              int // which occurrence of word
		want             note.Eye
	}{
		{"right column", table, "充血", 0, note.EyeRight},
		{"left column", table, "充血", 1, note.EyeLeft},
		{"right column lower row", table, "混浊", 0, note.EyeRight},
		{"row label", table, "晶状体", 0, note.EyeNone},
		{"line below the table", table, "白内障", 0, note.EyeNone},
		{"section title", table, "专科检查", 0, note.EyeNone},
		{"OD OS header", odos, "积血", 0, note.EyeRight},
		{"OD OS header, left", odos, "积血", 1, note.EyeLeft},
		{"no header", noHeader, "充血", 0, note.EyeNone},
		{"blank line ends the table", broken, "水肿", 0, note.EyeNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pos := nthIndex(tc.text, tc.word, tc.nth)
			if got := Cell([]rune(tc.text), pos); got != tc.want {
				t.Errorf("Cell(%q #%d) = %q, want %q", tc.word, tc.nth, got, tc.want)
			}
		})
	}
}

func TestCellByPosition(t *testing.T) {
	// The row has a third cell (a remark), so cells are matched to the
	// header by display column.
	text := "        右眼        左眼\n眼底    出血        正常        复查\n"
	rs := []rune(text)
	if got := Cell(rs, nthIndex(text, "出血", 0)); got != note.EyeRight {
		t.Errorf("出血 = %q, want right", got)
	}
	if got := Cell(rs, nthIndex(text, "正常", 0)); got != note.EyeLeft {
		t.Errorf("正常 = %q, want left", got)
	}
}

// nthIndex is the code-point index of the nth occurrence of word in text.
func nthIndex(text, word string, nth int) int {
	off := 0
	for {
		i := strings.Index(text[off:], word)
		if i < 0 {
			return -1
		}
		if nth == 0 {
			return len([]rune(text[:off+i]))
		}
		nth--
		off += i + len(word)
	}
}
