package synth

import (
	"math"
	"math/rand/v2"
	"time"

	"bingli/services/note"
)

// disease is a diagnosis as written in notes with its ICD-10 code.
type disease struct{ name, icd10 string }

var (
	dxMyopia        = disease{"近视", "H52.1"}
	dxHighMyopia    = disease{"高度近视", "H52.1"}
	dxPathMyopia    = disease{"病理性近视", "H44.2"}
	dxAstigmatism   = disease{"散光", "H52.2"}
	dxPOAG          = disease{"原发性开角型青光眼", "H40.1"}
	dxPACG          = disease{"原发性闭角型青光眼", "H40.2"}
	dxAcuteACG      = disease{"急性闭角型青光眼", "H40.2"}
	dxGlaucoma      = disease{"青光眼", "H40.9"}
	dxARC           = disease{"年龄相关性白内障", "H25.9"}
	dxSenileCat     = disease{"老年性白内障", "H25.9"}
	dxNuclearCat    = disease{"老年核性白内障", "H25.1"}
	dxComplCat      = disease{"并发性白内障", "H26.2"}
	dxPseudophakia  = disease{"人工晶体眼", "Z96.1"}
	dxNPDR          = disease{"非增殖性糖尿病视网膜病变", "E11.3"}
	dxPDR           = disease{"增殖性糖尿病视网膜病变", "E11.3"}
	dxDR            = disease{"糖尿病视网膜病变", "E11.3"}
	dxDME           = disease{"糖尿病性黄斑水肿", "H36.0"}
	dxVH            = disease{"玻璃体积血", "H43.1"}
	dxT2DM          = disease{"2型糖尿病", "E11.9"}
	dxDM            = disease{"糖尿病", "E14.9"}
	dxHTN           = disease{"高血压", "I10"}
	dxCHD           = disease{"冠心病", "I25.1"}
	dxHepatitis     = disease{"肝炎", "B19.9"}
	dxTB            = disease{"结核", "A16.9"}
	dxDryEye        = disease{"干眼症", "H04.1"}
	dxDryEye2       = disease{"干眼", "H04.1"}
	dxKeratitis     = disease{"角膜炎", "H16.9"}
	dxBactKeratitis = disease{"细菌性角膜炎", "H16.9"}
	dxCornealUlcer  = disease{"角膜溃疡", "H16.0"}
	dxHSK           = disease{"单纯疱疹病毒性角膜炎", "B00.5"}
	dxHorner        = disease{"霍纳综合征", "G90.2"}
)

// condition is a patient's main eye disease.
type condition int

const (
	condMyopia condition = iota
	condHighMyopia
	condPOAG
	condPACG
	condCataract
	condComplCataract
	condDR
	condDryEye
	condKeratitis
	numConditions
)

// conditionWeights: how common each main condition is in the archive.
var conditionWeights = [numConditions]int{12, 10, 14, 9, 20, 5, 15, 9, 6}

func drawCondition(r *rand.Rand) condition {
	total := 0
	for _, w := range conditionWeights {
		total += w
	}
	x := r.IntN(total)
	for c, w := range conditionWeights {
		if x < w {
			return condition(c)
		}
		x -= w
	}
	return condCataract
}

// ageRange is the age at first visit for a condition; cataract reaches past
// 90 so that a few AGE identifiers appear.
func drawAge(r *rand.Rand, c condition) int {
	switch c {
	case condMyopia:
		return 7 + r.IntN(28)
	case condHighMyopia:
		return 12 + r.IntN(38)
	case condPOAG:
		return 38 + r.IntN(45)
	case condPACG:
		return 48 + r.IntN(38)
	case condCataract:
		if r.IntN(100) < 6 {
			return 90 + r.IntN(8)
		}
		return 55 + r.IntN(35)
	case condComplCataract:
		return 40 + r.IntN(40)
	case condDR:
		return 38 + r.IntN(42)
	case condDryEye:
		return 22 + r.IntN(55)
	}
	return 18 + r.IntN(65)
}

// eyeState is one eye's measurable state.
type eyeState struct {
	va, bcva, iop, axial, sphere, cd, cmt float64
	pseudophakic                          bool
}

// clinical is a patient's disease course, advanced visit by visit.
type clinical struct {
	cond          condition
	eyes          note.Eye // affected eyes
	worse         note.Eye // right or left: operated first
	diabetic      bool
	hyperten      bool
	famGlauc      bool // mother/father has glaucoma
	famMyopia     bool
	dme           bool
	proliferative bool
	hsk           bool // herpetic keratitis
	hba1c         float64
	re, le        eyeState
	treated       bool
	operated      bool
	injections    int
	opDate        time.Time
	years         int // disease duration at first visit
}

func newClinical(r *rand.Rand, c condition, age int) clinical {
	k := clinical{cond: c, eyes: note.EyeBoth, years: 1 + r.IntN(8)}
	if r.IntN(2) == 0 {
		k.worse = note.EyeRight
	} else {
		k.worse = note.EyeLeft
	}
	k.diabetic = c == condDR || (age > 45 && r.IntN(100) < 12)
	k.hyperten = age > 40 && r.IntN(100) < 30+age/3
	k.famGlauc = (c == condPOAG || c == condPACG) && r.IntN(100) < 25
	k.famMyopia = (c == condMyopia || c == condHighMyopia) && r.IntN(100) < 45
	if k.diabetic {
		k.hba1c = 6.3 + r.Float64()*3.5
	}
	base := func() eyeState {
		return eyeState{va: 1.0, bcva: 1.0, iop: 12 + r.Float64()*7, axial: 22.8 + r.Float64()*1.4, sphere: -0.5 + r.Float64()*1.5, cd: 0.2 + r.Float64()*0.2, cmt: 220 + r.Float64()*40}
	}
	k.re, k.le = base(), base()
	each := func(f func(e *eyeState, affected bool)) {
		f(&k.re, k.eyes == note.EyeBoth || k.eyes == note.EyeRight)
		f(&k.le, k.eyes == note.EyeBoth || k.eyes == note.EyeLeft)
	}
	switch c {
	case condMyopia, condHighMyopia:
		lo, span := -1.0, 4.75
		if c == condHighMyopia {
			lo, span = -6.0, 9.0
		}
		each(func(e *eyeState, _ bool) {
			e.sphere = lo - r.Float64()*span
			e.axial = 23.6 - e.sphere*0.37 + r.Float64()*0.4
			e.va = math.Max(0.05, 1.0/(1+math.Abs(e.sphere)*1.6))
			e.bcva = 0.8 + r.Float64()*0.4
			if c == condHighMyopia && e.sphere < -10 {
				e.bcva = 0.3 + r.Float64()*0.5
			}
		})
	case condPOAG:
		if r.IntN(100) < 30 {
			k.eyes = k.worse
		}
		each(func(e *eyeState, a bool) {
			if a {
				e.iop = 22 + r.Float64()*12
				e.cd = 0.6 + r.Float64()*0.3
				e.va = 0.4 + r.Float64()*0.6
				e.bcva = e.va + 0.1
			}
		})
	case condPACG:
		acute := r.IntN(100) < 30
		k.eyes = k.worse
		each(func(e *eyeState, a bool) {
			e.axial = 21.6 + r.Float64()*1.2
			e.sphere = 0.25 + r.Float64()*2.5
			if a {
				e.iop = 24 + r.Float64()*14
				if acute {
					e.iop = 40 + r.Float64()*18
					e.va = 0.05 + r.Float64()*0.2
				}
				e.cd = 0.4 + r.Float64()*0.4
			}
		})
		if acute {
			k.proliferative = true // reused: acute attack presentation
		}
	case condCataract, condComplCataract:
		each(func(e *eyeState, _ bool) {
			e.va = 0.05 + r.Float64()*0.45
			e.bcva = math.Min(1, e.va+0.1+r.Float64()*0.2)
			e.sphere = -1.5 + r.Float64()*3.5
		})
		if c == condComplCataract {
			k.famMyopia = false
			each(func(e *eyeState, _ bool) {
				e.sphere = -7 - r.Float64()*8
				e.axial = 26 + r.Float64()*4
			})
		}
	case condDR:
		k.proliferative = r.IntN(100) < 35
		k.dme = r.IntN(100) < 55
		each(func(e *eyeState, _ bool) {
			e.va = 0.1 + r.Float64()*0.6
			e.bcva = math.Min(1.0, e.va+0.1)
			if k.dme {
				e.cmt = 300 + r.Float64()*250
			}
		})
	case condDryEye:
		each(func(e *eyeState, _ bool) { e.va = 0.6 + r.Float64()*0.6 })
	case condKeratitis:
		k.eyes = k.worse
		k.hsk = r.IntN(100) < 25
		each(func(e *eyeState, a bool) {
			if a {
				e.va = 0.05 + r.Float64()*0.3
			} else {
				e.va = 0.6 + r.Float64()*0.6
			}
		})
	}
	if k.eyes == note.EyeBoth && k.cond != condKeratitis {
		// the worse-seeing eye is operated first
		if k.le.va < k.re.va {
			k.worse = note.EyeLeft
		} else if k.re.va < k.le.va {
			k.worse = note.EyeRight
		}
	}
	return k
}

func (k *clinical) eye(e note.Eye) *eyeState {
	if e == note.EyeLeft {
		return &k.le
	}
	return &k.re
}

// affects reports whether eye e (right or left) has the main disease.
func (k *clinical) affects(e note.Eye) bool {
	return k.eyes == note.EyeBoth || k.eyes == e
}

// advance moves the disease course forward to the next visit.
func (k *clinical) advance(r *rand.Rand, monthsLater float64) {
	jitter := func(x, s float64) float64 { return x + (r.Float64()*2-1)*s }
	for _, e := range []note.Eye{note.EyeRight, note.EyeLeft} {
		s := k.eye(e)
		a := k.affects(e)
		s.iop = jitter(s.iop, 1.5)
		switch k.cond {
		case condMyopia, condHighMyopia:
			s.sphere -= monthsLater * 0.04 * r.Float64()
			s.axial += monthsLater * 0.015 * r.Float64()
			s.va = math.Max(0.05, 1.0/(1+math.Abs(s.sphere)*1.6))
		case condPOAG, condPACG:
			if a && k.treated {
				s.iop = math.Max(11, s.iop*0.8+3)
				s.va = math.Max(0.05, s.va-0.01*monthsLater*r.Float64())
			}
			if a && monthsLater > 6 {
				s.cd = math.Min(0.95, s.cd+0.02*r.Float64())
			}
		case condCataract, condComplCataract:
			if !s.pseudophakic {
				s.va = math.Max(0.02, s.va-0.01*monthsLater*r.Float64())
			}
		case condDR:
			if k.injections > 0 && k.dme {
				s.cmt = math.Max(240, s.cmt*(0.75+r.Float64()*0.2))
				s.va = math.Min(1.0, s.va+0.05*r.Float64())
			}
			k.hba1c = math.Max(5.8, jitter(k.hba1c, 0.5))
		case condKeratitis:
			if a {
				s.va = math.Min(1.0, s.va+0.1+0.1*r.Float64())
			}
		}
		s.iop = math.Min(60, math.Max(8, s.iop))
	}
	k.treated = true
}

// operate records surgery on eye e.
func (k *clinical) operate(r *rand.Rand, e note.Eye) {
	s := k.eye(e)
	switch k.cond {
	case condCataract, condComplCataract, condPACG:
		s.pseudophakic = true
		s.va = 0.5 + r.Float64()*0.5
		s.bcva = math.Min(1.2, s.va+0.1)
		if k.cond == condPACG {
			s.iop = 12 + r.Float64()*6
		}
	case condPOAG:
		s.iop = 9 + r.Float64()*6
	case condHighMyopia:
		s.va = 0.8 + r.Float64()*0.4
	case condDR:
		s.va = math.Min(1, s.va+0.1)
	}
	k.operated = true
}

// vaSteps are the lines of a decimal visual acuity chart.
var vaSteps = []float64{0.02, 0.05, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.5}

func snapVA(v float64) float64 {
	best := vaSteps[0]
	for _, s := range vaSteps {
		if math.Abs(s-v) < math.Abs(best-v) {
			best = s
		}
	}
	return best
}

// surgeryName is the procedure for the condition on eye word ew.
func surgeryName(k *clinical, ew string) string {
	switch k.cond {
	case condCataract, condComplCataract:
		return ew + "白内障超声乳化联合人工晶体植入术"
	case condPOAG:
		return ew + "小梁切除术"
	case condPACG:
		return ew + "白内障超声乳化联合人工晶体植入及房角分离术"
	case condHighMyopia:
		return ew + "有晶状体眼后房型人工晶体（ICL）植入术"
	case condDR:
		return ew + "玻璃体切割联合视网膜激光光凝术"
	}
	return ew + "手术"
}

func surgical(c condition) bool {
	switch c {
	case condCataract, condComplCataract, condPOAG, condPACG, condHighMyopia, condDR:
		return true
	}
	return false
}

// followUpMonths is the typical interval to the next visit.
func followUpMonths(r *rand.Rand, c condition) float64 {
	switch c {
	case condMyopia, condHighMyopia:
		return 3 + r.Float64()*6
	case condPOAG, condPACG:
		return 1 + r.Float64()*4
	case condCataract, condComplCataract:
		return 0.5 + r.Float64()*4
	case condDR:
		return 1 + r.Float64()*2
	case condDryEye:
		return 0.5 + r.Float64()*2
	}
	return 0.2 + r.Float64()*0.4
}
