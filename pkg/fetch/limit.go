package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// PauseError is returned, without a request being sent, while a host is
// paused: it answered 429, or 503 with Retry-After, and the wait it asked for
// is not over. Every source on that host shares the pause.
type PauseError struct {
	Host  string
	Until time.Time
}

func (e *PauseError) Error() string {
	return fmt.Sprintf("fetch: %s asked to wait until %s (Retry-After)", e.Host, e.Until.UTC().Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, ErrHostPaused) true.
func (e *PauseError) Unwrap() error { return ErrHostPaused }

// Remaining is how long the pause still lasts at now.
func (e *PauseError) Remaining(now time.Time) time.Duration { return max(e.Until.Sub(now), 0) }

// hostLimiter bounds concurrent requests to one host, spaces their starts
// by at least 1/rate, and holds them all while the host asked to wait.
type hostLimiter struct {
	host  string
	sem   chan struct{}
	every time.Duration

	mu          sync.Mutex
	next        time.Time     // earliest start of the next request
	pausedUntil time.Time     // no request before this (Retry-After)
	pauseStart  chan struct{} // closed (and replaced) when a pause starts or grows
}

// limiter returns the limiter of host (a lower-case host name without port:
// http and https of one site, or two ports of one machine, are one host).
func (f *Fetcher) limiter(host string) *hostLimiter {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.hosts[host]
	if !ok {
		l = &hostLimiter{host: host, sem: make(chan struct{}, f.opts.PerHostConcurrency), pauseStart: make(chan struct{})}
		if f.opts.PerHostRate > 0 {
			l.every = time.Duration(float64(time.Second) / f.opts.PerHostRate)
		}
		f.hosts[host] = l
	}
	return l
}

// pause holds every request to the host until until; a shorter pause does
// not cut a longer one. Requests already waiting for a slot or for the rate
// are woken and fail with a *PauseError.
func (l *hostLimiter) pause(until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.pausedUntil) {
		l.pausedUntil = until
		close(l.pauseStart)
		l.pauseStart = make(chan struct{})
	}
}

// paused returns a *PauseError while the host is paused at now.
func (l *hostLimiter) paused(now time.Time) error {
	_, err := l.check(now)
	return err
}

// check returns a *PauseError while the host is paused at now; otherwise
// the channel that is closed when a pause starts.
func (l *hostLimiter) check(now time.Time) (<-chan struct{}, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.pausedUntil) {
		return nil, &PauseError{Host: l.host, Until: l.pausedUntil}
	}
	return l.pauseStart, nil
}

// acquire waits for a concurrency slot and the host's rate; the returned
// func releases the slot. It fails with a *PauseError while the host is
// paused: at once, or as soon as a pause starts while it waits (another
// request to the host answered 429 or 503 with Retry-After).
func (l *hostLimiter) acquire(ctx context.Context) (func(), error) {
	paused, err := l.check(time.Now())
	if err != nil {
		return nil, err
	}
	select {
	case l.sem <- struct{}{}:
	case <-paused:
		return nil, l.pauseError()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-l.sem }
	if err := l.pace(ctx); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// pace waits for the host's rate and then checks its pause: a request (or a
// redirect hop) starts at least 1/rate after the previous one to the host,
// and never while the host is paused, even if the pause began during the
// wait.
func (l *hostLimiter) pace(ctx context.Context) error {
	paused, err := l.check(time.Now())
	if err != nil {
		return err
	}
	if l.every > 0 {
		l.mu.Lock()
		now := time.Now()
		start := l.next
		if start.Before(now) {
			start = now
		}
		l.next = start.Add(l.every)
		l.mu.Unlock()
		if wait := start.Sub(now); wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			select {
			case <-t.C:
			case <-paused:
				return l.pauseError()
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return l.paused(time.Now())
}

// pauseError is the *PauseError of the pause that woke a waiting request.
func (l *hostLimiter) pauseError() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return &PauseError{Host: l.host, Until: l.pausedUntil}
}

// Throttled reports whether err says the host asked to be left alone: a 429
// or 503 answer, or a pause one of them started. wait is how long at least
// (0 when the host named no time). Callers stop fetching from the host
// instead of trying the next page or mirror on it.
func Throttled(err error, now time.Time) (wait time.Duration, ok bool) {
	var pe *PauseError
	if errors.As(err, &pe) {
		return pe.Remaining(now), true
	}
	var se *StatusError
	if errors.As(err, &se) {
		switch se.Status {
		case http.StatusTooManyRequests:
			if se.RetryAfter == 0 {
				return DefaultTooManyRequestsPause, true
			}
			return se.RetryAfter, true
		case http.StatusServiceUnavailable:
			return se.RetryAfter, true
		}
	}
	return 0, false
}
