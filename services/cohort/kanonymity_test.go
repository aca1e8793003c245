package cohort

import (
	"errors"
	"strings"
	"testing"
)

func TestAgeBand(t *testing.T) {
	for _, tc := range []struct {
		rung, age int
		want      string
	}{
		{0, 63, "60-64"}, {0, 65, "65-69"}, {1, 63, "60-69"}, {2, 63, "60-79"}, {2, 85, "80+"},
		{1, 92, "90+"}, {0, 0, "0-4"}, {2, -1, "unknown"},
	} {
		if got := Ladder[tc.rung].AgeBand(tc.age); got != tc.want {
			t.Errorf("%s: AgeBand(%d) = %q, want %q", Ladder[tc.rung].Name, tc.age, got, tc.want)
		}
	}
}

// cohortOf builds parallel ages and sexes: n patients of each (age, sex).
func cohortOf(groups ...struct {
	age, n int
	sex    string
}) (ages []int, sexes []string) {
	for _, g := range groups {
		for range g.n {
			ages = append(ages, g.age)
			sexes = append(sexes, g.sex)
		}
	}
	return
}

type grp = struct {
	age, n int
	sex    string
}

func TestAnonymiseGeneralises(t *testing.T) {
	for _, tc := range []struct {
		name   string
		groups []grp
		k      int
		want   string // rung name, or "" for a refusal
	}{
		{"every 5-year cell holds k", []grp{{61, 10, "male"}, {63, 12, "female"}}, 10, Ladder[0].Name},
		{"5-year cells too small, 10-year cells hold k", []grp{{61, 6, "male"}, {66, 6, "male"}, {62, 10, "female"}}, 10, Ladder[1].Name},
		{"only 20-year bands hold k", []grp{{61, 5, "male"}, {72, 5, "male"}, {45, 4, "female"}, {55, 7, "female"}}, 10, Ladder[2].Name},
		{"the oldest are top-coded together", []grp{{84, 4, "female"}, {91, 6, "female"}, {30, 10, "male"}}, 10, Ladder[2].Name},
		{"unknown age is its own group", []grp{{-1, 10, "unknown"}, {50, 10, "male"}}, 10, Ladder[0].Name},
		{"a lone patient cannot be hidden", []grp{{61, 30, "male"}, {35, 1, "female"}}, 10, ""},
		{"a cohort below k is refused", []grp{{61, 9, "male"}}, 10, ""},
		{"k=1 accepts anything at once", []grp{{61, 1, "male"}}, 1, Ladder[0].Name},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ages, sexes := cohortOf(tc.groups...)
			g, err := Anonymise(ages, sexes, tc.k)
			if tc.want != "" {
				if err != nil || g.Name != tc.want {
					t.Fatalf("got %q %v, want %q", g.Name, err, tc.want)
				}
				return
			}
			var ke *KAnonymityError
			if !errors.As(err, &ke) {
				t.Fatalf("got %q %v, want a refusal", g.Name, err)
			}
			msg := err.Error()
			for _, must := range []string{"age_band, sex", "k", "refused"} {
				if !strings.Contains(msg, must) {
					t.Errorf("message %q lacks %q", msg, must)
				}
			}
			// The message names quasi-identifiers and k, never a value.
			for _, never := range []string{"female", "male", "35", "30-", "60-", "80+"} {
				if strings.Contains(msg, never) {
					t.Errorf("message %q reveals %q", msg, never)
				}
			}
		})
	}
}
