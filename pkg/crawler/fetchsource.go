package crawler

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// fetchSource tries the source URL, then its fallbacks; conditional headers
// are sent to the configured URL whose request they were answered for (the
// main URL too when it is the same resource as that fallback), and follow a
// redirect only to the URL that answered them.
func (c *Crawler) fetchSource(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState) (*fetch.Response, error) {
	asked := st.RequestURL
	if asked == "" {
		asked = st.URL // recorded before the requested URL was
	}
	reqs := make([]fetch.Request, 0, len(src.URLs()))
	for i, u := range src.URLs() {
		req := fetch.Request{URL: u}
		if st.URL != "" && (asked == u || i == 0 && sameResource(asked, u)) {
			req.ETag, req.LastModified, req.ValidatorsURL = st.ETag, st.LastModified, st.URL
		}
		reqs = append(reqs, req)
	}
	return c.fetchFirst(ctx, log, src.ID, reqs)
}

// fetchFirst tries reqs in order (a URL and its mirrors) until one answers.
// A host that asked to wait (429, 503 with Retry-After, or paused) is not
// asked again through a mirror on the same host (http -> https): only
// mirrors on other hosts are tried.
func (c *Crawler) fetchFirst(ctx context.Context, log *zap.Logger, sourceID string, reqs []fetch.Request) (*fetch.Response, error) {
	var errs []error
	waiting := map[string]bool{} // hosts that asked to wait
	for i, req := range reqs {
		if waiting[hostname(req.URL)] {
			continue
		}
		req.Hosts = c.hosts(sourceID)
		resp, err := c.fetcher.Fetch(ctx, req)
		c.countResponse(sourceID, resp, err)
		if err == nil {
			c.noteDecoding(log, sourceID, resp)
			return resp, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil || !retryOnFallback(err) {
			break
		}
		if wait, _ := fetch.Throttled(err, time.Now()); wait > 0 {
			waiting[hostname(req.URL)] = true // a 503 without Retry-After may be one mirror's trouble
		}
		if i+1 < len(reqs) {
			log.Info("trying fallback", zap.String("url", req.URL), zap.Error(err))
		}
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	// The first error (main URL) first; errors.As finds a StatusError in any.
	return nil, errors.Join(errs...)
}

func hostname(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

func sameResource(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host == ub.Host && ua.Path == ub.Path
}

// retryOnFallback: a mirror can help with network errors, timeouts and
// server errors, not with a body that is too large or a refused redirect.
func retryOnFallback(err error) bool {
	return fetchDeadLetterReason(err) == ""
}

func fetchDeadLetterReason(err error) string {
	switch {
	case errors.Is(err, fetch.ErrBodyTooLarge):
		return "body_too_large"
	case errors.Is(err, fetch.ErrHostNotAllowed):
		return "host_not_allowed"
	case errors.Is(err, fetch.ErrTooManyRedirects):
		return "too_many_redirects"
	case errors.Is(err, fetch.ErrUnsupportedScheme):
		return "unsupported_scheme" // a redirect to file:, ftp:, data: ...
	}
	return ""
}

// noteDecoding logs and counts the invalid UTF-8 a fetched body had: it
// was kept as UTF-8, each bad sequence becoming U+FFFD.
func (c *Crawler) noteDecoding(log *zap.Logger, sourceID string, resp *fetch.Response) {
	if resp.ReplacedUTF8 == 0 {
		return
	}
	c.m.invalidUTF8.WithLabelValues(sourceID).Add(float64(resp.ReplacedUTF8))
	log.Warn("invalid UTF-8 in the body replaced by U+FFFD", zap.String("url", resp.URL), zap.Int("sequences", resp.ReplacedUTF8))
}

func (c *Crawler) countResponse(id string, resp *fetch.Response, err error) {
	code := "error"
	if resp != nil {
		code = strconv.Itoa(resp.Status)
		c.m.bytes.WithLabelValues(id).Add(float64(resp.Bytes))
	}
	switch {
	case errors.Is(err, fetch.ErrBodyTooLarge):
		code = "too_large"
	case errors.Is(err, fetch.ErrHostPaused):
		code = "paused" // no request was sent
	}
	c.m.responses.WithLabelValues(id, code).Inc()
}
