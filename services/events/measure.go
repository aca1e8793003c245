package events

import (
	"math"
	"strconv"

	"bingli/services/laterality"
	"bingli/services/note"
)

// Measurement extraction is one left-to-right pass over the folded text.
// A cue (视力, 眼压, C/D, 空腹血糖, ...) opens a context of its kind; numbers
// in that context become measurements when they fit the kind (range and
// unit). The context ends at 。, at a line break (unless the cue stands alone
// on its line: 视力：\n 右眼0.5), at ；and ， unless an eye word or a value
// follows (视力：右眼0.5，左眼0.8), and at the next cue. Parentheses keep the
// outer context (视力：右眼0.02（矫正无助），左眼0.4). A number with a diopter
// unit (-3.50DS, -0.75DC) is a refraction value wherever it stands.
//
// Paired values:
//   - an eye word before each value (右眼0.5 左眼0.8, OD/OS, R/L, 右18 左21,
//     VOD/VOS) gives one measurement per eye;
//   - one value for both eyes (双眼眼压均为15mmHg, 视力 OU 0.6) gives ONE
//     measurement with eye "both";
//   - "18/21mmHg" after an eye-measure cue gives right then left;
//   - a table flattened to text under a “右眼 左眼” / “OD OS” header line
//     gives the n-th value on a row the n-th column's eye.
//
// Blood pressure "130/80mmHg" gives two measurements of kind "other", Name
// 收缩压 (span "130") and 舒张压 (span "80mmHg"), both in mmHg.
//
// Units are normalised per kind: mmHg (iop), mm (axial_length), D
// (refraction), μm (cmt), % (hba1c), mm/5min (schirmer), s (tbut), "" for
// acuity and cup/disc; for "other" the lab unit as written, normalised
// (mmol/L, μmol/L, g/L, ×10^9/L, 次/分, ...). A refraction cylinder's axis
// goes into Name as "axis=180".
type measurer struct {
	t, f []rune
	out  []note.Measurement

	kind, name string
	logmar     bool
	values     int    // values since the cue
	lastKind   string // the kind a comma ended, in case the list resumes
	cueAlone   bool   // the cue stands alone on its line: values follow on the lines below
	cueEnd     int
	stack      [4]struct{ kind, name string }
	depth      int

	lineStart  int
	lineValues int
	cols       []note.Eye
	colsDone   bool
}

func (m *measurer) reset() {
	m.kind, m.name, m.logmar, m.values, m.depth, m.lastKind, m.cueAlone = "", "", false, 0, 0, "", false
}

func (m *measurer) run() {
	f := m.f
	n := len(f)
	for i := 0; i < n; {
		r := f[i]
		switch r {
		case '\n', '\r':
			if m.kind != "" && (m.values == 0 && onlyPunct(f[m.cueEnd:i]) || m.cueAlone && m.eyeThenValue(i+1)) {
				// 视力：\n 右眼 0.3\n 左眼 0.9: a cue heading its own lines
				m.cueAlone = true
				m.newLine(i + 1)
				i++
				continue
			}
			m.reset()
			m.newLine(i + 1)
			i++
			continue
		case '。':
			m.reset()
			i++
			continue
		case ';':
			if !(m.kind != "" && m.values > 0 && m.eyeThenValue(i+1)) {
				m.reset()
			}
			i++
			continue
		case ',':
			switch {
			case m.kind != "" && m.kind != KindOther && m.kind != KindHbA1c && m.listGoesOn(i+1):
			case m.kind == "" && m.lastKind != "" && m.eyeThenValue(i+1):
				// 视力：右眼光感，光定位准确，左眼1.0: the list resumes
				m.kind, m.values = m.lastKind, 1
			default:
				if m.kind != KindOther && m.kind != KindHbA1c && m.kind != ctxSkip {
					m.lastKind = m.kind
				}
				m.depth, m.kind, m.name, m.logmar = 0, "", "", false
			}
			i++
			continue
		case '(', '[', '【':
			if m.depth < len(m.stack) {
				m.stack[m.depth].kind, m.stack[m.depth].name = m.kind, m.name
				m.depth++
			}
			i++
			continue
		case ')', ']', '】':
			if m.depth > 0 {
				m.depth--
				m.kind, m.name = m.stack[m.depth].kind, m.stack[m.depth].name
			}
			i++
			continue
		case '〔': // a de-identification tag
			j := i + 1
			for j < n && j-i < 20 && f[j] != '〕' {
				j++
			}
			i = j + 1
			continue
		case '→', '=':
			if m.kind == ctxRefraction || m.kind == KindSphere {
				m.kind = KindBCVA
				m.values = 0
			}
			i++
			continue
		}
		if c, ok := matchCue(f, i); ok {
			switch c.kind {
			case ctxLogMAR:
				m.logmar = true
			default:
				if c.kind != m.kind || c.kind == KindOther {
					m.logmar = false
				}
				m.kind, m.name, m.values, m.cueAlone = c.kind, c.name, 0, false
			}
			i += len(c.word)
			m.cueEnd = i
			continue
		}
		if (m.kind == KindVA || m.kind == KindBCVA) && !isDigit(r) {
			if v, end, ok := matchCategory(f, i); ok {
				m.emit(i, end, m.kind, string(m.t[i:i+catWordLen(f, i)]), v, "", m.eye(i, end))
				m.values++
				i = end
				continue
			}
		}
		if isDigit(r) || (r == '+' || r == '-') && i+1 < n && isDigit(f[i+1]) {
			i = m.number(i)
			continue
		}
		if isLetter(r) {
			for i < n && isLetter(f[i]) {
				i++
			}
			continue
		}
		i++
	}
}

func catWordLen(f []rune, i int) int {
	for _, c := range categories {
		if hasAt(f, i, c.word) {
			return len(c.word)
		}
	}
	return 1
}

func (m *measurer) newLine(start int) {
	m.lineStart, m.lineValues, m.cols, m.colsDone = start, 0, nil, false
}

func onlyPunct(rs []rune) bool {
	for _, r := range rs {
		switch r {
		case ' ', '\t', ':', '\r':
		default:
			return false
		}
	}
	return true
}

// listGoesOn reports whether after a comma the list of values continues: an
// eye word, a number or a vision category comes next.
func (m *measurer) listGoesOn(i int) bool {
	for i < len(m.f) && m.f[i] == ' ' {
		i++
	}
	if i >= len(m.f) {
		return false
	}
	r := m.f[i]
	if isDigit(r) {
		return true
	}
	if _, k := laterality.WordAt(m.t, i); k > 0 {
		return true
	}
	if m.kind == KindVA || m.kind == KindBCVA {
		_, _, ok := matchCategory(m.f, i)
		return ok
	}
	return false
}

// eyeThenValue: after ；, an eye word directly followed by a value.
func (m *measurer) eyeThenValue(i int) bool {
	for i < len(m.f) && m.f[i] == ' ' {
		i++
	}
	_, k := laterality.WordAt(m.t, i)
	if k == 0 {
		return false
	}
	i += k
	for i < len(m.f) && (m.f[i] == ' ' || m.f[i] == ':') {
		i++
	}
	if i < len(m.f) && (isDigit(m.f[i]) || m.f[i] == '-' || m.f[i] == '+') {
		return true
	}
	_, _, ok := matchCategory(m.f, i)
	return ok
}

// leftOK checks what stands before a number that starts at i.
func (m *measurer) leftOK(i int) bool {
	f := m.f
	if i == 0 {
		return true
	}
	p := f[i-1]
	switch {
	case isDigit(p), p == '.', p == '^', p == '_':
		return false
	case (p == '-' || p == '/' || p == ':' || p == '~' || p == '～') && i >= 2 && isDigit(f[i-2]):
		return false
	case isLetter(p):
		if m.cueEnd == i {
			return true
		}
		j := i - 1
		for j > 0 && isLetter(f[j-1]) {
			j--
		}
		_, k := laterality.WordAt(m.t, j)
		return k == i-j
	}
	return true
}

// number handles a number token at i and returns where to go on.
func (m *measurer) number(i int) int {
	f := m.f
	num, skip, ok := scanNumber(f, i)
	if !ok {
		return skip
	}
	afterSphere := num.signed && m.kind == KindSphere && num.start > 0 && isDigit(f[num.start-1])
	if !afterSphere && !m.leftOK(num.start) {
		j := num.end
		for j < len(f) && (isDigit(f[j]) || isLetter(f[j])) {
			j++
		}
		return j
	}
	u, uend, hasUnit := unitAt(f, num.end)
	if hasUnit && u.class == uDiopter && u.canon == "D" && len(u.word) == 1 && !num.signed && num.frac < 2 {
		hasUnit, u = true, unit{class: uBlocked} // 3d: days
	}
	if hasUnit && u.class == uBlocked {
		return uend
	}
	if m.kind == ctxSkip {
		return max(uend, num.end)
	}
	// Refraction, by unit or by context.
	if hasUnit && (u.class == uDiopter || u.class == uCylinder) || m.kind == ctxRefraction || m.kind == KindSphere {
		return m.refraction(num, u, uend, hasUnit)
	}
	start := num.digits
	switch m.kind {
	case KindVA, KindBCVA:
		return m.acuity(num, start, hasUnit, u, uend)
	case KindIOP:
		return m.perEye(num, start, hasUnit, u, uend, uPressure, 3, 80, "mmHg")
	case KindAxial:
		return m.perEye(num, start, hasUnit, u, uend, uLength, 15, 40, "mm")
	case KindCupDisc:
		return m.perEye(num, start, hasUnit, u, uend, "-", 0, 1, "")
	case KindCMT:
		return m.perEye(num, start, hasUnit, u, uend, uMicron, 50, 1500, "μm")
	case KindSchirmer:
		if hasUnit && u.class == uLength {
			u.class = uSchirmer
		}
		return m.perEye(num, start, hasUnit, u, uend, uSchirmer, 0, 40, "mm/5min")
	case KindTBUT:
		return m.perEye(num, start, hasUnit, u, uend, uSecond, 0, 60, "s")
	case KindHbA1c:
		if m.values > 0 || hasUnit && u.class != uPercent || num.value < 3 || num.value > 20 {
			return max(uend, num.end)
		}
		end := num.end
		if hasUnit {
			end = uend
		}
		m.emit(start, end, KindHbA1c, "", num.value, "%", note.EyeNone)
		m.values++
		return end
	case KindOther:
		return m.lab(num, start, hasUnit, u, uend)
	}
	return max(uend, num.end)
}

// perEye handles a single-valued, per-eye measure (iop, axial length, C/D,
// CMT, tear tests), with the "right/left" slash form.
func (m *measurer) perEye(num number, start int, hasUnit bool, u unit, uend int, class string, lo, hi float64, canon string) int {
	f := m.f
	if num.signed && f[num.start] == '-' {
		return num.end
	}
	if hasUnit && u.class != class {
		return uend
	}
	if num.value < lo || num.value > hi {
		return max(uend, num.end)
	}
	end := num.end
	if hasUnit {
		end = uend
	}
	// 18/21mmHg: right / left.
	if end < len(f) && f[end] == '/' && end+1 < len(f) && isDigit(f[end+1]) {
		num2, _, ok := scanNumber(f, end+1)
		if ok && num2.value >= lo && num2.value <= hi {
			u2, uend2, has2 := unitAt(f, num2.end)
			if !has2 || u2.class == class {
				end2 := num2.end
				if has2 {
					end2 = uend2
				}
				e := laterality.At(m.t, start, end)
				if e1, e2, ok := m.slashEyes(start); ok {
					m.emit(start, end, m.kind, "", num.value, canon, e1)
					m.emit(num2.start, end2, m.kind, "", num2.value, canon, e2)
				} else if e == note.EyeNone {
					m.emit(start, end, m.kind, "", num.value, canon, note.EyeRight)
					m.emit(num2.start, end2, m.kind, "", num2.value, canon, note.EyeLeft)
				} else {
					m.emit(start, end, m.kind, "", num.value, canon, e)
					m.emit(num2.start, end2, m.kind, "", num2.value, canon, e)
				}
				m.values += 2
				return end2
			}
		}
	}
	m.emit(start, end, m.kind, "", num.value, canon, m.eye(start, end))
	m.values++
	return end
}

// acuity handles decimal, 5-point, logMAR and Snellen acuity.
func (m *measurer) acuity(num number, start int, hasUnit bool, u unit, uend int) int {
	f := m.f
	if num.signed && f[num.start] == '-' && !m.logmar {
		return num.end
	}
	if hasUnit && u.class != uSecond { // "s" after acuity is rare; anything else is not acuity
		return uend
	}
	if hasUnit {
		return uend
	}
	end := num.end
	// Slash: Snellen (20/40, 6/12) or right/left (0.5/0.8).
	if end+1 < len(f) && f[end] == '/' && isDigit(f[end+1]) {
		num2, skip, ok := scanNumber(f, end+1)
		if !ok {
			return skip
		}
		if num.frac == 0 && num2.frac == 0 && (num.value == 20 || num.value == 6 || num.value == 10) && num2.value >= 4 {
			if _, ue, has := unitAt(f, num2.end); has {
				return ue
			}
			m.emit(start, num2.end, m.kind, "", num.value/num2.value, "", m.eye(start, num2.end))
			m.values++
			return num2.end
		}
		v1, ok1 := acuityValue(num.value, num.frac, m.logmar)
		v2, ok2 := acuityValue(num2.value, num2.frac, m.logmar)
		if ok1 && ok2 && num.frac > 0 && num2.frac > 0 {
			e := laterality.At(m.t, start, end)
			e1, e2 := e, e
			if e == note.EyeNone {
				e1, e2 = note.EyeRight, note.EyeLeft
			}
			m.emit(start, end, m.kind, "", v1, "", e1)
			m.emit(num2.digits, num2.end, m.kind, "", v2, "", e2)
			m.values += 2
			return num2.end
		}
		return num2.end
	}
	if num.frac == 0 && !m.logmar && num.value != 1 && num.value != 0 {
		return end // a bare integer is not an acuity
	}
	v, ok := acuityValue(num.value, num.frac, m.logmar)
	if !ok {
		return end
	}
	if num.signed && f[num.start] == '-' {
		start = num.start
	}
	// 0.8-2, 1.0+ : partial lines; the mark belongs to the value.
	if end < len(f) && (f[end] == '+' || f[end] == '-') && !m.logmar {
		k := end + 1
		if k < len(f) && isDigit(f[k]) && !(k+1 < len(f) && (isDigit(f[k+1]) || f[k+1] == '.')) {
			end = k + 1
		} else if k >= len(f) || !isDigit(f[k]) {
			end = k
		}
	}
	m.emit(start, end, m.kind, "", v, "", m.eye(start, end))
	m.values++
	return end
}

// refraction handles sphere and cylinder values (-3.50DS/-0.75DC×180,
// -3.50-0.75×180, -2.00/-1.00×90, +1.25D, 平光 is not extracted).
func (m *measurer) refraction(num number, u unit, uend int, hasUnit bool) int {
	f := m.f
	if num.value < -30 || num.value > 30 {
		return max(uend, num.end)
	}
	end := num.end
	if hasUnit {
		end = uend
	}
	// An intraocular lens power (植入+21.5D人工晶体, IOL +22.0D) is not a refraction.
	if iolPower(f, num.start, end) {
		return end
	}
	kind := KindSphere
	switch {
	case hasUnit && u.class == uCylinder:
		kind = KindCylinder
	case hasUnit:
	case num.start > 0 && (f[num.start-1] == '/' || isDigit(f[num.start-1]) || f[num.start-1] == 's' || f[num.start-1] == 'd'):
		kind = KindCylinder
	case axisAt(f, end) != "":
		kind = KindCylinder
	case !num.signed && m.kind == KindSphere:
		// an unsigned bare number after a sphere: corrected acuity (-3.00DS 1.0)
		if v, ok := acuityValue(num.value, num.frac, false); ok && num.frac > 0 {
			m.emit(num.digits, end, KindBCVA, "", v, "", m.eye(num.digits, end))
			return end
		}
		return end
	case !num.signed && num.frac != 2:
		return end
	}
	name := ""
	if kind == KindCylinder {
		if a := axisAt(f, end); a != "" {
			name = "axis=" + a
		}
	}
	if kind == KindCylinder && num.value > 0 && !num.signed && hasUnit && u.class != uCylinder {
		kind = KindSphere
	}
	m.emit(num.start, end, kind, name, num.value, "D", m.eye(num.start, end))
	m.kind = KindSphere // what follows in this clause is refraction or corrected acuity
	m.values++
	return end
}

// axisAt reads ×180, x180, *180, @180 at i (after an optional space).
func axisAt(f []rune, i int) string {
	if i < len(f) && f[i] == ' ' {
		i++
	}
	if i >= len(f) || !(f[i] == '×' || f[i] == 'x' || f[i] == '*' || f[i] == '@') {
		return ""
	}
	j := i + 1
	for j < len(f) && isDigit(f[j]) {
		j++
	}
	if j == i+1 || j-i-1 > 3 {
		return ""
	}
	return string(f[i+1 : j])
}

// lab handles "name number unit" for general labs and vital signs, and blood
// pressure as systolic/diastolic.
func (m *measurer) lab(num number, start int, hasUnit bool, u unit, uend int) int {
	f := m.f
	if m.values > 0 || num.start-m.cueEnd > 6 || num.signed {
		return max(uend, num.end)
	}
	if hasUnit && !(u.class == uLab || u.class == uPressure || u.class == uPercent || u.class == uDistance || u.class == uLength) {
		return uend
	}
	if m.name == "血压" {
		if num.end+1 < len(f) && f[num.end] == '/' && isDigit(f[num.end+1]) {
			num2, skip, ok := scanNumber(f, num.end+1)
			if !ok {
				return skip
			}
			end2 := num2.end
			if u2, ue2, has := unitAt(f, num2.end); has {
				if u2.class != uPressure {
					return ue2
				}
				end2 = ue2
			}
			if num.value < 40 || num.value > 300 || num2.value < 20 || num2.value > 200 {
				return end2
			}
			m.emit(start, num.end, KindOther, "收缩压", num.value, "mmHg", note.EyeNone)
			m.emit(num2.start, end2, KindOther, "舒张压", num2.value, "mmHg", note.EyeNone)
			m.values += 2
			return end2
		}
		return max(uend, num.end)
	}
	end := num.end
	canon := ""
	if hasUnit {
		end, canon = uend, u.canon
	}
	m.emit(start, end, KindOther, m.name, num.value, canon, note.EyeNone)
	m.values++
	return end
}

// eye finds the eye of a value: laterality.At, else a column header.
func (m *measurer) eye(start, end int) note.Eye {
	if e := laterality.At(m.t, start, end); e != note.EyeNone {
		return e
	}
	if !m.colsDone {
		m.cols, m.colsDone = laterality.Columns(m.t, m.lineStart), true
	}
	if m.lineValues < len(m.cols) {
		return m.cols[m.lineValues]
	}
	return note.EyeNone
}

func (m *measurer) emit(start, end int, kind, name string, v float64, unit string, eye note.Eye) {
	if start >= end || start < 0 || end > len(m.t) {
		return
	}
	v = math.Round(v*1e9) / 1e9
	m.out = append(m.out, note.Measurement{
		Text: string(m.t[start:end]), Start: start, End: end, Kind: kind, Name: name,
		Value: &v, Unit: unit, Eye: eye,
	})
	m.lineValues++
}

// formatValue renders a value for reports.
func formatValue(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// slashEyes finds "OD/OS" (右/左, R/L) before a slash pair of values in the
// same clause and returns the eyes in that order.
func (m *measurer) slashEyes(start int) (note.Eye, note.Eye, bool) {
	for i := start - 1; i >= 0 && start-i < 20; i-- {
		r := m.f[i]
		if r == '\n' || r == ';' || r == '。' {
			break
		}
		if r != '/' {
			continue
		}
		e2, n2 := laterality.WordAt(m.t, i+1)
		if n2 == 0 {
			continue
		}
		for k := max(0, i-2); k < i; k++ {
			if e1, n1 := laterality.WordAt(m.t, k); n1 > 0 && k+n1 == i && e1 != e2 {
				return e1, e2, true
			}
		}
	}
	return "", "", false
}

func iolPower(f []rune, start, end int) bool {
	j := end
	for j < len(f) && f[j] == ' ' {
		j++
	}
	for _, w := range []string{"人工晶", "晶体", "晶状体", "iol", "的人工晶"} {
		if hasAt(f, j, []rune(w)) {
			return true
		}
	}
	for k := max(0, start-6); k < start; k++ {
		if hasAt(f, k, []rune("植入")) || hasAt(f, k, []rune("iol")) || hasAt(f, k, []rune("度数")) {
			return true
		}
	}
	return false
}
