package events

import (
	"math"
)

// Visual acuity is stored as a decimal acuity (1.0 = 20/20).
//
// Conversions:
//   - 5-point (Chinese standard logarithmic chart, GB 11533; values 3.0-5.3
//     with one decimal): decimal = 10^(L-5), rounded to the chart's printed
//     line (4.0=0.1, 4.1=0.12, 4.2=0.15, 4.3=0.2, 4.4=0.25, 4.5=0.3, 4.6=0.4,
//     4.7=0.5, 4.8=0.6, 4.9=0.8, 5.0=1.0, 5.1=1.2, 5.2=1.5, 5.3=2.0); below
//     4.0, 10^(L-5) rounded to two significant digits (3.7 → 0.05).
//   - logMAR (only where the note says logMAR): L → the 5-point value 5-L,
//     then as above (0.3 → 0.5, 0.1 → 0.8, 1.0 → 0.1).
//   - Snellen 20/x, 6/x, 10/x: the fraction itself (20/40 → 0.5, 6/12 → 0.5,
//     20/30 → 0.6667).
//   - A bare number is decimal when it is at most 2.0, 5-point when it is
//     3.0-5.3.
//
// Vision below the chart is an ordered category coded so it sorts below
// every decimal acuity (the smallest decimal on a chart is 0.02 at 1 m):
//
//	counting fingers (指数, 数指, CF, FC)  0.014
//	hand motion (手动, HM)                0.005
//	light perception (光感, LP)           0.002
//	no light perception (无光感, NLP)     0
//
// Name keeps the category word as written; Unit is "".
var fivePoint = map[int]float64{
	40: 0.1, 41: 0.12, 42: 0.15, 43: 0.2, 44: 0.25, 45: 0.3, 46: 0.4,
	47: 0.5, 48: 0.6, 49: 0.8, 50: 1.0, 51: 1.2, 52: 1.5, 53: 2.0,
}

// Category values.
const (
	AcuityCF  = 0.014
	AcuityHM  = 0.005
	AcuityLP  = 0.002
	AcuityNLP = 0
)

// FivePointToDecimal converts a 5-point acuity (e.g. 4.7) to decimal (0.5).
func FivePointToDecimal(l float64) float64 {
	k := int(math.Round(l * 10))
	if math.Abs(l*10-float64(k)) < 1e-6 {
		if v, ok := fivePoint[k]; ok {
			return v
		}
	}
	v := math.Pow(10, l-5)
	return roundSig(v, 2)
}

// LogMARToDecimal converts a logMAR acuity (0.3) to decimal (0.5).
func LogMARToDecimal(l float64) float64 { return FivePointToDecimal(5 - l) }

func roundSig(v float64, digits int) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// acuityValue interprets a bare number in an acuity context.
func acuityValue(v float64, frac int, logmar bool) (float64, bool) {
	if logmar {
		if v < -0.3 || v > 3.0 {
			return 0, false
		}
		return LogMARToDecimal(v), true
	}
	switch {
	case v > 0 && v <= 2.0:
		return v, true
	case v >= 3.0 && v <= 5.3 && frac == 1:
		return FivePointToDecimal(v), true
	}
	return 0, false
}

// category is a vision category word.
type category struct {
	word  []rune
	value float64
}

var categories = func() []category {
	var cs []category
	for _, c := range []struct {
		w string
		v float64
	}{
		{"无光感", AcuityNLP}, {"nlp", AcuityNLP}, {"眼前手动", AcuityHM}, {"眼前指数", AcuityCF},
		{"光感", AcuityLP}, {"lp", AcuityLP}, {"手动", AcuityHM}, {"hm", AcuityHM},
		{"指数", AcuityCF}, {"数指", AcuityCF}, {"fc", AcuityCF}, {"cf", AcuityCF},
	} {
		cs = append(cs, category{[]rune(c.w), c.v})
	}
	return cs
}()

// matchCategory finds a vision category at i and returns its value and the
// end of the mention, which takes in a distance written after it
// (指数/30cm, 指数/眼前, 手动/眼前, 指数 30cm, 眼前指数).
func matchCategory(f []rune, i int) (float64, int, bool) {
	for _, c := range categories {
		if !hasAt(f, i, c.word) {
			continue
		}
		end := i + len(c.word)
		if isLetter(c.word[0]) && (i > 0 && isLetter(f[i-1]) || end < len(f) && isLetter(f[end])) {
			continue
		}
		j := end
		if j < len(f) && (f[j] == '/' || f[j] == ' ' || f[j] == ':') {
			j++
		}
		if hasAt(f, j, []rune("眼前")) {
			j += 2
			end = j
		}
		k := j
		for k < len(f) && isDigit(f[k]) {
			k++
		}
		if k > j {
			if u, ue, ok := unitAt(f, k); ok && u.class == uDistance {
				end = ue
			}
		}
		return c.value, end, true
	}
	return 0, i, false
}

func hasAt(f []rune, i int, w []rune) bool {
	if i < 0 || i+len(w) > len(f) {
		return false
	}
	for k, r := range w {
		if f[i+k] != r {
			return false
		}
	}
	return true
}
