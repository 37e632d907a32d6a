package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/scrape"
	"github.com/readout/readout/pkg/sources"
)

// maxDeferrals bounds the polls a partial feed item waits for its article
// page while the site asks to wait; then it goes out as the feed has it.
const maxDeferrals = 3

// feedItems adds the new and edited items of a feed to cy, enriching partial
// ones from their article pages. When they exceed the cycle's room
// (MaxItemsPerPoll), the newest wait for the next polls and the oldest go
// first: older pages are read again only while the first page reaches back
// to nothing seen (see catchUp), so what waits must be on the first page.
func (c *Crawler) feedItems(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, items []model.RawItem,
	cy *cycle, res *PollResult) {
	wait := 0
	if room := cy.room(); room >= 0 {
		wait = unsent(st, items) - room
	}
	for i := range items {
		it := items[i]
		key, h := it.Key(), it.Hash() // the hash of the feed's version: enrichment does not make it look edited
		cy.present[key] = true
		cy.sawPublished(it.PublishedAt)
		prev, seen := st.Seen[key]
		if seen && prev == h {
			res.Unchanged++
			continue
		}
		if wait > 0 {
			wait--
			cy.complete = false
			res.Capped++
			continue
		}
		if src.FetchArticle && feeds.Partial(&it) && cy.articles < c.cfg.MaxArticles {
			if !c.enrich(ctx, log, src, &it, cy) && c.deferItem(src.ID, key) {
				cy.complete = false
				res.Deferred++
				continue
			}
		}
		if seen {
			res.Changed++
		} else {
			res.New++
		}
		cy.add(it, key, h)
	}
	c.forgetDeferrals(src.ID, cy)
}

// unsent counts the items that are new or edited since last sent.
func unsent(st *SourceState, items []model.RawItem) int {
	n := 0
	for i := range items {
		if prev, seen := st.Seen[items[i].Key()]; !seen || prev != items[i].Hash() {
			n++
		}
	}
	return n
}

// window returns how many of the n entries of a document are read: the
// first MaxSeen as listed. The seen-state holds every key the document
// lists, so a longer document would make it unbounded; the entries past
// the window are counted and dead-lettered (too_many_entries) once while
// the document lists too many. key names the i-th entry.
func (c *Crawler) window(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, cy *cycle, res *PollResult,
	n int, key func(i int) string) int {
	keep := c.cfg.MaxSeen
	if n <= keep {
		return n
	}
	res.Skipped += n - keep
	payload, _ := json.Marshal(tooManyEntries{Listed: n, Read: keep, FirstSkipped: key(keep), LastSkipped: key(n - 1)})
	c.rejectOnce(ctx, log, src, st, cy, rejection{key: "too_many_entries", reason: "too_many_entries", stage: "crawler.parse", dlKey: src.URL, payload: payload,
		err: fmt.Errorf("the document lists %d entries, more than the %d a source's seen-state holds (max seen): the %d after %s are not read",
			n, keep, n-keep, key(keep-1))})
	return keep
}

// tooManyEntries is the payload of a too_many_entries dead letter.
type tooManyEntries struct {
	Listed       int    `json:"listed"`
	Read         int    `json:"read"`
	FirstSkipped string `json:"first_skipped"`
	LastSkipped  string `json:"last_skipped"`
}

// uniqueItems keeps the first item of each key in a document and returns
// the later ones whose content differs from it. Feeds list newest first, so
// the first is the current version; sending both would send one key's two
// versions, and record the last, on every poll: each poll would find the
// other one changed.
func uniqueItems(items []model.RawItem) (kept, dups []model.RawItem) {
	first := make(map[string]string, len(items)) // key -> content hash
	kept = make([]model.RawItem, 0, len(items))
	for _, it := range items {
		key := it.Key()
		h, seen := first[key]
		switch {
		case !seen:
			first[key] = it.Hash()
			kept = append(kept, it)
		case h != it.Hash():
			dups = append(dups, it)
		}
	}
	return kept, dups
}

// rejectDuplicates dead-letters the later entries of a key the document
// lists twice with different content, each once while the document keeps
// it.
func (c *Crawler) rejectDuplicates(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, dups []model.RawItem,
	cy *cycle, res *PollResult) {
	for i := range dups {
		if !c.rejectable(log, cy, len(dups)-i) {
			res.Skipped += len(dups) - i
			return
		}
		if c.rejectOnce(ctx, log, src, st, cy, duplicateRejection(dups[i], "crawler.parse")) {
			res.Duplicates++
		}
	}
}

// duplicateRejection is the rejection of a later entry of a key listed twice.
func duplicateRejection(it model.RawItem, stage string) rejection {
	key, h := it.Key(), it.Hash()
	payload, _ := json.Marshal(&it)
	return rejection{key: "duplicate:" + key + "|" + h, reason: "duplicate_key", stage: stage, dlKey: key, payload: payload,
		err: fmt.Errorf("the document lists %s again with other content (%q): the first entry is kept", key, it.Title)}
}

// deferItem counts one more poll that key waits for its article page and
// reports whether it may wait (at most maxDeferrals polls).
func (c *Crawler) deferItem(sourceID, key string) bool {
	r := c.run(sourceID)
	return r.bump(r.deferrals, key) <= maxDeferrals
}

// forgetDeferrals drops the counts of items sent or gone from the feed.
func (c *Crawler) forgetDeferrals(sourceID string, cy *cycle) {
	r := c.run(sourceID)
	r.forget(r.deferrals, cy)
}

// scrapeListing turns the listing entries not seen before into items by
// fetching their pages. A listing shows no content to compare, so seen
// entries are unchanged (refresh looks for edits). An entry whose page is
// not fetched this poll (failed, capped by MaxArticles or MaxItemsPerPoll, on
// a host the source does not allow, or the site asked to wait) is retried on the next one and
// keeps the cycle incomplete; one whose page failed MaxArticleFailures polls
// in a row is given up (see articleFailed) and no longer does.
func (c *Crawler) scrapeListing(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState,
	listing []scrape.ListingItem, fetchedAt time.Time, cy *cycle, res *PollResult) {
	for i, li := range listing {
		key := listingKey(src.ID, li.URL)
		cy.present[key] = true
		if i < src.Refresh.Newest {
			cy.recent = append(cy.recent, RecentEntry{URL: li.URL, Title: li.Title, Time: li.Time})
		}
		if !li.Time.IsZero() {
			cy.published = append(cy.published, li.Time)
		}
		if _, ok := st.Seen[key]; ok {
			res.Unchanged++
			continue
		}
		if gk := givenUpKey(key, li); st.Rejected[gk] != "" {
			cy.rejected[gk] = st.Rejected[gk] // still listed as it was: still given up
			cy.settled[key] = true
			continue
		}
		switch {
		case !c.allowed(src, li.URL):
			c.m.articleFailures.WithLabelValues(src.ID, "not_allowed").Inc()
			c.rejectOnce(ctx, log, src, st, cy, rejection{key: key, reason: "host_not_allowed", stage: "crawler.scrape", dlKey: li.URL,
				err: fmt.Errorf("listing links %s: %w (add its host to the source's hosts to fetch it)", li.URL, fetch.ErrHostNotAllowed)})
			continue
		case cy.room() == 0:
			res.Capped++
			continue
		case cy.throttled || cy.articles >= c.cfg.MaxArticles || ctx.Err() != nil:
			res.Deferred++
			continue
		}
		it, ok, failed := c.listed(ctx, log, src, li, fetchedAt, cy)
		if failed != nil && c.articleFailed(ctx, log, src, st, li, key, failed, cy) {
			cy.settled[key] = true
			res.GivenUp++
		}
		if !ok {
			continue
		}
		res.New++
		cy.add(it, key, it.ContentHash)
	}
	r := c.run(src.ID)
	r.forget(r.articleFails, cy)
	if len(cy.hashes) < countUnseen(st, cy) {
		cy.complete = false
	}
}

// countUnseen is the number of listed keys not in the seen-state and not
// given up.
func countUnseen(st *SourceState, cy *cycle) int {
	n := 0
	for k := range cy.present {
		if _, ok := st.Seen[k]; !ok && !cy.settled[k] {
			n++
		}
	}
	return n
}

// refreshDue counts a poll of an HTML source and reports whether its seen
// entries are re-fetched in this one: the first poll after a start, then
// every Refresh.Every polls.
func (c *Crawler) refreshDue(src sources.Source) bool {
	if !src.Refresh.Enabled() {
		return false
	}
	return c.run(src.ID).countPoll()%src.Refresh.Every == 0
}

// refresh re-fetches the newest seen entries of an HTML listing (those just
// listed, or the recorded ones on a 304) and adds the edited ones to cy: they
// go out again as a new version.
func (c *Crawler) refresh(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState, fetchedAt time.Time,
	cy *cycle, res *PollResult) {
	recent := cy.recent
	if len(cy.present) == 0 {
		recent = st.Recent // 304: the listing is as recorded
	}
	for _, e := range recent {
		key := listingKey(src.ID, e.URL)
		prev, seen := st.Seen[key]
		if _, sentNow := cy.hashes[key]; !seen || sentNow || !c.allowed(src, e.URL) {
			continue
		}
		if cy.throttled || cy.articles >= c.cfg.MaxArticles || cy.room() == 0 || ctx.Err() != nil {
			return
		}
		it, ok, _ := c.listed(ctx, log, src, scrape.ListingItem{URL: e.URL, Title: e.Title, Time: e.Time}, fetchedAt, cy)
		if !ok {
			continue
		}
		res.Refreshed++
		if it.ContentHash == prev {
			continue
		}
		res.Changed++
		if cy.present[key] {
			res.Unchanged-- // counted as listed and seen
		}
		cy.add(it, key, it.ContentHash)
	}
}
