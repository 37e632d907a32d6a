package crawler

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

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
