package runner

import (
	"encoding/json"
	"errors"
	"fmt"
)

// safeReason describes a decoding error without quoting the input: JSON
// syntax errors name the offending character, which may be note text.
func safeReason(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("invalid JSON at byte %d", syn.Offset)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("field %q has the wrong type (%s)", typ.Field, typ.Value)
	}
	var unsup *json.UnsupportedValueError
	if errors.As(err, &unsup) {
		return "unsupported value"
	}
	return err.Error()
}
