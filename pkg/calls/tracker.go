package calls

import (
	"slices"
	"strings"
	"time"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/publishers"
)

// Defaults and limits of a Tracker.
const (
	// DefaultRetention is how long after its call an event stays among the
	// recent ones; then it is evicted into the index.
	DefaultRetention = 14 * 24 * time.Hour
	// DefaultMaxIndexed bounds the evicted events a Tracker keeps (a few KB
	// each): decades of the real calls of one partition (some 150 a year), a
	// bound only a flood of bad input reaches.
	DefaultMaxIndexed = 5000
	// MaxFuture caps the watermark (the latest call time seen) at the clock
	// plus this: one report dated far in the future must not evict the state.
	MaxFuture = 48 * time.Hour
	// maxEvidence bounds the evidence kept per event.
	maxEvidence = 64
	// maxSources bounds the sources kept per event: a real call has a few; a
	// source that changes its URLs on every poll must not make each report
	// cost more than the last.
	maxSources = 128
	// maxMergeKeys bounds the merge keys kept per event (a real call has one to three).
	maxMergeKeys = 16
	// announcementHorizon is how long after an announcement that names no
	// date a held call is linked to it.
	announcementHorizon = 7 * 24 * time.Hour
)

// Longest spans the day indexes file by day (longer ones are listed per key):
// an event's span is at most one local day (25 h with a clock change), or an
// unlisted site's day anywhere on earth (48 h); a held call's hull a day or
// two; an announcement's window the horizon.
const (
	spanDayLen   = 50 * time.Hour
	hullDayLen   = 4 * 24 * time.Hour
	windowDayLen = announcementHorizon + 2*24*time.Hour
)

// Options configure a Tracker.
type Options struct {
	// Retention: events whose call ended longer than this before the
	// watermark are evicted (DefaultRetention by default). An evicted event
	// stays whole in the index and later reports find it as they find a
	// recent one (an edit or a repeat of one of its statements, another
	// language version, another report of its day, the held call it
	// announced), so when events are evicted changes no answer.
	Retention time.Duration
	// MaxIndexed bounds the index (DefaultMaxIndexed by default): past it,
	// the evicted events whose calls ended first are forgotten. A report of
	// a forgotten event opens a new one.
	MaxIndexed int
	// Keys names the parties of calls; nil keys unresolved counterparts by text.
	Keys *Keyer
	// Now is the clock that caps the watermark (time.Now by default).
	Now func() time.Time
}

// Tracker holds the events of one partition of the call reports and finds
// the event a new report belongs to. It is not safe for concurrent use.
//
// A report joins, in this order: the event that already lists its statement
// (an edit); the event that lists another language version of it (same
// translation key and places); an event of the same parties (merge key)
// and status whose span overlaps the report's, where reports of one
// government must agree on the date. Otherwise it opens an event.
//
// Every event it remembers, recent or evicted, is found the same way: the
// events of a merge key are filed by the day their span starts, so that a
// key with years of calls costs a few lookups.
type Tracker struct {
	opt       Options
	events    map[string]*entry   // every event remembered, recent and evicted, by id
	recent    map[*entry]struct{} // the events not evicted
	bySource  map[string][]*entry // statement id → events
	byTrans   map[string][]*entry // translation key → events
	spans     dayIndex            // merge key and span → events (matching)
	helds     dayIndex            // merge key and hull → held events (linking)
	anns      dayIndex            // merge key and window → announced events (linking)
	evicted   evictedHeap         // the evicted events, the first to forget first
	watermark time.Time           // latest call time seen, capped at Now()+MaxFuture
}

type entry struct {
	ev     *model.LeaderCall
	keys   []string // merge keys it is filed under: its reports' (ev.MergeKeys) and its own parties'
	places string   // partition key of its parties
	span   span     // what every source allows (matching)
	hull   span     // what any source allows
	link   span     // an announcement's window, a held call's hull (linking)
	filed  bool     // filed in the day indexes under keys, span and link
	heapAt int      // index in Tracker.evicted; -1 while recent
}

// NewTracker returns an empty tracker.
func NewTracker(o Options) *Tracker {
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.MaxIndexed <= 0 {
		o.MaxIndexed = DefaultMaxIndexed
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Tracker{opt: o, events: map[string]*entry{}, recent: map[*entry]struct{}{}, bySource: map[string][]*entry{}, byTrans: map[string][]*entry{},
		spans: newDayIndex(spanDayLen), helds: newDayIndex(hullDayLen), anns: newDayIndex(windowDayLen)}
}

// Len is the number of recent events.
func (t *Tracker) Len() int { return len(t.recent) }

// IndexLen is the number of evicted events kept in the index.
func (t *Tracker) IndexLen() int { return len(t.evicted) }

// PartitionKey is the partition key of an event's parties (see Keyer).
func (t *Tracker) PartitionKey(ev *model.LeaderCall) string {
	return t.opt.Keys.PartitionKey(ev.Participants, ev.Unresolved)
}

// Restore loads an event read back from the leader-calls topic; of several
// versions of one event the highest wins. It is then found as the tracker
// that wrote it would find it. Call Evict when done (and now and then
// while restoring many, to keep the index bounded).
func (t *Tracker) Restore(ev *model.LeaderCall) {
	if old, ok := t.events[ev.ID]; ok {
		if old.ev.Version >= ev.Version {
			return
		}
		t.forget(old)
	}
	cp := cloneEvent(ev)
	// Older writers kept these in arrival order; merge keeps them sorted.
	sortSources(cp.Sources)
	slices.SortFunc(cp.Evidence, compareEvidence)
	for i := range cp.Topics {
		slices.Sort(cp.Topics[i].Triggers)
	}
	slices.Sort(cp.MergeKeys)
	cp.MergeKeys = slices.Compact(cp.MergeKeys)
	upgrade(&cp)
	e := &entry{ev: &cp, heapAt: -1}
	t.events[cp.ID] = e
	t.recent[e] = struct{}{}
	t.reindex(e)
	// The watermark the reports of its sources moved the writer's to.
	for _, s := range cp.Sources {
		t.advance(sourceSpan(s).from)
	}
}

// Join says how a report found its event.
type Join int

// How a report found its event.
const (
	JoinNew         Join = iota // it opened an event
	JoinEdit                    // the event lists its statement: an edit or a repeat
	JoinTranslation             // the event lists another language version of its statement
	JoinEvent                   // the event of the same parties and day: another report of a known call
)

// Add merges call report r into the events. It returns the events that
// changed (the report's event, and announcements linked to or from it),
// each with a new Version, or nil when the report added nothing (a repeat),
// and how the report found its event. The events stay the tracker's: use
// Snapshot to keep one.
func (t *Tracker) Add(r *model.CallReport, now time.Time) ([]*model.LeaderCall, Join) {
	if len(r.Participants) == 0 {
		return nil, JoinNew
	}
	ref := r.Source
	// Reports of earlier versions: a url that was the canonical one, and a
	// time at day precision that no text stated.
	if ref.CanonicalURL == "" {
		ref.CanonicalURL = ref.URL
	}
	ref.OccurredOn, ref.OccurredAt = r.OccurredOn, time.Time{}
	if r.Precision == model.PrecisionMinute {
		ref.OccurredAt = r.OccurredAt.UTC()
	}
	key := t.opt.Keys.MergeKey(r.Participants, r.Unresolved)
	places := t.opt.Keys.PartitionKey(r.Participants, r.Unresolved)
	sp := sourceSpan(ref)
	t.advance(sp.from)

	e, how := t.match(r, ref, key, places, sp)
	changed := false
	if e == nil {
		e, changed = t.open(r, places), true
	}
	merged, dropped := merge(e.ev, ref, r, t.opt.Keys)
	changed = changed || merged
	if dropped != nil {
		t.unindexSource(e, *dropped)
	}
	if addMergeKey(e.ev, key, ref.StatementID) {
		changed = true
	}
	t.reindex(e)
	linked, selfChanged := t.link(e)
	var out []*model.LeaderCall
	if changed || selfChanged {
		e.ev.Version++
		e.ev.UpdatedAt = now.UTC()
		out = append(out, e.ev)
	}
	for _, a := range linked {
		a.ev.Version++
		a.ev.UpdatedAt = now.UTC()
		out = append(out, a.ev)
	}
	return out, how
}

// addMergeKey records the merge key of a report merged into ev (one that
// is among its sources) and says whether it was new.
func addMergeKey(ev *model.LeaderCall, key, statementID string) bool {
	k, found := slices.BinarySearch(ev.MergeKeys, key)
	if found || len(ev.MergeKeys) >= maxMergeKeys ||
		!slices.ContainsFunc(ev.Sources, func(s model.SourceRef) bool { return s.StatementID == statementID }) {
		return false
	}
	ev.MergeKeys = slices.Insert(ev.MergeKeys, k, key)
	return true
}

// open creates the event of a report no event matched. Its id comes from
// the report; an id an event already has (another call of the same places
// dated the same day, or one in another zone) is told apart.
func (t *Tracker) open(r *model.CallReport, places string) *entry {
	id := eventID(places, r.OccurredOn, r.Status, 0)
	for n := 1; t.events[id] != nil; n++ {
		id = eventID(places, r.OccurredOn, r.Status, n)
	}
	ev := &model.LeaderCall{
		ID:              id,
		Status:          r.Status,
		Participants:    slices.Clone(r.Participants),
		Initiator:       r.Initiator,
		OccurredOn:      r.OccurredOn, // merge sets the date, precision and time from the report's source
		FirstReportedAt: r.Source.PublishedAt,
		Topics:          []model.Topic{},
		Sources:         []model.SourceRef{},
		Evidence:        []model.Evidence{},
	}
	for _, u := range r.Unresolved {
		ev.Unresolved = append(ev.Unresolved, strings.Clone(u)) // see ownedText
	}
	slices.Sort(ev.Unresolved)
	ev.Unresolved = slices.Compact(ev.Unresolved)
	resolved := slices.DeleteFunc(ev.Participants, func(p model.Participant) bool { return p.Unresolved })
	ev.Participants = settleParties(resolved, ev.Unresolved, r.Participants)
	ev.AllResolved = len(ev.Unresolved) == 0
	e := &entry{ev: ev, heapAt: -1}
	t.events[id] = e
	t.recent[e] = struct{}{}
	return e
}

// match finds the event of the same call, if any, and how.
func (t *Tracker) match(r *model.CallReport, ref model.SourceRef, key, places string, sp span) (*entry, Join) {
	// An edit of a statement already merged: its event, whatever the edit changed.
	if e := pick(t.bySource[ref.StatementID], r.Status, key, places); e != nil {
		return e, JoinEdit
	}
	// Another language version of a merged statement.
	if ref.TranslationKey != "" {
		if e := pick(t.byTrans[ref.TranslationKey], r.Status, key, places); e != nil {
			return e, JoinTranslation
		}
	}
	var best *entry
	var bestGap time.Duration
	t.spans.each(key, sp, func(e *entry) {
		if e.ev.Status != r.Status || !sameCall(e, ref, sp) {
			return
		}
		gap := absDur(mid(e.span).Sub(mid(sp)))
		if best == nil || gap < bestGap || gap == bestGap && e.ev.ID < best.ev.ID {
			best, bestGap = e, gap
		}
	})
	if best == nil {
		return nil, JoinNew
	}
	return best, JoinEvent
}

// pick chooses among the events of one statement (or its translations) the
// one of this status whose parties are the report's: the same merge key,
// else the same places (one language resolved a counterpart the other did
// not); of several, the smallest id, whatever order they came in.
func pick(es []*entry, status, key, places string) *entry {
	var byKey, byPlaces *entry
	for _, e := range es {
		switch {
		case e.ev.Status != status:
		case slices.Contains(e.keys, key):
			if byKey == nil || e.ev.ID < byKey.ev.ID {
				byKey = e
			}
		case e.places == places:
			if byPlaces == nil || e.ev.ID < byPlaces.ev.ID {
				byPlaces = e
			}
		}
	}
	if byKey != nil {
		return byKey
	}
	return byPlaces
}

// sameCall decides whether the report ref (of span sp) is of the call of e:
// reports of the same government must give the same date, and the report's
// span must overlap the event's. Two calls between the same leaders on
// different days never merge.
func sameCall(e *entry, ref model.SourceRef, sp span) bool {
	gov := publishers.Default().Government(ref.Publisher)
	for _, s := range e.ev.Sources {
		if publishers.Default().Government(s.Publisher) == gov && s.OccurredOn != ref.OccurredOn {
			return false
		}
	}
	return e.span.overlaps(sp)
}

// link connects held calls and the announcements that preceded them: an
// announced event not linked to another call yet, of the same parties,
// whose window (the announced day, or announcementHorizon after it was made
// when it names no day) overlaps the held call, made before the call. It
// works from either side, so the order reports arrive in does not matter.
// It returns the other events it changed, and whether e changed.
func (t *Tracker) link(e *entry) (others []*entry, selfChanged bool) {
	if e.ev.Status == model.StatusHeld {
		for _, a := range t.related(e, model.StatusAnnounced) {
			if !announces(a, e) {
				continue
			}
			heldChanged, annChanged := connect(e.ev, a.ev)
			selfChanged = selfChanged || heldChanged
			if annChanged {
				others = append(others, a)
			}
		}
		return others, selfChanged
	}
	// An announcement leads to one call: the one it is linked to, else the
	// earliest it announces.
	var held *entry
	if e.ev.HeldEventID != "" {
		held = t.events[e.ev.HeldEventID]
	} else {
		for _, h := range t.related(e, model.StatusHeld) {
			if announces(e, h) && (held == nil || h.hull.from.Before(held.hull.from) || h.hull.from.Equal(held.hull.from) && h.ev.ID < held.ev.ID) {
				held = h
			}
		}
	}
	if held == nil {
		return nil, false
	}
	heldChanged, annChanged := connect(held.ev, e.ev)
	if heldChanged {
		others = append(others, held)
	}
	return others, annChanged
}

// related returns the events of this status under any of e's merge keys
// whose link span overlaps e's (a held call's hull, an announcement's
// window), by id.
func (t *Tracker) related(e *entry, status string) []*entry {
	idx := &t.anns
	if status == model.StatusHeld {
		idx = &t.helds
	}
	var out []*entry
	for _, k := range e.keys {
		idx.each(k, e.link, func(o *entry) {
			if o != e && o.ev.Status == status && o.link.overlaps(e.link) && !slices.Contains(out, o) {
				out = append(out, o)
			}
		})
	}
	slices.SortFunc(out, func(a, b *entry) int { return strings.Compare(a.ev.ID, b.ev.ID) })
	return out
}

// announces reports whether ann announced the held call: a day any report
// of the call gives (so that the answer only changes from no to yes as
// reports arrive, whatever their order) is in the announcement's window.
func announces(ann, held *entry) bool {
	if ann.ev.HeldEventID != "" && ann.ev.HeldEventID != held.ev.ID {
		return false // it already leads to another call
	}
	if held.hull.to.Before(ann.ev.FirstReportedAt) {
		return false // held before it was announced
	}
	return ann.link.overlaps(held.hull)
}

// linkSpan is what an event is linked by: an announcement's window (the
// days it names, else announcementHorizon from when it was made), a held
// call's hull.
func linkSpan(ev *model.LeaderCall, hull span) span {
	if ev.Status != model.StatusAnnounced || hasEvidence(ev, "date") {
		return hull
	}
	return span{ev.FirstReportedAt, ev.FirstReportedAt.Add(announcementHorizon)}
}

// connect records that ann announced held, and says which of them changed.
func connect(held, ann *model.LeaderCall) (heldChanged, annChanged bool) {
	for _, s := range ann.Sources {
		if !slices.ContainsFunc(held.AnnouncedBy, func(r model.SourceRef) bool { return r.StatementID == s.StatementID }) {
			held.AnnouncedBy = append(held.AnnouncedBy, s)
			heldChanged = true
		}
	}
	if heldChanged {
		sortSources(held.AnnouncedBy)
	}
	if ann.HeldEventID != held.ID {
		ann.HeldEventID = held.ID
		annChanged = true
	}
	return heldChanged, annChanged
}

func hasEvidence(ev *model.LeaderCall, kind string) bool {
	return slices.ContainsFunc(ev.Evidence, func(e model.Evidence) bool { return e.Kind == kind })
}

// Evict moves the events whose call ended longer than the retention before
// the watermark into the index, and returns how many it moved; then it
// forgets the evicted events past the index's bound, those whose calls
// ended first. Which events are evicted depends only on the events and the
// watermark, so a tracker restored from the topic keeps what the one that
// wrote it keeps.
func (t *Tracker) Evict() int {
	cut := t.watermark.Add(-t.opt.Retention)
	n := 0
	for e := range t.recent {
		if e.span.to.Before(cut) {
			delete(t.recent, e)
			t.evicted.add(e)
			n++
		}
	}
	for len(t.evicted) > t.opt.MaxIndexed {
		t.forget(t.evicted.first())
	}
	return n
}

// advance moves the watermark to at, never past the clock plus MaxFuture.
func (t *Tracker) advance(at time.Time) {
	if limit := t.opt.Now().Add(MaxFuture); at.After(limit) {
		at = limit
	}
	if at.After(t.watermark) {
		t.watermark = at
	}
}

// reindex brings e's places, spans, keys and its places in the indexes up to date.
func (t *Tracker) reindex(e *entry) {
	e.places = t.opt.Keys.PartitionKey(e.ev.Participants, e.ev.Unresolved)
	sp, hull := eventSpan(e.ev), hullSpan(e.ev)
	link := linkSpan(e.ev, hull)
	own := t.opt.Keys.MergeKey(e.ev.Participants, e.ev.Unresolved)
	if !e.filed || !sameKeys(e.keys, e.ev.MergeKeys, own) || !sp.equal(e.span) || !link.equal(e.link) {
		t.unfile(e)
		e.keys, e.span, e.link = keysOf(e.ev.MergeKeys, own), sp, link
		t.file(e)
	}
	e.hull = hull
	for _, s := range e.ev.Sources {
		addTo(t.bySource, s.StatementID, e)
		if s.TranslationKey != "" {
			addTo(t.byTrans, s.TranslationKey, e)
		}
	}
	if e.heapAt >= 0 {
		if e.span.to.Before(t.watermark.Add(-t.opt.Retention)) {
			t.evicted.fix(e)
		} else { // a report moved the call into the retention: recent again
			t.evicted.remove(e)
			t.recent[e] = struct{}{}
		}
	}
}

// keysOf is the merge keys an event is found by: those of the reports
// merged into it and own, that of its own parties (once a report resolved
// a counterpart, the event's differs from every report's); sorted, a new slice.
func keysOf(reports []string, own string) []string {
	k, found := slices.BinarySearch(reports, own)
	if found {
		return slices.Clone(reports)
	}
	keys := make([]string, 0, len(reports)+1)
	keys = append(keys, reports[:k]...)
	keys = append(keys, own)
	return append(keys, reports[k:]...)
}

// sameKeys reports whether keys equals keysOf(reports, own).
func sameKeys(keys, reports []string, own string) bool {
	_, found := slices.BinarySearch(reports, own)
	if found {
		return slices.Equal(keys, reports)
	}
	if len(keys) != len(reports)+1 {
		return false
	}
	i := 0
	for _, k := range keys {
		switch {
		case k == own:
		case i < len(reports) && k == reports[i]:
			i++
		default:
			return false
		}
	}
	return i == len(reports) && slices.Contains(keys, own)
}

// file adds e to the day indexes under its keys, span and link span.
func (t *Tracker) file(e *entry) {
	t.spans.add(e.keys, e.span, e)
	if e.ev.Status == model.StatusAnnounced {
		t.anns.add(e.keys, e.link, e)
	} else {
		t.helds.add(e.keys, e.link, e)
	}
	e.filed = true
}

// unfile takes e out of the day indexes, as it was filed.
func (t *Tracker) unfile(e *entry) {
	if !e.filed {
		return
	}
	t.spans.remove(e.keys, e.span, e)
	if e.ev.Status == model.StatusAnnounced {
		t.anns.remove(e.keys, e.link, e)
	} else {
		t.helds.remove(e.keys, e.link, e)
	}
	e.filed = false
}

func addTo(m map[string][]*entry, k string, e *entry) {
	if !slices.Contains(m[k], e) {
		m[k] = append(m[k], e)
	}
}

// unindexSource drops a source e no longer lists from the source and translation indexes.
func (t *Tracker) unindexSource(e *entry, s model.SourceRef) {
	dropFrom(t.bySource, s.StatementID, e)
	if s.TranslationKey != "" && !slices.ContainsFunc(e.ev.Sources, func(x model.SourceRef) bool { return x.TranslationKey == s.TranslationKey }) {
		dropFrom(t.byTrans, s.TranslationKey, e)
	}
}

// forget drops e from memory and from every index.
func (t *Tracker) forget(e *entry) {
	delete(t.events, e.ev.ID)
	t.unfile(e)
	for _, s := range e.ev.Sources {
		dropFrom(t.bySource, s.StatementID, e)
		if s.TranslationKey != "" {
			dropFrom(t.byTrans, s.TranslationKey, e)
		}
	}
	if e.heapAt >= 0 {
		t.evicted.remove(e)
	}
	delete(t.recent, e)
}

func dropFrom(m map[string][]*entry, k string, e *entry) {
	es := slices.DeleteFunc(m[k], func(x *entry) bool { return x == e })
	if len(es) == 0 {
		delete(m, k)
	} else {
		m[k] = es
	}
}

// upgrade fills in what events written by earlier versions lack or got
// wrong: sources' own dates, translation keys and canonical URLs (their url
// was the canonical one), and a time at day precision that no report stated.
func upgrade(ev *model.LeaderCall) {
	if ev.Precision != model.PrecisionMinute {
		ev.OccurredAt = time.Time{}
	}
	for i := range ev.Sources {
		s := &ev.Sources[i]
		if s.OccurredOn == "" {
			s.OccurredOn = ev.OccurredOn
		}
		if s.TranslationKey == "" {
			s.TranslationKey = legacyTranslationKey(*s)
		}
		if s.CanonicalURL == "" {
			s.CanonicalURL = s.URL
		}
	}
	for i := range ev.AnnouncedBy {
		if s := &ev.AnnouncedBy[i]; s.CanonicalURL == "" {
			s.CanonicalURL = s.URL
		}
	}
}

// legacyTranslationKey derives the translation key of a Kremlin source of an
// event written before sources carried it: Kremlin statement ids are
// "<host>/<numeric id>".
func legacyTranslationKey(s model.SourceRef) string {
	if p, ok := publishers.Default().Lookup(s.Publisher); !ok || p.Rules != publishers.RulesKremlin {
		return ""
	}
	_, id, ok := strings.Cut(s.StatementID, "/")
	if !ok || id == "" || strings.Trim(id, "0123456789") != "" {
		return ""
	}
	return "kremlin.ru/d/" + id
}

func mid(s span) time.Time { return s.from.Add(s.to.Sub(s.from) / 2) }

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
