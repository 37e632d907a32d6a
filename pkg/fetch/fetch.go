package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/readout/readout/pkg/outbound"
)

// Defaults used when an Options field is zero.
const (
	DefaultUserAgent          = "ReadoutBot/0.1 (+https://github.com/readout/readout)"
	DefaultTimeout            = 30 * time.Second
	DefaultConnectTimeout     = 10 * time.Second
	DefaultMaxBodyBytes       = 10 << 20 // 10 MiB
	DefaultMaxRedirects       = 5
	DefaultPerHostConcurrency = 2
	DefaultPerHostRate        = 1.0 // requests per second
	DefaultRetryAfterCap      = time.Hour
	// DefaultTooManyRequestsPause is how long a host that answered 429
	// without a usable Retry-After is left alone.
	DefaultTooManyRequestsPause = 30 * time.Second
)

// Errors callers branch on.
var (
	ErrHostNotAllowed    = outbound.ErrHostNotAllowed
	ErrTooManyRedirects  = errors.New("fetch: too many redirects")
	ErrBodyTooLarge      = errors.New("fetch: body exceeds limit")
	ErrStatus            = errors.New("fetch: unexpected HTTP status")
	ErrUnsupportedScheme = outbound.ErrScheme
	// ErrHostPaused is wrapped by *PauseError: no request was sent.
	ErrHostPaused = errors.New("fetch: host paused")
)

// StatusError is returned for any status other than 2xx and 304. A 429, or
// a 503 with Retry-After, also pauses the host (see PauseError).
type StatusError struct {
	URL        string
	Status     int
	RetryAfter time.Duration // from Retry-After on 429/503, 0 if absent
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("fetch %s: HTTP %d", e.URL, e.Status)
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Unwrap makes errors.Is(err, ErrStatus) true.
func (e *StatusError) Unwrap() error { return ErrStatus }

// Request is one GET, optionally conditional.
type Request struct {
	URL          string
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since
	// ValidatorsURL is the URL ETag and LastModified were answered for when
	// a request for URL was redirected there (Response.URL); "" means URL
	// itself. The conditional headers follow a redirect only to that URL: a
	// redirect elsewhere asks for the new target in full.
	ValidatorsURL string
	// Hosts, when set, restricts this request and its redirects further
	// than Options.AllowedHosts: a crawler passes the destinations of the
	// source it fetches for.
	Hosts *outbound.Hosts
}

// Response is a fetched document. Body is UTF-8 (converted when the source
// declared or looked like another charset).
type Response struct {
	URL          string // final URL after redirects
	RequestURL   string // Request.URL: the URL asked for, before redirects
	Status       int
	NotModified  bool // 304: Body is empty
	Body         []byte
	ContentType  string
	Charset      string // charset the body was decoded from ("utf-8" when unchanged)
	ReplacedUTF8 int    // invalid UTF-8 sequences replaced by U+FFFD while decoding
	ETag         string
	LastModified string
	RetryAfter   time.Duration
	Bytes        int64 // bytes read from the wire (compressed size when gzip)
}

// Options configure a Fetcher; zero values take the defaults above.
type Options struct {
	UserAgent      string
	Timeout        time.Duration // whole request, including reading the body
	ConnectTimeout time.Duration // TCP connect + TLS handshake
	MaxBodyBytes   int64         // on the decoded body; larger bodies fail with ErrBodyTooLarge
	MaxRedirects   int           // negative: none followed
	// AllowedHosts restricts every request and redirect to these
	// destinations: "host:port" is that port only, a bare host ports 80 and
	// 443 (see outbound.NewHosts). Empty means any host.
	AllowedHosts       []string
	PerHostConcurrency int
	PerHostRate        float64 // requests per second per host; negative: unlimited
	// Transport overrides the HTTP transport (tests, proxies). Its own
	// timeouts then apply instead of ConnectTimeout.
	Transport http.RoundTripper
}

// Fetcher is safe for concurrent use.
type Fetcher struct {
	opts    Options
	client  *http.Client
	allowed *outbound.Hosts // nil: any host

	mu    sync.Mutex
	hosts map[string]*hostLimiter
}

// NewFetcher returns a Fetcher with opts, defaults filled in.
func NewFetcher(opts Options) *Fetcher {
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.PerHostConcurrency <= 0 {
		opts.PerHostConcurrency = DefaultPerHostConcurrency
	}
	if opts.PerHostRate == 0 {
		opts.PerHostRate = DefaultPerHostRate
	}
	f := &Fetcher{opts: opts, hosts: map[string]*hostLimiter{}}
	if len(opts.AllowedHosts) > 0 {
		f.allowed = outbound.NewHosts(opts.AllowedHosts...)
	}
	tr := opts.Transport
	if tr == nil {
		dialer := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
		tr = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   opts.ConnectTimeout,
			ResponseHeaderTimeout: opts.Timeout,
			MaxIdleConnsPerHost:   opts.PerHostConcurrency,
			IdleConnTimeout:       90 * time.Second,
			// We ask for gzip ourselves to count wire bytes and bound the
			// decoded size.
			DisableCompression: true,
		}
	}
	// Fetch follows redirects itself: each hop is its own request, paced by
	// its host's rate and timed by Timeout, so a chain of hops waiting for
	// their turn is not taken for a slow server.
	f.client = &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return f
}

// Allowed reports whether rawURL may be fetched: an http or https URL on
// the fetcher's allowed destinations and on hosts (nil: no further limit).
func (f *Fetcher) Allowed(rawURL string, hosts *outbound.Hosts) bool {
	u, err := url.Parse(rawURL)
	return err == nil && f.checkHost(u, hosts) == nil
}

// checkHost checks u against the fetcher's destinations and hosts.
func (f *Fetcher) checkHost(u *url.URL, hosts *outbound.Hosts) error {
	if err := f.allowed.Check(u); err != nil {
		return err
	}
	return hosts.Check(u)
}

// checkRedirect bounds and checks the hop to next after hops redirects, and
// paces it by its host's rate and pause like any request. The hop does not
// take another concurrency slot: the request holds one already, and a second
// one on the same host could never come with a limit of one.
func (f *Fetcher) checkRedirect(ctx context.Context, next *url.URL, hops int, r Request) error {
	if hops > f.opts.MaxRedirects {
		return fmt.Errorf("%w: %d after %s", ErrTooManyRedirects, hops-1, r.URL)
	}
	if err := f.checkHost(next, r.Hosts); err != nil {
		return fmt.Errorf("redirect to %s refused: %w", next, err)
	}
	if err := f.limiter(strings.ToLower(next.Hostname())).pace(ctx); err != nil {
		return fmt.Errorf("redirect to %s: %w", next, err)
	}
	return nil
}

// do sends GET requests from r.URL, following redirects, each hop with its
// own Timeout; it returns the last response and the cancel func of its
// context, which the caller calls once the body is read.
func (f *Fetcher) do(ctx context.Context, r Request) (*http.Response, context.CancelFunc, error) {
	target := r.ValidatorsURL // where the conditional headers may follow a redirect to
	if target == "" {
		target = r.URL
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, nil, err
	}
	for hops := 0; ; hops++ {
		hctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
		req, err := http.NewRequestWithContext(hctx, http.MethodGet, u.String(), nil)
		if err != nil {
			cancel()
			return nil, nil, err
		}
		req.Header.Set("User-Agent", f.opts.UserAgent)
		req.Header.Set("Accept", "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
		req.Header.Set("Accept-Encoding", "gzip")
		if hops == 0 || u.String() == target {
			if r.ETag != "" {
				req.Header.Set("If-None-Match", r.ETag)
			}
			if r.LastModified != "" {
				req.Header.Set("If-Modified-Since", r.LastModified)
			}
		}
		resp, err := f.client.Do(req)
		if err != nil {
			cancel()
			return nil, nil, err
		}
		loc := resp.Header.Get("Location")
		if !outbound.IsRedirect(resp.StatusCode) || loc == "" {
			return resp, cancel, nil
		}
		next, err := u.Parse(loc)
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		cancel()
		if err != nil {
			return nil, nil, fmt.Errorf("redirect to %q: %w", loc, err)
		}
		if f.opts.MaxRedirects < 0 {
			return nil, nil, fmt.Errorf("%w: redirects are not followed (%s)", ErrTooManyRedirects, next)
		}
		if err := f.checkRedirect(ctx, next, hops+1, r); err != nil {
			return nil, nil, err
		}
		u = next
	}
}

// Fetch performs one GET. A 304 answers NotModified with no error; any other
// non-2xx status returns the Response and a *StatusError. While the host is
// paused (Retry-After) it returns a *PauseError and sends nothing.
func (f *Fetcher) Fetch(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch %q: %w", r.URL, err)
	}
	if err := f.checkHost(u, r.Hosts); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	lim := f.limiter(strings.ToLower(u.Hostname()))
	release, err := lim.acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	defer release()

	resp, cancel, err := f.do(ctx, r)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // drop the duplicated "Get URL:" prefix
		}
		return nil, fmt.Errorf("fetch %s: %w", r.URL, err)
	}
	defer cancel()
	defer resp.Body.Close()

	out := &Response{
		URL:          resp.Request.URL.String(),
		RequestURL:   r.URL,
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			now := time.Now()
			out.RetryAfter = ParseRetryAfter(resp.Header.Get("Retry-After"), now)
			pause := out.RetryAfter
			if pause == 0 && resp.StatusCode == http.StatusTooManyRequests {
				pause = DefaultTooManyRequestsPause
			}
			if pause > 0 {
				lim.pause(now.Add(pause))
			}
		}
		// Drain a little so the connection can be reused.
		n, _ := io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		out.Bytes = n
		return out, &StatusError{URL: r.URL, Status: resp.StatusCode, RetryAfter: out.RetryAfter}
	}

	counter := &countingReader{r: resp.Body}
	var body io.Reader = counter
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(counter)
		if err != nil {
			return out, fmt.Errorf("fetch %s: gzip: %w", r.URL, err)
		}
		defer zr.Close()
		body = zr
	}
	raw, err := io.ReadAll(io.LimitReader(body, f.opts.MaxBodyBytes+1))
	out.Bytes = counter.n
	if err != nil {
		return out, fmt.Errorf("fetch %s: read body: %w", r.URL, err)
	}
	if int64(len(raw)) > f.opts.MaxBodyBytes {
		return out, fmt.Errorf("fetch %s: %w (%d bytes)", r.URL, ErrBodyTooLarge, f.opts.MaxBodyBytes)
	}
	dec := Decode(raw, out.ContentType)
	out.Body, out.Charset, out.ReplacedUTF8 = dec.Body, dec.Charset, dec.Replaced
	return out, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ParseRetryAfter reads a Retry-After value (seconds or an HTTP date),
// capped at DefaultRetryAfterCap. It returns 0 when absent or invalid.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d < 0 {
		return 0
	}
	return min(d, DefaultRetryAfterCap)
}
