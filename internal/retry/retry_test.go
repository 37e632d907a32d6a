package retry_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/readout/readout/internal/retry"
)

var quick = retry.Policy{Initial: time.Millisecond, Max: 4 * time.Millisecond}

// Do calls again until the operation succeeds, telling notify of each
// failure with its attempt number and the wait, doubled up to Max.
func TestDoRetriesUntilSuccess(t *testing.T) {
	calls := 0
	var attempts []int
	var waits []time.Duration
	err := retry.Do(context.Background(), quick, func() error {
		if calls++; calls < 5 {
			return fmt.Errorf("failure %d", calls)
		}
		return nil
	}, func(attempt int, err error, wait time.Duration) {
		if want := fmt.Sprintf("failure %d", attempt); err.Error() != want {
			t.Errorf("attempt %d told %q, want %q", attempt, err, want)
		}
		attempts = append(attempts, attempt)
		waits = append(waits, wait)
	})
	if err != nil || calls != 5 {
		t.Fatalf("Do = %v after %d calls, want nil after 5", err, calls)
	}
	want := []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond, 4 * time.Millisecond}
	if fmt.Sprint(attempts) != "[1 2 3 4]" || fmt.Sprint(waits) != fmt.Sprint(want) {
		t.Errorf("notified attempts %v waits %v, want [1 2 3 4] %v", attempts, waits, want)
	}
}

// A Permanent error ends Do at once with its cause.
func TestDoStopsAtPermanent(t *testing.T) {
	cause := errors.New("generation ended")
	calls := 0
	err := retry.Do(context.Background(), quick, func() error {
		calls++
		return retry.Permanent(cause)
	}, func(int, error, time.Duration) { t.Error("a permanent error was retried") })
	if err != cause || calls != 1 {
		t.Errorf("Do = %v after %d calls, want the cause after 1", err, calls)
	}
}

// Once ctx is done no attempt starts, and the error says both why it
// stopped and what failed last.
func TestDoStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	last := errors.New("broker away")
	calls := 0
	err := retry.Do(ctx, retry.Policy{Initial: time.Hour, Max: time.Hour}, func() error {
		calls++
		return last
	}, func(int, error, time.Duration) { cancel() })
	if !errors.Is(err, context.Canceled) || !errors.Is(err, last) || calls != 1 {
		t.Errorf("Do = %v after %d calls, want canceled and the last failure after 1", err, calls)
	}
	if err := retry.Do(ctx, quick, func() error { calls++; return nil }, nil); !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("Do on a done context = %v, %d calls; want canceled and no call", err, calls-1)
	}
}

// With Jitter each wait is drawn within ±Jitter of the doubled interval.
func TestBackoffJitterWindow(t *testing.T) {
	b := retry.Policy{Initial: 100 * time.Millisecond, Max: 400 * time.Millisecond, Jitter: 0.5}.Backoff()
	for i, base := range []time.Duration{100, 200, 400, 400, 400} {
		base *= time.Millisecond
		if d := b.NextBackOff(); d < base/2 || d > base*3/2+1 {
			t.Errorf("wait %d: %v, want within [%v, %v]", i+1, d, base/2, base*3/2)
		}
	}
}

func TestSleep(t *testing.T) {
	if !retry.Sleep(context.Background(), time.Millisecond) {
		t.Error("Sleep reported a done context")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if retry.Sleep(ctx, time.Hour) {
		t.Error("Sleep waited out a done context")
	}
}
