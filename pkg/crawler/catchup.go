package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// catchUp reads the older pages of a feed (its rel="next" links), or of a
// Telegram channel (?before=<id>), starting at next, when the first page
// does not reach back to what the source showed before: none of
// its items was seen, and none is as old as the newest item seen (the
// source has state, so the crawler was away, or the site published more
// than a page at once). It reads on until a page does reach back, at most
// src.CatchUpPages pages, and returns their items, oldest pages last;
// their invalid entries are dead-lettered. If the pages run out, fail or
// are not allowed before that, items may be missing: a possible_gap dead
// letter says so (logged, counted in readout_crawler_dead_letters_total,
// parked with the times between which items may be missing), and the poll
// goes on with what it has.
func (c *Crawler) catchUp(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, resp *fetch.Response,
	next string, first []model.RawItem, fetchedAt time.Time, cy *cycle, res *PollResult) []model.RawItem {
	if len(st.Seen) == 0 || len(first) == 0 || reachesBack(st, first) {
		return nil
	}
	limit := src.CatchUpPages
	if limit == 0 {
		limit = sources.DefaultCatchUpPages
	}
	if limit < 0 {
		limit = 0 // no older page read; a possible gap is still reported
	}
	var out []model.RawItem
	gap := func(why string, err error) []model.RawItem {
		res.PossibleGap = true
		g := possibleGap{Why: why, PagesRead: 1 + res.CatchUp, ItemsRead: len(first) + len(out), NewestSeenBefore: st.NewestPublished,
			OldestRead: oldestPublished(append(first[:len(first):len(first)], out...))}
		msg := fmt.Sprintf("possible gap (%s): %d pages and %d items read, none reaching back to the items seen before (newest %s); "+
			"crawler backfill --source %s can fetch what is missing", why, g.PagesRead, g.ItemsRead, fmtTime(g.NewestSeenBefore), src.ID)
		if err != nil {
			msg += ": " + err.Error()
		}
		payload, _ := json.Marshal(g)
		c.deadLetter(ctx, log, src, "possible_gap", "crawler.catch_up", src.URL, errors.New(msg), payload)
		return out
	}
	visited := map[string]bool{resp.URL: true, resp.RequestURL: true}
	for {
		switch {
		case next == "" || visited[next]:
			return gap("no_older_page", nil)
		case res.CatchUp == limit:
			return gap("catch_up_limit", nil)
		case !c.allowed(src, next):
			return gap("page_not_allowed", fmt.Errorf("%s: %w", next, fetch.ErrHostNotAllowed))
		}
		visited[next] = true
		page, err := c.fetchFirst(ctx, log, src.ID, mirrors(src, next))
		if err != nil {
			if ctx.Err() != nil {
				return out // the poll is cancelled: nothing is published
			}
			return gap("page_failed", err)
		}
		parsed, err := parseDocument(src, page.URL, page.Body, fetchedAt)
		if err != nil {
			return gap("page_failed", documentError(src, next, page.URL, err))
		}
		res.CatchUp++
		visited[page.URL] = true
		c.rejectInvalid(ctx, log, src, st, parsed.Invalid, cy, res)
		out = append(out, parsed.Items...)
		if reachesBack(st, parsed.Items) {
			log.Info("caught up on older pages", zap.Int("pages", res.CatchUp), zap.Int("items", len(first)+len(out)))
			return out
		}
		next = parsed.older
	}
}

// possibleGap is the payload of a possible_gap dead letter.
type possibleGap struct {
	Why              string    `json:"why"` // catch_up_limit, no_older_page, page_not_allowed, page_failed
	PagesRead        int       `json:"pages_read"`
	ItemsRead        int       `json:"items_read"`
	OldestRead       time.Time `json:"oldest_read,omitzero"`        // the gap, if any, is before this
	NewestSeenBefore time.Time `json:"newest_seen_before,omitzero"` // and after this
}

func oldestPublished(items []model.RawItem) time.Time {
	var oldest time.Time
	for i := range items {
		if t, err := time.Parse(time.RFC3339, items[i].PublishedAt); err == nil && (oldest.IsZero() || t.Before(oldest)) {
			oldest = t
		}
	}
	return oldest
}

// reachesBack reports whether items reach back to what the source showed
// before: one of them was seen, or is no newer than the newest item seen.
func reachesBack(st *SourceState, items []model.RawItem) bool {
	for i := range items {
		if _, ok := st.Seen[items[i].Key()]; ok {
			return true
		}
		if t, err := time.Parse(time.RFC3339, items[i].PublishedAt); err == nil && !st.NewestPublished.IsZero() && !t.After(st.NewestPublished) {
			return true
		}
	}
	return false
}
