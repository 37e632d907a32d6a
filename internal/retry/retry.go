// Package retry runs an operation again until it succeeds, waiting an
// exponential backoff (github.com/cenkalti/backoff) between attempts, for as
// long as its context lasts: the one retry helper of every loop that waits
// for Kafka or a site.
package retry

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Policy is a backoff schedule: Initial after the first failure, doubled
// after each further one up to Max; each wait is drawn within ±Jitter (a
// fraction, 0 for none) of that.
type Policy struct {
	Initial, Max time.Duration
	Jitter       float64
}

// Backoff returns p's schedule, for a loop that is not one operation: call
// its NextBackOff for each wait and Reset after a success.
func (p Policy) Backoff() *backoff.ExponentialBackOff {
	b := &backoff.ExponentialBackOff{InitialInterval: p.Initial, RandomizationFactor: p.Jitter, Multiplier: 2, MaxInterval: p.Max}
	b.Reset()
	return b
}

// Do calls fn until it returns nil or a Permanent error, waiting p's
// schedule between attempts; no attempt starts once ctx is done. notify, if
// set, is told of each failure that will be retried: the attempt (from 1),
// its error and the wait before the next. Do returns nil, the error
// Permanent wrapped, or, once ctx is done, ctx's error joined with the last
// failure.
func Do(ctx context.Context, p Policy, fn func() error, notify func(attempt int, err error, wait time.Duration)) error {
	var last error
	attempt := 0
	_, err := backoff.Retry(ctx, func() (struct{}, error) {
		if err := ctx.Err(); err != nil {
			return struct{}{}, backoff.Permanent(err)
		}
		attempt++
		last = fn()
		return struct{}{}, last
	}, backoff.WithBackOff(p.Backoff()), backoff.WithMaxElapsedTime(0), backoff.WithNotify(func(err error, wait time.Duration) {
		if notify != nil {
			notify(attempt, err, wait)
		}
	}))
	if err != nil && ctx.Err() != nil {
		var perm *backoff.PermanentError
		if errors.As(last, &perm) {
			last = perm.Err
		}
		return errors.Join(last, ctx.Err())
	}
	return err
}

// Permanent wraps err so that Do returns it at once, without retrying.
func Permanent(err error) error { return backoff.Permanent(err) }

// Sleep waits d and reports true, or reports false once ctx is done.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
