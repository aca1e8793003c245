package csvrow

import (
	"reflect"
	"testing"
)

type row struct {
	ID    int64    `parquet:"id"`
	Name  string   `parquet:"name,optional"`
	Value *float64 `parquet:"value,optional"`
	Count int32    `parquet:"count"`
}

func TestColumnsAndValues(t *testing.T) {
	if got := Columns(reflect.TypeFor[row]()); !reflect.DeepEqual(got, []string{"id", "name", "value", "count"}) {
		t.Fatalf("Columns = %q", got)
	}
	v := 0.25
	for _, c := range []struct {
		r    row
		want []string
	}{
		{row{ID: 7, Name: "右眼", Value: &v, Count: 3}, []string{"7", "右眼", "0.25", "3"}},
		{row{ID: -1}, []string{"-1", "", "", "0"}},
	} {
		if got := Values(reflect.ValueOf(c.r)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Values(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}
