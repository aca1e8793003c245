package segment

import (
	"strings"
	"testing"
)

// goldSegmentation is a small hand-segmented set of clinical sentences,
// written for this test (not taken from any corpus). Words are separated by
// |; it favours the lexicons' units (原发性开角型青光眼 is one word). It
// decides the HMM default: see TestHMMAccuracy and BENCHMARK.md.
var goldSegmentation = []string{
	"患者|自诉|双眼|视物模糊|半年|，|加重|一周|。",
	"否认|高血压|、|糖尿病|病史|，|否认|外伤史|。",
	"右眼|眼压|21|mmHg|，|左眼|眼压|18|mmHg|。",
	"裂隙灯|检查|：|角膜|透明|，|前房|深度|正常|，|晶状体|混浊|。",
	"眼底|检查|见|视盘|边界|清|，|杯盘比|约|0.6|。",
	"诊断|：|原发性开角型青光眼|（|双眼|）|。",
	"行|右眼|超声乳化|白内障|吸除|联合|人工晶体植入术|。",
	"术后|第一天|，|右眼|视力|0.5|，|角膜|轻度|水肿|。",
	"予|妥布霉素地塞米松|滴眼液|滴|右眼|，|每日|四次|。",
	"左眼|玻璃体腔注射|雷珠单抗|0.5|mg|，|术程|顺利|。",
	"光学相干断层扫描|示|黄斑|区|视网膜|增厚|，|黄斑水肿|明显|。",
	"建议|定期|复查|眼压|及|视野|，|不适|随诊|。",
	"既往|有|2|型|糖尿病|史|十年|，|血糖|控制|欠佳|。",
	"双眼|睑结膜|无|充血|，|球结膜|无|水肿|，|巩膜|无|黄染|。",
	"矫正视力|右眼|1.0|，|左眼|0.8|，|眼轴|23.5|mm|。",
	"主诉|：|左眼|红|痛|伴|畏光|流泪|三天|。",
	"糖尿病视网膜病变|患者|需|行|全视网膜光凝|治疗|。",
	"眼压|控制|不佳|，|加用|曲伏前列素|滴眼液|每晚|一次|。",
	"患者|神志|清楚|，|精神|可|，|饮食|睡眠|可|，|大小便|正常|。",
	"嘱|患者|避免|揉眼|，|注意|用眼|卫生|，|一周|后|门诊|复诊|。",
}

// f1 scores predicted against gold word boundaries (word-level F1).
func f1(s *Segmenter) (p, r, f float64) {
	var tp, np, ng int
	for _, g := range goldSegmentation {
		text := strings.ReplaceAll(g, "|", "")
		gold := map[[2]int]bool{}
		at := 0
		for _, w := range strings.Split(g, "|") {
			n := len([]rune(w))
			gold[[2]int{at, at + n}] = true
			at += n
		}
		toks := s.Tokens(text)
		for _, t := range toks {
			if gold[[2]int{t.Start, t.End}] {
				tp++
			}
		}
		np += len(toks)
		ng += len(gold)
	}
	p, r = float64(tp)/float64(np), float64(tp)/float64(ng)
	return p, r, 2 * p * r / (p + r)
}

// TestHMMAccuracy measures word F1 on the gold set with the HMM on and off
// (run with -v to see the numbers recorded in BENCHMARK.md).
func TestHMMAccuracy(t *testing.T) {
	for _, mode := range []HMMMode{HMMOff, HMMOn} {
		for _, dict := range []string{DictTrimmed, DictNone} {
			s := newTest(t, Options{HMM: mode, Dictionary: dict})
			p, r, f := f1(s)
			t.Logf("dictionary=%-11s hmm=%-3s P=%.3f R=%.3f F1=%.3f", dict, mode, p, r, f)
			if dict == DictTrimmed && f < 0.85 {
				t.Errorf("hmm=%s: F1 %.3f below 0.85", mode, f)
			}
		}
	}
}

func TestHMMFindsUnknownWords(t *testing.T) {
	on := newTest(t, Options{HMM: HMMOn})
	off := newTest(t, Options{HMM: HMMOff})
	const text = "吸除"
	if got := words(off, text); got != "吸|除" {
		t.Errorf("hmm off: got %s", got)
	}
	if got := words(on, text); got != "吸除" {
		t.Errorf("hmm on: got %s", got)
	}
}
