package crawler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

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

// Poll polls one source now.
func (c *Crawler) Poll(ctx context.Context, id string) PollResult {
	r := c.run(id)
	if r == nil {
		return PollResult{Source: id, Err: fmt.Errorf("%w: %s", ErrUnknownSource, id)}
	}
	if err := c.load(ctx); err != nil {
		return PollResult{Source: id, Err: err}
	}
	r.lock.Lock()
	defer r.lock.Unlock()
	res := c.poll(ctx, r.src)
	c.markAttempted(r)
	return res
}

// markAttempted records that r was polled; the crawler is ready once every
// source was.
func (c *Crawler) markAttempted(r *sourceRun) {
	if r.attempted.Swap(true) {
		return
	}
	for _, o := range c.runs {
		if !o.attempted.Load() {
			return
		}
	}
	c.ready.Store(true)
}

func (c *Crawler) failure(log *zap.Logger, src sources.Source, res *PollResult, err error) PollResult {
	n := c.run(src.ID).failed()
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

func (c *Crawler) success(id string, res *PollResult) {
	c.run(id).succeeded()
	c.m.failures.WithLabelValues(id).Set(0)
	c.m.lastSuccess.WithLabelValues(id).SetToCurrentTime()
	res.Failures = 0
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
