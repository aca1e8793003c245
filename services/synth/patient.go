package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"bingli/services/note"
)

// archive is the hospital the notes come from: its name, doctors, and the
// other hospitals patients were referred from.
type archive struct {
	hospital  string
	home      region
	doctors   []person
	externals []string
}

var hospitalSuffixes = []string{"第一人民医院", "第二人民医院", "中心医院", "人民医院", "中医院", "眼科医院", "第三人民医院"}

func newArchive(seed int64) *archive {
	r := rand.New(rand.NewPCG(uint64(seed), 0xa5c417e))
	home := regions[r.IntN(len(regions))]
	a := &archive{home: home}
	a.hospital = home.city + []string{"眼科医院", "第一人民医院", "中心医院"}[r.IntN(3)]
	if r.IntN(3) == 0 {
		a.hospital = strings.TrimSuffix(home.province, "省") + "省人民医院"
		if home.province == home.city || strings.HasSuffix(home.province, "区") {
			a.hospital = home.city + "第一人民医院"
		}
	}
	for i := 0; i < 40; i++ {
		a.doctors = append(a.doctors, newPerson(r, r.IntN(2) == 0, nil))
	}
	seen := map[string]bool{a.hospital: true}
	for len(a.externals) < 30 {
		reg := regions[r.IntN(len(regions))]
		h := reg.city + hospitalSuffixes[r.IntN(len(hospitalSuffixes))]
		if r.IntN(4) == 0 {
			h = reg.district + "人民医院"
		}
		if !seen[h] {
			seen[h] = true
			a.externals = append(a.externals, h)
		}
	}
	return a
}

func (a *archive) external(r *rand.Rand) string { return a.externals[r.IntN(len(a.externals))] }

// patientRand is the random source of patient idx: each patient is the same
// for a seed whatever the number of patients generated.
func patientRand(seed int64, idx int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(idx)*0x9e3779b97f4a7c15+1))
}

var firstVisitFrom = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

// patient generates one patient and all of their notes, in visit order.
func (a *archive) patient(seed int64, idx, meanVisits int) (*identity, []GoldNote, *rand.Rand) {
	r := patientRand(seed, idx)
	cond := drawCondition(r)
	age := drawAge(r, cond)
	first := firstVisitFrom.AddDate(0, 0, r.IntN(9*365))
	dob := first.AddDate(-age, 0, -1-r.IntN(364))
	male := r.IntN(100) < 50
	if cond == condPACG {
		male = r.IntN(100) < 30
	}
	home := regions[r.IntN(len(regions))]
	if r.IntN(100) < 55 {
		var local []region
		for _, reg := range regions {
			if reg.city == a.home.city {
				local = append(local, reg)
			}
		}
		home = local[r.IntN(len(local))]
	}
	id := newIdentity(r, idx, male, dob, first, home)
	k := newClinical(r, cond, age)
	n := 1 + r.IntN(2*meanVisits-1)
	surgery := -1
	if surgical(cond) && (cond != condDR || k.proliferative) && n >= 3 && r.IntN(100) < 65 {
		if n == 3 {
			surgery = 0
		} else {
			surgery = 1 + r.IntN(n-3)
		}
	}
	opEye := k.worse
	if k.eyes != note.EyeBoth {
		opEye = k.eyes
	}
	doctor := a.doctors[r.IntN(len(a.doctors))]
	var b builder
	notes := make([]GoldNote, 0, n)
	date := first
	var admit, opDate time.Time
	inpNo := ""
	bed := 0
	for v := 0; v < n; v++ {
		typ := TypeFollowUp
		switch {
		case surgery >= 0 && v == surgery:
			typ = TypeAdmission
			admit = date
			inpNo = fmt.Sprintf("ZY%d%06d", date.Year(), r.IntN(1000000))
			if r.IntN(3) == 0 {
				inpNo = fmt.Sprintf("%d%05d", date.Year()%100*10+1, r.IntN(100000))
			}
			bed = 1 + r.IntN(60)
		case surgery >= 0 && v == surgery+1:
			typ = TypeOperation
			opDate = date
			k.opDate = date
		case surgery >= 0 && v == surgery+2:
			typ = TypeDischarge
		case v == 0:
			typ = TypeOutpatient
		}
		nl := "\n"
		if r.IntN(100) < 15 {
			nl = " "
		}
		b.reset()
		c := &noteCtx{r: r, b: &b, a: a, id: &id, k: &k, typ: typ, date: date,
			age: yearsBetween(dob, date), nl: nl, doctor: doctor, first: v == 0,
			opEye: opEye, admit: admit, opDate: opDate, inpNo: inpNo, bed: bed}
		if r.IntN(100) < 25 {
			c.doctor = a.doctors[r.IntN(len(a.doctors))]
		}
		surgeryNext := surgery >= 0 && v == surgery-1
		switch typ {
		case TypeOutpatient:
			c.outpatient(surgeryNext)
		case TypeFollowUp:
			c.followUp(surgeryNext)
		case TypeAdmission:
			c.admission()
		case TypeOperation:
			c.operation()
			k.operate(r, opEye)
		case TypeDischarge:
			c.discharge()
		}
		notes = append(notes, GoldNote{
			ID:           fmt.Sprintf("EMR%07d%02d", idx, v),
			PatientID:    id.recordNo,
			VisitDate:    date.Format("2006-01-02"),
			NoteType:     typ,
			Text:         b.String(),
			PHI:          nonNil(b.phi),
			Diagnoses:    nonNil(b.dx),
			Measurements: nonNil(b.meas),
		})
		// the next visit
		switch {
		case surgery >= 0 && v == surgery:
			date = date.AddDate(0, 0, 1)
		case surgery >= 0 && v == surgery+1:
			date = date.AddDate(0, 0, 1+r.IntN(3))
		default:
			months := followUpMonths(r, cond)
			if surgery >= 0 && v == surgery+2 {
				months = 0.25
			}
			date = date.AddDate(0, 0, 1+int(months*30))
			k.advance(r, months)
		}
	}
	return &id, notes, r
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
