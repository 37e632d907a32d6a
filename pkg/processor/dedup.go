package processor

import (
	"slices"
	"time"

	"github.com/readout/readout/pkg/calls"
	"github.com/readout/readout/pkg/model"
)

// Deduper is step 2 for one partition of statement ids: it recognises a
// redelivered statement (the same content as its current or a recent
// version) and numbers the versions of edited ones. Every version of a
// statement reaches the same Deduper, whichever source or feed carried it.
// Not safe for concurrent use.
type Deduper struct {
	p      *Processor
	seen   map[string]*seenStatement
	newest time.Time // latest publication seen, capped at the clock + calls.MaxFuture
	since  int       // commits since the last eviction
}

type seenStatement struct {
	version     int
	hashes      []string // the current version's content hash, then prior ones: at most 1+MaxPriorHashes
	publishedAt time.Time
}

// NewDeduper returns an empty Deduper with p's settings and metrics.
func (p *Processor) NewDeduper() *Deduper {
	return &Deduper{p: p, seen: map[string]*seenStatement{}}
}

// Len is the number of statements held.
func (d *Deduper) Len() int { return len(d.seen) }

// Restore loads a statement read back from the statements topic; of
// several versions the highest wins.
func (d *Deduper) Restore(st *model.Statement) {
	if old, ok := d.seen[st.ID]; ok && old.version >= st.Version {
		return
	}
	d.put(st.ID, st.Version, append([]string{st.ContentHash}, st.PriorHashes...), st.PublishedAt)
}

// Commit numbers the version of st, a prepared statement, and returns the
// statement to publish, or nil for a redelivery (content the statement had
// already, now or in one of its recent versions).
func (d *Deduper) Commit(st *model.Statement) *model.Statement {
	m := d.p.cfg.Metrics
	prev := d.seen[st.ID]
	if prev != nil && slices.Contains(prev.hashes, st.ContentHash) {
		m.DedupHits.WithLabelValues("redelivery").Inc()
		return nil
	}
	out := *st
	out.Version, out.PriorHashes = 1, nil
	hashes := []string{st.ContentHash}
	if prev != nil {
		m.DedupHits.WithLabelValues("version").Inc()
		out.Version = prev.version + 1
		out.PriorHashes = slices.Clone(prev.hashes[:min(len(prev.hashes), model.MaxPriorHashes)])
		hashes = append(hashes, out.PriorHashes...)
	}
	d.put(st.ID, out.Version, hashes, st.PublishedAt)
	if d.since++; d.since >= evictEvery {
		d.Evict()
	}
	return &out
}

func (d *Deduper) put(id string, version int, hashes []string, published time.Time) {
	if _, ok := d.seen[id]; !ok {
		d.p.cfg.Metrics.StateEntries.WithLabelValues("statements").Inc()
	}
	d.seen[id] = &seenStatement{version: version, hashes: hashes[:min(len(hashes), 1+model.MaxPriorHashes)], publishedAt: published}
	if limit := d.p.cfg.Now().Add(calls.MaxFuture); published.After(limit) {
		published = limit
	}
	if published.After(d.newest) {
		d.newest = published
	}
}

// Evict forgets statements published longer than the retention before the
// newest one, and returns how many.
func (d *Deduper) Evict() int {
	d.since = 0
	cut := d.newest.Add(-d.p.cfg.StatementRetention)
	n := 0
	for id, s := range d.seen {
		if s.publishedAt.Before(cut) {
			delete(d.seen, id)
			n++
		}
	}
	d.p.cfg.Metrics.StateEntries.WithLabelValues("statements").Sub(float64(n))
	return n
}

// Release drops the state (its partition moved away) and its count from the metrics.
func (d *Deduper) Release() {
	d.p.cfg.Metrics.StateEntries.WithLabelValues("statements").Sub(float64(len(d.seen)))
	d.seen = map[string]*seenStatement{}
}

// Merger is step 3 for one partition of call reports: a calls.Tracker with
// the processor's metrics. Not safe for concurrent use.
type Merger struct {
	p     *Processor
	t     *calls.Tracker
	since int
	// sizes last told to the state gauges
	events, index int
}

// NewMerger returns an empty Merger with p's settings and metrics.
func (p *Processor) NewMerger() *Merger {
	return &Merger{p: p, t: calls.NewTracker(calls.Options{Retention: p.cfg.EventRetention, Keys: p.cfg.Keys, Now: p.cfg.Now})}
}

// Len is the number of events held in memory.
func (m *Merger) Len() int { return m.t.Len() }

// Restore loads an event read back from the leader-calls topic. Call
// Restored when all are loaded.
func (m *Merger) Restore(ev *model.LeaderCall) { m.t.Restore(ev) }

// Restored evicts what the restore loaded past the retention and updates the gauges.
func (m *Merger) Restored() {
	m.t.Evict()
	m.gauge()
}

// Add merges report r and returns the event versions it produced, as
// snapshots safe to keep.
func (m *Merger) Add(r *model.CallReport, now time.Time) []*model.LeaderCall {
	evs, how := m.t.Add(r, now)
	if len(evs) > 0 {
		switch how {
		case calls.JoinTranslation:
			m.p.cfg.Metrics.DedupHits.WithLabelValues("translation").Inc()
		case calls.JoinEvent:
			m.p.cfg.Metrics.DedupHits.WithLabelValues("event").Inc()
		}
	}
	out := make([]*model.LeaderCall, len(evs))
	for i, ev := range evs {
		out[i] = calls.Snapshot(ev)
	}
	if m.since++; m.since >= evictEvery {
		m.since = 0
		m.t.Evict()
	}
	m.gauge()
	return out
}

// gauge brings the state gauges up to date with the tracker.
func (m *Merger) gauge() {
	se := m.p.cfg.Metrics.StateEntries
	if n := m.t.Len(); n != m.events {
		se.WithLabelValues("events").Add(float64(n - m.events))
		m.events = n
	}
	if n := m.t.IndexLen(); n != m.index {
		se.WithLabelValues("event_index").Add(float64(n - m.index))
		m.index = n
	}
}

// Release drops the state (its partition moved away) and its count from the metrics.
func (m *Merger) Release() {
	se := m.p.cfg.Metrics.StateEntries
	se.WithLabelValues("events").Sub(float64(m.events))
	se.WithLabelValues("event_index").Sub(float64(m.index))
	m.events, m.index = 0, 0
	m.t = calls.NewTracker(calls.Options{Retention: m.p.cfg.EventRetention, Keys: m.p.cfg.Keys, Now: m.p.cfg.Now})
}
