// Package report renders patient timelines as one self-contained HTML page:
// per patient, the follow-up span, diagnoses, treatments, and a chart per
// measurement kind with one line per eye (inline SVG, no scripts, no
// network), so a reviewer sees how IOP or acuity moved visit after visit.
package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"bingli/services/timeline"
)

// Options select what the report shows.
type Options struct {
	// MaxPatients bounds the page (default 50: the patients with the
	// longest follow-up come first).
	MaxPatients int
	// Kinds are the measurement kinds charted (default: acuity, IOP, CMT, axial length, HbA1c).
	Kinds []string
}

var kindTitles = map[string]string{
	"visual_acuity":           "视力 visual acuity (decimal)",
	"corrected_visual_acuity": "矫正视力 corrected acuity (decimal)",
	"iop":                     "眼压 IOP (mmHg)",
	"cmt":                     "黄斑中心厚度 CMT (μm)",
	"axial_length":            "眼轴 axial length (mm)",
	"hba1c":                   "HbA1c (%)",
	"cup_disc_ratio":          "杯盘比 C/D",
}

type chart struct {
	Title  string
	Width  int
	Height int
	Lines  []line
	YTicks []tick
	XTicks []tick
}

type line struct {
	Eye    string
	Color  string
	Points string
	Dots   []dot
}

type dot struct {
	X, Y  float64
	Label string
}

type tick struct {
	Pos    float64
	Label  string
	Anchor string
}

type patientView struct {
	T      *timeline.Timeline
	Charts []chart
}

// Write renders the timelines to w.
func Write(w io.Writer, ts []*timeline.Timeline, opt Options) error {
	if opt.MaxPatients <= 0 {
		opt.MaxPatients = 50
	}
	if len(opt.Kinds) == 0 {
		opt.Kinds = []string{"visual_acuity", "corrected_visual_acuity", "iop", "cmt", "axial_length", "hba1c"}
	}
	ts = slices.Clone(ts)
	slices.SortStableFunc(ts, func(a, b *timeline.Timeline) int { return b.FollowUpDays - a.FollowUpDays })
	if len(ts) > opt.MaxPatients {
		ts = ts[:opt.MaxPatients]
	}
	var views []patientView
	for _, t := range ts {
		v := patientView{T: t}
		for _, k := range opt.Kinds {
			if c, ok := makeChart(k, t.Measurements[k]); ok {
				v.Charts = append(v.Charts, c)
			}
		}
		views = append(views, v)
	}
	return page.Execute(w, map[string]any{"Patients": views, "Total": len(ts)})
}

var eyeColors = map[string]string{"right": "#c0392b", "left": "#2471a3", "both": "#7d3c98", "": "#555"}

// makeChart draws one kind's series, one polyline per eye, x by date.
func makeChart(kind string, ms []timeline.Measurement) (chart, bool) {
	type pt struct {
		t time.Time
		v float64
	}
	series := map[string][]pt{}
	var tmin, tmax time.Time
	vmin, vmax := math.Inf(1), math.Inf(-1)
	for _, m := range ms {
		d, err := time.Parse(time.DateOnly, m.Date)
		if err != nil || m.Value == nil {
			continue
		}
		e := string(m.Eye)
		series[e] = append(series[e], pt{d, *m.Value})
		if tmin.IsZero() || d.Before(tmin) {
			tmin = d
		}
		if d.After(tmax) {
			tmax = d
		}
		vmin, vmax = math.Min(vmin, *m.Value), math.Max(vmax, *m.Value)
	}
	n := 0
	for _, s := range series {
		n += len(s)
	}
	if n < 2 {
		return chart{}, false
	}
	const W, H, L, R, T, B = 420.0, 170.0, 48.0, 12.0, 10.0, 26.0
	if vmax == vmin {
		d := math.Max(math.Abs(vmax)*0.2, 0.05)
		vmin, vmax = vmin-d, vmax+d
	}
	pad := (vmax - vmin) * 0.1
	vmin, vmax = vmin-pad, vmax+pad
	span := tmax.Sub(tmin).Hours()
	if span == 0 {
		span = 24
	}
	x := func(t time.Time) float64 { return L + (W-L-R)*t.Sub(tmin).Hours()/span }
	y := func(v float64) float64 { return T + (H-T-B)*(vmax-v)/(vmax-vmin) }
	c := chart{Title: cmpTitle(kind), Width: W, Height: H}
	eyes := make([]string, 0, len(series))
	for e := range series {
		eyes = append(eyes, e)
	}
	slices.Sort(eyes)
	for _, e := range eyes {
		s := series[e]
		slices.SortFunc(s, func(a, b pt) int { return a.t.Compare(b.t) })
		var b strings.Builder
		l := line{Eye: eyeName(e), Color: eyeColors[e]}
		for _, p := range s {
			fmt.Fprintf(&b, "%.1f,%.1f ", x(p.t), y(p.v))
			l.Dots = append(l.Dots, dot{X: x(p.t), Y: y(p.v), Label: fmt.Sprintf("%s %s %g", p.t.Format(time.DateOnly), eyeName(e), p.v)})
		}
		l.Points = strings.TrimSpace(b.String())
		c.Lines = append(c.Lines, l)
	}
	for i := 0; i <= 3; i++ {
		v := vmin + (vmax-vmin)*float64(i)/3
		c.YTicks = append(c.YTicks, tick{Pos: y(v), Label: fmt.Sprintf("%.3g", v)})
	}
	c.XTicks = []tick{{Pos: L, Label: tmin.Format("2006-01"), Anchor: "start"}, {Pos: W - R, Label: tmax.Format("2006-01"), Anchor: "end"}}
	return c, true
}

func cmpTitle(kind string) string {
	if t, ok := kindTitles[kind]; ok {
		return t
	}
	return kind
}

func eyeName(e string) string {
	switch e {
	case "right":
		return "右眼 OD"
	case "left":
		return "左眼 OS"
	case "both":
		return "双眼 OU"
	}
	return "未注明"
}

var page = template.Must(template.New("report").Funcs(template.FuncMap{"eye": func(e any) string { return eyeName(fmt.Sprint(e)) }}).Parse(pageHTML))
