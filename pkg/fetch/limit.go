package fetch

import (
	"context"
	"sync"
	"time"
)

// hostLimiter bounds concurrent requests to one host and spaces their starts
// by at least 1/rate.
type hostLimiter struct {
	sem   chan struct{}
	every time.Duration

	mu   sync.Mutex
	next time.Time // earliest start of the next request
}

func (f *Fetcher) limiter(host string) *hostLimiter {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.hosts[host]
	if !ok {
		l = &hostLimiter{sem: make(chan struct{}, f.opts.PerHostConcurrency)}
		if f.opts.PerHostRate > 0 {
			l.every = time.Duration(float64(time.Second) / f.opts.PerHostRate)
		}
		f.hosts[host] = l
	}
	return l
}

// acquire waits for a concurrency slot and the host's rate; the returned
// func releases the slot.
func (l *hostLimiter) acquire(ctx context.Context) (func(), error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-l.sem }
	if l.every <= 0 {
		return release, nil
	}
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
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	return release, nil
}
