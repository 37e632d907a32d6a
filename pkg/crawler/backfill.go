package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// maxPageAttempts bounds retries of one archive page on 429/503/network errors.
const maxPageAttempts = 4

// Backfill walks the source's archive listing (newest first) and publishes
// the items published between from and to (inclusive) that are not in the
// seen-state yet, one page at a time, advancing the state after each
// acknowledged page. It stops at the first page whose dated items are all
// older than from, at an empty or missing (404) page, or after
// Archive.MaxPages. One line per page goes to progress (may be nil).
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
	if progress == nil {
		progress = io.Discard
	}
	log := c.log.With(zap.String("source", src.ID), zap.String("mode", "backfill"))
	total := 0
	for n := src.Archive.FirstPage; n < src.Archive.FirstPage+src.Archive.MaxPages; n++ {
		pageURL := src.Archive.PageURL(n)
		resp, err := c.fetchPage(ctx, log, src, pageURL)
		var se *fetch.StatusError
		if errors.As(err, &se) && se.Status == http.StatusNotFound {
			fmt.Fprintf(progress, "%s page %d: 404, end of archive\n", src.ID, n)
			break
		}
		if err != nil {
			fmt.Fprintf(progress, "%s page %d: %v\n", src.ID, n, err)
			return fmt.Errorf("backfill %s page %d: %w", src.ID, n, err)
		}
		listing, err := scrape.Listing(src, resp.URL, resp.Body)
		if errors.Is(err, scrape.ErrNoItems) {
			fmt.Fprintf(progress, "%s page %d: no items, end of archive\n", src.ID, n)
			break
		}
		if err != nil {
			c.deadLetter(ctx, log, src, "listing_unreadable", "crawler.backfill", pageURL, err, resp.Body)
			return fmt.Errorf("backfill %s page %d: %w", src.ID, n, err)
		}
		published, inRange, olderOnly, err := c.backfillPage(ctx, log, src, listing, from, to)
		total += published
		var oldest time.Time
		for _, li := range listing {
			if !li.Time.IsZero() && (oldest.IsZero() || li.Time.Before(oldest)) {
				oldest = li.Time
			}
		}
		fmt.Fprintf(progress, "%s page %d: %d listed, %d in range, %d published (oldest %s)\n",
			src.ID, n, len(listing), inRange, published, fmtTime(oldest))
		if err != nil {
			return fmt.Errorf("backfill %s page %d: %w", src.ID, n, err)
		}
		if olderOnly {
			break
		}
	}
	fmt.Fprintf(progress, "%s backfill done: %d items published\n", src.ID, total)
	return nil
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format(time.RFC3339)
}

// fetchPage fetches one archive page, waiting out 429/503 (Retry-After) and
// network errors with backoff.
func (c *Crawler) fetchPage(ctx context.Context, log *zap.Logger, src sources.Source, pageURL string) (*fetch.Response, error) {
	var err error
	for attempt := 1; attempt <= maxPageAttempts; attempt++ {
		var resp *fetch.Response
		resp, err = c.fetcher.Fetch(ctx, fetch.Request{URL: pageURL})
		c.countResponse(src.ID, resp, err)
		if err == nil {
			return resp, nil
		}
		var se *fetch.StatusError
		if errors.As(err, &se) && se.Status != http.StatusTooManyRequests && se.Status < 500 {
			return nil, err
		}
		if !retryOnFallback(err) || ctx.Err() != nil || attempt == maxPageAttempts {
			break
		}
		wait := nextDelay(time.Second, attempt, 0, c.cfg.MaxBackoff)
		if se != nil {
			wait = max2(wait, se.RetryAfter)
		}
		log.Info("retrying archive page", zap.String("url", pageURL), zap.Duration("wait", wait), zap.Error(err))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	return nil, err
}

// backfillPage publishes the in-range, unseen items of one listing page.
// olderOnly is true when every dated item is older than from.
func (c *Crawler) backfillPage(ctx context.Context, log *zap.Logger, src sources.Source, listing []scrape.ListingItem,
	from, to time.Time) (published, inRange int, olderOnly bool, err error) {
	lock := c.locks[src.ID]
	lock.Lock()
	defer lock.Unlock()
	st := c.state(src.ID)
	dated, older := 0, 0 // olderOnly is decided on dated items only
	defer func() { olderOnly = dated > 0 && older == dated }()
	var out []model.RawItem
	fetchedAt := time.Now().UTC()
	for _, li := range listing {
		if !li.Time.IsZero() {
			dated++
			if li.Time.Before(from) {
				older++
			}
		}
		if !li.Time.IsZero() && (li.Time.Before(from) || li.Time.After(to)) {
			continue
		}
		if !li.Time.IsZero() {
			inRange++
		}
		key := (&model.RawItem{Source: src.ID, GUID: li.URL}).Key()
		if _, seen := st.Seen[key]; seen {
			continue
		}
		if !c.fetcher.Allowed(li.URL) {
			c.m.articleFailures.WithLabelValues(src.ID, "not_allowed").Inc()
			continue
		}
		art, code, aerr := c.article(ctx, src, li.URL)
		if aerr != nil {
			if ctx.Err() != nil {
				return 0, inRange, false, ctx.Err()
			}
			c.m.articleFailures.WithLabelValues(src.ID, code).Inc()
			log.Warn("article page", zap.String("url", li.URL), zap.Error(aerr))
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
		if li.Time.IsZero() {
			// The listing had no date: decide on the page's.
			t, perr := time.Parse(time.RFC3339, it.PublishedAt)
			if perr != nil || t.Before(from) || t.After(to) {
				continue
			}
			inRange++
		}
		it.ContentHash = it.Hash()
		out = append(out, it)
	}
	if len(out) == 0 {
		return 0, inRange, false, nil
	}
	pubCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
	defer cancel()
	if err := c.cfg.Sink.Publish(pubCtx, out); err != nil {
		c.m.publishFailures.WithLabelValues(src.ID).Inc()
		return 0, inRange, false, fmt.Errorf("%w: %w", ErrPublish, err)
	}
	now := time.Now()
	for i := range out {
		k := out[i].Key()
		st.Seen[k] = out[i].ContentHash
		st.SeenAt[k] = now
	}
	// Backfilled keys are old by nature: bound by count only, not by age.
	st.prune(now, 0, c.cfg.MaxSeen, nil)
	c.setState(st)
	if err := c.cfg.State.Save(pubCtx, st); err != nil {
		c.m.stateSaveFailures.WithLabelValues(src.ID).Inc()
		log.Error("save state", zap.Error(err))
	}
	c.m.items.WithLabelValues(src.ID, "new").Add(float64(len(out)))
	return len(out), inRange, false, nil
}
