package crawler

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/mmcdole/gofeed"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// What a probe found out about conditional requests (ProbeResult.Conditional).
const (
	// ConditionalNotModified: the request repeated with the validators of the
	// first answer was answered 304 Not Modified.
	ConditionalNotModified = "304"
	// ConditionalNoValidators: the first answer carried neither ETag nor
	// Last-Modified, so every poll reads the whole document.
	ConditionalNoValidators = "no validators"
	// ConditionalNotChecked: the source failed before the check.
	ConditionalNotChecked = "not checked"
)

// conditionalIgnored is ProbeResult.Conditional when the repeated request
// carried validators and was answered in full all the same.
func conditionalIgnored(status int) string {
	return fmt.Sprintf("validators ignored (%d)", status)
}

// ProbeConfig configures Probe.
type ProbeConfig struct {
	Sources []sources.Source
	// Only names the sources to probe (a disabled one too, when named);
	// empty: every enabled source.
	Only []string
	// Fetch and Fetcher as in Config: the crawler's fetch policy.
	Fetch   fetch.Options
	Fetcher *fetch.Fetcher
	Logger  *zap.Logger
	// Progress, when set, is called with each result as its source is done,
	// one call at a time.
	Progress func(ProbeResult)
}

// ProbeResult is what one source answered a probe.
type ProbeResult struct {
	Source   string `json:"source"`
	Kind     string `json:"kind"` // sources.KindFeed, KindHTML or KindTelegram
	URL      string `json:"url"`  // the configured URL
	Disabled bool   `json:"disabled,omitempty"`
	// Status is the HTTP status of the answer, also of a failed one (0: none).
	Status int `json:"status,omitempty"`
	// AnsweredURL is the fallback that answered when the URL failed.
	AnsweredURL string `json:"answered_url,omitempty"`
	// FinalURL is where redirects led, when they did.
	FinalURL     string `json:"final_url,omitempty"`
	ContentType  string `json:"content_type,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// Format is what the document is: atom, rss, json feed, html listing,
	// html page, xml (not a feed), json (not a feed), empty, other (TYPE).
	Format string `json:"format,omitempty"`
	// Items is the number of usable items (feed) or listing entries (html).
	Items int `json:"items"`
	// Invalid counts feed entries that cannot become items.
	Invalid int `json:"invalid,omitempty"`
	// Newest is the publication time of the newest item, as published.
	Newest string `json:"newest,omitempty"`
	// Conditional: ConditionalNotModified, ConditionalNoValidators,
	// "validators ignored (200)", ConditionalNotChecked or "recheck failed: ...".
	Conditional string `json:"conditional"`
	// Article is the check of one article page: the newest listing entry
	// of an HTML source, the first partial item of a feed with fetch_article.
	Article *ArticleCheck `json:"article,omitempty"`
	// OK is false when the source yields nothing: a fetch or parse failure,
	// no items, or (HTML sources) an article page that cannot be read.
	OK bool `json:"ok"`
	// Reason is a short code of the failure: timeout, http_403, dns,
	// not_a_feed, no_items, no_selector_match, article_unreadable, ...
	Reason string `json:"reason,omitempty"`
	// Error says what failed in a few words; Detail is the whole error.
	Error  string `json:"error,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Warnings are problems that do not stop the source from yielding items.
	Warnings  []string `json:"warnings,omitempty"`
	ElapsedMS int64    `json:"elapsed_ms"`
}

// ArticleCheck is the probe of one article page.
type ArticleCheck struct {
	URL    string `json:"url"`
	Status int    `json:"status,omitempty"`
	OK     bool   `json:"ok"`
	Title  string `json:"title,omitempty"`
	Reason string `json:"reason,omitempty"`
	Error  string `json:"error,omitempty"`
}

// discardSink takes items nowhere: a probe publishes nothing.
type discardSink struct{}

func (discardSink) Publish(context.Context, []model.RawItem) error { return nil }

// Probe fetches each selected source once, with the crawler's fetch policy
// (user agent, timeouts, body limit, allowed hosts, redirects, per-host
// concurrency and rate, fallbacks), reads it as the crawler would, repeats
// the request with the validators it got, and for HTML listings (and feeds
// whose items carry only a summary) fetches one article page. It publishes
// and records nothing. Sources are probed concurrently; the results are in
// the order of the sources file. The error is about the configuration
// (an unknown id, no sources); a failing source is a result with OK false.
func Probe(ctx context.Context, cfg ProbeConfig) ([]ProbeResult, error) {
	srcs, named, err := probeSelection(cfg.Sources, cfg.Only)
	if err != nil {
		return nil, err
	}
	c, err := New(Config{Sources: srcs, Fetch: cfg.Fetch, Fetcher: cfg.Fetcher, Sink: discardSink{}, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	results := make([]ProbeResult, len(c.runs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, run := range c.runs {
		src := run.src
		wg.Go(func() {
			r := c.probe(ctx, src)
			if named[src.ID] {
				r.Disabled = true
				r.Warnings = append([]string{"disabled in the sources file"}, r.Warnings...)
			}
			results[i] = r
			if cfg.Progress != nil {
				mu.Lock()
				defer mu.Unlock()
				cfg.Progress(r)
			}
		})
	}
	wg.Wait()
	return results, nil
}

// probeSelection returns the sources to probe, in file order: the enabled
// ones, or those only names (enabled for the probe, and reported in
// disabled when the file disables them).
func probeSelection(all []sources.Source, only []string) (srcs []sources.Source, disabled map[string]bool, err error) {
	disabled = map[string]bool{}
	if len(only) == 0 {
		return all, disabled, nil
	}
	want := map[string]bool{}
	for _, id := range only {
		want[id] = true
	}
	for _, s := range all {
		if !want[s.ID] {
			continue
		}
		delete(want, s.ID)
		if s.Disabled {
			s.Disabled = false
			disabled[s.ID] = true
		}
		srcs = append(srcs, s)
	}
	if len(want) > 0 {
		missing := make([]string, 0, len(want))
		for id := range want {
			missing = append(missing, id)
		}
		slices.Sort(missing)
		known := make([]string, 0, len(all))
		for _, s := range all {
			known = append(known, s.ID)
		}
		return nil, nil, fmt.Errorf("%w: %s (the sources file has %s)", ErrUnknownSource, strings.Join(missing, ", "), strings.Join(known, ", "))
	}
	return srcs, disabled, nil
}

// probe probes one source.
func (c *Crawler) probe(ctx context.Context, src sources.Source) ProbeResult {
	start := time.Now()
	r := ProbeResult{Source: src.ID, Kind: src.Kind, URL: src.URL, Conditional: ConditionalNotChecked}
	c.probeSource(ctx, src, &r)
	r.ElapsedMS = time.Since(start).Milliseconds()
	return r
}

func (c *Crawler) probeSource(ctx context.Context, src sources.Source, r *ProbeResult) {
	log := c.log.With(zap.String("source", src.ID), zap.Bool("probe", true))
	st := newSourceState(src.ID)
	resp, err := c.fetchSource(ctx, log, src, &st)
	if err != nil {
		var se *fetch.StatusError
		if errors.As(err, &se) {
			r.Status = se.Status
		}
		r.fail(ctx, c.describeFetchError(err), err)
		return
	}
	r.Status, r.ContentType, r.ETag, r.LastModified = resp.Status, resp.ContentType, resp.ETag, resp.LastModified
	if resp.RequestURL != "" && resp.RequestURL != src.URL {
		r.AnsweredURL = resp.RequestURL
	}
	if resp.URL != resp.RequestURL {
		r.FinalURL = resp.URL
	}
	r.OK = true
	r.Conditional = c.probeConditional(ctx, log, src, resp)
	r.Format = documentFormat(resp.Body, resp.ContentType)
	if src.Kind == sources.KindHTML {
		c.probeListing(ctx, src, resp, r)
	} else {
		c.probeFeed(ctx, src, resp, r)
	}
}

// probeConditional repeats the request as the crawler's next poll would,
// with the validators of the first answer.
func (c *Crawler) probeConditional(ctx context.Context, log *zap.Logger, src sources.Source, first *fetch.Response) string {
	if first.ETag == "" && first.LastModified == "" {
		return ConditionalNoValidators
	}
	st := newSourceState(src.ID)
	st.URL, st.RequestURL, st.ETag, st.LastModified = first.URL, first.RequestURL, first.ETag, first.LastModified
	resp, err := c.fetchSource(ctx, log, src, &st)
	switch {
	case err != nil:
		if ctx.Err() != nil {
			return "recheck not finished: " + causeText(ctx)
		}
		return "recheck failed: " + c.describeFetchError(err).text
	case resp.NotModified:
		return ConditionalNotModified
	}
	return conditionalIgnored(resp.Status)
}

func (c *Crawler) probeFeed(ctx context.Context, src sources.Source, resp *fetch.Response, r *ProbeResult) {
	doc, err := parseDocument(src, resp.URL, resp.Body, time.Now())
	parsed := doc.Result
	r.Items, r.Invalid = len(parsed.Items), len(parsed.Invalid)
	if src.Kind == sources.KindTelegram {
		r.Format = "telegram channel"
	}
	if r.Format == "json" && err == nil {
		r.Format = "json feed"
	}
	if r.Invalid > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d of %d entries unusable (no id and link, or neither title nor body): the crawler dead-letters them",
			r.Invalid, r.Invalid+r.Items))
	}
	if err != nil {
		reason := parseReason(src, err)
		text := strings.TrimPrefix(strings.TrimPrefix(err.Error(), "feeds: "), "scrape: ")
		if errors.Is(err, feeds.ErrNoItems) {
			text = "0 items: " + text
		}
		r.fail(ctx, failure{reason, text}, err)
		return
	}
	if r.Items == 0 {
		r.fail(ctx, failure{"no_items", "0 items: the feed lists no entries"}, nil)
		return
	}
	for i := range parsed.Items {
		it := &parsed.Items[i]
		r.newest(it.PublishedAt, publishedTime(it.PublishedAt))
	}
	if !src.FetchArticle {
		return
	}
	for i := range parsed.Items {
		if it := &parsed.Items[i]; feeds.Partial(it) {
			r.Article = c.probeArticle(ctx, src, it.URL)
			if !r.Article.OK {
				r.Warnings = append(r.Warnings, "article page "+r.Article.Error+": partial items go out as the feed has them")
			}
			return
		}
	}
}

func (c *Crawler) probeListing(ctx context.Context, src sources.Source, resp *fetch.Response, r *ProbeResult) {
	listing, err := scrape.Listing(src, resp.URL, resp.Body)
	if err != nil {
		f := failure{"listing_unreadable", err.Error()}
		switch {
		case errors.Is(err, scrape.ErrNoItems):
			f = failure{"no_selector_match", fmt.Sprintf("listing selectors matched nothing (item %q, link %q)", src.Selectors.Item, src.Selectors.Link)}
			if r.Format != "html" {
				f.text += "; the document is " + r.Format
			}
		case errors.Is(err, scrape.ErrNoSelectors):
			f = failure{"no_selectors", "the source has no item and link selectors"}
		}
		r.fail(ctx, f, err)
		return
	}
	r.Format = "html listing"
	var allowed []scrape.ListingItem
	for _, li := range listing {
		if c.allowed(src, li.URL) {
			allowed = append(allowed, li)
		}
		if !li.Time.IsZero() {
			r.newest(li.Time.Format(time.RFC3339), li.Time)
		}
	}
	r.Items = len(allowed)
	if n := len(listing) - len(allowed); n > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d of %d entries link a host the source does not allow (the crawler dead-letters them; add the host to hosts to fetch them)",
			n, len(listing)))
	}
	if len(allowed) == 0 {
		r.fail(ctx, failure{"host_not_allowed", fmt.Sprintf("0 items: every listed entry links a host the source does not allow (%s)", listing[0].URL)}, nil)
		return
	}
	// The crawler's items are the entries' pages: check the newest one it
	// may fetch.
	r.Article = c.probeArticle(ctx, src, allowed[0].URL)
	if !r.Article.OK {
		r.fail(ctx, failure{r.Article.Reason, "article page " + r.Article.Error}, nil)
	}
}

// probeArticle fetches and reads one article page as the crawler does.
func (c *Crawler) probeArticle(ctx context.Context, src sources.Source, pageURL string) *ArticleCheck {
	ac := &ArticleCheck{URL: pageURL}
	if pageURL == "" || !c.allowed(src, pageURL) {
		ac.Reason, ac.Error = "host_not_allowed", pageURL+": host not allowed (add it to the source's hosts)"
		return ac
	}
	art, code, err := c.article(ctx, src, pageURL)
	if n, convErr := strconv.Atoi(code); convErr == nil {
		ac.Status = n
	}
	switch {
	case err == nil:
		ac.OK, ac.Status, ac.Title = true, 200, art.Title
	case ctx.Err() != nil:
		ac.Reason, ac.Error = "not_finished", pageURL+": not finished: "+causeText(ctx)
	case code == "parse":
		what := strings.TrimPrefix(errors.Unwrap(err).Error(), "scrape: ")
		if errors.Is(err, scrape.ErrNoContent) {
			what = "title and body selectors matched nothing"
			if src.Selectors != nil {
				what = fmt.Sprintf("title %q and body %q selectors matched nothing", src.Selectors.Title, src.Selectors.Body)
			}
		}
		ac.Status = 200
		ac.Reason, ac.Error = "article_unreadable", pageURL+": "+what
	default:
		ac.Reason, ac.Error = "article_unavailable", pageURL+": "+c.describeFetchError(err).text
	}
	return ac
}

// newest keeps the newest publication time seen.
func (r *ProbeResult) newest(published string, t time.Time) {
	if t.IsZero() {
		return
	}
	if cur := publishedTime(r.Newest); cur.IsZero() || t.After(cur) {
		r.Newest = published
	}
}

func publishedTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// failure is a reason code and a few words for a table cell.
type failure struct{ reason, text string }

// fail marks r as yielding nothing. A failure while ctx is done is the
// probe's end (deadline or signal), not the source's.
func (r *ProbeResult) fail(ctx context.Context, f failure, err error) {
	r.OK = false
	if ctx.Err() != nil {
		f = failure{"not_finished", "not finished: " + causeText(ctx)}
	}
	r.Reason, r.Error = f.reason, f.text
	if err != nil {
		r.Detail = err.Error()
	}
}

// causeText says why ctx ended: "interrupted" for a cancel (a signal), else
// its cause (a deadline, named by whoever set it).
func causeText(ctx context.Context) string {
	cause := context.Cause(ctx)
	if errors.Is(cause, context.Canceled) {
		return "interrupted"
	}
	return cause.Error()
}

// describeFetchError names the failure of a fetch. Errors of a URL and its
// fallbacks (errors.Join) are described in order.
func (c *Crawler) describeFetchError(err error) failure {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var first failure
		texts := []string{}
		same := true
		for i, e := range j.Unwrap() {
			f := c.describeFetchError(e)
			if i == 0 {
				first = f
				texts = append(texts, f.text)
				continue
			}
			same = same && f.text == first.text
			texts = append(texts, "fallback: "+f.text)
		}
		if same && len(texts) > 1 {
			first.text += "; fallbacks: same"
			return first
		}
		first.text = strings.Join(texts, "; ")
		return first
	}
	var (
		se   *fetch.StatusError
		pe   *fetch.PauseError
		dns  *net.DNSError
		ne   net.Error
		cert *x509.UnknownAuthorityError
		host x509.HostnameError
		inv  x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &se):
		text := "HTTP " + strconv.Itoa(se.Status)
		if se.RetryAfter > 0 {
			text += fmt.Sprintf(" (retry after %s)", se.RetryAfter)
		}
		return failure{"http_" + strconv.Itoa(se.Status), text}
	case errors.As(err, &pe):
		return failure{"throttled", fmt.Sprintf("%s asked to wait until %s", pe.Host, pe.Until.UTC().Format(time.RFC3339))}
	case errors.Is(err, fetch.ErrBodyTooLarge):
		return failure{"body_too_large", "body larger than max_body_bytes"}
	case errors.Is(err, fetch.ErrHostNotAllowed):
		return failure{"host_not_allowed", trimFetchPrefix(err)}
	case errors.Is(err, fetch.ErrTooManyRedirects):
		return failure{"too_many_redirects", trimFetchPrefix(err)}
	case errors.Is(err, fetch.ErrUnsupportedScheme):
		return failure{"unsupported_scheme", trimFetchPrefix(err)}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return failure{"timeout", c.timeoutText()}
	case errors.As(err, &dns):
		return failure{"dns", fmt.Sprintf("DNS lookup of %s: %s", dns.Name, dns.Err)}
	case errors.Is(err, syscall.ECONNREFUSED):
		return failure{"connection_refused", "connection refused"}
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return failure{"connection_reset", "connection closed by the server"}
	case errors.As(err, &cert), errors.As(err, &host), errors.As(err, &inv):
		return failure{"tls", "TLS: " + trimFetchPrefix(err)}
	}
	return failure{"network", trimFetchPrefix(err)}
}

func (c *Crawler) timeoutText() string {
	if c.cfg.Fetcher != nil {
		return "timeout"
	}
	d := c.cfg.Fetch.Timeout
	if d <= 0 {
		d = fetch.DefaultTimeout
	}
	return fmt.Sprintf("timeout (%s)", d)
}

// trimFetchPrefix drops the "fetch URL: " the fetcher puts before its errors.
func trimFetchPrefix(err error) string {
	s := err.Error()
	if rest, ok := strings.CutPrefix(s, "fetch "); ok {
		if _, after, ok := strings.Cut(rest, ": "); ok {
			return after
		}
	}
	return s
}

// documentFormat says what a fetched document is, before it is parsed.
func documentFormat(body []byte, contentType string) string {
	switch gofeed.DetectFeedType(bytes.NewReader(body)) {
	case gofeed.FeedTypeAtom:
		return "atom"
	case gofeed.FeedTypeRSS:
		return "rss"
	case gofeed.FeedTypeJSON:
		return "json" // "json feed" once it parses as one
	}
	b := bytes.TrimSpace(body)
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	switch {
	case len(b) == 0:
		return "empty"
	case strings.Contains(head, "<!doctype html") || strings.Contains(head, "<html") ||
		strings.HasPrefix(strings.ToLower(contentType), "text/html"):
		return "html"
	case b[0] == '<':
		return "xml (not a feed)"
	case b[0] == '[':
		return "json (not a feed)"
	}
	mt, _, _ := strings.Cut(contentType, ";")
	if mt = strings.TrimSpace(mt); mt == "" {
		mt = "unknown type"
	}
	return "other (" + mt + ")"
}

// Summary is a one-line account of r: the progress line of a probe.
func (r ProbeResult) Summary() string {
	var b strings.Builder
	b.WriteString(r.Source)
	b.WriteString(": ")
	if r.OK {
		fmt.Fprintf(&b, "ok, %d items", r.Items)
		if r.Newest != "" {
			b.WriteString(", newest " + r.Newest)
		}
		b.WriteString(", conditional: " + r.Conditional)
	} else {
		b.WriteString("FAILED: " + r.Error)
	}
	switch n := len(r.Warnings); n {
	case 0:
	case 1:
		b.WriteString(" (1 warning)")
	default:
		fmt.Fprintf(&b, " (%d warnings)", n)
	}
	fmt.Fprintf(&b, " [%s]", (time.Duration(r.ElapsedMS) * time.Millisecond).String())
	return b.String()
}

// status is the STATUS cell: the code, the fallback that answered, and
// where redirects led.
func (r ProbeResult) status() string {
	s := "-"
	if r.Status != 0 {
		s = strconv.Itoa(r.Status)
	}
	if r.AnsweredURL != "" {
		s += " via fallback " + r.AnsweredURL
	}
	if r.FinalURL != "" {
		s += " → " + r.FinalURL
	}
	return s
}

// result is the RESULT cell: ok or the failure, then the warnings.
func (r ProbeResult) result() string {
	parts := []string{"ok"}
	if !r.OK {
		parts[0] = "FAIL: " + r.Error
	}
	return strings.Join(append(parts, r.Warnings...), "; ")
}

// WriteProbeTable writes results as an aligned table, one row per source,
// and a last line counting those that yield nothing.
func WriteProbeTable(w io.Writer, results []ProbeResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tSTATUS\tFORMAT\tITEMS\tNEWEST\tCONDITIONAL\tRESULT")
	for _, r := range results {
		format, newest := r.Format, r.Newest
		if format == "" {
			format = "-"
		}
		if newest == "" {
			newest = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", r.Source, r.status(), format, r.Items, newest, r.Conditional, r.result())
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("probe table: %w", err)
	}
	_, err := fmt.Fprintln(w, ProbeSummary(results))
	return err
}

// ProbeSummary counts the results: "6 sources: 5 ok, 1 yield nothing (id)".
func ProbeSummary(results []ProbeResult) string {
	failed := ProbeFailed(results)
	s := fmt.Sprintf("%d sources: %d ok", len(results), len(results)-len(failed))
	if len(failed) > 0 {
		s += fmt.Sprintf(", %d yield nothing (%s)", len(failed), strings.Join(failed, ", "))
	}
	return s
}

// ProbeFailed returns the ids of the sources that yield nothing.
func ProbeFailed(results []ProbeResult) []string {
	var ids []string
	for _, r := range results {
		if !r.OK {
			ids = append(ids, r.Source)
		}
	}
	return ids
}

// ProbeReport is the JSON document of a probe.
type ProbeReport struct {
	OK      bool          `json:"ok"` // every source yields items
	Failed  []string      `json:"failed"`
	Sources []ProbeResult `json:"sources"`
}

// WriteProbeJSON writes results as one indented ProbeReport.
func WriteProbeJSON(w io.Writer, results []ProbeResult) error {
	failed := ProbeFailed(results)
	if failed == nil {
		failed = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ProbeReport{OK: len(failed) == 0, Failed: failed, Sources: results}); err != nil {
		return fmt.Errorf("probe json: %w", err)
	}
	return nil
}
