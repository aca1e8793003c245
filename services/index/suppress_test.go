package index

import "testing"

func TestComplementSuppression(t *testing.T) {
	bs := Suppress(map[string]int{"2021": 40, "2022": 12, "2023": 3}, 10)
	bs = Complement(bs)
	want := []Bucket{{Key: "2021", Count: 40}, {Key: "2022", Suppressed: true}, {Key: "2023", Suppressed: true}}
	for i := range want {
		if bs[i] != want[i] {
			t.Fatalf("buckets %+v, want %+v", bs, want)
		}
	}
	// Two suppressed cells already protect each other; none suppressed needs nothing.
	two := Complement(Suppress(map[string]int{"a": 40, "b": 2, "c": 3}, 10))
	if two[0].Suppressed {
		t.Fatalf("%+v: the large cell need not be suppressed", two)
	}
	none := Complement(Suppress(map[string]int{"a": 40, "b": 20}, 10))
	if none[0].Suppressed || none[1].Suppressed {
		t.Fatalf("%+v", none)
	}
}
