package cohort

import (
	"fmt"
	"strconv"
	"strings"
)

// Generalisation is one rung of the ladder a record-level export climbs
// until every combination of quasi-identifiers is shared by at least k
// patients.
type Generalisation struct {
	// Name says what the rung keeps.
	Name string `json:"name"`
	// AgeWidth is the width of the age bands in years; ages at or above
	// TopAge form one band ("80+").
	AgeWidth int `json:"age_band_years"`
	TopAge   int `json:"top_age"`
	// Sex is kept on every rung: dropping it too would leave age alone.
}

// Ladder is tried in order. (Region would be dropped first, but no region
// survives de-identification: addresses become surrogates.)
var Ladder = []Generalisation{
	{Name: "5-year age bands, sex", AgeWidth: 5, TopAge: 90},
	{Name: "10-year age bands, sex", AgeWidth: 10, TopAge: 90},
	{Name: "20-year age bands, sex", AgeWidth: 20, TopAge: 80},
}

// QuasiIdentifierNames are the columns checked for k-anonymity.
var QuasiIdentifierNames = []string{"age_band", "sex"}

// AgeBand is the band of age under g: "60-69", "90+", "unknown".
func (g Generalisation) AgeBand(age int) string {
	switch {
	case age < 0:
		return "unknown"
	case age >= g.TopAge:
		return strconv.Itoa(g.TopAge) + "+"
	}
	lo := age / g.AgeWidth * g.AgeWidth
	return fmt.Sprintf("%d-%d", lo, lo+g.AgeWidth-1)
}

// Sex is the exported sex ("unknown" when not stated).
func Sex(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// KAnonymityError refuses an export: even the coarsest rung leaves
// equivalence classes below k. It names the quasi-identifiers and k,
// never a value.
type KAnonymityError struct {
	K                int
	QuasiIdentifiers []string
	Coarsest         string
	Classes, Small   int
	Patients         int
}

func (e *KAnonymityError) Error() string {
	return fmt.Sprintf("export refused: the %d patients are not %d-anonymous on the quasi-identifiers %s: "+
		"%d of %d groups sharing the same values have fewer than %d patients even with %s; "+
		"select a larger cohort, or ask for aggregate counts (bingli query) instead",
		e.Patients, e.K, strings.Join(e.QuasiIdentifiers, ", "), e.Small, e.Classes, e.K, e.Coarsest)
}

// Anonymise picks the finest rung of Ladder under which every combination
// of (age band, sex) of the patients is shared by at least k of them. ages
// and sexes are parallel (one entry per patient).
func Anonymise(ages []int, sexes []string, k int) (Generalisation, error) {
	var classes, small int
	for _, g := range Ladder {
		counts := map[string]int{}
		for i, a := range ages {
			counts[g.AgeBand(a)+"|"+Sex(sexes[i])]++
		}
		classes, small = len(counts), 0
		for _, n := range counts {
			if n < k {
				small++
			}
		}
		if small == 0 {
			return g, nil
		}
	}
	return Generalisation{}, &KAnonymityError{K: k, QuasiIdentifiers: QuasiIdentifierNames, Coarsest: Ladder[len(Ladder)-1].Name,
		Classes: classes, Small: small, Patients: len(ages)}
}
