package events

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"

	"bingli/services/laterality"
	"bingli/services/note"
)

//go:embed drugs.txt
var drugsTxt string

// drugs is the embedded drug lexicon (drugs.txt): name → use (eye, ivt, sys).
var drugs = func() *lexicon {
	m, err := parseDrugs(drugsTxt)
	if err != nil {
		panic(err)
	}
	return newLexicon(m)
}()

func parseDrugs(s string) (map[string]string, error) {
	m := map[string]string{}
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, use, ok := strings.Cut(line, "\t")
		if !ok || name == "" {
			return nil, fmt.Errorf("drugs.txt line %d: want name<TAB>use", i+1)
		}
		switch use {
		case "eye", "ivt", "sys":
		default:
			return nil, fmt.Errorf("drugs.txt line %d: use %q, want eye, ivt or sys", i+1, use)
		}
		m[name] = use
	}
	return m, nil
}

// formulations are matched right after a drug name and belong to its span.
var formulations = newLexicon(map[string]string{
	"滴眼液": "", "眼液": "", "眼药水": "", "滴眼剂": "", "眼膏": "", "眼用凝胶": "", "凝胶": "", "眼用乳剂": "",
	"乳剂": "", "混悬液": "", "滴眼混悬液": "", "片": "", "缓释片": "", "控释片": "", "肠溶片": "", "分散片": "",
	"胶囊": "", "软胶囊": "", "缓释胶囊": "", "注射液": "", "注射剂": "", "针": "", "颗粒": "", "口服液": "",
	"玻璃体内植入剂": "", "植入剂": "", "溶液": "", "眼用制剂": "",
})

// routes as written (folded keys → canonical).
var routes = newLexicon(map[string]string{
	"口服": "口服", "po": "口服", "静滴": "静脉滴注", "静脉滴注": "静脉滴注", "静推": "静脉注射", "静脉注射": "静脉注射",
	"iv": "静脉注射", "ivgtt": "静脉滴注", "肌注": "肌内注射", "肌内注射": "肌内注射", "im": "肌内注射",
	"皮下注射": "皮下注射", "ih": "皮下注射", "点眼": "滴眼", "滴眼": "滴眼", "点双眼": "滴眼", "点右眼": "滴眼", "点左眼": "滴眼",
	"外用": "外用", "涂眼": "涂眼", "玻璃体腔注射": "玻璃体腔注射", "玻璃体内注射": "玻璃体腔注射", "玻璃体腔注药": "玻璃体腔注射",
	"ivt": "玻璃体腔注射", "intravitreal": "玻璃体腔注射", "结膜下注射": "结膜下注射", "球旁注射": "球旁注射",
	"球后注射": "球后注射", "雾化": "雾化吸入", "含服": "含服",
})

var (
	reDose = regexp.MustCompile(`(?i)\d+(?:\.\d+)?\s?(?:mg|g|ml|μg|ug|mcg|iu|u|万u|单位|滴|片|粒|支|mg/kg)`)
	reFreq = regexp.MustCompile(`(?i)\b(?:qd|bid|tid|qid|qn|qod|qh|q\d{1,2}h|prn|st|qm|hs)\b|每(?:日|天|晚|早|周)?[0-9一二三四五六七八两]*(?:小时|分钟|h)?[0-9一二三四五六七八两]*次|[0-9一二三四五六七八两]+次/(?:日|天|d|晚|周)|一日[一二三四五六两0-9]次|每晚|睡前|临睡前|立即`)
)

// medications finds drug mentions and their regimen (dose, frequency, route
// and eye) written after them in the same clause.
func medications(t, f []rune) []note.Medication {
	var out []note.Medication
	for i := 0; i < len(f); {
		e, ok := drugs.match(f, i)
		if !ok {
			i++
			continue
		}
		start, end := i, i+len(e.word)
		if fe, ok := formulations.match(f, end); ok && end < len(f) {
			end += len(fe.word)
		}
		med := note.Medication{Text: string(t[start:end]), Start: start, End: end}
		// The regimen: up to the clause end or the next drug.
		rEnd := end
		for rEnd < len(f) && rEnd-end < 40 {
			r := f[rEnd]
			if r == '。' || r == ';' || r == '\n' || r == '\r' {
				break
			}
			if _, ok := drugs.match(f, rEnd); ok {
				break
			}
			rEnd++
		}
		// trim a trailing list separator and what follows it after the last comma if it starts a new item
		reg := string(t[end:rEnd])
		if m := reDose.FindString(reg); m != "" {
			med.Dose = strings.TrimSpace(m)
		}
		if m := reFreq.FindString(reg); m != "" {
			med.Frequency = m
		}
		for k := end; k < rEnd; k++ {
			if re, ok := routes.match(f, k); ok {
				med.Route = re.tag
				break
			}
		}
		if med.Route == "" && e.tag == "ivt" {
			for k := max(0, start-10); k < start; k++ {
				if re, ok := routes.match(f, k); ok && re.tag == "玻璃体腔注射" {
					med.Route = re.tag
				}
			}
		}
		for k := end; k < rEnd; k++ {
			if eye, n := laterality.WordAt(t, k); n > 0 {
				med.Eye = eye
				break
			}
		}
		if med.Eye == note.EyeNone && e.tag != "sys" {
			med.Eye = laterality.At(t, start, end)
		}
		out = append(out, med)
		i = end
	}
	return out
}
