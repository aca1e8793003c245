package laterality

import "bingli/services/note"

// Cell returns the eye of the column that holds pos in a text table whose
// header line names the eyes and nothing else (“      右眼     左眼”,
// “项目  OD  OS”), with rows written as a label and one cell per eye,
// separated by runs of two or more spaces, tabs or ideographic spaces:
//
//	            右眼          左眼
//	结膜        无充血        无充血
//	晶状体      混浊C3N3      透明
//
// The lines between the header and pos must be table rows too (a blank
// line, a section title or a line with fewer cells ends the table). A row
// whose cell count is not label + one per eye is matched by position: the
// header column whose display column (CJK characters count two) is nearest
// the cell's start. It returns EyeNone when pos is in no such table or in
// the label column.
func Cell(text []rune, pos int) note.Eye {
	if pos < 0 || pos >= len(text) {
		return note.EyeNone
	}
	ls, le := lineAround(text, pos)
	cells := splitCells(text, ls, le)
	k := cellIndex(cells, pos)
	if k < 0 || len(cells) < 2 {
		return note.EyeNone
	}
	for up, rows := ls, 0; up > 0 && rows < 16; rows++ {
		hs, he := lineAround(text, up-1)
		line := text[hs:he]
		if blank(line) || sectionTitle(line) && !isEyeHeader(text, hs, he) {
			return note.EyeNone
		}
		if isEyeHeader(text, hs, he) {
			return columnEye(text, hs, he, ls, le, cells, k)
		}
		if len(splitCells(text, hs, he)) < 2 {
			return note.EyeNone
		}
		up = hs
	}
	return note.EyeNone
}

// lineAround returns the line holding pos: [start, end) without its '\n'.
func lineAround(text []rune, pos int) (int, int) {
	s, e := pos, pos
	for s > 0 && text[s-1] != '\n' {
		s--
	}
	for e < len(text) && text[e] != '\n' && text[e] != '\r' {
		e++
	}
	return s, e
}

// splitCells splits [s, e) at runs of two or more blanks (or a tab).
func splitCells(text []rune, s, e int) [][2]int {
	var out [][2]int
	i := s
	for i < e {
		for i < e && isBlank(text[i]) {
			i++
		}
		if i >= e {
			break
		}
		j := i
		for j < e {
			if text[j] == '\t' || text[j] == 0x3000 || isBlank(text[j]) && j+1 < e && isBlank(text[j+1]) {
				break
			}
			j++
		}
		for j > i && isBlank(text[j-1]) {
			j--
		}
		out = append(out, [2]int{i, j})
		i = j
	}
	return out
}

func isBlank(r rune) bool { return r == ' ' || r == '\t' || r == 0x3000 }

func cellIndex(cells [][2]int, pos int) int {
	for k, c := range cells {
		if pos >= c[0] && pos < c[1] {
			return k
		}
	}
	return -1
}

// isEyeHeader: the line holds two or more eye words and at most a short
// label (眼别, 项目, 检查) besides them.
func isEyeHeader(text []rune, s, e int) bool {
	eyes, other := 0, 0
	for i := s; i < e; i++ {
		if ew, n := WordAt(text, i); n > 0 && ew != note.EyeNone && (i+n >= e || isBlank(text[i+n]) || Fold(text[i+n]) == ':') {
			eyes++
			i += n - 1
			continue
		}
		if r := Fold(text[i]); !isBlank(r) && r != ':' {
			other++
		}
	}
	return eyes >= 2 && other <= 4
}

// columnEye maps cell k of the row [rs, re) to the header [hs, he).
func columnEye(text []rune, hs, he, rs, re int, cells [][2]int, k int) note.Eye {
	type col struct {
		eye note.Eye
		at  int // display column
	}
	var cols []col
	for i := hs; i < he; i++ {
		if ew, n := WordAt(text, i); n > 0 && ew != note.EyeNone {
			cols = append(cols, col{ew, width(text[hs:i])})
			i += n - 1
		}
	}
	if len(cells) == len(cols)+1 {
		if k == 0 {
			return note.EyeNone // the row label
		}
		return cols[k-1].eye
	}
	at := width(text[rs:cells[k][0]])
	if at < cols[0].at-4 {
		return note.EyeNone // left of the first column: a label
	}
	best, bestD := note.EyeNone, 1<<30
	for _, c := range cols {
		if d := abs(c.at - at); d < bestD {
			best, bestD = c.eye, d
		}
	}
	return best
}

// width is the display width of rs: CJK and full-width forms count two.
func width(rs []rune) int {
	w := 0
	for _, r := range rs {
		if r >= 0x1100 && (r <= 0x115F || r >= 0x2E80 && r <= 0xA4CF || r >= 0xAC00 && r <= 0xD7A3 || r >= 0xF900 && r <= 0xFAFF || r >= 0xFE30 && r <= 0xFE4F || r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
