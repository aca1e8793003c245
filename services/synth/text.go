package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"bingli/services/note"
)

// Note types.
const (
	TypeOutpatient = "门诊病历"
	TypeFollowUp   = "复诊记录"
	TypeAdmission  = "入院记录"
	TypeOperation  = "手术记录"
	TypeDischarge  = "出院小结"
)

// noteCtx is everything one note is written from.
type noteCtx struct {
	r      *rand.Rand
	b      *builder
	a      *archive
	id     *identity
	k      *clinical
	typ    string
	date   time.Time
	age    int
	nl     string // section separator: a newline, or a space for one-line notes
	doctor person
	first  bool
	opEye  note.Eye
	admit  time.Time // admission date (operation, discharge notes)
	opDate time.Time // operation date (discharge note)
	inpNo  string    // 住院号
	bed    int
}

func (c *noteCtx) pick(opts ...string) string { return opts[c.r.IntN(len(opts))] }
func (c *noteCtx) chance(pct int) bool        { return c.r.IntN(100) < pct }

// eyeWord writes laterality the way Chinese notes usually do.
func eyeWord(e note.Eye) string {
	switch e {
	case note.EyeRight:
		return "右眼"
	case note.EyeLeft:
		return "左眼"
	}
	return "双眼"
}

func other(e note.Eye) note.Eye {
	if e == note.EyeRight {
		return note.EyeLeft
	}
	return note.EyeRight
}

// formatDate writes t in one of the forms found in notes.
func formatDate(r *rand.Rand, t time.Time) string {
	switch r.IntN(10) {
	case 0, 1, 2:
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	case 3:
		return fmt.Sprintf("%d.%d.%d", t.Year(), t.Month(), t.Day())
	case 4:
		return t.Format("2006/01/02")
	case 5:
		return fmt.Sprintf("%d年%02d月%02d日", t.Year(), t.Month(), t.Day())
	}
	return t.Format("2006-01-02")
}

func (c *noteCtx) writeDate(t time.Time) { c.b.id(LabelDate, formatDate(c.r, t)) }

// writeAge writes an age; ages of 90 and over are identifiers.
func (c *noteCtx) writeAge() {
	s := strconv.Itoa(c.age)
	if c.age >= 90 {
		c.b.id(LabelAge, s)
	} else {
		c.b.add(s)
	}
	c.b.add("岁")
}

func (c *noteCtx) sex() string {
	if c.id.male {
		return "男"
	}
	return "女"
}

// ---------- measurements ----------

func fmtVA(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// num writes a number (value parsed back from its text, so gold equals the
// text) followed by a unit suffix as written.
func (c *noteCtx) num(numText, suffix, kind, unit string, eye note.Eye) {
	v, err := strconv.ParseFloat(numText, 64)
	if err != nil {
		panic(fmt.Sprintf("synth: bad number %q", numText))
	}
	c.b.measure(numText+suffix, kind, v, unit, eye)
}

type eyeLabels struct{ right, left, both, sep string }

func (c *noteCtx) eyeLabels() eyeLabels {
	switch c.r.IntN(6) {
	case 0, 1:
		return eyeLabels{"OD ", "OS ", "OU ", " "}
	case 2:
		return eyeLabels{"右", "左", "双眼", " "}
	}
	return eyeLabels{"右眼", "左眼", "双眼", c.pick("，", " ", "  ", "；")}
}

// pairLine writes "label 右眼X 左眼Y" with one measurement per eye, or one
// for both eyes when the values are written the same.
func (c *noteCtx) pairLine(label string, re, le string, write func(v string, e note.Eye)) {
	l := c.eyeLabels()
	c.b.add(label)
	if re == le && c.chance(40) {
		c.b.add(l.both)
		write(re, note.EyeBoth)
		return
	}
	c.b.add(l.right)
	write(re, note.EyeRight)
	c.b.add(l.sep, l.left)
	write(le, note.EyeLeft)
}

func (c *noteCtx) vaLine() {
	re, le := fmtVA(snapVA(c.k.re.va)), fmtVA(snapVA(c.k.le.va))
	c.pairLine(c.pick("视力：", "视力 ", "裸眼视力：", "Vision: "), re, le, func(v string, e note.Eye) {
		c.num(v, "", KindVA, "", e)
	})
}

func (c *noteCtx) bcvaLine() {
	re, le := fmtVA(snapVA(c.k.re.bcva)), fmtVA(snapVA(c.k.le.bcva))
	c.pairLine(c.pick("矫正视力：", "最佳矫正视力 ", "BCVA ", "矫正视力 "), re, le, func(v string, e note.Eye) {
		c.num(v, "", KindBCVA, "", e)
	})
}

func (c *noteCtx) iopText(v float64) string {
	if c.chance(20) {
		return strconv.FormatFloat(float64(int(v*10))/10, 'f', 1, 64)
	}
	return strconv.Itoa(int(v + 0.5))
}

func (c *noteCtx) iopLine() {
	re, le := c.iopText(c.k.re.iop), c.iopText(c.k.le.iop)
	unit := c.pick("mmHg", " mmHg", "mmHg", "mmhg")
	bare := c.chance(25) // unit only after the last value: 右眼18 左眼21mmHg
	c.pairLine(c.pick("眼压：", "眼压 ", "IOP: ", "非接触眼压："), re, le, func(v string, e note.Eye) {
		if bare && e == note.EyeRight {
			c.num(v, "", KindIOP, "mmHg", e)
			return
		}
		c.num(v, unit, KindIOP, "mmHg", e)
	})
}

func (c *noteCtx) axialLine() {
	re, le := fmt.Sprintf("%.2f", c.k.re.axial), fmt.Sprintf("%.2f", c.k.le.axial)
	unit := c.pick("mm", " mm", "mm")
	c.pairLine(c.pick("眼轴：", "眼轴长度 ", "A超眼轴：", "AL "), re, le, func(v string, e note.Eye) {
		c.num(v, unit, KindAxial, "mm", e)
	})
}

func (c *noteCtx) refractionLine() {
	sph := func(v float64) string {
		q := float64(int(v*4-0.5)) / 4
		if v >= 0 {
			q = float64(int(v*4+0.5)) / 4
		}
		if q == 0 {
			return "0.00"
		}
		return fmt.Sprintf("%+.2f", q)
	}
	suffix := c.pick("DS", "D", "DS")
	cyl := func() string {
		if c.chance(50) {
			return ""
		}
		return fmt.Sprintf("/-%.2fDC×%d", float64(1+c.r.IntN(8))*0.25, 5*c.r.IntN(36))
	}
	c.b.add(c.pick("电脑验光：", "验光：", "散瞳验光：", "主觉验光 "))
	l := c.eyeLabels()
	c.b.add(l.right)
	c.num(sph(c.k.re.sphere), suffix, KindSphere, "D", note.EyeRight)
	c.b.add(cyl(), l.sep, l.left)
	c.num(sph(c.k.le.sphere), suffix, KindSphere, "D", note.EyeLeft)
	c.b.add(cyl())
}

func (c *noteCtx) cdText(e note.Eye) string {
	return fmt.Sprintf("%.1f", c.k.eye(e).cd)
}

func (c *noteCtx) cmtLine() {
	re, le := strconv.Itoa(int(c.k.re.cmt)), strconv.Itoa(int(c.k.le.cmt))
	unit := c.pick("μm", "μm", "um", " μm")
	c.pairLine(c.pick("OCT示黄斑中心厚度：", "黄斑中心厚度(CMT) ", "OCT：CMT ", "黄斑OCT：中心凹厚度 "), re, le, func(v string, e note.Eye) {
		c.num(v, unit, KindCMT, "μm", e)
	})
}

func (c *noteCtx) hba1c() {
	c.b.add(c.pick("糖化血红蛋白", "HbA1c ", "糖化血红蛋白(HbA1c)：", "HbA1c："))
	c.num(fmt.Sprintf("%.1f", c.k.hba1c), "%", KindHbA1c, "%", note.EyeNone)
}
