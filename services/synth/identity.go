package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// person is a fake person: a patient, a relative or a doctor.
type person struct {
	name, pinyin string
	male         bool
}

var maleChars, femaleChars []givenChar

func init() {
	for _, c := range givenChars {
		if c.sex != 'f' {
			maleChars = append(maleChars, c)
		}
		if c.sex != 'm' {
			femaleChars = append(femaleChars, c)
		}
	}
}

// newPerson draws a name; sn, when not nil, fixes the surname (a child
// takes the father's).
func newPerson(r *rand.Rand, male bool, sn *surname) person {
	s := surnames[r.IntN(len(surnames))]
	if sn != nil {
		s = *sn
	}
	chars := femaleChars
	if male {
		chars = maleChars
	}
	n := 1
	if r.IntN(100) < 70 {
		n = 2
	}
	name, py := s.han, s.pinyin
	for i := 0; i < n; i++ {
		c := chars[r.IntN(len(chars))]
		name += c.han
		py += c.pinyin
	}
	return person{name: name, pinyin: py, male: male}
}

func (p person) surname() surname {
	for _, s := range surnames {
		if strings.HasPrefix(p.name, s.han) && len([]rune(s.han)) == 2 {
			return s
		}
	}
	for _, s := range surnames {
		if strings.HasPrefix(p.name, s.han) {
			return s
		}
	}
	return surnames[0]
}

// relative is a family member named as a contact.
type relative struct {
	relation string // 其子, 其女, 其妻, 其夫, 其母, 其父
	person
	mobile string
}

// address is a home address; parts are combined into several written forms.
type address struct {
	region
	subdistrict, road, number, estate, building, unit, room string
}

// identity is everything identifying about a patient. It stays the same
// across all of the patient's notes; only the written form varies.
type identity struct {
	person
	dob        time.Time
	ethnicity  string
	idNumber   string // 18 digits
	mobile     string // 11 digits
	landline   string // area code + local number, "" when none
	addr       address
	birthplace region
	occupation string
	employer   string // "" when none (retired, farmer, ...)
	email      string
	wechat     string
	qq         string
	plate      string
	married    bool
	contact    relative
	recordNo   string // 病案号: the archive's patient_id
	clinicNo   string // 门诊号
}

func newMobile(r *rand.Rand) string {
	return mobilePrefixes[r.IntN(len(mobilePrefixes))] + fmt.Sprintf("%08d", r.IntN(100000000))
}

// newIdentity draws a patient; idx makes the record number unique.
func newIdentity(r *rand.Rand, idx int, male bool, dob, firstVisit time.Time, home region) identity {
	p := newPerson(r, male, nil)
	id := identity{person: p, dob: dob, ethnicity: ethnicities[r.IntN(len(ethnicities))]}
	id.idNumber = residentID(home.code, dob, male, r.IntN(1000))
	if r.IntN(100) < 85 {
		id.birthplace = home
	} else {
		id.birthplace = regions[r.IntN(len(regions))]
	}
	id.mobile = newMobile(r)
	if r.IntN(100) < 35 {
		id.landline = home.areaCode + "-" + fmt.Sprintf("%d%07d", 2+r.IntN(7), r.IntN(10000000))
	}
	id.addr = address{
		region:      home,
		subdistrict: subdistricts[r.IntN(len(subdistricts))],
		road:        roads[r.IntN(len(roads))],
		number:      fmt.Sprintf("%d号", 1+r.IntN(399)),
		estate:      estatePrefixes[r.IntN(len(estatePrefixes))] + estateSuffixes[r.IntN(len(estateSuffixes))],
		building:    fmt.Sprintf("%d", 1+r.IntN(32)),
		unit:        fmt.Sprintf("%d", 1+r.IntN(6)),
		room:        fmt.Sprintf("%d%02d", 1+r.IntN(28), 1+r.IntN(4)),
	}
	age := yearsBetween(dob, firstVisit)
	city := strings.TrimSuffix(home.city, "市")
	switch {
	case age < 19:
		id.occupation = "学生"
		if age < 13 {
			id.employer = home.district + "实验小学"
		} else {
			id.employer = fmt.Sprintf("%s第%s中学", home.city, chineseNumber(1+r.IntN(20)))
		}
	case age < 23:
		id.occupation = "学生"
		id.employer = home.city + []string{"职业技术学院", "理工学院", "师范学院", "医学院"}[r.IntN(4)]
	case age >= 62:
		id.occupation = "退休"
	default:
		id.occupation = occupations[r.IntN(len(occupations))]
		if id.occupation != "农民" && id.occupation != "退休" && id.occupation != "自由职业" && id.occupation != "个体经营" {
			kind := "有限公司"
			if r.IntN(4) == 0 {
				kind = "股份有限公司"
			}
			id.employer = city + companyBrands[r.IntN(len(companyBrands))] + companyTrades[r.IntN(len(companyTrades))] + kind
			if id.occupation == "教师" {
				id.employer = fmt.Sprintf("%s第%s中学", home.city, chineseNumber(1+r.IntN(20)))
			}
			if id.occupation == "公务员" {
				id.employer = home.district + []string{"人民政府", "市场监督管理局", "税务局", "人民法院"}[r.IntN(4)]
			}
		}
	}
	local := p.pinyin
	switch r.IntN(4) {
	case 0:
		local += fmt.Sprintf("%d", dob.Year())
	case 1:
		local += fmt.Sprintf("%02d%02d", int(dob.Month()), dob.Day())
	case 2:
		local = local[:min(len(local), 4)] + "_" + fmt.Sprintf("%d", 100+r.IntN(900))
	}
	id.email = local + "@" + emailDomains[r.IntN(len(emailDomains))]
	if r.IntN(2) == 0 {
		id.wechat = fmt.Sprintf("wxid_%s%d", randLetters(r, 6), r.IntN(100))
	} else {
		id.wechat = fmt.Sprintf("%s%d", p.pinyin, r.IntN(10000))
	}
	id.qq = fmt.Sprintf("%d", 10000000+r.IntN(3000000000))
	id.plate = plateProvince[home.province] + string(rune('A'+r.IntN(8))) + randPlate(r)
	id.married = age >= 25 && r.IntN(100) < 88
	// contact person
	switch {
	case age < 18:
		if r.IntN(2) == 0 {
			s := p.surname()
			id.contact = relative{relation: "其父", person: newPerson(r, true, &s)}
		} else {
			id.contact = relative{relation: "其母", person: newPerson(r, false, nil)}
		}
	case age >= 60 && r.IntN(100) < 75:
		if r.IntN(2) == 0 {
			var sn *surname
			if male {
				s := p.surname()
				sn = &s
			}
			id.contact = relative{relation: "其子", person: newPerson(r, true, sn)}
		} else {
			id.contact = relative{relation: "其女", person: newPerson(r, false, nil)}
		}
	default:
		if male {
			id.contact = relative{relation: "其妻", person: newPerson(r, false, nil)}
		} else {
			id.contact = relative{relation: "其夫", person: newPerson(r, true, nil)}
		}
	}
	id.contact.mobile = newMobile(r)
	// record numbers: the archive's patient_id, unique by construction
	if r.IntN(100) < 70 {
		id.recordNo = fmt.Sprintf("%010d", 100000+idx*17+r.IntN(17))
	} else {
		id.recordNo = fmt.Sprintf("MR%d%07d", firstVisit.Year(), idx*3+r.IntN(3))
	}
	id.clinicNo = fmt.Sprintf("MZ%s%04d", firstVisit.Format("20060102"), r.IntN(10000))
	return id
}

func randLetters(r *rand.Rand, n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return string(b)
}

func randPlate(r *rand.Rand) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, 5)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
		if i > 0 && r.IntN(3) > 0 {
			b[i] = chars[r.IntN(10)]
		}
	}
	return string(b)
}

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// chineseNumber writes 1..99 in Chinese numerals (十四, 二十).
func chineseNumber(n int) string {
	switch {
	case n <= 10:
		return cnDigits[n]
	case n < 20:
		return "十" + cnDigits[n-10]
	case n%10 == 0:
		return cnDigits[n/10] + "十"
	}
	return cnDigits[n/10] + "十" + cnDigits[n%10]
}

func yearsBetween(from, to time.Time) int {
	y := to.Year() - from.Year()
	if to.YearDay() < from.YearDay() {
		y--
	}
	return y
}

// Written forms of identifiers. Each note picks one, so the same phone or ID
// number appears in different shapes across a patient's notes.

var fullWidth = strings.NewReplacer("0", "０", "1", "１", "2", "２", "3", "３", "4", "４",
	"5", "５", "6", "６", "7", "７", "8", "８", "9", "９")

func formatMobile(r *rand.Rand, m string) string {
	switch x := r.IntN(100); {
	case x < 60:
		return m
	case x < 70:
		return "+86 " + m[:3] + " " + m[3:7] + " " + m[7:]
	case x < 80:
		return m[:3] + "-" + m[3:7] + "-" + m[7:]
	case x < 88:
		return m[:3] + " " + m[3:7] + " " + m[7:]
	case x < 94:
		return fullWidth.Replace(m)
	default:
		return "+86-" + m
	}
}

func formatLandline(r *rand.Rand, l string) string {
	area, num, _ := strings.Cut(l, "-")
	switch x := r.IntN(100); {
	case x < 45:
		return l
	case x < 65:
		return "(" + area + ")" + num
	case x < 80:
		return "（" + area + "）" + num
	case x < 90:
		return "(" + area + ")" + num + "转" + fmt.Sprintf("%d", 100+r.IntN(900))
	default:
		return area + "-" + num + "-" + fmt.Sprintf("%d", 800+r.IntN(200))
	}
}

func formatResidentID(r *rand.Rand, id18 string, dob time.Time) string {
	switch x := r.IntN(100); {
	case x < 10 && dob.Year() < 1985:
		return oldResidentID(id18)
	case x < 22:
		return spacedResidentID(id18)
	case x < 25 && id18[17] == 'X':
		return id18[:17] + "x"
	}
	return id18
}

func (a address) cityPart() string {
	if a.province == a.city {
		return a.city
	}
	return a.province + a.city
}

// formatAddress writes the address in one of several shapes, from the full
// 省/市/区/街道/路/号/小区/栋/单元/室 form down to 区+路+号.
func formatAddress(r *rand.Rand, a address) string {
	bld := a.building + "栋"
	if r.IntN(2) == 0 {
		bld = a.building + "幢"
	}
	switch r.IntN(6) {
	case 0:
		return a.cityPart() + a.district + a.subdistrict + a.road + a.number + a.estate + bld + a.unit + "单元" + a.room + "室"
	case 1:
		return a.city + a.district + a.road + a.number + a.estate + bld + a.room + "室"
	case 2:
		return a.cityPart() + a.district + a.estate + a.building + "-" + a.unit + "-" + a.room
	case 3:
		return a.district + a.road + a.number
	case 4:
		return a.city + a.district + a.subdistrict + a.estate + bld + a.unit + "单元" + a.room
	}
	return a.cityPart() + a.district + a.road + a.number + a.estate + a.building + "号楼" + a.room
}
