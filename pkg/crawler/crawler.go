package crawler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// Defaults for Config fields left zero.
const (
	DefaultMaxSeen            = 1000
	DefaultSeenTTL            = 30 * 24 * time.Hour
	DefaultPublishTimeout     = 30 * time.Second
	DefaultMaxDeadLetterBytes = 64 << 10
	DefaultMaxArticles        = 50 // article pages fetched per source per poll
)

// Errors callers branch on.
var (
	ErrNoSources     = errors.New("crawler: no enabled sources")
	ErrNoSink        = errors.New("crawler: no sink")
	ErrUnknownSource = errors.New("crawler: unknown source")
	ErrNoArchive     = errors.New("crawler: source has no archive")
	ErrPublish       = errors.New("crawler: publish failed")
)

// Config configures a Crawler. Sources and Sink are required.
type Config struct {
	Sources []sources.Source
	// Fetcher is used as is when set; otherwise one is built from Fetch with
	// AllowedHosts extended by every host the sources name.
	Fetcher *fetch.Fetcher
	Fetch   fetch.Options
	Sink    Sink
	State   StateStore     // nil: in memory
	DLQ     DeadLetterSink // nil: dead letters are logged only
	Logger  *zap.Logger
	// Registerer receives the metrics; nil: a private registry.
	Registerer prometheus.Registerer

	MaxSeen            int           // seen keys kept per source
	SeenTTL            time.Duration // keys absent longer than this are forgotten
	MaxBackoff         time.Duration
	PublishTimeout     time.Duration // publish and state save outlive a cancelled poll by this much
	MaxDeadLetterBytes int           // payload bound of a dead letter
	MaxArticles        int           // article fetches per source per poll
	MaxPending         int           // unsent items buffered per source while the sink refuses them
}

// Crawler polls sources. Create it with New.
type Crawler struct {
	cfg     Config
	sources []sources.Source // enabled only
	fetcher *fetch.Fetcher
	log     *zap.Logger
	m       *metrics

	loadOnce sync.Once
	loadErr  error

	mu        sync.Mutex
	states    map[string]SourceState
	locks     map[string]*sync.Mutex   // one poll/backfill per source at a time
	failCount map[string]int           // consecutive failures by source
	pending   map[string][]pendingItem // fetched, not yet acknowledged by the sink

	attempted sync.Map // source id -> true once polled
	ready     atomic.Bool
}

// New validates cfg and returns a Crawler.
func New(cfg Config) (*Crawler, error) {
	if cfg.Sink == nil {
		return nil, ErrNoSink
	}
	var enabled []sources.Source
	var hosts []string
	for _, s := range cfg.Sources {
		if s.Disabled {
			continue
		}
		if s.Interval <= 0 {
			s.Interval = sources.DefaultInterval
		}
		enabled = append(enabled, s)
		hosts = append(hosts, s.AllowedHosts()...)
	}
	if len(enabled) == 0 {
		return nil, ErrNoSources
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Registerer == nil {
		cfg.Registerer = prometheus.NewRegistry()
	}
	if cfg.State == nil {
		cfg.State = NewMemoryStore()
	}
	if cfg.MaxSeen <= 0 {
		cfg.MaxSeen = DefaultMaxSeen
	}
	if cfg.SeenTTL <= 0 {
		cfg.SeenTTL = DefaultSeenTTL
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.PublishTimeout <= 0 {
		cfg.PublishTimeout = DefaultPublishTimeout
	}
	if cfg.MaxDeadLetterBytes <= 0 {
		cfg.MaxDeadLetterBytes = DefaultMaxDeadLetterBytes
	}
	if cfg.MaxArticles <= 0 {
		cfg.MaxArticles = DefaultMaxArticles
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = DefaultMaxPending
	}
	f := cfg.Fetcher
	if f == nil {
		opts := cfg.Fetch
		opts.AllowedHosts = append(append([]string(nil), opts.AllowedHosts...), hosts...)
		f = fetch.NewFetcher(opts)
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	c := &Crawler{
		cfg: cfg, sources: enabled, fetcher: f, log: cfg.Logger, m: m,
		states: map[string]SourceState{}, locks: map[string]*sync.Mutex{}, pending: map[string][]pendingItem{},
	}
	for _, s := range enabled {
		c.locks[s.ID] = &sync.Mutex{}
	}
	return c, nil
}

// Ready reports whether the state is loaded and every enabled source has
// been polled at least once (successfully or not): for /readyz.
func (c *Crawler) Ready() bool { return c.ready.Load() }

// Sources returns the enabled sources.
func (c *Crawler) Sources() []sources.Source { return append([]sources.Source(nil), c.sources...) }

func (c *Crawler) load(ctx context.Context) error {
	c.loadOnce.Do(func() {
		states, err := c.cfg.State.Load(ctx)
		if err != nil {
			c.loadErr = fmt.Errorf("crawler: load state: %w", err)
			return
		}
		c.mu.Lock()
		for id, st := range states {
			c.states[id] = st
		}
		c.mu.Unlock()
	})
	return c.loadErr
}

func (c *Crawler) state(id string) SourceState {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.states[id]
	if !ok {
		return SourceState{SourceID: id, Seen: map[string]string{}, SeenAt: map[string]time.Time{}}
	}
	st = st.clone()
	st.SourceID = id
	return st
}

func (c *Crawler) setState(st SourceState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.states[st.SourceID] = st
}

// Once polls every enabled source once, concurrently (the fetcher's per-host
// limits apply), and returns the sources' errors joined.
func (c *Crawler) Once(ctx context.Context) error {
	if err := c.load(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(c.sources))
	for i, src := range c.sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Poll(ctx, src.ID).Err
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Run polls each source on its own jittered schedule until ctx is done,
// backing off on failures. On cancel, in-flight fetches are aborted while
// in-flight publishes and state saves complete; Run returns after all
// source loops have stopped.
func (c *Crawler) Run(ctx context.Context) error {
	if err := c.load(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, src := range c.sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.loop(ctx, src)
		}()
	}
	wg.Wait()
	return nil
}

func (c *Crawler) loop(ctx context.Context, src sources.Source) {
	// Spread the first polls so that sources do not start in step.
	delay := time.Duration(rand.Int64N(int64(min(src.Interval, 5*time.Second)/4) + 1))
	t := time.NewTimer(delay)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		res := c.Poll(ctx, src.ID)
		if ctx.Err() != nil {
			return
		}
		t.Reset(nextDelay(src.Interval, res.Failures, res.RetryAfter, c.cfg.MaxBackoff))
	}
}

// PollResult summarises one poll of one source.
type PollResult struct {
	Source      string
	NotModified bool
	New         int
	Changed     int
	Unchanged   int
	Published   int
	Failures    int           // consecutive failures after this poll
	RetryAfter  time.Duration // asked by the server
	Err         error
}

func (c *Crawler) source(id string) (sources.Source, bool) {
	for _, s := range c.sources {
		if s.ID == id {
			return s, true
		}
	}
	return sources.Source{}, false
}

// Poll polls one source now.
func (c *Crawler) Poll(ctx context.Context, id string) PollResult {
	src, ok := c.source(id)
	if !ok {
		return PollResult{Source: id, Err: fmt.Errorf("%w: %s", ErrUnknownSource, id)}
	}
	if err := c.load(ctx); err != nil {
		return PollResult{Source: id, Err: err}
	}
	lock := c.locks[id]
	lock.Lock()
	defer lock.Unlock()
	res := c.poll(ctx, src)
	c.markAttempted(id)
	return res
}

func (c *Crawler) markAttempted(id string) {
	if _, loaded := c.attempted.LoadOrStore(id, true); loaded {
		return
	}
	for _, s := range c.sources {
		if _, ok := c.attempted.Load(s.ID); !ok {
			return
		}
	}
	c.ready.Store(true)
}

func (c *Crawler) failure(log *zap.Logger, src sources.Source, res *PollResult, err error) PollResult {
	n := c.bumpFailures(src.ID)
	c.m.failures.WithLabelValues(src.ID).Set(float64(n))
	res.Failures = n
	res.Err = err
	log.Warn("poll failed", zap.Error(err), zap.Int("consecutive_failures", n), zap.Duration("retry_after", res.RetryAfter))
	return *res
}

func (c *Crawler) poll(ctx context.Context, src sources.Source) PollResult {
	log := c.log.With(zap.String("source", src.ID))
	res := PollResult{Source: src.ID}
	st := c.state(src.ID)
	// Items fetched earlier and refused by the sink go first, whether or not
	// the source still serves them.
	c.flushPending(ctx, log, src, &st)
	start := time.Now()

	resp, err := c.fetchSource(ctx, log, src, &st)
	c.m.fetchDuration.WithLabelValues(src.ID).Observe(time.Since(start).Seconds())
	if err != nil {
		var se *fetch.StatusError
		if errors.As(err, &se) {
			res.RetryAfter = se.RetryAfter
		}
		if reason := fetchDeadLetterReason(err); reason != "" {
			c.deadLetter(ctx, log, src, reason, "crawler.fetch", src.URL, err, nil)
		}
		return c.failure(log, src, &res, err)
	}
	if resp.NotModified {
		res.NotModified = true
		c.success(src.ID, &res)
		log.Debug("not modified")
		return res
	}
	fetchedAt := time.Now().UTC()

	var items []model.RawItem
	var listing []scrape.ListingItem
	switch src.Kind {
	case sources.KindHTML:
		listing, err = scrape.Listing(src, resp.URL, resp.Body)
	default:
		items, err = feeds.Parse(src, resp.Body, fetchedAt)
	}
	if err != nil {
		reason := feeds.Reason(err)
		if errors.Is(err, scrape.ErrNoItems) {
			reason = "no_items"
		}
		err = fmt.Errorf("parse %s: %w", resp.URL, err)
		c.deadLetter(ctx, log, src, reason, "crawler.parse", resp.URL, err, resp.Body)
		return c.failure(log, src, &res, err)
	}

	present := map[string]bool{}
	var out []model.RawItem
	var hashes = map[string]string{}
	var published []time.Time
	if src.Kind == sources.KindHTML {
		out, hashes = c.scrapeListing(ctx, log, src, &st, listing, fetchedAt, present, &res)
		for _, li := range listing {
			if !li.Time.IsZero() {
				published = append(published, li.Time)
			}
		}
	} else {
		articles := 0
		for i := range items {
			it := items[i]
			key, h := it.Key(), it.Hash()
			present[key] = true
			if t, err := time.Parse(time.RFC3339, it.PublishedAt); err == nil {
				published = append(published, t)
			}
			prev, seen := st.Seen[key]
			switch {
			case !seen:
				res.New++
			case prev != h:
				res.Changed++
			default:
				res.Unchanged++
				continue
			}
			if src.FetchArticle && feeds.Partial(&it) && articles < c.cfg.MaxArticles {
				articles++
				c.enrich(ctx, log, src, &it)
			}
			hashes[key] = h
			out = append(out, it)
		}
	}

	if len(out) > 0 {
		pubCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
		err := c.cfg.Sink.Publish(pubCtx, out)
		cancel()
		if err != nil {
			c.m.publishFailures.WithLabelValues(src.ID).Inc()
			c.addPending(log, src.ID, out, hashes)
			return c.failure(log, src, &res, fmt.Errorf("%w: %s: %w", ErrPublish, src.ID, err))
		}
		res.Published = len(out)
	}

	// The sink acknowledged: advance the state.
	now := time.Now()
	for i := range out {
		k := out[i].Key()
		st.Seen[k] = hashes[k]
	}
	for k := range present {
		if _, ok := st.Seen[k]; ok {
			st.SeenAt[k] = now
		}
	}
	before := len(st.Seen)
	st.prune(now, c.cfg.SeenTTL, c.cfg.MaxSeen, present)
	pruned := len(st.Seen) != before
	validatedURL := resp.URL // the URL the validators belong to
	if resp.ETag == "" && resp.LastModified == "" {
		validatedURL = ""
	}
	changed := len(out) > 0 || pruned || st.URL != validatedURL || st.ETag != resp.ETag || st.LastModified != resp.LastModified
	st.URL, st.ETag, st.LastModified = validatedURL, resp.ETag, resp.LastModified
	st.UpdatedAt = now.UTC()
	c.setState(st)
	// Save only what matters across restarts: refreshed SeenAt times alone
	// are not worth a write on every poll of a feed without validators.
	if changed {
		saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
		if err := c.cfg.State.Save(saveCtx, st); err != nil {
			c.m.stateSaveFailures.WithLabelValues(src.ID).Inc()
			log.Error("save state", zap.Error(err))
		}
		cancel()
	}

	c.m.items.WithLabelValues(src.ID, "new").Add(float64(res.New))
	c.m.items.WithLabelValues(src.ID, "changed").Add(float64(res.Changed))
	c.m.items.WithLabelValues(src.ID, "unchanged").Add(float64(res.Unchanged))
	if len(published) > 0 {
		sort.Slice(published, func(i, j int) bool { return published[i].Before(published[j]) })
		c.m.lastItem.WithLabelValues(src.ID).Set(float64(published[len(published)-1].Unix()))
		if gap, ok := medianGap(published); ok {
			c.m.expectedInterval.WithLabelValues(src.ID).Set(gap.Seconds())
		}
	}
	c.success(src.ID, &res)
	log.Info("polled", zap.Int("new", res.New), zap.Int("changed", res.Changed),
		zap.Int("unchanged", res.Unchanged), zap.Int("published", res.Published))
	return res
}

func (c *Crawler) success(id string, res *PollResult) {
	c.mu.Lock()
	delete(c.failCount, id)
	c.mu.Unlock()
	c.m.failures.WithLabelValues(id).Set(0)
	c.m.lastSuccess.WithLabelValues(id).SetToCurrentTime()
	res.Failures = 0
}

func (c *Crawler) bumpFailures(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failCount == nil {
		c.failCount = map[string]int{}
	}
	c.failCount[id]++
	return c.failCount[id]
}

// fetchSource tries the source URL, then its fallbacks; conditional headers
// are sent to the URL they were answered for.
func (c *Crawler) fetchSource(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState) (*fetch.Response, error) {
	var errs []error
	for i, u := range src.URLs() {
		req := fetch.Request{URL: u}
		if st.URL != "" && (st.URL == u || i == 0 && sameResource(st.URL, u)) {
			req.ETag, req.LastModified = st.ETag, st.LastModified
		}
		resp, err := c.fetcher.Fetch(ctx, req)
		c.countResponse(src.ID, resp, err)
		if err == nil {
			return resp, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil || !retryOnFallback(err) {
			break
		}
		if i+1 < len(src.URLs()) {
			log.Info("trying fallback", zap.String("url", u), zap.Error(err))
		}
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	// The first error (main URL) first; errors.As finds a StatusError in any.
	return nil, errors.Join(errs...)
}

func sameResource(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host == ub.Host && ua.Path == ub.Path
}

// retryOnFallback: a mirror can help with network errors, timeouts and
// server errors, not with a body that is too large or a refused redirect.
func retryOnFallback(err error) bool {
	return !errors.Is(err, fetch.ErrBodyTooLarge) && !errors.Is(err, fetch.ErrHostNotAllowed) &&
		!errors.Is(err, fetch.ErrTooManyRedirects)
}

func fetchDeadLetterReason(err error) string {
	switch {
	case errors.Is(err, fetch.ErrBodyTooLarge):
		return "body_too_large"
	case errors.Is(err, fetch.ErrHostNotAllowed):
		return "host_not_allowed"
	case errors.Is(err, fetch.ErrTooManyRedirects):
		return "too_many_redirects"
	}
	return ""
}

func (c *Crawler) countResponse(id string, resp *fetch.Response, err error) {
	code := "error"
	if resp != nil {
		code = strconv.Itoa(resp.Status)
		c.m.bytes.WithLabelValues(id).Add(float64(resp.Bytes))
	}
	if errors.Is(err, fetch.ErrBodyTooLarge) {
		code = "too_large"
	}
	c.m.responses.WithLabelValues(id, code).Inc()
}

// enrich fetches the article page of a partial feed item. Failures (403 is
// common on kremlin.ru) are counted and logged; the feed item is kept.
func (c *Crawler) enrich(ctx context.Context, log *zap.Logger, src sources.Source, it *model.RawItem) {
	if it.URL == "" || !c.fetcher.Allowed(it.URL) {
		c.m.articleFailures.WithLabelValues(src.ID, "not_allowed").Inc()
		log.Warn("article host not allowed", zap.String("url", it.URL))
		return
	}
	art, code, err := c.article(ctx, src, it.URL)
	if err != nil {
		c.m.articleFailures.WithLabelValues(src.ID, code).Inc()
		log.Warn("article page", zap.String("url", it.URL), zap.Error(err))
		return
	}
	art.Apply(it)
	it.ContentHash = it.Hash()
}

// article fetches and parses one article page; code labels failures.
func (c *Crawler) article(ctx context.Context, src sources.Source, pageURL string) (*scrape.Article, string, error) {
	resp, err := c.fetcher.Fetch(ctx, fetch.Request{URL: pageURL})
	if resp != nil {
		c.m.bytes.WithLabelValues(src.ID).Add(float64(resp.Bytes))
	}
	if err != nil {
		code := "error"
		if resp != nil {
			code = strconv.Itoa(resp.Status)
		}
		return nil, code, err
	}
	art, err := scrape.ParseArticle(src, resp.URL, resp.Body)
	if err != nil {
		return nil, "parse", fmt.Errorf("article %s: %w", pageURL, err)
	}
	return art, "", nil
}

// scrapeListing turns listing entries not seen before into raw items by
// fetching their pages. An HTML listing carries no content to compare, so
// seen entries are unchanged; an entry whose page fails is retried next poll.
func (c *Crawler) scrapeListing(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState,
	listing []scrape.ListingItem, fetchedAt time.Time, present map[string]bool, res *PollResult) ([]model.RawItem, map[string]string) {
	var out []model.RawItem
	hashes := map[string]string{}
	fetched := 0
	for _, li := range listing {
		probe := model.RawItem{Source: src.ID, GUID: li.URL}
		key := probe.Key()
		present[key] = true
		if _, ok := st.Seen[key]; ok {
			res.Unchanged++
			continue
		}
		if fetched >= c.cfg.MaxArticles || !c.fetcher.Allowed(li.URL) {
			continue
		}
		fetched++
		art, code, err := c.article(ctx, src, li.URL)
		if err != nil {
			c.m.articleFailures.WithLabelValues(src.ID, code).Inc()
			log.Warn("article page", zap.String("url", li.URL), zap.Error(err))
			if code == "parse" {
				c.deadLetter(ctx, log, src, "article_unreadable", "crawler.scrape", li.URL, err, nil)
			}
			continue
		}
		it := art.Item(src, li.URL, fetchedAt)
		if it.Title == "" {
			it.Title = li.Title
		}
		if it.PublishedAt == "" && !li.Time.IsZero() {
			it.PublishedAt = li.Time.Format(time.RFC3339)
		}
		if it.ExternalID == "" {
			it.ExternalID = src.ExternalID(li.URL)
		}
		it.ContentHash = it.Hash()
		res.New++
		hashes[key] = it.ContentHash
		out = append(out, it)
	}
	return out, hashes
}

func (c *Crawler) deadLetter(ctx context.Context, log *zap.Logger, src sources.Source, reason, stage, key string, err error, payload []byte) {
	c.m.deadLetters.WithLabelValues(src.ID, reason).Inc()
	if len(payload) > c.cfg.MaxDeadLetterBytes {
		payload = payload[:c.cfg.MaxDeadLetterBytes]
	}
	dl := model.DeadLetter{
		Reason:  reason,
		Error:   err.Error(),
		Stage:   stage,
		Source:  src.ID,
		Key:     key,
		Payload: payload,
		At:      time.Now().UTC(),
	}
	log.Error("dead letter", zap.String("reason", reason), zap.String("stage", stage), zap.Error(err))
	if c.cfg.DLQ == nil {
		return
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
	defer cancel()
	if derr := c.cfg.DLQ.DeadLetter(dctx, dl); derr != nil {
		log.Error("dead letter sink", zap.Error(derr))
	}
}

// medianGap returns the median gap between consecutive sorted times.
func medianGap(ts []time.Time) (time.Duration, bool) {
	var gaps []time.Duration
	for i := 1; i < len(ts); i++ {
		if g := ts[i].Sub(ts[i-1]); g > 0 {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) == 0 {
		return 0, false
	}
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	n := len(gaps)
	if n%2 == 1 {
		return gaps[n/2], true
	}
	return (gaps[n/2-1] + gaps[n/2]) / 2, true
}
