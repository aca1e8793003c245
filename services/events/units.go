package events

import "sort"

// unit is a unit as written after a number, matched folded.
type unit struct {
	word  []rune
	canon string // normalised spelling
	class string // what it measures (see unitList)
}

// Unit classes.
const (
	uPressure = "pressure" // mmHg
	uLength   = "mm"
	uMicron   = "um"
	uPercent  = "percent"
	uDiopter  = "diopter" // D, DS
	uCylinder = "cylinder"
	uSchirmer = "schirmer"
	uSecond   = "second"
	uDistance = "distance" // cm (counting fingers)
	uLab      = "lab"      // a laboratory or vital-sign unit
	uBlocked  = "blocked"  // doses, durations, ages, counts: never a measurement here
)

var unitList = []struct{ word, canon, class string }{
	{"mmhg", "mmHg", uPressure}, {"mm hg", "mmHg", uPressure}, {"毫米汞柱", "mmHg", uPressure},
	{"mm", "mm", uLength}, {"毫米", "mm", uLength},
	{"μm", "μm", uMicron}, {"µm", "μm", uMicron}, {"um", "μm", uMicron}, {"微米", "μm", uMicron},
	{"%", "%", uPercent},
	{"ds", "D", uDiopter}, {"d", "D", uDiopter}, {"dc", "D", uCylinder},
	{"mm/5min", "mm/5min", uSchirmer}, {"mm/5分钟", "mm/5min", uSchirmer}, {"mm/5'", "mm/5min", uSchirmer},
	{"s", "s", uSecond}, {"秒", "s", uSecond}, {"sec", "s", uSecond}, {"\"", "s", uSecond},
	{"cm", "cm", uDistance}, {"厘米", "cm", uDistance},
	{"mmol/l", "mmol/L", uLab}, {"μmol/l", "μmol/L", uLab}, {"µmol/l", "μmol/L", uLab}, {"umol/l", "μmol/L", uLab},
	{"g/l", "g/L", uLab}, {"mg/l", "mg/L", uLab}, {"mg/dl", "mg/dL", uLab}, {"u/l", "U/L", uLab}, {"iu/l", "IU/L", uLab},
	{"ng/ml", "ng/mL", uLab}, {"pg/ml", "pg/mL", uLab}, {"mm/h", "mm/h", uLab}, {"mm/1h", "mm/h", uLab},
	{"×10^9/l", "×10^9/L", uLab}, {"x10^9/l", "×10^9/L", uLab}, {"*10^9/l", "×10^9/L", uLab}, {"×10⁹/l", "×10^9/L", uLab},
	{"×10^12/l", "×10^12/L", uLab}, {"x10^12/l", "×10^12/L", uLab}, {"10^9/l", "×10^9/L", uLab},
	{"次/分", "次/分", uLab}, {"次/min", "次/分", uLab}, {"bpm", "次/分", uLab}, {"℃", "℃", uLab}, {"°c", "℃", uLab},
	{"kg", "kg", uLab}, {"kg/m2", "kg/m²", uLab}, {"kg/m²", "kg/m²", uLab}, {"ml/min", "mL/min", uLab}, {"ml/min/1.73m2", "mL/min/1.73m²", uLab},
	{"mg/24h", "mg/24h", uLab},
	// blocked: doses, durations, counts
	{"mg", "", uBlocked}, {"g", "", uBlocked}, {"ml", "", uBlocked}, {"μg", "", uBlocked}, {"ug", "", uBlocked}, {"mcg", "", uBlocked},
	{"iu", "", uBlocked}, {"u", "", uBlocked}, {"万u", "", uBlocked}, {"滴", "", uBlocked}, {"片", "", uBlocked}, {"粒", "", uBlocked}, {"支", "", uBlocked},
	{"年", "", uBlocked}, {"月", "", uBlocked}, {"日", "", uBlocked}, {"天", "", uBlocked}, {"周", "", uBlocked}, {"个", "", uBlocked},
	{"岁", "", uBlocked}, {"次", "", uBlocked}, {"小时", "", uBlocked}, {"分钟", "", uBlocked}, {"分", "", uBlocked}, {"h", "", uBlocked},
	{"min", "", uBlocked}, {"w", "", uBlocked}, {"号", "", uBlocked}, {"床", "", uBlocked}, {"针", "", uBlocked}, {"级", "", uBlocked},
	{"期", "", uBlocked}, {"度", "", uBlocked}, {"°", "", uBlocked}, {"cm", "cm", uDistance}, {"处", "", uBlocked}, {"枚", "", uBlocked},
	{"点", "", uBlocked}, {"时", "", uBlocked}, {"pd", "", uBlocked}, {"db", "", uBlocked}, {"×", "", ""}, {"x", "", ""}, {"*", "", ""},
}

var unitIndex = func() map[rune][]unit {
	m := map[rune][]unit{}
	for _, u := range unitList {
		w := []rune(u.word)
		m[w[0]] = append(m[w[0]], unit{word: w, canon: u.canon, class: u.class})
	}
	for _, us := range m {
		sort.SliceStable(us, func(i, j int) bool { return len(us[i].word) > len(us[j].word) })
	}
	return m
}()

// unitAt returns the longest unit starting at i in the folded text (after
// at most one space), and the index after it. An ASCII unit must not run on
// into more letters ("mmHg" is not "mm" + "hg"; "d" is not "dexa...").
func unitAt(f []rune, i int) (unit, int, bool) {
	j := i
	if j < len(f) && f[j] == ' ' {
		j++
	}
	if j >= len(f) {
		return unit{}, i, false
	}
	for _, u := range unitIndex[f[j]] {
		end := j + len(u.word)
		if end > len(f) {
			continue
		}
		ok := true
		for k, r := range u.word {
			if f[j+k] != r {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if isLetter(u.word[len(u.word)-1]) && end < len(f) && isLetter(f[end]) {
			continue
		}
		if u.class == "" {
			return unit{}, i, false
		}
		return u, end, true
	}
	return unit{}, i, false
}
