// Package fetch is the crawler's polite HTTP client: conditional requests,
// gzip, per-host concurrency and rate limits, bounded bodies and redirects
// restricted to configured hosts, Retry-After, and charset conversion to UTF-8.
package fetch
