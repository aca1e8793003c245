package bus

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPersistRetriesUntilAnswered(t *testing.T) {
	calls := 0
	err := Persist(context.Background(), nil, "probe", func(ctx context.Context) error {
		calls++
		if _, ok := ctx.Deadline(); !ok {
			t.Error("a try without a deadline")
		}
		if calls < 3 {
			return context.DeadlineExceeded
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls, want nil after 3", err, calls)
	}
}

func TestPersistStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Persist(ctx, nil, "probe", func(context.Context) error { return errors.New("no answer") })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the context's", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("went on %s after its context ended", time.Since(start))
	}
}
