package crawler

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outbound"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// Defaults for Config fields left zero.
const (
	DefaultMaxSeen            = 1000 // also the entries of a document read
	DefaultMaxItemsPerPoll    = 200  // items sent per source per poll
	DefaultSeenTTL            = 30 * 24 * time.Hour
	DefaultPublishTimeout     = 30 * time.Second
	DefaultMaxDeadLetterBytes = 64 << 10
	DefaultMaxArticles        = 50 // article pages fetched per source per poll
	// DefaultMaxArticleFailures is how many polls in a row a listing entry's
	// page may fail before the entry is given up.
	DefaultMaxArticleFailures = 3
)

// Errors callers branch on.
var (
	ErrNoSources     = errors.New("crawler: no enabled sources")
	ErrNoSink        = errors.New("crawler: no sink")
	ErrUnknownSource = errors.New("crawler: unknown source")
	ErrNoArchive     = errors.New("crawler: source has no archive")
	ErrPublish       = errors.New("crawler: publish failed")
	ErrThrottled     = errors.New("crawler: the site asked to wait")
)

// Config configures a Crawler. Sources and Sink are required.
type Config struct {
	Sources []sources.Source
	// Fetcher is used as is when set; otherwise one is built from Fetch with
	// AllowedHosts extended by every host the sources name. Either way each
	// request is limited to the destinations of the source it is for.
	Fetcher *fetch.Fetcher
	Fetch   fetch.Options
	Sink    Sink
	State   StateStore     // nil: in memory
	DLQ     DeadLetterSink // nil: dead letters are logged only
	Logger  *zap.Logger
	// Registerer receives the metrics; nil: a private registry.
	Registerer prometheus.Registerer

	// MaxSeen bounds the seen keys kept per source, and so the entries of a
	// document that are read: the first MaxSeen as listed (feeds list newest
	// first); the others are dead-lettered (too_many_entries).
	MaxSeen int
	// MaxItemsPerPoll bounds the items one poll of a source sends; the
	// others wait for the next polls, oldest first.
	MaxItemsPerPoll int
	// MaxStateBytes bounds the encoded state of a source (one record of the
	// state topic): the least recently seen keys no longer listed are
	// dropped to fit, and a state that still does not fit is not saved.
	MaxStateBytes      int
	SeenTTL            time.Duration // keys absent longer than this are forgotten
	MaxBackoff         time.Duration
	PublishTimeout     time.Duration // publish and state save outlive a cancelled poll by this much
	MaxDeadLetterBytes int           // payload bound of a dead letter
	MaxArticles        int           // article fetches per source per poll
	// MaxArticleFailures is how many polls in a row the page of an HTML
	// listing entry may fail (404, 403, unreadable...) before the entry is
	// dead-lettered and no longer fetched while the listing shows it
	// unchanged.
	MaxArticleFailures int
	MaxPending         int // unsent items buffered per source while the sink refuses them
}

// Crawler polls sources. Create it with New.
type Crawler struct {
	cfg     Config
	sources []sources.Source // enabled only
	fetcher *fetch.Fetcher
	hosts   map[string]*outbound.Hosts // by source id: where its requests may go
	log     *zap.Logger
	m       *metrics
	store   *checkedStore // cfg.State, checked and watched

	loadOnce sync.Once
	loadErr  error

	mu        sync.Mutex
	states    map[string]SourceState
	locks     map[string]*sync.Mutex    // one poll/backfill per source at a time
	failCount map[string]int            // consecutive failures by source
	pending   map[string][]pendingItem  // fetched, not yet acknowledged by the sink
	polls     map[string]int            // polls since start, by source (refresh schedule)
	deferrals map[string]map[string]int // by source: item key -> polls it waited for its page
	// articleFails: by source, listing entry key -> polls in a row its page failed.
	articleFails map[string]map[string]int

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
	if cfg.MaxItemsPerPoll <= 0 {
		cfg.MaxItemsPerPoll = DefaultMaxItemsPerPoll
	}
	if cfg.MaxStateBytes <= 0 {
		cfg.MaxStateBytes = DefaultMaxStateBytes
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
	if cfg.MaxArticleFailures <= 0 {
		cfg.MaxArticleFailures = DefaultMaxArticleFailures
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
	store := newCheckedStore(cfg.State, cfg.MaxStateBytes, m)
	cfg.State = store
	c := &Crawler{
		cfg: cfg, sources: enabled, fetcher: f, hosts: sourceHosts(enabled), log: cfg.Logger, m: m, store: store,
		states: map[string]SourceState{}, locks: map[string]*sync.Mutex{}, pending: map[string][]pendingItem{},
		polls: map[string]int{}, deferrals: map[string]map[string]int{}, articleFails: map[string]map[string]int{},
	}
	for _, s := range enabled {
		c.locks[s.ID] = &sync.Mutex{}
	}
	return c, nil
}

// Ready reports whether Readiness finds nothing wrong.
func (c *Crawler) Ready() bool { return c.Readiness() == nil }

// Readiness returns nil once the state is loaded and every enabled source
// has been polled at least once (successfully or not), as long as every
// source's state is saved; otherwise it says why not: for /readyz.
func (c *Crawler) Readiness() error {
	if !c.ready.Load() {
		return errors.New("crawler: state not loaded or a source not polled yet")
	}
	return c.store.errs()
}

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
		// The staleness gauges from before the restart: a source that keeps
		// answering 304 must not leave the "source silent" alert blind.
		for _, src := range c.sources {
			if st, ok := states[src.ID]; ok {
				c.setStaleness(src.ID, st)
			}
		}
	})
	return c.loadErr
}

func (c *Crawler) state(id string) SourceState {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.states[id]
	if !ok {
		return newSourceState(id)
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
// in-flight publishes and state saves complete, and the items still pending
// (fetched, never acknowledged by the sink) get one more publish, within
// PublishTimeout; Run returns after all source loops have stopped.
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
	c.drainPending(ctx)
	return nil
}

// drainPending publishes, at shutdown, the items the sink refused during
// the sources' last polls. What it still refuses is logged by key: the
// seen-state was not advanced for those items, so the next start fetches
// them again while their source lists them, and the log names those it
// may no longer list.
func (c *Crawler) drainPending(ctx context.Context) {
	var wg sync.WaitGroup
	for _, src := range c.sources {
		c.mu.Lock()
		n := len(c.pending[src.ID])
		c.mu.Unlock()
		if n == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			log := c.log.With(zap.String("source", src.ID))
			lock := c.locks[src.ID]
			lock.Lock()
			defer lock.Unlock()
			st := c.state(src.ID)
			if c.flushPending(ctx, log, src, &st) {
				return
			}
			c.mu.Lock()
			keys := make([]string, 0, len(c.pending[src.ID]))
			for _, p := range c.pending[src.ID] {
				keys = append(keys, p.item.Key())
			}
			c.mu.Unlock()
			log.Error("shutting down with items fetched and never acknowledged by the sink: not recorded as seen, the next start fetches them again while the source lists them",
				zap.Int("unsent", len(keys)), zap.Strings("keys", keys))
		}()
	}
	wg.Wait()
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
	Invalid     int  // entries dead-lettered as unusable (first sighting only)
	Duplicates  int  // later entries of a key listed twice with other content, dead-lettered (first sighting only)
	Deferred    int  // new entries left for the next poll (article pages not fetched)
	Capped      int  // new or edited entries left for later polls by MaxItemsPerPoll, or held back while the state is not saved
	Skipped     int  // entries past the first MaxSeen of the document, not read (dead-lettered as too_many_entries)
	GivenUp     int  // listing entries dead-lettered after their page failed MaxArticleFailures polls in a row
	Refreshed   int  // seen HTML entries re-fetched to look for edits
	CatchUp     int  // older feed pages read because the first held no item seen before
	PossibleGap bool // items published while the crawler was away may be missing (see catchUp)
	Published   int
	Failures    int           // consecutive failures after this poll
	RetryAfter  time.Duration // asked by the server (also on success, from article pages)
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
	lo, hi := delayWindow(src.Interval, n, res.RetryAfter, c.cfg.MaxBackoff)
	retryAfter := zap.Skip()
	if res.RetryAfter > 0 {
		retryAfter = zap.Duration("retry_after", res.RetryAfter) // the site's own
	}
	log.Warn("poll failed", zap.Error(err), zap.Int("consecutive_failures", n), retryAfter,
		zap.String("next_poll_in", lo.String()+" to "+hi.String()))
	return *res
}

// cancelled ends a poll interrupted by shutdown: not the source's failure,
// and nothing of it is published or recorded.
func cancelled(log *zap.Logger, res *PollResult, err error) PollResult {
	log.Info("poll cancelled: nothing published or recorded", zap.Error(err))
	res.Err = err
	return *res
}

// cycle is what one poll read: the items to publish and what to record once
// the sink acknowledged them.
type cycle struct {
	out       []model.RawItem
	hashes    map[string]string // item key -> content hash to record as seen
	present   map[string]bool   // keys the document lists (never pruned)
	published []time.Time       // publication times the document shows
	recent    []RecentEntry     // HTML: the newest listed entries
	rejected  map[string]string // reject keys the document still holds -> reason
	settled   map[string]bool   // listed keys neither sent nor seen that are done with (given up)
	// complete is false when an entry the document lists was neither sent
	// nor seen before (a page failed, was capped, refused or deferred): the
	// validators are then not recorded, so the next poll reads the whole
	// document again instead of getting a 304 that hides the entry.
	complete  bool
	articles  int           // article pages requested
	throttled bool          // an article page asked to wait: no more page fetches
	throttle  time.Duration // how long it asked for
	max       int           // items the cycle may send; < 0: no bound
}

func newCycle() *cycle {
	return &cycle{hashes: map[string]string{}, present: map[string]bool{}, rejected: map[string]string{}, settled: map[string]bool{}, complete: true, max: -1}
}

// room is how many more items the cycle may send; < 0: no bound.
func (cy *cycle) room() int {
	if cy.max < 0 {
		return -1
	}
	return max(cy.max-len(cy.out), 0)
}

func (cy *cycle) add(it model.RawItem, key, hash string) {
	cy.out = append(cy.out, it)
	cy.hashes[key] = hash
}

func (cy *cycle) sawPublished(rfc3339 string) {
	if t, err := time.Parse(time.RFC3339, rfc3339); err == nil {
		cy.published = append(cy.published, t)
	}
}

func (c *Crawler) poll(ctx context.Context, src sources.Source) PollResult {
	log := c.log.With(zap.String("source", src.ID))
	res := PollResult{Source: src.ID}
	st := c.state(src.ID)
	unsaved := c.store.err(src.ID)
	if unsaved == nil {
		// Items fetched earlier and refused by the sink go first, whether or
		// not the source still serves them.
		c.flushPending(ctx, log, src, &st)
	}
	start := time.Now()

	resp, err := c.fetchSource(ctx, log, src, &st)
	c.m.fetchDuration.WithLabelValues(src.ID).Observe(time.Since(start).Seconds())
	if err != nil {
		if ctx.Err() != nil {
			return cancelled(log, &res, err)
		}
		res.RetryAfter, _ = fetch.Throttled(err, time.Now())
		if reason := fetchDeadLetterReason(err); reason != "" {
			c.deadLetter(ctx, log, src, reason, "crawler.fetch", src.URL, err, nil)
		}
		return c.failure(log, src, &res, err)
	}
	fetchedAt := time.Now().UTC()
	cy := newCycle()
	cy.max = c.cfg.MaxItemsPerPoll
	if unsaved != nil {
		// What it sent now would not be remembered across a restart: it
		// reads and records, and sends once the state is saved again.
		cy.max = 0
		log.Warn("state not saved: new items held back until it is", zap.Error(unsaved))
	}
	res.NotModified = resp.NotModified
	if !resp.NotModified {
		if err := c.read(ctx, log, src, &st, resp, fetchedAt, cy, &res); err != nil {
			return c.failure(log, src, &res, err)
		}
	}
	if src.Kind == sources.KindHTML && c.refreshDue(src) {
		c.refresh(ctx, log, src, &st, fetchedAt, cy, &res)
	}
	if err := ctx.Err(); err != nil {
		// Shut down while article pages were being fetched: they failed on
		// the cancelled context, so items may be summary-only or missing.
		// Publishing them as seen would mean never enriching them.
		return cancelled(log, &res, err)
	}
	res.RetryAfter = cy.throttle
	if err := c.commit(ctx, log, src, &st, resp, cy, &res); err != nil {
		return c.failure(log, src, &res, err)
	}
	c.success(src.ID, &res)
	if resp.NotModified && res.Published == 0 {
		log.Debug("not modified")
		return res
	}
	log.Info("polled", zap.Int("new", res.New), zap.Int("changed", res.Changed), zap.Int("unchanged", res.Unchanged),
		zap.Int("invalid", res.Invalid), zap.Int("duplicates", res.Duplicates), zap.Int("deferred", res.Deferred), zap.Int("given_up", res.GivenUp), zap.Int("refreshed", res.Refreshed),
		zap.Int("capped", res.Capped), zap.Int("skipped", res.Skipped), zap.Int("published", res.Published))
	return res
}

// read parses a fetched document into cy. A document that cannot be read at
// all is dead-lettered with its payload and fails the poll.
func (c *Crawler) read(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, resp *fetch.Response,
	fetchedAt time.Time, cy *cycle, res *PollResult) error {
	if src.Kind == sources.KindHTML {
		listing, err := scrape.Listing(src, resp.URL, resp.Body)
		if err != nil {
			reason := "listing_unreadable"
			if errors.Is(err, scrape.ErrNoItems) {
				reason = "no_items"
			}
			err = fmt.Errorf("parse %s: %w", resp.URL, err)
			c.deadLetter(ctx, log, src, reason, "crawler.parse", resp.URL, err, resp.Body)
			return err
		}
		n := c.window(ctx, log, src, st, cy, res, len(listing), func(i int) string { return listing[i].URL })
		c.scrapeListing(ctx, log, src, st, listing[:n], fetchedAt, cy, res)
		return nil
	}
	// A feed, or a Telegram channel's preview: documents that show their
	// items' content and page back by themselves.
	parsed, err := parseDocument(src, resp.URL, resp.Body, fetchedAt)
	if err != nil {
		reason := parseReason(src, err)
		err = documentError(src, resp.RequestURL, resp.URL, err)
		c.deadLetter(ctx, log, src, reason, "crawler.parse", resp.URL, err, resp.Body)
		return err
	}
	c.rejectInvalid(ctx, log, src, st, parsed.Invalid, cy, res)
	items := append(parsed.Items, c.catchUp(ctx, log, src, st, resp, parsed.older, parsed.Items, fetchedAt, cy, res)...)
	items, dups := uniqueItems(items)
	c.rejectDuplicates(ctx, log, src, st, dups, cy, res)
	n := c.window(ctx, log, src, st, cy, res, len(items), func(i int) string { return items[i].Key() })
	c.feedItems(ctx, log, src, st, items[:n], cy, res)
	return nil
}

// commit publishes the cycle's items and, once the sink acknowledged them,
// advances the state: seen keys, and on a 200 the validators (only for a
// complete document), recent entries, rejections and publishing rhythm.
func (c *Crawler) commit(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, resp *fetch.Response,
	cy *cycle, res *PollResult) error {
	if len(cy.out) > 0 {
		pubCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
		err := c.cfg.Sink.Publish(pubCtx, cy.out)
		cancel()
		if err != nil {
			c.m.publishFailures.WithLabelValues(src.ID).Inc()
			c.addPending(log, src.ID, cy.out, cy.hashes)
			return fmt.Errorf("%w: %s: %w", ErrPublish, src.ID, err)
		}
		res.Published = len(cy.out)
	}
	now := time.Now()
	for k, h := range cy.hashes {
		st.Seen[k] = h
		st.SeenAt[k] = now
	}
	for k := range cy.present {
		if _, ok := st.Seen[k]; ok {
			st.SeenAt[k] = now
		}
	}
	// A state whose last save failed is saved again whatever changed.
	changed := len(cy.out) > 0 || c.store.err(src.ID) != nil
	if !resp.NotModified {
		before := len(st.Seen)
		st.prune(now, c.cfg.SeenTTL, c.cfg.MaxSeen, cy.present)
		if n := st.fit(c.cfg.MaxStateBytes, cy.present); n > 0 {
			log.Warn("seen keys no longer listed dropped to keep the state record within its bound",
				zap.Int("dropped", n), zap.Int("max_state_bytes", c.cfg.MaxStateBytes))
		}
		changed = changed || len(st.Seen) != before
		changed = st.recordPoll(now, resp, cy) || changed
		if !cy.complete {
			log.Info("validators not recorded: some listed entries are not sent yet", zap.Int("deferred", res.Deferred))
		}
	}
	st.UpdatedAt = now.UTC()
	c.setState(*st)
	// Save only what matters across restarts: refreshed SeenAt times alone
	// are not worth a write on every poll of a feed without validators.
	if changed {
		saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
		if err := c.cfg.State.Save(saveCtx, *st); err != nil {
			c.m.stateSaveFailures.WithLabelValues(src.ID).Inc()
			log.Error("save state: the source's new items are held back and the crawler is unready until a save succeeds",
				zap.Error(err), zap.Int("seen", len(st.Seen)))
		}
		cancel()
	}
	c.m.items.WithLabelValues(src.ID, "new").Add(float64(res.New))
	c.m.items.WithLabelValues(src.ID, "changed").Add(float64(res.Changed))
	c.m.items.WithLabelValues(src.ID, "unchanged").Add(float64(res.Unchanged))
	c.m.items.WithLabelValues(src.ID, "invalid").Add(float64(res.Invalid))
	c.m.items.WithLabelValues(src.ID, "capped").Add(float64(res.Capped))
	c.m.items.WithLabelValues(src.ID, "skipped").Add(float64(res.Skipped))
	c.setStaleness(src.ID, *st)
	return nil
}

// recordPoll records what a 200 said about the source and reports whether
// anything worth saving changed.
func (s *SourceState) recordPoll(now time.Time, resp *fetch.Response, cy *cycle) bool {
	// The URL the validators belong to, and the one asked for to get there.
	url, asked, etag, lm := resp.URL, resp.RequestURL, resp.ETag, resp.LastModified
	if asked == "" {
		asked = url
	}
	if etag == "" && lm == "" || !cy.complete {
		url, asked, etag, lm = "", "", "", ""
	}
	changed := s.URL != url || s.RequestURL != asked || s.ETag != etag || s.LastModified != lm ||
		!maps.Equal(s.Rejected, cy.rejected) || !slices.EqualFunc(s.Recent, cy.recent, RecentEntry.equal)
	s.URL, s.RequestURL, s.ETag, s.LastModified = url, asked, etag, lm
	s.Recent = cy.recent
	s.Rejected = nil
	if len(cy.rejected) > 0 {
		s.Rejected = cy.rejected
	}
	s.PolledAt = now.UTC()
	if len(cy.published) > 0 {
		sort.Slice(cy.published, func(i, j int) bool { return cy.published[i].Before(cy.published[j]) })
		if newest := cy.published[len(cy.published)-1]; newest.After(s.NewestPublished) {
			s.NewestPublished = newest
			changed = true
		}
		if gap, ok := medianGap(cy.published); ok && gap.Seconds() != s.PublishIntervalSeconds {
			s.PublishIntervalSeconds = gap.Seconds()
			changed = true
		}
	}
	return changed
}

// setStaleness sets the gauges the "source silent" alert reads from st.
func (c *Crawler) setStaleness(id string, st SourceState) {
	if !st.NewestPublished.IsZero() {
		c.m.lastItem.WithLabelValues(id).Set(float64(st.NewestPublished.Unix()))
	}
	if st.PublishIntervalSeconds > 0 {
		c.m.expectedInterval.WithLabelValues(id).Set(st.PublishIntervalSeconds)
	}
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
		req.Hosts = c.hosts[sourceID]
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
