package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// article fetches and parses one article page; code labels failures.
func (c *Crawler) article(ctx context.Context, src sources.Source, pageURL string) (*scrape.Article, string, error) {
	resp, err := c.fetcher.Fetch(ctx, fetch.Request{URL: pageURL, Hosts: c.hosts(src.ID)})
	if resp != nil {
		c.m.bytes.WithLabelValues(src.ID).Add(float64(resp.Bytes))
	}
	if err != nil {
		code := "error"
		switch {
		case resp != nil:
			code = strconv.Itoa(resp.Status)
		case errors.Is(err, fetch.ErrHostPaused):
			code = "paused"
		}
		return nil, code, err
	}
	c.noteDecoding(c.log.With(zap.String("source", src.ID)), src.ID, resp)
	art, err := scrape.ParseArticle(src, resp.URL, resp.Body)
	if err != nil {
		return nil, "parse", fmt.Errorf("article %s: %w", pageURL, err)
	}
	return art, "", nil
}

// stopOnThrottle reports whether an article page error means the host asked
// to wait (429, 503, or a pause they started): the cycle then fetches no more
// pages, and its poll result carries the wait.
func (c *Crawler) stopOnThrottle(log *zap.Logger, src sources.Source, pageURL, code string, err error, cy *cycle) bool {
	wait, ok := fetch.Throttled(err, time.Now())
	if !ok {
		return false
	}
	c.m.articleFailures.WithLabelValues(src.ID, code).Inc()
	if !cy.throttled {
		log.Warn("article pages stopped: the site asked to wait", zap.String("url", pageURL), zap.Duration("retry_after", wait), zap.Error(err))
	}
	cy.throttled = true
	cy.throttle = max(cy.throttle, wait)
	return true
}

// enrich fetches the article page of a partial feed item. It reports false
// when the page was not tried or not answered because the site asked to wait
// or the poll is shutting down: the item should wait for its page. Any other
// failure (403 is common on kremlin.ru) is counted and logged and the feed
// item is kept as it is.
func (c *Crawler) enrich(ctx context.Context, log *zap.Logger, src sources.Source, it *model.RawItem, cy *cycle) bool {
	if cy.throttled || ctx.Err() != nil {
		return false
	}
	if it.URL == "" || !c.allowed(src, it.URL) {
		c.m.articleFailures.WithLabelValues(src.ID, "not_allowed").Inc()
		log.Warn("article host not allowed", zap.String("url", it.URL))
		return true
	}
	cy.articles++
	art, code, err := c.article(ctx, src, it.URL)
	if err != nil {
		if c.stopOnThrottle(log, src, it.URL, code, err, cy) || ctx.Err() != nil {
			return false
		}
		c.m.articleFailures.WithLabelValues(src.ID, code).Inc()
		log.Warn("article page", zap.String("url", it.URL), zap.Error(err))
		return true
	}
	art.Apply(it)
	it.ContentHash = it.Hash()
	return true
}

// articleFailure is why an article page could not be used: not fetched
// (an HTTP status, a network error) or not read.
type articleFailure struct {
	code string // status code, "error" or "parse"
	err  error
}

// reason is the dead-letter reason of a page that kept failing.
func (f *articleFailure) reason() string {
	if f.code == "parse" {
		return "article_unreadable"
	}
	return "article_unavailable"
}

// listed fetches the page of a listing entry and builds its item. ok is
// false for any failure; failed says how the page failed (counted and
// logged here), and is nil when it was not answered because the site asked
// to wait or the poll is shutting down.
func (c *Crawler) listed(ctx context.Context, log *zap.Logger, src sources.Source, li scrape.ListingItem,
	fetchedAt time.Time, cy *cycle) (it model.RawItem, ok bool, failed *articleFailure) {
	cy.articles++
	art, code, err := c.article(ctx, src, li.URL)
	if err != nil {
		if c.stopOnThrottle(log, src, li.URL, code, err, cy) || ctx.Err() != nil {
			return model.RawItem{}, false, nil
		}
		c.m.articleFailures.WithLabelValues(src.ID, code).Inc()
		log.Warn("article page", zap.String("url", li.URL), zap.Error(err))
		return model.RawItem{}, false, &articleFailure{code: code, err: err}
	}
	return listingItem(src, li, art, fetchedAt), true, nil
}

// articleFailed counts one more consecutive failure of a listing entry's
// page. After MaxArticleFailures of them the entry is given up: dead-lettered
// once with the reason, and not fetched again while the listing shows it
// unchanged (same URL, title and time), so the listing can be answered 304
// again. It reports whether the entry was given up.
func (c *Crawler) articleFailed(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, li scrape.ListingItem,
	key string, f *articleFailure, cy *cycle) bool {
	r := c.run(src.ID)
	n := r.bump(r.articleFails, key)
	if n < c.cfg.MaxArticleFailures {
		return false
	}
	r.reset(r.articleFails, key) // an entry the listing changes starts again from 0
	c.rejectOnce(ctx, log, src, st, cy, rejection{key: givenUpKey(key, li), reason: f.reason(), stage: "crawler.scrape", dlKey: li.URL,
		err: fmt.Errorf("article page failed %d times in a row, not fetched again while the listing shows it unchanged: %w", n, f.err)})
	return true
}

// givenUpKey is the SourceState.Rejected key of a listing entry given up:
// its item key and what the listing shows of it, so that an entry the
// listing changes (a new title or time) is tried again.
func givenUpKey(key string, li scrape.ListingItem) string {
	h := sha256.Sum256([]byte(li.Title + "\x00" + li.Time.UTC().Format(time.RFC3339)))
	return "gave-up:" + key + "#" + hex.EncodeToString(h[:8])
}

// listingItem builds the raw item of a listing entry from its page; the
// listing fills what the page lacks.
func listingItem(src sources.Source, li scrape.ListingItem, art *scrape.Article, fetchedAt time.Time) model.RawItem {
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
	return it
}

// listingKey is the item key of a listing entry (its URL is its guid).
func listingKey(sourceID, pageURL string) string {
	return (&model.RawItem{Source: sourceID, GUID: pageURL}).Key()
}
