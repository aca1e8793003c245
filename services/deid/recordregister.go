package deid

// Registers and lists that open each line with the patient's number (an
// injection register: VG0531 丁香 女 66 OD / VG0532 甄建国 男 59 OS): a code
// of letters and digits at a line start is a record number when another line
// of the note opens with a code of the same shape. Shorter codes than the
// bare-number rule takes (four digits) qualify here because the repetition
// is the evidence; years, dates and list numbers do not.

func registerNumbers(d *doc, out []Span) []Span {
	rs := d.runes
	type code struct{ s, e int }
	var codes []code
	for i := 0; i < len(rs); i++ {
		if !isAlnum(rs[i]) || !lineStartBefore(rs, i) {
			continue
		}
		j, digits := i, 0
		for j < len(rs) && (isAlnum(rs[j]) || rs[j] == '-' && j+1 < len(rs) && isAlnum(rs[j+1])) {
			if isDigit(rs[j]) {
				digits++
			}
			j++
		}
		n := j - i
		if j < len(rs) && (rs[j] == ' ' || rs[j] == '\t') && n >= 4 && n <= 20 && digits >= 3 && !(digits == n && n < 5) {
			if e, p, ok := parseDateAt(rs, i); !(ok && e == j && (p.hasY || p.compact)) {
				codes = append(codes, code{i, j})
			}
		}
		i = j
	}
	for a, c := range codes {
		for b, o := range codes {
			if a != b && sameShape(rs[c.s:c.e], rs[o.s:o.e]) {
				out = append(out, Span{Start: c.s, End: c.e, Label: RecordNumber, Score: 0.8, Recognizer: "record"})
				break
			}
		}
	}
	return out
}
