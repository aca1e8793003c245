// Package stage defines what a pipeline stage is: a small type with one
// Process method that adds its layer to a note. The runner (package runner)
// owns everything else: fetching, concurrency, acks, retries, dead letters.
package stage

import (
	"context"
	"errors"
	"fmt"

	"bingli/services/note"
)

// Stage processes one note in place.
type Stage interface {
	// Name is the stage name used for subjects, consumers and metrics.
	Name() string
	// Version is recorded in each note's provenance.
	Version() string
	// Process adds the stage's layer to n. An error wrapping ErrBadInput is
	// permanent (dead-lettered at once); any other error is retried.
	Process(ctx context.Context, n *note.Note) error
}

// ErrBadInput marks a permanent, input-caused failure.
var ErrBadInput = errors.New("bad input")

// BadInput returns a permanent error with a reason. The reason must never
// contain note text or identifiers: it is logged and dead-lettered.
func BadInput(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadInput, fmt.Sprintf(format, args...))
}
