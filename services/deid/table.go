package deid

import "strings"

// tableRecognizer reads tables (tableColumns).
type tableRecognizer struct{}

func (tableRecognizer) Name() string                   { return "table" }
func (tableRecognizer) Labels() []string               { return []string{Date, Age} }
func (tableRecognizer) Context() []string              { return nil }
func (tableRecognizer) find(d *doc, out []Span) []Span { return tableColumns(d, out) }

// tableColumns marks the cells of table columns whose header names what
// they hold: short dates under a date word (| 随访日期 | … | 3/5 |, which
// alone would be a ratio or a dose) and ages of 90 and over under 年龄 (a
// bare 93), and addresses under 住址 or 村组 (| 箐口村岩脚组 |). Rows are separated by '|', tabs or commas; a header is the
// nearest row above with the same number of cells.
func tableColumns(d *doc, out []Span) []Span {
	rs := d.runes
	type row struct{ start, end int }
	var rows []row
	s := 0
	for i := 0; i <= len(rs); i++ {
		if i == len(rs) || rs[i] == '\n' {
			rows = append(rows, row{s, i})
			s = i + 1
		}
	}
	for _, sep := range []rune{'|', '\t', ','} {
		if strings.Count(d.norm, string(sep)) < 4 {
			continue // two rows of three cells at least
		}
		var header []string // per cell: the label of its column ("" none)
		for _, r := range rows {
			cells := splitCells(rs, r.start, r.end, sep)
			if len(cells) < 3 { // two separators at least
				header = nil
				continue
			}
			if header != nil && len(header) == len(cells) {
				for c, cell := range cells {
					if header[c] == "" {
						continue
					}
					a := skipSpaces(rs, cell[0])
					b := cell[1]
					for b > a && (rs[b-1] == ' ' || rs[b-1] == '\t') {
						b--
					}
					switch {
					case a >= b:
					case header[c] == Date && shortNumericDateAt(rs, a) == b:
						out = append(out, Span{Start: a, End: b, Label: Date, Score: 0.85, Recognizer: "table"})
					case header[c] == Address:
						if n := b - a; n >= 2 && n <= 30 && isHan(rs[a]) && strings.ContainsAny(string(rs[a:b]), "村屯寨镇乡街路号区县市旗") {
							out = append(out, Span{Start: a, End: b, Label: Address, Score: 0.85, Recognizer: "table"})
						}
					case header[c] == Age:
						if v, n := digitsAt(rs, a, 4); n == b-a && v >= 90 && v <= 130 {
							out = append(out, Span{Start: a, End: b, Label: Age, Score: 0.85, Recognizer: "table"})
						}
					}
				}
				continue
			}
			header = nil
			row := string(rs[r.start:r.end])
			if !strings.ContainsAny(row, "日时随复就签检年岁住地村组居现户dD") {
				continue // no header word can be in this row
			}
			for c, cell := range cells {
				label := ""
				switch {
				case hasAnyWord(rs[cell[0]:cell[1]], dateFieldWords) && !labTimeAt(rs, cell[1]):
					label = Date
				case hasAnyWord(rs[cell[0]:cell[1]], []string{"年龄", "岁"}):
					label = Age
				case hasAnyWord(rs[cell[0]:cell[1]], []string{"住址", "地址", "村组", "组别", "居住地", "现住", "户籍地", "村(组)", "村（组）"}):
					label = Address
				}
				if label != "" {
					if header == nil {
						header = make([]string, len(cells))
					}
					header[c] = label
				}
			}
		}
	}
	return out
}

// splitCells returns the [start, end) of each cell of rs[start:end] split
// at sep.
func splitCells(rs []rune, start, end int, sep rune) [][2]int {
	var cells [][2]int
	s := start
	for i := start; i <= end; i++ {
		if i == end || rs[i] == sep {
			cells = append(cells, [2]int{s, i})
			s = i + 1
		}
	}
	if len(cells) == 1 {
		return nil
	}
	return cells
}
