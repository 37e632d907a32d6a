package calls

import (
	"slices"
	"strings"
	"time"

	"github.com/readout/readout/pkg/model"
)

// Defaults and limits of a Tracker.
const (
	// DefaultRetention is how long an event stays in memory after its call, to absorb late reports.
	DefaultRetention = 14 * 24 * time.Hour
	// MaxFuture caps the watermark (the latest call time seen) at the clock
	// plus this: one report dated far in the future must not evict the state.
	MaxFuture = 48 * time.Hour
	// maxEvidence bounds the evidence kept per event.
	maxEvidence = 64
	// maxSources bounds the sources kept per event: a real call has a few; a
	// source that changes its URLs on every poll must not make each report
	// cost more than the last.
	maxSources = 128
	// announcementHorizon is how long after an announcement that names no
	// date a held call is linked to it.
	announcementHorizon = 7 * 24 * time.Hour
)

// Options configure a Tracker.
type Options struct {
	// Retention: events older than this before the watermark leave memory
	// (DefaultRetention by default); their id, version and sources stay in
	// the index.
	Retention time.Duration
	// Keys names the parties of calls; nil keys unresolved counterparts by text.
	Keys *Keyer
	// Now is the clock that caps the watermark (time.Now by default).
	Now func() time.Time
}

// Tracker holds the recent events of one partition of the call reports and
// finds the event a new report belongs to. It is not safe for concurrent use.
//
// A report joins, in this order: the event that already lists its statement
// (an edit); the event that lists another language version of it (same
// translation key and places); an event of the same parties (merge key)
// and status whose span overlaps the report's, where reports of one
// government must agree on the date. Otherwise it opens an event.
type Tracker struct {
	opt       Options
	events    map[string]*entry   // live events by id
	byPeople  map[string][]*entry // merge key → live events (an event may be under several keys)
	byTrans   map[string][]*entry // translation key → live events
	bySource  map[string][]*entry // statement id → live events
	index     map[string]indexed  // evicted (or restored old) events: id → version and sources
	watermark time.Time           // latest call time seen, capped at Now()+MaxFuture
}

type entry struct {
	ev     *model.LeaderCall
	keys   []string // merge keys it is indexed under
	places string   // partition key of its parties
	span   span     // what every source allows (matching)
	hull   span     // what any source allows (announcements)
}

// indexed is what is kept of an event that left memory: enough that a new
// event with its id continues its versions and keeps its sources.
type indexed struct {
	version int
	sources []model.SourceRef
}

// NewTracker returns an empty tracker.
func NewTracker(o Options) *Tracker {
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Tracker{opt: o, events: map[string]*entry{}, byPeople: map[string][]*entry{},
		byTrans: map[string][]*entry{}, bySource: map[string][]*entry{}, index: map[string]indexed{}}
}

// Len is the number of events held in memory.
func (t *Tracker) Len() int { return len(t.events) }

// IndexLen is the number of evicted events whose id, version and sources are kept.
func (t *Tracker) IndexLen() int { return len(t.index) }

// PartitionKey is the partition key of an event's parties (see Keyer).
func (t *Tracker) PartitionKey(ev *model.LeaderCall) string {
	return t.opt.Keys.PartitionKey(ev.Participants, ev.Unresolved)
}

// Restore loads an event read back from the leader-calls topic; of several
// versions of one event the highest wins. Call Evict when done.
func (t *Tracker) Restore(ev *model.LeaderCall) {
	if ix, ok := t.index[ev.ID]; ok {
		if ix.version >= ev.Version {
			return
		}
		delete(t.index, ev.ID)
	}
	if old, ok := t.events[ev.ID]; ok {
		if old.ev.Version >= ev.Version {
			return
		}
		t.remove(old)
	}
	cp := cloneEvent(ev)
	// Older writers kept these in arrival order; merge keeps them sorted.
	sortSources(cp.Sources)
	slices.SortFunc(cp.Evidence, compareEvidence)
	for i := range cp.Topics {
		slices.Sort(cp.Topics[i].Triggers)
	}
	for i := range cp.Sources {
		// Events written before sources carried their own dates.
		if cp.Sources[i].OccurredOn == "" {
			cp.Sources[i].OccurredOn = cp.OccurredOn
		}
		if cp.Sources[i].TranslationKey == "" {
			cp.Sources[i].TranslationKey = legacyTranslationKey(cp.Sources[i])
		}
	}
	e := &entry{ev: &cp}
	t.insert(e, t.opt.Keys.MergeKey(cp.Participants, cp.Unresolved))
	t.advance(e.span.from)
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
	ref.OccurredOn, ref.OccurredAt = r.OccurredOn, time.Time{}
	if r.Precision == model.PrecisionMinute {
		ref.OccurredAt = r.OccurredAt.UTC()
	}
	key := t.opt.Keys.MergeKey(r.Participants, r.Unresolved)
	places := t.opt.Keys.PartitionKey(r.Participants, r.Unresolved)
	sp := sourceSpan(ref)
	t.advance(sp.from)

	e, how := t.match(r, ref, key, places, sp)
	if e == nil && t.known(eventID(key, r.OccurredOn, r.Status, 0), ref) {
		return nil, JoinEdit // a repeat of a report of an event that left memory
	}
	changed := false
	if e == nil {
		e, changed = t.open(r, key, places), true
	} else if !slices.Contains(e.keys, key) {
		e.keys = append(e.keys, key)
		t.byPeople[key] = append(t.byPeople[key], e)
	}
	merged, dropped := merge(e.ev, ref, r, t.opt.Keys)
	changed = changed || merged
	if dropped != nil {
		t.unindexSource(e, *dropped)
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

// open creates the event of a report no event matched. Its id comes from
// the report; an id a live event already has (another call between the
// same parties dated the same day in another zone) is told apart; an id
// that left memory continues its versions and sources.
func (t *Tracker) open(r *model.CallReport, key, places string) *entry {
	id := eventID(key, r.OccurredOn, r.Status, 0)
	for n := 1; t.events[id] != nil; n++ {
		id = eventID(key, r.OccurredOn, r.Status, n)
	}
	ev := &model.LeaderCall{
		ID:              id,
		Status:          r.Status,
		Participants:    slices.Clone(r.Participants),
		Unresolved:      slices.Clone(r.Unresolved),
		Initiator:       r.Initiator,
		OccurredOn:      r.OccurredOn,
		OccurredAt:      r.OccurredAt.UTC(),
		Precision:       r.Precision,
		FirstReportedAt: r.Source.PublishedAt,
		Topics:          []model.Topic{},
		Sources:         []model.SourceRef{},
		Evidence:        []model.Evidence{},
	}
	slices.SortFunc(ev.Participants, func(a, b model.Participant) int { return strings.Compare(a.WikidataID, b.WikidataID) })
	slices.Sort(ev.Unresolved)
	if ix, ok := t.index[id]; ok {
		ev.Version = ix.version
		ev.Sources = slices.Clone(ix.sources)
		delete(t.index, id)
	}
	e := &entry{ev: ev, places: places}
	t.insert(e, key)
	return e
}

// known reports whether the event id left memory with exactly this source.
func (t *Tracker) known(id string, ref model.SourceRef) bool {
	ix, ok := t.index[id]
	return ok && slices.Contains(ix.sources, ref)
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
	for _, e := range t.byPeople[key] {
		if e.ev.Status != r.Status || !sameCall(e, ref, sp) {
			continue
		}
		gap := absDur(mid(e.span).Sub(mid(sp)))
		if best == nil || gap < bestGap || gap == bestGap && e.ev.ID < best.ev.ID {
			best, bestGap = e, gap
		}
	}
	if best == nil {
		return nil, JoinNew
	}
	return best, JoinEvent
}

// pick chooses among the events of one statement (or its translations) the
// one of this status whose parties are the report's: the same merge key,
// else the same places (one language resolved a counterpart the other did not).
func pick(es []*entry, status, key, places string) *entry {
	var byPlaces *entry
	for _, e := range es {
		if e.ev.Status != status {
			continue
		}
		if slices.Contains(e.keys, key) {
			return e
		}
		if byPlaces == nil && e.places == places {
			byPlaces = e
		}
	}
	return byPlaces
}

// sameCall decides whether the report ref (of span sp) is of the call of e:
// reports of the same government must give the same date, and the report's
// span must overlap the event's. Two calls between the same leaders on
// different days never merge.
func sameCall(e *entry, ref model.SourceRef, sp span) bool {
	gov := Government(ref.Publisher)
	for _, s := range e.ev.Sources {
		if Government(s.Publisher) == gov && s.OccurredOn != ref.OccurredOn {
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

// related returns the live events of this status under any of e's merge keys.
func (t *Tracker) related(e *entry, status string) []*entry {
	var out []*entry
	for _, k := range e.keys {
		for _, o := range t.byPeople[k] {
			if o != e && o.ev.Status == status && !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
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
	window := ann.hull
	if !hasEvidence(ann.ev, "date") {
		window = span{ann.ev.FirstReportedAt, ann.ev.FirstReportedAt.Add(announcementHorizon)}
	}
	return window.overlaps(held.hull)
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

// Evict moves events whose call ended longer than the retention before the
// watermark out of memory into the index, and returns how many it moved.
func (t *Tracker) Evict() int {
	cut := t.watermark.Add(-t.opt.Retention)
	var old []*entry
	for _, e := range t.events {
		if e.span.to.Before(cut) {
			old = append(old, e)
		}
	}
	for _, e := range old {
		t.remove(e)
		t.index[e.ev.ID] = indexed{version: e.ev.Version, sources: e.ev.Sources}
	}
	return len(old)
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

// insert adds a new entry under key and its sources' statement and translation keys.
func (t *Tracker) insert(e *entry, key string) {
	t.events[e.ev.ID] = e
	e.keys = []string{key}
	t.byPeople[key] = append(t.byPeople[key], e)
	t.reindex(e)
}

// reindex brings e's places, span and its source and translation indexes up to date.
func (t *Tracker) reindex(e *entry) {
	e.places = t.opt.Keys.PartitionKey(e.ev.Participants, e.ev.Unresolved)
	e.span, e.hull = eventSpan(e.ev), hullSpan(e.ev)
	if k := t.opt.Keys.MergeKey(e.ev.Participants, e.ev.Unresolved); !slices.Contains(e.keys, k) {
		e.keys = append(e.keys, k) // a report resolved a counterpart
		t.byPeople[k] = append(t.byPeople[k], e)
	}
	for _, s := range e.ev.Sources {
		addTo(t.bySource, s.StatementID, e)
		if s.TranslationKey != "" {
			addTo(t.byTrans, s.TranslationKey, e)
		}
	}
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

// remove drops e from memory and from every index.
func (t *Tracker) remove(e *entry) {
	delete(t.events, e.ev.ID)
	for _, k := range e.keys {
		dropFrom(t.byPeople, k, e)
	}
	for _, s := range e.ev.Sources {
		dropFrom(t.bySource, s.StatementID, e)
		if s.TranslationKey != "" {
			dropFrom(t.byTrans, s.TranslationKey, e)
		}
	}
}

func dropFrom(m map[string][]*entry, k string, e *entry) {
	es := slices.DeleteFunc(m[k], func(x *entry) bool { return x == e })
	if len(es) == 0 {
		delete(m, k)
	} else {
		m[k] = es
	}
}

// Government groups publishers by the government that speaks through them:
// kremlin.ru and en.kremlin.ru are one voice.
func Government(publisher string) string {
	p := strings.TrimPrefix(strings.ToLower(publisher), "www.")
	p = strings.TrimPrefix(p, "en.")
	return p
}

// legacyTranslationKey derives the translation key of a Kremlin source of an
// event written before sources carried it: Kremlin statement ids are
// "<host>/<numeric id>".
func legacyTranslationKey(s model.SourceRef) string {
	if Government(s.Publisher) != "kremlin.ru" {
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
