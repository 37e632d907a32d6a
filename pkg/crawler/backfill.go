package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// maxPageAttempts bounds the tries of one archive page, and of the work on
// it, while the site answers 429/503 or the network fails.
const maxPageAttempts = 4

// Backfill walks the source's archive (newest first) and publishes the items
// published between from and to (inclusive) that are not in the seen-state
// yet, one page at a time, advancing the state after each acknowledged page.
//
// An ArchiveHTML archive is its numbered listing pages read with the
// selectors, an item's page fetched for each entry; an ArchiveFeed archive is
// the feed's own pages, followed by their rel="next" links (kremlin.ru's
// HTML archive answers 403 to robots; its feeds page back to 2015).
//
// The walk stops at the first page whose dated entries are all older than
// from, at an empty, missing (404) or last page, or after Archive.MaxPages.
// Politeness is the live crawler's: per-host rate, Retry-After honoured (the
// walk waits and tries again, at most maxPageAttempts times in a row).
// Progress goes to progress (may be nil): a bar redrawn in place on a
// terminal, one line per page otherwise.
func (c *Crawler) Backfill(ctx context.Context, sourceID string, from, to time.Time, progress io.Writer) error {
	src, ok := c.source(sourceID)
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownSource, sourceID)
	}
	if src.Archive == nil {
		return fmt.Errorf("%w: %s", ErrNoArchive, sourceID)
	}
	if err := c.load(ctx); err != nil {
		return err
	}
	log := c.log.With(zap.String("source", src.ID), zap.String("mode", "backfill"))
	p := newProgress(progress, src.ID, from, src.Archive.MaxPages)
	var err error
	if src.Archive.Kind == sources.ArchiveFeed {
		err = c.backfillFeed(ctx, log, src, from, to, p)
	} else {
		err = c.backfillListing(ctx, log, src, from, to, p)
	}
	p.finish(err)
	return err
}

// pageReport is what one archive page held.
type pageReport struct {
	listed, invalid, inRange, published int
	dated, older                        int
	oldest, newest                      time.Time
}

// olderOnly reports whether every dated entry is older than from: the
// archive is newest first, so the walk ends here.
func (r *pageReport) olderOnly() bool { return r.dated > 0 && r.older == r.dated }

// sawDated records a dated entry and reports whether it is in [from, to].
func (r *pageReport) sawDated(t, from, to time.Time) bool {
	r.dated++
	if t.Before(from) {
		r.older++
	}
	if r.oldest.IsZero() || t.Before(r.oldest) {
		r.oldest = t
	}
	if t.After(r.newest) {
		r.newest = t
	}
	in := !t.Before(from) && !t.After(to)
	if in {
		r.inRange++
	}
	return in
}

func (c *Crawler) backfillListing(ctx context.Context, log *zap.Logger, src sources.Source, from, to time.Time, p *progress) error {
	a := src.Archive
	for n := a.FirstPage; n < a.FirstPage+a.MaxPages; n++ {
		pageURL := a.PageURL(n)
		resp, end, err := c.archivePage(ctx, log, src, n, mirrors(src, pageURL), p)
		if end || err != nil {
			return err
		}
		listing, err := scrape.Listing(src, resp.URL, resp.Body)
		if errors.Is(err, scrape.ErrNoItems) {
			p.end(n, "no items, end of archive")
			return nil
		}
		if err != nil {
			c.deadLetter(ctx, log, src, "listing_unreadable", "crawler.backfill", pageURL, err, resp.Body)
			p.fail(n, err)
			return fmt.Errorf("backfill %s page %d: %w", src.ID, n, err)
		}
		rep, err := c.backfillPage(ctx, log, src, func(st *SourceState, cy *cycle, rep *pageReport) {
			c.backfillEntries(ctx, log, src, st, listing, from, to, cy, rep)
		})
		p.page(n, rep)
		if err != nil {
			return fmt.Errorf("backfill %s page %d: %w", src.ID, n, err)
		}
		if rep.olderOnly() {
			return nil
		}
	}
	return nil
}

func (c *Crawler) backfillFeed(ctx context.Context, log *zap.Logger, src sources.Source, from, to time.Time, p *progress) error {
	a := src.Archive
	reqs := mirrors(src, a.URL)
	if a.URL == "" {
		reqs = nil
		for _, u := range src.URLs() {
			reqs = append(reqs, fetch.Request{URL: u})
		}
	}
	visited := map[string]bool{}
	for n := 1; n <= a.MaxPages; n++ {
		resp, end, err := c.archivePage(ctx, log, src, n, reqs, p)
		if end || err != nil {
			return err
		}
		visited[reqs[0].URL], visited[resp.URL] = true, true
		parsed, err := feeds.ParseAll(src, resp.Body, time.Now())
		if err != nil {
			err = fmt.Errorf("page %d: %w", n, err)
			c.deadLetter(ctx, log, src, feeds.Reason(err), "crawler.backfill", resp.URL, err, resp.Body)
			p.fail(n, err)
			return fmt.Errorf("backfill %s: %w", src.ID, err)
		}
		links := feeds.Paging(resp.Body, resp.URL)
		if last, ok := feeds.PageNumber(links.Last); ok {
			p.setLast(last)
		}
		if len(parsed.Items) == 0 && len(parsed.Invalid) == 0 {
			p.end(n, "no entries, end of archive")
			return nil
		}
		for _, inv := range parsed.Invalid {
			c.deadLetter(ctx, log, src, "invalid_item", "crawler.backfill", invalidKey(inv),
				fmt.Errorf("page %d entry %d (%q): %s", n, inv.Index, inv.Item.Title, inv.Reason), invalidPayload(inv))
		}
		items, dups := uniqueItems(parsed.Items)
		for i := range dups {
			r := duplicateRejection(dups[i], "crawler.backfill")
			c.deadLetter(ctx, log, src, r.reason, r.stage, r.dlKey, fmt.Errorf("page %d: %w", n, r.err), r.payload)
		}
		rep, err := c.backfillPage(ctx, log, src, func(st *SourceState, cy *cycle, rep *pageReport) {
			c.backfillItems(ctx, log, src, st, items, from, to, cy, rep)
		})
		rep.invalid = len(parsed.Invalid)
		p.page(n, rep)
		if err != nil {
			return fmt.Errorf("backfill %s page %d: %w", src.ID, n, err)
		}
		if rep.olderOnly() {
			return nil
		}
		if links.Next == "" || visited[links.Next] {
			p.end(n, "last page")
			return nil
		}
		reqs = mirrors(src, links.Next)
	}
	return nil
}

// archivePage fetches page n of an archive walk. end is true, with no
// error, when the archive ends there (404). Either is reported on p.
func (c *Crawler) archivePage(ctx context.Context, log *zap.Logger, src sources.Source, n int, reqs []fetch.Request,
	p *progress) (resp *fetch.Response, end bool, err error) {
	resp, err = c.fetchPage(ctx, log, src, reqs)
	switch {
	case isNotFound(err):
		p.end(n, "404, end of archive")
		return nil, true, nil
	case err != nil:
		p.fail(n, err)
		return nil, false, fmt.Errorf("backfill %s page %d: %w", src.ID, n, err)
	}
	return resp, false, nil
}

// backfillEntries adds the in-range, unseen entries of a listing page to cy.
func (c *Crawler) backfillEntries(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState,
	listing []scrape.ListingItem, from, to time.Time, cy *cycle, rep *pageReport) {
	fetchedAt := time.Now().UTC()
	rep.listed = len(listing)
	for _, li := range listing {
		if !li.Time.IsZero() && !rep.sawDated(li.Time, from, to) {
			continue
		}
		key := listingKey(src.ID, li.URL)
		if _, seen := st.Seen[key]; seen {
			continue
		}
		if cy.throttled || ctx.Err() != nil {
			return
		}
		if !c.fetcher.Allowed(li.URL) {
			c.m.articleFailures.WithLabelValues(src.ID, "not_allowed").Inc()
			c.deadLetter(ctx, log, src, "host_not_allowed", "crawler.backfill", li.URL,
				fmt.Errorf("archive links %s: %w", li.URL, fetch.ErrHostNotAllowed), nil)
			continue
		}
		it, ok, _ := c.listed(ctx, log, src, li, fetchedAt, cy)
		if !ok {
			continue
		}
		if li.Time.IsZero() {
			// The listing had no date: decide on the page's.
			t, err := time.Parse(time.RFC3339, it.PublishedAt)
			if err != nil || !rep.sawDated(t, from, to) {
				continue
			}
		}
		cy.add(it, key, it.ContentHash)
	}
}

// backfillItems adds the in-range, unseen items of a feed page to cy,
// enriching partial ones. An undated item is taken: nothing puts it out of
// range.
func (c *Crawler) backfillItems(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState,
	items []model.RawItem, from, to time.Time, cy *cycle, rep *pageReport) {
	rep.listed = len(items)
	for i := range items {
		it := items[i]
		if t, err := time.Parse(time.RFC3339, it.PublishedAt); err == nil {
			if !rep.sawDated(t, from, to) {
				continue
			}
		} else {
			rep.inRange++
		}
		key, h := it.Key(), it.Hash()
		if _, seen := st.Seen[key]; seen {
			continue
		}
		if src.FetchArticle && feeds.Partial(&it) && cy.articles < c.cfg.MaxArticles && !c.enrich(ctx, log, src, &it, cy) {
			continue // done again once the site lets us
		}
		cy.add(it, key, h)
	}
}

// backfillPage does one archive page's work and publishes what it gathered.
// While article pages ask to wait it waits and does the page again (what was
// published is seen by then), at most maxPageAttempts times.
func (c *Crawler) backfillPage(ctx context.Context, log *zap.Logger, src sources.Source,
	work func(st *SourceState, cy *cycle, rep *pageReport)) (pageReport, error) {
	published := 0
	for attempt := 1; ; attempt++ {
		rep, cy, err := c.backfillTry(ctx, log, src, work)
		published += rep.published
		rep.published = published
		switch {
		case err != nil:
			return rep, err
		case ctx.Err() != nil:
			return rep, ctx.Err()
		case !cy.throttled:
			return rep, nil
		case attempt == maxPageAttempts:
			return rep, fmt.Errorf("%w: %s kept asking to wait", ErrThrottled, src.ID)
		}
		wait := max(cy.throttle, nextDelay(time.Second, attempt, 0, c.cfg.MaxBackoff))
		log.Info("archive page waits: the site asked to", zap.Duration("wait", wait), zap.Int("attempt", attempt))
		if err := sleep(ctx, wait); err != nil {
			return rep, err
		}
	}
}

// backfillTry runs work under the source's lock and publishes its items; the
// state is saved after each page, so an interrupted backfill resumes where
// it stopped.
func (c *Crawler) backfillTry(ctx context.Context, log *zap.Logger, src sources.Source,
	work func(st *SourceState, cy *cycle, rep *pageReport)) (pageReport, *cycle, error) {
	lock := c.locks[src.ID]
	lock.Lock()
	defer lock.Unlock()
	st := c.state(src.ID)
	cy := newCycle()
	var rep pageReport
	work(&st, cy, &rep)
	if len(cy.out) == 0 {
		return rep, cy, nil
	}
	pubCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
	defer cancel()
	if err := c.cfg.Sink.Publish(pubCtx, cy.out); err != nil {
		c.m.publishFailures.WithLabelValues(src.ID).Inc()
		return rep, cy, fmt.Errorf("%w: %w", ErrPublish, err)
	}
	now := time.Now()
	for k, h := range cy.hashes {
		st.Seen[k] = h
		st.SeenAt[k] = now
	}
	// Backfilled keys are old by nature: bound by count only, not by age.
	st.prune(now, 0, c.cfg.MaxSeen, nil)
	st.UpdatedAt = now.UTC()
	c.setState(st)
	if err := c.cfg.State.Save(pubCtx, st); err != nil {
		c.m.stateSaveFailures.WithLabelValues(src.ID).Inc()
		log.Error("save state", zap.Error(err))
	}
	c.m.items.WithLabelValues(src.ID, "new").Add(float64(len(cy.out)))
	rep.published = len(cy.out)
	return rep, cy, nil
}

// fetchPage fetches one archive page from its mirrors, waiting out 429/503
// (Retry-After, host pauses) and network errors with backoff.
func (c *Crawler) fetchPage(ctx context.Context, log *zap.Logger, src sources.Source, reqs []fetch.Request) (*fetch.Response, error) {
	var err error
	for attempt := 1; attempt <= maxPageAttempts; attempt++ {
		var resp *fetch.Response
		resp, err = c.fetchFirst(ctx, log, src.ID, reqs)
		if err == nil {
			return resp, nil
		}
		wait, throttled := fetch.Throttled(err, time.Now())
		var se *fetch.StatusError
		if errors.As(err, &se) && !throttled && se.Status < 500 {
			return nil, err
		}
		if !retryOnFallback(err) || ctx.Err() != nil || attempt == maxPageAttempts {
			break
		}
		wait = max(wait, nextDelay(time.Second, attempt, 0, c.cfg.MaxBackoff))
		log.Info("retrying archive page", zap.String("url", reqs[0].URL), zap.Duration("wait", wait), zap.Error(err))
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
	return nil, err
}

func isNotFound(err error) bool {
	var se *fetch.StatusError
	return errors.As(err, &se) && se.Status == http.StatusNotFound
}

// mirrors returns a request for pageURL, then for the same path on the
// source's other configured scheme and host pairs when pageURL is on one of
// them (kremlin.ru over http, then https).
func mirrors(src sources.Source, pageURL string) []fetch.Request {
	reqs := []fetch.Request{{URL: pageURL}}
	u, err := url.Parse(pageURL)
	if err != nil {
		return reqs
	}
	var others []*url.URL
	on := false
	for _, m := range src.URLs() {
		mu, err := url.Parse(m)
		if err != nil {
			continue
		}
		if strings.EqualFold(mu.Host, u.Host) && mu.Scheme == u.Scheme {
			on = true
			continue
		}
		others = append(others, mu)
	}
	if !on {
		return reqs
	}
	have := map[string]bool{pageURL: true}
	for _, o := range others {
		v := *u
		v.Scheme, v.Host = o.Scheme, o.Host
		if s := v.String(); !have[s] {
			have[s] = true
			reqs = append(reqs, fetch.Request{URL: s})
		}
	}
	return reqs
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
