package crawler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/fetch"
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
	runs    []*sourceRun // the enabled sources, in configuration order
	fetcher *fetch.Fetcher
	log     *zap.Logger
	m       *metrics
	store   *checkedStore // cfg.State, checked and watched

	loadOnce sync.Once
	loadErr  error
	ready    atomic.Bool
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
	c := &Crawler{cfg: cfg, fetcher: f, log: cfg.Logger, m: m, store: store}
	for _, s := range enabled {
		c.runs = append(c.runs, newSourceRun(s))
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
func (c *Crawler) Sources() []sources.Source {
	out := make([]sources.Source, len(c.runs))
	for i, r := range c.runs {
		out[i] = r.src
	}
	return out
}

func (c *Crawler) load(ctx context.Context) error {
	c.loadOnce.Do(func() {
		states, err := c.cfg.State.Load(ctx)
		if err != nil {
			c.loadErr = fmt.Errorf("crawler: load state: %w", err)
			return
		}
		for _, r := range c.runs {
			st, ok := states[r.src.ID]
			if !ok {
				continue
			}
			r.setState(st)
			// The staleness gauges from before the restart: a source that keeps
			// answering 304 must not leave the "source silent" alert blind.
			c.setStaleness(r.src.ID, st)
		}
	})
	return c.loadErr
}

// Once polls every enabled source once, concurrently (the fetcher's per-host
// limits apply), and returns the sources' errors joined.
func (c *Crawler) Once(ctx context.Context) error {
	if err := c.load(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, len(c.runs))
	for i, r := range c.runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.Poll(ctx, r.src.ID).Err
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
	for _, r := range c.runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.loop(ctx, r.src)
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
	for _, r := range c.runs {
		if len(r.pendingKeys()) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			log := c.log.With(zap.String("source", r.src.ID))
			r.lock.Lock()
			defer r.lock.Unlock()
			st := r.getState()
			if c.flushPending(ctx, log, r.src, &st) {
				return
			}
			keys := r.pendingKeys()
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
