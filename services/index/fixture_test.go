package index

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"bingli/services/note"
)

// Synthetic sentence fragments (written for these tests, not taken from any
// corpus) from which fixture note texts are assembled.
var fixturePhrases = []string{
	"主诉：双眼视物模糊半年。",
	"眼压：右眼十八，左眼二十一。",
	"视野检查提示鼻侧阶梯。",
	"诊断：原发性开角型青光眼。",
	"晶状体混浊。",
	"糖尿病视网膜病变待排。",
	"建议定期复查。",
	"否认外伤史。",
	"眼底：视盘杯盘比偏大。",
	"给予拉坦前列素滴眼液。",
}

var fixtureCodes = []struct {
	code   string
	weight int
}{
	{"H40.1", 30}, {"H40.11", 8}, {"H40.2", 10}, {"H25.9", 20},
	{"H35.3", 10}, {"E11.3", 3}, {"H26.9", 8}, {"", 6},
}

var (
	fixtureEyes       = []note.Eye{note.EyeRight, note.EyeRight, note.EyeLeft, note.EyeLeft, note.EyeBoth, note.EyeBoth, note.EyeNone}
	fixtureAssertions = []note.Assertion{note.Present, note.Present, note.Present, note.Present, note.Present, note.Negated, note.Possible, note.History}
	fixtureTypes      = []string{"门诊病历", "门诊病历", "门诊病历", "住院病历", "手术记录"}
)

// fixtureNotes builds n deterministic, de-identified-looking notes with
// diagnoses and measurements set directly.
func fixtureNotes(n int, textChars int) []*note.Note {
	r := rand.New(rand.NewPCG(7, 11))
	total := 0
	for _, c := range fixtureCodes {
		total += c.weight
	}
	pickCode := func() string {
		x := r.IntN(total)
		for _, c := range fixtureCodes {
			if x < c.weight {
				return c.code
			}
			x -= c.weight
		}
		panic("unreachable")
	}
	notes := make([]*note.Note, 0, n)
	for i := range n {
		nt := &note.Note{
			SchemaVersion: note.SchemaVersion,
			NoteID:        fmt.Sprintf("n%05d", i),
			Source:        note.Source{File: "fixture.jsonl", Line: i + 1, Format: "jsonl", Encoding: "utf-8"},
			PatientID:     fmt.Sprintf("P%03d", i/3),
			NoteType:      fixtureTypes[r.IntN(len(fixtureTypes))],
		}
		if r.IntN(20) != 0 { // 5% without a visit date
			year := 2018 + r.IntN(6)
			if r.IntN(40) == 0 {
				year = 2024 // a rare year: a small cell
			}
			nt.VisitDate = fmt.Sprintf("%d-%02d-%02d", year, 1+r.IntN(12), 1+r.IntN(28))
		}
		var text strings.Builder
		for _, p := range fixturePhrases {
			if r.IntN(2) == 0 {
				text.WriteString(p)
			}
		}
		for text.Len() < textChars*3 { // ~3 bytes per character
			text.WriteString(fixturePhrases[r.IntN(len(fixturePhrases))])
		}
		nt.Text = text.String()
		for range r.IntN(4) {
			code := pickCode()
			nt.Diagnoses = append(nt.Diagnoses, note.Diagnosis{
				Text: "诊断", Start: 0, End: 2, ICD10: code,
				Eye: fixtureEyes[r.IntN(len(fixtureEyes))], Assertion: fixtureAssertions[r.IntN(len(fixtureAssertions))],
			})
		}
		for range r.IntN(3) {
			v := 10 + float64(r.IntN(200))/10
			nt.Measurements = append(nt.Measurements, note.Measurement{
				Text: "眼压", Start: 0, End: 2, Kind: "iop", Value: &v, Unit: "mmHg", Eye: fixtureEyes[r.IntN(4)],
			})
		}
		notes = append(notes, nt)
	}
	return notes
}

// oracle answers q over notes by brute force, independently of both
// backends, with the semantics documented on Query.
func oracle(notes []*note.Note, q Query, k int) Result {
	eyeOK := func(filter string, e note.Eye) bool {
		switch filter {
		case "":
			return true
		case "right", "left":
			return e == note.Eye(filter) || e == note.EyeBoth
		case "both":
			return e == note.EyeBoth
		case "either":
			return e != note.EyeNone
		case "none":
			return e == note.EyeNone
		}
		return false
	}
	dxOK := func(d note.Diagnosis) bool {
		f := q.Diagnosis
		if f == nil {
			return true
		}
		if !eyeOK(f.Eye, d.Eye) {
			return false
		}
		if len(f.Assertions) > 0 {
			ok := false
			for _, a := range f.Assertions {
				ok = ok || a == d.Assertion
			}
			if !ok {
				return false
			}
		}
		if len(f.Codes) == 0 {
			return true
		}
		for _, c := range f.Codes {
			if strings.HasPrefix(strings.ToUpper(d.ICD10), strings.ToUpper(c)) {
				return true
			}
		}
		return false
	}
	var ids []string
	raw := map[Aggregation]map[string]int{ByCategory: {}, ByEye: {}, ByVisitYear: {}}
	for _, n := range notes {
		var matching []note.Diagnosis
		for _, d := range n.Diagnoses {
			if dxOK(d) {
				matching = append(matching, d)
			}
		}
		if q.Diagnosis != nil && len(matching) == 0 {
			continue
		}
		if len(q.NoteTypes) > 0 && !contains(q.NoteTypes, n.NoteType) {
			continue
		}
		if (q.VisitFrom != "" || q.VisitTo != "") && n.VisitDate == "" {
			continue
		}
		if q.VisitFrom != "" && n.VisitDate < q.VisitFrom || q.VisitTo != "" && n.VisitDate > q.VisitTo {
			continue
		}
		if q.Text != "" && !strings.Contains(n.Text, q.Text) {
			continue
		}
		ids = append(ids, n.NoteID)
		cats, eyes := map[string]bool{}, map[string]bool{}
		for _, d := range matching {
			if d.ICD10 != "" {
				cats[d.ICD10[:3]] = true
			}
			e := string(d.Eye)
			if e == "" {
				e = "none"
			}
			eyes[e] = true
		}
		for c := range cats {
			raw[ByCategory][c]++
		}
		for e := range eyes {
			raw[ByEye][e]++
		}
		if n.VisitDate != "" {
			raw[ByVisitYear][n.VisitDate[:4]]++
		}
	}
	sort.Strings(ids)
	res := Result{SchemaVersion: QuerySchemaVersion, Total: len(ids), NoteIDs: []string{}, MinCellSize: k}
	if q.From < len(ids) {
		res.NoteIDs = ids[q.From:min(len(ids), q.From+q.Size)]
	}
	res.Aggregations = suppressAll(q.Aggregations, raw, k)
	return res
}
