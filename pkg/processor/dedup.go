package processor

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/readout/readout/pkg/calls"
	"github.com/readout/readout/pkg/model"
)

// Deduper is step 2 for one partition of statement ids: it recognises a
// redelivered statement (the same content as its current or a recent
// version) and numbers the versions of edited ones. Every version of a
// statement reaches the same Deduper, whichever source or feed carried it.
// Not safe for concurrent use.
//
// Statements published within the retention of the newest are held as
// they are; older ones are evicted into a compact index (id, latest
// version, recent hashes), bounded by Config.StatementIndex, which answers
// as they would: a redelivery after months is absorbed and an edit
// continues the versions. When statements are evicted therefore changes no
// answer, whether the state was built by consuming or rebuilt from the topic.
type Deduper struct {
	p      *Processor
	seen   map[string]*seenStatement
	past   map[string]pastStatement // evicted statements
	newest time.Time                // latest publication seen, capped at the clock + calls.MaxFuture
	since  int                      // commits and restores since the last eviction
	undo   undoCommit               // how to take back the last commit, when its id is set
	// sizes last told to the state gauges
	toldSeen, toldPast int
}

type seenStatement struct {
	version     int
	hashes      []string // the current version's content hash, then prior ones: at most 1+MaxPriorHashes
	publishedAt time.Time
}

// pastStatement is what the index keeps of an evicted statement.
type pastStatement struct {
	hashes    string // packHashes of the current version's hash and the prior ones
	published int64  // Unix seconds
	version   int32
}

// undoCommit is the state of one statement id before a commit.
type undoCommit struct {
	id     string
	seen   *seenStatement
	past   pastStatement
	inSeen bool
	inPast bool
	newest time.Time
}

// NewDeduper returns an empty Deduper with p's settings and metrics.
func (p *Processor) NewDeduper() *Deduper {
	return &Deduper{p: p, seen: map[string]*seenStatement{}, past: map[string]pastStatement{}}
}

// Len is the number of statements held as they are (not evicted).
func (d *Deduper) Len() int { return len(d.seen) }

// IndexLen is the number of evicted statements the index keeps.
func (d *Deduper) IndexLen() int { return len(d.past) }

// version is the latest version of statement id the Deduper knows, or 0.
func (d *Deduper) version(id string) int {
	if s := d.seen[id]; s != nil {
		return s.version
	}
	return int(d.past[id].version)
}

// Restore loads a statement read back from the statements topic; of
// several versions the highest wins. It evicts as Commit does, so that
// rebuilding the state of a partition holds no more than consuming it did.
// Call Restored when all are loaded.
func (d *Deduper) Restore(st *model.Statement) {
	if d.version(st.ID) >= st.Version {
		return
	}
	delete(d.past, st.ID)
	d.put(st.ID, st.Version, append([]string{st.ContentHash}, st.PriorHashes...), st.PublishedAt)
	if d.since++; d.since >= evictEvery {
		d.Evict()
	}
	d.gauge()
}

// Restored evicts what the restore loaded past the retention and updates the gauges.
func (d *Deduper) Restored() { d.Evict() }

// Commit numbers the version of st, a prepared statement, and returns the
// statement to publish, or nil for a redelivery (content the statement had
// already, now or in one of its recent versions). Rollback takes back the
// last commit that returned a statement.
func (d *Deduper) Commit(st *model.Statement) *model.Statement {
	m := d.p.cfg.Metrics
	d.undo = undoCommit{}
	var version int
	var hashes []string
	if s := d.seen[st.ID]; s != nil {
		if slices.Contains(s.hashes, st.ContentHash) {
			m.DedupHits.WithLabelValues("redelivery").Inc()
			return nil
		}
		version, hashes = s.version, s.hashes
	} else if ps, ok := d.past[st.ID]; ok {
		if packedHas(ps.hashes, st.ContentHash) {
			m.DedupHits.WithLabelValues("redelivery").Inc()
			return nil
		}
		version, hashes = int(ps.version), unpackHashes(ps.hashes)
	}
	out := *st
	out.Version, out.PriorHashes = 1, nil
	if out.CanonicalURL == "" { // prepared by an earlier version, whose url was the canonical one
		out.CanonicalURL = out.URL
	}
	newHashes := []string{st.ContentHash}
	if version > 0 {
		m.DedupHits.WithLabelValues("version").Inc()
		out.Version = version + 1
		out.PriorHashes = slices.Clone(hashes[:min(len(hashes), model.MaxPriorHashes)])
		newHashes = append(newHashes, out.PriorHashes...)
	}
	u := undoCommit{id: st.ID, newest: d.newest}
	u.seen, u.inSeen = d.seen[st.ID]
	u.past, u.inPast = d.past[st.ID]
	delete(d.past, st.ID)
	d.put(st.ID, out.Version, newHashes, st.PublishedAt)
	if d.since++; d.since >= evictEvery {
		d.Evict()
	}
	d.gauge()
	d.undo = u
	return &out
}

// Rollback takes back the last commit that returned a statement, when a
// later step failed on it: the statement is then new again, so that a
// redelivery of its message is processed, not absorbed as a duplicate.
// Statements an eviction moved meanwhile stay where it put them (both
// places answer alike).
func (d *Deduper) Rollback() {
	u := d.undo
	if u.id == "" {
		return
	}
	d.undo = undoCommit{}
	delete(d.seen, u.id)
	delete(d.past, u.id)
	if u.inSeen {
		d.seen[u.id] = u.seen
	}
	if u.inPast {
		d.past[u.id] = u.past
	}
	d.newest = u.newest
	d.gauge()
}

func (d *Deduper) put(id string, version int, hashes []string, published time.Time) {
	d.seen[id] = &seenStatement{version: version, hashes: hashes[:min(len(hashes), 1+model.MaxPriorHashes)], publishedAt: published}
	if limit := d.p.cfg.Now().Add(calls.MaxFuture); published.After(limit) {
		published = limit
	}
	if published.After(d.newest) {
		d.newest = published
	}
}

// Evict moves statements published longer than the retention before the
// newest one into the index, forgets the oldest of the index past its
// bound, and returns how many it moved.
func (d *Deduper) Evict() int {
	d.since = 0
	cut := d.newest.Add(-d.p.cfg.StatementRetention)
	n := 0
	for id, s := range d.seen {
		if s.publishedAt.Before(cut) {
			delete(d.seen, id)
			d.past[id] = pastStatement{hashes: packHashes(s.hashes), published: s.publishedAt.Unix(), version: int32(s.version)}
			n++
		}
	}
	d.trim()
	d.gauge()
	return n
}

// trim forgets the statements of the index published first, once it holds
// more than its bound and an eighth: down to the bound, so that the cost of
// finding them is spread over many evictions.
func (d *Deduper) trim() {
	limit := d.p.cfg.StatementIndex
	if len(d.past) <= limit+limit/8 {
		return
	}
	type aged struct {
		id        string
		published int64
	}
	all := make([]aged, 0, len(d.past))
	for id, ps := range d.past {
		all = append(all, aged{id, ps.published})
	}
	slices.SortFunc(all, func(a, b aged) int { return cmp.Or(cmp.Compare(a.published, b.published), strings.Compare(a.id, b.id)) })
	for _, a := range all[:len(all)-limit] {
		delete(d.past, a.id)
	}
}

// gauge brings the state gauges up to date.
func (d *Deduper) gauge() {
	se := d.p.cfg.Metrics.StateEntries
	if n := len(d.seen); n != d.toldSeen {
		se.WithLabelValues("statements").Add(float64(n - d.toldSeen))
		d.toldSeen = n
	}
	if n := len(d.past); n != d.toldPast {
		se.WithLabelValues("statement_index").Add(float64(n - d.toldPast))
		d.toldPast = n
	}
}

// Release drops the state (its partition moved away) and its count from the metrics.
func (d *Deduper) Release() {
	d.seen, d.past, d.undo = map[string]*seenStatement{}, map[string]pastStatement{}, undoCommit{}
	d.gauge()
}

// Merger is step 3 for one partition of call reports: a calls.Tracker with
// the processor's metrics. Not safe for concurrent use.
type Merger struct {
	p *Processor
	t *calls.Tracker
	// Partition is the call-reports partition (or replay shard) it merges:
	// its events are written to the leader-calls partition of that number.
	Partition int
	since     int
	// sizes last told to the state gauges
	events, index int
}

// NewMerger returns an empty Merger with p's settings and metrics.
func (p *Processor) NewMerger() *Merger {
	return &Merger{p: p, t: calls.NewTracker(calls.Options{Retention: p.cfg.EventRetention, MaxIndexed: p.cfg.EventIndex, Keys: p.cfg.Keys, Now: p.cfg.Now})}
}

// Len is the number of events held in memory.
func (m *Merger) Len() int { return m.t.Len() }

// IndexLen is the number of evicted events kept whole in the index.
func (m *Merger) IndexLen() int { return m.t.IndexLen() }

// Restore loads an event read back from the leader-calls topic. It evicts
// as Add does, so that rebuilding the state holds no more than consuming
// did. Call Restored when all are loaded.
func (m *Merger) Restore(ev *model.LeaderCall) {
	m.t.Restore(ev)
	if m.since++; m.since >= evictEvery {
		m.since = 0
		m.t.Evict()
	}
}

// Restored evicts what the restore loaded past the retention and updates the gauges.
func (m *Merger) Restored() {
	m.t.Evict()
	m.gauge()
}

// Add merges report r and returns the event versions it produced, as
// snapshots safe to keep.
func (m *Merger) Add(r *model.CallReport, now time.Time) []*model.LeaderCall {
	evs, how := m.t.Add(r, now)
	switch {
	case len(evs) == 0 && how == calls.JoinEdit:
		// Its event holds it already: a redelivered report, or an edit
		// that changed nothing the event says.
		m.p.cfg.Metrics.DedupHits.WithLabelValues("report").Inc()
	case len(evs) == 0:
	case how == calls.JoinTranslation:
		m.p.cfg.Metrics.DedupHits.WithLabelValues("translation").Inc()
	case how == calls.JoinEvent:
		m.p.cfg.Metrics.DedupHits.WithLabelValues("event").Inc()
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
	m.t = calls.NewTracker(calls.Options{Retention: m.p.cfg.EventRetention, MaxIndexed: m.p.cfg.EventIndex, Keys: m.p.cfg.Keys, Now: m.p.cfg.Now})
}
