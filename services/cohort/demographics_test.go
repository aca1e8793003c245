package cohort

import (
	"testing"

	"bingli/services/note"
)

func TestNoteDemographics(t *testing.T) {
	for _, tc := range []struct {
		text string
		sex  string
		age  int
	}{
		{"姓名：〔姓名〕  性别：男  年龄：65岁  病案号：〔病案号〕", "male", 65},
		{"姓名：〔姓名〕\n性别：女\n年龄：7岁\n", "female", 7},
		{"就诊日期：〔日期〕\n患者〔姓名〕，女，43岁。", "female", 43},
		{"患者张某，男，≥90岁。", "male", 90},
		{"性 别：女 年 龄：58 岁", "female", 58},
		{"主诉：双眼视物模糊半年。", "", -1},
		{"男性患者，自述3年前开始视力下降。", "male", -1},
	} {
		d := NoteDemographics(&note.Note{Text: tc.text})
		if d.Sex != tc.sex || d.Age != tc.age {
			t.Errorf("%q: sex %q age %d, want %q %d", tc.text, d.Sex, d.Age, tc.sex, tc.age)
		}
	}
}

func TestDemographicsMergeAndAgeAt(t *testing.T) {
	d := Demographics{Age: -1}
	d.Merge(Demographics{Age: -1, AgeDate: "2020-01-01"})
	d.Merge(Demographics{Sex: "female", Age: 62, AgeDate: "2021-06-01"})
	d.Merge(Demographics{Sex: "male", Age: 60, AgeDate: "2019-05-01"}) // earlier note: its age wins, sex stays the first stated
	if d.Sex != "female" || d.Age != 60 || d.AgeDate != "2019-05-01" {
		t.Fatalf("merged %+v", d)
	}
	for _, tc := range []struct {
		date string
		want int
	}{
		{"2019-05-01", 60}, {"2021-05-02", 62}, {"2017-04-30", 58}, {"bad", 60}, {"2060-01-01", 90},
	} {
		if got := d.AgeAt(tc.date); got != tc.want {
			t.Errorf("AgeAt(%s) = %d, want %d", tc.date, got, tc.want)
		}
	}
	if (Demographics{Age: -1}).AgeAt("2020-01-01") != -1 {
		t.Fatal("unknown age became known")
	}
}
