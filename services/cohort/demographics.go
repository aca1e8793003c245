package cohort

import (
	"regexp"
	"strconv"
	"time"

	"bingli/services/note"
)

// Demographics are the quasi-identifiers a de-identified note still holds
// in its text: sex, and age below 90 (de-identification replaces ages of
// 90 and over with "≥90岁" and addresses with surrogates, so no region
// survives it).
type Demographics struct {
	// Sex is "male", "female" or "" (not stated).
	Sex string `json:"sex,omitempty"`
	// Age in years at AgeDate, -1 when not stated; 90 stands for "90 or
	// over".
	Age     int    `json:"age"`
	AgeDate string `json:"-"`
}

var (
	// 性别：男 | 患者XX，女，65岁 | 男性
	sexRe = regexp.MustCompile(`性\s*别\s*[：:]\s*(男|女)|[，,]\s*(男|女)\s*[，,]|(男|女)性`)
	// 年龄：65岁 | ，65岁 | 65 岁 | ≥90岁
	ageRe = regexp.MustCompile(`(≥\s*90|(?:年\s*龄\s*[：:]\s*)?(\d{1,3}))\s*(?:周)?岁`)
)

// NoteDemographics reads sex and age from one de-identified note's text.
func NoteDemographics(n *note.Note) Demographics {
	d := Demographics{Age: -1, AgeDate: n.VisitDate}
	if m := sexRe.FindStringSubmatch(n.Text); m != nil {
		switch m[1] + m[2] + m[3] {
		case "男":
			d.Sex = "male"
		case "女":
			d.Sex = "female"
		}
	}
	if m := ageRe.FindStringSubmatch(n.Text); m != nil {
		if m[2] == "" {
			d.Age = 90
		} else if a, err := strconv.Atoi(m[2]); err == nil && a < 130 {
			d.Age = min(a, 90)
		}
	}
	return d
}

// Merge folds a later-read note's demographics into a patient's: sex from
// the first note that states it, age from the earliest dated note that
// states it (ages grow; the cohort's age is age at first stated visit).
func (d *Demographics) Merge(o Demographics) {
	if d.Sex == "" {
		d.Sex = o.Sex
	}
	if o.Age < 0 {
		return
	}
	if d.Age < 0 || o.AgeDate != "" && (d.AgeDate == "" || o.AgeDate < d.AgeDate) {
		d.Age, d.AgeDate = o.Age, o.AgeDate
	}
}

// AgeAt returns the age at date (YYYY-MM-DD), counted on (or back) from
// the stated one, or -1. Ages of 90 and over stay 90.
func (d Demographics) AgeAt(date string) int {
	if d.Age < 0 {
		return -1
	}
	from, err1 := time.Parse(time.DateOnly, d.AgeDate)
	to, err2 := time.Parse(time.DateOnly, date)
	if err1 != nil || err2 != nil {
		return d.Age
	}
	years := int(to.Sub(from).Hours() / 24 / 365.25) // truncates toward zero either way
	return max(0, min(90, d.Age+years))
}
