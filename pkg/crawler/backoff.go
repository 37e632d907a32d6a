package crawler

import (
	"math/rand/v2"
	"time"
)

// Schedule bounds.
const (
	DefaultMaxBackoff = 30 * time.Minute
	jitterFraction    = 0.1 // ±10% on the regular interval
)

// nextDelay is the wait before the next poll of a source: the interval with
// ±10% jitter after a success; after n consecutive failures, exponential
// backoff interval·2^(n-1) capped at max, with "equal jitter" (half fixed,
// half random). Never less than the server's Retry-After, which a successful
// poll can carry too (an article page answered 429).
func nextDelay(interval time.Duration, failures int, retryAfter, max time.Duration) time.Duration {
	if failures <= 0 {
		j := time.Duration((rand.Float64()*2 - 1) * jitterFraction * float64(interval))
		return max2(interval+j, retryAfter)
	}
	d := interval
	for i := 1; i < failures && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	d = d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
	return max2(d, retryAfter)
}

func max2(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}

// delayWindow is the range nextDelay draws from, for the logs: when the
// next poll is due.
func delayWindow(interval time.Duration, failures int, retryAfter, max time.Duration) (lo, hi time.Duration) {
	if failures <= 0 {
		j := time.Duration(jitterFraction * float64(interval))
		return max2(interval-j, retryAfter), max2(interval+j, retryAfter)
	}
	d := interval
	for i := 1; i < failures && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return max2(d/2, retryAfter), max2(d, retryAfter)
}
