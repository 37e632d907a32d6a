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

	"github.com/readout/readout/internal/retry"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// maxPageAttempts bounds the tries of one archive page, and of the work on
// it, while the site answers 429/503 or the network fails.
const maxPageAttempts = 4

// Backfill walks the source's archive (listing pages or the feed's own
// rel="next" pages, newest first) and publishes the items published between
// from and to that are not in the seen-state, one page at a time. Its
// progress is kept with the state, so a rerun sends nothing twice and an
// interrupted walk goes on where it stopped; politeness is the live
// crawler's. The README ("crawler backfill") tells the rest. Progress goes
// to progress (may be nil).
func (c *Crawler) Backfill(ctx context.Context, sourceID string, from, to time.Time, progress io.Writer) error {
	src, ok := c.source(sourceID)
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownSource, sourceID)
	}
	if src.Archive == nil {
		return fmt.Errorf("%w: %s (give it an archive: section in the sources file, as configs/sources.yaml shows)", ErrNoArchive, sourceID)
	}
	if err := c.load(ctx); err != nil {
		return err
	}
	log := c.log.With(zap.String("source", src.ID), zap.String("mode", "backfill"))
	p := newProgress(progress, src.ID, from, src.Archive.MaxPages)
	err := c.walkArchive(ctx, log, src, from, to, p)
	p.finish(err)
	return err
}

// pageReport is what one archive page held.
type pageReport struct {
	listed, invalid, inRange, published int
	oldest, newest                      time.Time
	last                                time.Time   // the last dated entry, in listing order
	failed                              []time.Time // in-range entries whose page failed
}

// sawDated records a dated entry and reports whether it is in [from, to].
func (r *pageReport) sawDated(t, from, to time.Time) bool {
	if r.oldest.IsZero() || t.Before(r.oldest) {
		r.oldest = t
	}
	if t.After(r.newest) {
		r.newest = t
	}
	r.last = t
	in := !t.Before(from) && !t.After(to)
	if in {
		r.inRange++
	}
	return in
}

// archivePageWork is an archive page read: the work on its entries, the
// dates they show, and the page after it (nil at the end of the archive).
type archivePageWork struct {
	work    func(st *SourceState, cy *cycle, rep *pageReport)
	dates   []time.Time
	next    *cursor
	invalid int
	end     string // the page has no entries: why the archive ends there
}

// walkArchive walks src's archive for [from, to], recording its progress
// (see walk) as it goes and when it stops, whatever stopped it.
func (c *Crawler) walkArchive(ctx context.Context, log *zap.Logger, src sources.Source, from, to time.Time, p *progress) error {
	w := newWalk(from, to, c.state(src.ID).Backfill)
	defer c.saveWalk(ctx, log, src, w)
	if w.done() {
		p.line(fmt.Sprintf("%s: every item from %s to %s was backfilled before", src.ID, fmtTime(from), fmtTime(to)))
		return nil
	}
	a := src.Archive
	cur, last := cursor{n: 1, url: a.URL}, a.MaxPages
	if a.Kind == sources.ArchiveFeed && a.URL == "" {
		cur.url = src.URL
	}
	if a.Kind != sources.ArchiveFeed {
		cur = cursor{n: a.FirstPage, url: a.PageURL(a.FirstPage)}
		last = a.FirstPage + a.MaxPages - 1
	}
	visited := map[string]bool{}
	var back *cursor // where the walk goes on if the page it jumped to does not fit
	for {
		if j, ok := w.jump(cur); ok {
			back = &cursor{n: cur.n, url: cur.url}
			p.line(fmt.Sprintf("%s: resuming at page %d, where an earlier backfill stopped (everything newer in range is done)", src.ID, j.n))
			cur = j
		}
		if cur.n > last {
			p.end(cur.n-1, fmt.Sprintf("archive.max_pages (%d) reached: a rerun with a higher bound goes on from here", a.MaxPages))
			return nil
		}
		resp, end, err := c.archivePage(ctx, log, src, cur.n, c.archiveRequests(src, cur), p)
		if err != nil {
			return err
		}
		var pg archivePageWork
		if !end {
			if a.Kind == sources.ArchiveFeed {
				pg, err = c.readFeedPage(ctx, log, src, cur, resp, w, p)
			} else {
				pg, err = c.readListingPage(ctx, log, src, cur, resp, w)
			}
			if err != nil {
				p.fail(cur.n, err)
				return fmt.Errorf("backfill %s page %d: %w", src.ID, cur.n, err)
			}
			if pg.end != "" {
				p.end(cur.n, pg.end)
				end = true
			}
		}
		if back != nil {
			// The page jumped to must still reach back to where the earlier
			// walk got, else the entries between would be skipped.
			resumed := back
			back = nil
			if end || !w.resumedPageFits(pg.dates) {
				p.line(fmt.Sprintf("%s: page %d no longer reaches back to where the earlier backfill stopped (entries were removed); going on from page %d",
					src.ID, cur.n, resumed.n))
				w.resume = nil
				cur = *resumed
				continue
			}
		}
		if end {
			w.archiveEnds()
			return nil
		}
		visited[cur.url], visited[resp.URL] = true, true
		rep, err := c.backfillPage(ctx, log, src, w, cur, pg.work)
		rep.invalid = pg.invalid
		p.page(cur.n, rep)
		switch {
		case err != nil:
			return fmt.Errorf("backfill %s page %d: %w", src.ID, cur.n, err)
		case w.done():
			return nil
		case pg.next == nil || visited[pg.next.url]:
			p.end(cur.n, "last page")
			w.archiveEnds()
			return nil
		}
		cur = *pg.next
	}
}

// archiveRequests are the requests for an archive page: its URL and mirrors;
// for the first page of a feed archive without a URL of its own, the source
// URL and its fallbacks.
func (c *Crawler) archiveRequests(src sources.Source, cur cursor) []fetch.Request {
	if src.Archive.Kind == sources.ArchiveFeed && src.Archive.URL == "" && cur.url == src.URL {
		reqs := make([]fetch.Request, 0, len(src.URLs()))
		for _, u := range src.URLs() {
			reqs = append(reqs, fetch.Request{URL: u})
		}
		return reqs
	}
	return mirrors(src, cur.url)
}

// readListingPage reads page cur of an ArchiveHTML archive.
func (c *Crawler) readListingPage(ctx context.Context, log *zap.Logger, src sources.Source, cur cursor, resp *fetch.Response,
	w *walk) (archivePageWork, error) {
	listing, err := scrape.Listing(src, resp.URL, resp.Body)
	if errors.Is(err, scrape.ErrNoItems) {
		return archivePageWork{end: "no items, end of archive"}, nil
	}
	if err != nil {
		c.deadLetter(ctx, log, src, "listing_unreadable", "crawler.backfill", cur.url, err, resp.Body)
		return archivePageWork{}, err
	}
	pg := archivePageWork{work: func(st *SourceState, cy *cycle, rep *pageReport) {
		c.backfillEntries(ctx, log, src, st, listing, w, cy, rep)
	}}
	for _, li := range listing {
		if !li.Time.IsZero() {
			pg.dates = append(pg.dates, li.Time)
		}
	}
	pg.next = &cursor{n: cur.n + 1, url: src.Archive.PageURL(cur.n + 1)} // the walk stops at Archive.MaxPages
	return pg, nil
}

// readFeedPage reads page cur of an ArchiveFeed archive (a feed's pages, a
// Telegram channel's); its invalid entries and the later entries of a key it
// lists twice are dead-lettered.
func (c *Crawler) readFeedPage(ctx context.Context, log *zap.Logger, src sources.Source, cur cursor, resp *fetch.Response,
	w *walk, p *progress) (archivePageWork, error) {
	parsed, err := parseDocument(src, resp.URL, resp.Body, time.Now())
	if err != nil {
		err = documentError(src, cur.url, resp.URL, err)
		c.deadLetter(ctx, log, src, parseReason(src, err), "crawler.backfill", resp.URL, fmt.Errorf("page %d: %w", cur.n, err), resp.Body)
		return archivePageWork{}, err
	}
	// A channel's page can hold only service posts and captionless media
	// and still have older pages: only its missing older link ends it.
	if len(parsed.Items) == 0 && len(parsed.Invalid) == 0 && (src.Kind != sources.KindTelegram || parsed.older == "") {
		return archivePageWork{end: "no entries, end of archive"}, nil
	}
	for _, inv := range parsed.Invalid {
		c.deadLetter(ctx, log, src, "invalid_item", "crawler.backfill", invalidKey(inv),
			fmt.Errorf("page %d entry %d (%q): %s", cur.n, inv.Index, inv.Item.Title, inv.Reason), invalidPayload(inv))
	}
	items, dups := uniqueItems(parsed.Items)
	for i := range dups {
		r := duplicateRejection(dups[i], "crawler.backfill")
		c.deadLetter(ctx, log, src, r.reason, r.stage, r.dlKey, fmt.Errorf("page %d: %w", cur.n, r.err), r.payload)
	}
	pg := archivePageWork{invalid: len(parsed.Invalid), work: func(st *SourceState, cy *cycle, rep *pageReport) {
		c.backfillItems(ctx, log, src, st, items, w, cy, rep)
	}}
	for i := range items {
		if t, err := time.Parse(time.RFC3339, items[i].PublishedAt); err == nil {
			pg.dates = append(pg.dates, t)
		}
	}
	if n, ok := feeds.PageNumber(parsed.last); ok {
		p.setLast(n)
	}
	if parsed.older != "" {
		pg.next = &cursor{n: cur.n + 1, url: parsed.older}
	}
	return pg, nil
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
// An entry whose page fails is left for a rerun (a hole in the coverage).
func (c *Crawler) backfillEntries(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState,
	listing []scrape.ListingItem, w *walk, cy *cycle, rep *pageReport) {
	fetchedAt := time.Now().UTC()
	rep.listed = len(listing)
	for _, li := range listing {
		if !li.Time.IsZero() && (!rep.sawDated(li.Time, w.from, w.to) || w.covers(li.Time)) {
			continue
		}
		key := listingKey(src.ID, li.URL)
		if _, seen := st.Seen[key]; seen {
			continue
		}
		if cy.throttled || ctx.Err() != nil {
			return
		}
		if !c.allowed(src, li.URL) {
			c.m.articleFailures.WithLabelValues(src.ID, "not_allowed").Inc()
			c.deadLetter(ctx, log, src, "host_not_allowed", "crawler.backfill", li.URL,
				fmt.Errorf("archive links %s: %w", li.URL, fetch.ErrHostNotAllowed), nil)
			continue
		}
		it, ok, failed := c.listed(ctx, log, src, li, fetchedAt, cy)
		if failed != nil && !li.Time.IsZero() {
			rep.failed = append(rep.failed, li.Time)
		}
		if !ok {
			continue
		}
		if li.Time.IsZero() {
			// The listing had no date: decide on the page's.
			t, err := time.Parse(time.RFC3339, it.PublishedAt)
			if err != nil || !rep.sawDated(t, w.from, w.to) || w.covers(t) {
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
	items []model.RawItem, w *walk, cy *cycle, rep *pageReport) {
	rep.listed = len(items)
	for i := range items {
		it := items[i]
		if t, err := time.Parse(time.RFC3339, it.PublishedAt); err == nil {
			if !rep.sawDated(t, w.from, w.to) || w.covers(t) {
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
func (c *Crawler) backfillPage(ctx context.Context, log *zap.Logger, src sources.Source, w *walk, cur cursor,
	work func(st *SourceState, cy *cycle, rep *pageReport)) (pageReport, error) {
	published := 0
	for attempt := 1; ; attempt++ {
		rep, cy, err := c.backfillTry(ctx, log, src, w, cur, work)
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
		if !retry.Sleep(ctx, wait) {
			return rep, ctx.Err()
		}
	}
}

// backfillTry runs work under the source's lock, publishes its items and,
// once they are acknowledged, saves the state with them: their keys and,
// when the page was done in full, the walk's progress (also saved every
// walkSaveEvery pages without items). An interrupted backfill resumes where
// it stopped.
func (c *Crawler) backfillTry(ctx context.Context, log *zap.Logger, src sources.Source, w *walk, cur cursor,
	work func(st *SourceState, cy *cycle, rep *pageReport)) (pageReport, *cycle, error) {
	lock := &c.run(src.ID).lock
	lock.Lock()
	defer lock.Unlock()
	st := c.state(src.ID)
	cy := newCycle()
	var rep pageReport
	work(&st, cy, &rep)
	pubCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
	defer cancel()
	if len(cy.out) > 0 {
		if err := c.cfg.Sink.Publish(pubCtx, cy.out); err != nil {
			c.m.publishFailures.WithLabelValues(src.ID).Inc()
			return rep, cy, fmt.Errorf("%w: %w", ErrPublish, err)
		}
	}
	if !cy.throttled && ctx.Err() == nil {
		w.pageDone(cur, rep)
	}
	if len(cy.out) == 0 && !w.saveDue() {
		return rep, cy, nil
	}
	now := time.Now()
	for k, h := range cy.hashes {
		st.Seen[k] = h
		st.SeenAt[k] = now
	}
	// Backfilled keys are old by nature: bound by count only, not by age
	// (the progress covers what the bound drops).
	st.prune(now, 0, c.cfg.MaxSeen, nil)
	c.saveBackfillState(pubCtx, log, src, &st, w, now)
	c.m.items.WithLabelValues(src.ID, "new").Add(float64(len(cy.out)))
	rep.published = len(cy.out)
	return rep, cy, nil
}

// saveWalk records the walk's progress when some of it is not saved yet.
func (c *Crawler) saveWalk(ctx context.Context, log *zap.Logger, src sources.Source, w *walk) {
	if !w.dirty {
		return
	}
	lock := &c.run(src.ID).lock
	lock.Lock()
	defer lock.Unlock()
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
	defer cancel()
	st := c.state(src.ID)
	c.saveBackfillState(saveCtx, log, src, &st, w, time.Now())
}

// saveBackfillState records st with the walk's progress, in memory and in
// the store; the caller holds the source's lock.
func (c *Crawler) saveBackfillState(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, w *walk, now time.Time) {
	st.Backfill = w.progress(now)
	st.UpdatedAt = now.UTC()
	c.setState(*st)
	if err := c.cfg.State.Save(ctx, *st); err != nil {
		c.m.stateSaveFailures.WithLabelValues(src.ID).Inc()
		log.Error("save state", zap.Error(err))
		return
	}
	w.saved()
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
		if !retry.Sleep(ctx, wait) {
			return nil, ctx.Err()
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
