package crawler

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// DefaultMaxPending bounds the fetched items per source kept in memory while
// the sink (Kafka) refuses them.
const DefaultMaxPending = 1000

// pending are fetched items the sink has not acknowledged yet, by source, in
// fetch order. The seen-state is not advanced for them, so they are also
// fetched again from the source; the buffer is what survives when the source
// itself goes away (an item scrolled out of the feed, the site down) before
// Kafka comes back.
type pendingItem struct {
	item model.RawItem
	hash string
}

// addPending buffers items that failed to publish, dropping the oldest beyond
// the bound (counted and logged: the source may still serve them again).
func (c *Crawler) addPending(log *zap.Logger, id string, items []model.RawItem, hashes map[string]string) {
	r := c.run(id)
	r.mu.Lock()
	buf := r.pending
	have := make(map[string]bool, len(buf))
	for _, p := range buf {
		have[p.item.Key()+"\x00"+p.hash] = true
	}
	for _, it := range items {
		h := hashes[it.Key()]
		if have[it.Key()+"\x00"+h] {
			continue // fetched again while still waiting: one copy is enough
		}
		buf = append(buf, pendingItem{item: it, hash: h})
	}
	dropped := 0
	if over := len(buf) - c.cfg.MaxPending; over > 0 {
		dropped = over
		buf = append([]pendingItem(nil), buf[over:]...)
	}
	r.pending = buf
	n := len(buf)
	r.mu.Unlock()
	c.m.pending.WithLabelValues(id).Set(float64(n))
	if dropped > 0 {
		c.m.pendingDropped.WithLabelValues(id).Add(float64(dropped))
		log.Error("pending buffer full: oldest unsent items dropped from memory (they are re-fetched while the source still lists them)",
			zap.Int("dropped", dropped), zap.Int("pending", n))
	}
}

// flushPending publishes the buffered items of src and, once acknowledged,
// records them as seen. It reports whether the buffer is now empty.
func (c *Crawler) flushPending(ctx context.Context, log *zap.Logger, src sources.Source, st *SourceState) bool {
	r := c.run(src.ID)
	r.mu.Lock()
	buf := r.pending
	r.mu.Unlock()
	if len(buf) == 0 {
		return true
	}
	items := make([]model.RawItem, len(buf))
	for i := range buf {
		items[i] = buf[i].item
	}
	pubCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
	err := c.cfg.Sink.Publish(pubCtx, items)
	cancel()
	if err != nil {
		c.m.publishFailures.WithLabelValues(src.ID).Inc()
		log.Warn("pending items still not accepted", zap.Int("pending", len(buf)), zap.Error(err))
		return false
	}
	now := time.Now()
	for _, p := range buf {
		st.Seen[p.item.Key()] = p.hash
		st.SeenAt[p.item.Key()] = now
	}
	r.mu.Lock()
	r.pending = r.pending[len(buf):]
	n := len(r.pending)
	r.mu.Unlock()
	c.m.pending.WithLabelValues(src.ID).Set(float64(n))
	st.UpdatedAt = now.UTC()
	c.setState(*st)
	saveCtx, scancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.PublishTimeout)
	if err := c.cfg.State.Save(saveCtx, *st); err != nil {
		c.m.stateSaveFailures.WithLabelValues(src.ID).Inc()
		log.Error("save state", zap.Error(err))
	}
	scancel()
	log.Info("pending items published", zap.Int("items", len(buf)))
	return n == 0
}
