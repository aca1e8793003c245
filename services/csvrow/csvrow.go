// Package csvrow turns structs tagged for Parquet (parquet-go's `parquet:"name"`
// tags) into CSV: the header from the tags, each row's values as strings.
// The OMOP export and the cohort datasets write the same rows as Parquet
// and CSV through it.
package csvrow

import (
	"reflect"
	"strconv"
	"strings"
)

// Columns are the parquet tag names of a row type: the CSV header.
func Columns(rt reflect.Type) []string {
	cols := make([]string, rt.NumField())
	for i := range cols {
		cols[i], _, _ = strings.Cut(rt.Field(i).Tag.Get("parquet"), ",")
	}
	return cols
}

// Values are a row's fields as CSV cells: integers and floats in their
// shortest form, a nil pointer as an empty cell.
func Values(v reflect.Value) []string {
	out := make([]string, v.NumField())
	for i := range out {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				continue
			}
			f = f.Elem()
		}
		switch f.Kind() {
		case reflect.Int, reflect.Int64, reflect.Int32:
			out[i] = strconv.FormatInt(f.Int(), 10)
		case reflect.Float64, reflect.Float32:
			out[i] = strconv.FormatFloat(f.Float(), 'g', -1, 64)
		default:
			out[i] = f.String()
		}
	}
	return out
}
