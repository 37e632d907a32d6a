package calls

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/model"
)

// Defaults for the merge window and retention.
const (
	// DefaultMatchWindow is how far apart (UTC) two reports from different
	// governments may place one call. Reports of one government must agree on the date.
	DefaultMatchWindow = 30 * time.Hour
	// DefaultRetention is how long an event stays in memory after its call, to absorb late reports.
	DefaultRetention = 14 * 24 * time.Hour
	// maxEvidence bounds the evidence kept per event.
	maxEvidence = 64
	// announcementHorizon is how long after an announcement a held call is linked to it.
	announcementHorizon = 7 * 24 * time.Hour
)

// Tracker holds the recent events and finds the event a new report belongs to.
// It is not safe for concurrent use: the processor owns it.
type Tracker struct {
	window    time.Duration
	retention time.Duration
	events    map[string]*model.LeaderCall
	byPeople  map[string][]string // participants key → event ids
	watermark time.Time           // latest call time seen
}

// NewTracker returns an empty tracker. Zero durations take the defaults.
func NewTracker(window, retention time.Duration) *Tracker {
	if window <= 0 {
		window = DefaultMatchWindow
	}
	if retention <= 0 {
		retention = DefaultRetention
	}
	return &Tracker{window: window, retention: retention, events: map[string]*model.LeaderCall{}, byPeople: map[string][]string{}}
}

// Len is the number of events held in memory.
func (t *Tracker) Len() int { return len(t.events) }

// Restore loads an event read back from the leader-calls topic (latest version wins).
func (t *Tracker) Restore(ev *model.LeaderCall) {
	if old, ok := t.events[ev.ID]; ok && old.Version >= ev.Version {
		return
	}
	if _, ok := t.events[ev.ID]; !ok {
		k := peopleKey(ev.Participants, ev.Unresolved)
		t.byPeople[k] = append(t.byPeople[k], ev.ID)
	}
	cp := *ev
	t.events[ev.ID] = &cp
	if ev.OccurredAt.After(t.watermark) {
		t.watermark = ev.OccurredAt
	}
}

// Add merges the call c reported by statement st. It returns the events that
// changed (a new or updated event, and a linked event), each with a new
// Version, or nil when the report added nothing (a repeat).
func (t *Tracker) Add(st *model.Statement, c extract.Call, now time.Time) []*model.LeaderCall {
	if len(c.Participants) == 0 {
		return nil
	}
	if c.OccurredAt.After(t.watermark) {
		t.watermark = c.OccurredAt
	}
	key := callKey(c)
	ev := t.match(key, st, c)
	ref := model.SourceRef{StatementID: st.ID, URL: st.URL, Publisher: st.Publisher, Lang: st.Lang, PublishedAt: st.PublishedAt, Title: st.Title}
	if ev == nil {
		ev = &model.LeaderCall{
			ID:              eventID(key, c),
			Status:          c.Status,
			Participants:    slices.Clone(c.Participants),
			Unresolved:      slices.Clone(c.Unresolved),
			Initiator:       c.Initiator,
			OccurredOn:      c.OccurredOn,
			OccurredAt:      c.OccurredAt.UTC(),
			Precision:       c.Precision,
			FirstReportedAt: st.PublishedAt,
			Topics:          []model.Topic{},
			Sources:         []model.SourceRef{},
			Evidence:        []model.Evidence{},
		}
		t.events[ev.ID] = ev
		t.byPeople[key] = append(t.byPeople[key], ev.ID)
	}
	changed := merge(ev, st, ref, c)
	var out []*model.LeaderCall
	if changed {
		ev.Version++
		ev.UpdatedAt = now.UTC()
		out = append(out, ev)
	}
	if linked := t.linkAnnouncement(key, ev); linked != nil {
		out = append(out, linked)
	}
	return out
}

// match finds the event of the same call, if any.
func (t *Tracker) match(key string, st *model.Statement, c extract.Call) *model.LeaderCall {
	var best *model.LeaderCall
	var bestGap time.Duration
	for _, id := range t.byPeople[key] {
		ev := t.events[id]
		if ev.Status != c.Status {
			continue
		}
		// The same statement (an edit) or its translation: always the same event.
		for _, s := range ev.Sources {
			if s.StatementID == st.ID || (st.TranslationKey != "" && translationKey(s) == st.TranslationKey) {
				return ev
			}
		}
		if !t.sameCall(ev, st, c) {
			continue
		}
		gap := absDur(ev.OccurredAt.Sub(c.OccurredAt))
		if best == nil || gap < bestGap {
			best, bestGap = ev, gap
		}
	}
	return best
}

// sameCall decides whether c, reported by st, is the call of ev. Reports from
// the same government must agree on the date; reports from different
// governments (whose zones and publication delays differ) must be within the window.
func (t *Tracker) sameCall(ev *model.LeaderCall, st *model.Statement, c extract.Call) bool {
	fam := Government(st.Publisher)
	for _, s := range ev.Sources {
		if Government(s.Publisher) == fam {
			return ev.OccurredOn == c.OccurredOn
		}
	}
	if ev.OccurredOn == c.OccurredOn {
		return true
	}
	return absDur(ev.OccurredAt.Sub(c.OccurredAt)) <= t.window && dayGap(ev.OccurredOn, c.OccurredOn) <= 1
}

// linkAnnouncement links a held event to an announced event of the same
// participants that preceded it within the horizon, and returns the announced
// event if it changed.
func (t *Tracker) linkAnnouncement(key string, ev *model.LeaderCall) *model.LeaderCall {
	if ev.Status != model.StatusHeld {
		return nil
	}
	for _, id := range t.byPeople[key] {
		a := t.events[id]
		if a.Status != model.StatusAnnounced || a.OccurredAt.After(ev.OccurredAt.Add(t.window)) || ev.OccurredAt.Sub(a.FirstReportedAt) > announcementHorizon {
			continue
		}
		if !slices.ContainsFunc(ev.AnnouncedBy, func(r model.SourceRef) bool { return r.StatementID == a.Sources[0].StatementID }) {
			ev.AnnouncedBy = append(ev.AnnouncedBy, a.Sources...)
		}
		if a.HeldEventID != ev.ID {
			a.HeldEventID = ev.ID
			a.Version++
			a.UpdatedAt = ev.UpdatedAt
			return a
		}
	}
	return nil
}

// Evict drops events whose call is older than the retention before the
// latest call seen, and returns how many it dropped.
func (t *Tracker) Evict() int {
	cut := t.watermark.Add(-t.retention)
	n := 0
	for k, ids := range t.byPeople {
		kept := ids[:0]
		for _, id := range ids {
			if t.events[id].OccurredAt.Before(cut) {
				delete(t.events, id)
				n++
				continue
			}
			kept = append(kept, id)
		}
		if len(kept) == 0 {
			delete(t.byPeople, k)
		} else {
			t.byPeople[k] = kept
		}
	}
	return n
}

// merge folds one report into ev and says whether anything changed.
func merge(ev *model.LeaderCall, st *model.Statement, ref model.SourceRef, c extract.Call) bool {
	changed := false
	i := slices.IndexFunc(ev.Sources, func(s model.SourceRef) bool { return s.StatementID == st.ID })
	switch {
	case i < 0:
		ev.Sources = append(ev.Sources, ref)
		sort.SliceStable(ev.Sources, func(a, b int) bool { return ev.Sources[a].PublishedAt.Before(ev.Sources[b].PublishedAt) })
		changed = true
	case ev.Sources[i] != ref:
		ev.Sources[i] = ref
		changed = true
	}
	if ev.Initiator == "" && c.Initiator != "" {
		ev.Initiator, changed = c.Initiator, true
	}
	if rank(c.Precision) > rank(ev.Precision) {
		ev.OccurredAt, ev.Precision, ev.OccurredOn, changed = c.OccurredAt.UTC(), c.Precision, c.OccurredOn, true
	}
	if st.PublishedAt.Before(ev.FirstReportedAt) || ev.FirstReportedAt.IsZero() {
		ev.FirstReportedAt, changed = st.PublishedAt, true
	}
	for _, tp := range c.Topics {
		j := slices.IndexFunc(ev.Topics, func(x model.Topic) bool { return x.ID == tp.ID })
		if j < 0 {
			ev.Topics = append(ev.Topics, model.Topic{ID: tp.ID, Label: tp.Label, IPTC: tp.IPTC, Triggers: slices.Clone(tp.Triggers)})
			changed = true
			continue
		}
		for _, tr := range tp.Triggers {
			if !slices.Contains(ev.Topics[j].Triggers, tr) {
				ev.Topics[j].Triggers = append(ev.Topics[j].Triggers, tr)
				changed = true
			}
		}
	}
	sort.Slice(ev.Topics, func(a, b int) bool { return ev.Topics[a].ID < ev.Topics[b].ID })
	if c.Confidence > ev.Confidence {
		ev.Confidence, changed = c.Confidence, true
	}
	for _, e := range c.Evidence {
		if len(ev.Evidence) >= maxEvidence {
			break
		}
		if e.StatementID == "" {
			e.StatementID = st.ID
		}
		if !slices.Contains(ev.Evidence, e) {
			ev.Evidence = append(ev.Evidence, e)
			changed = true
		}
	}
	return changed
}

// Government groups publishers by the government that speaks through them:
// kremlin.ru and en.kremlin.ru are one voice.
func Government(publisher string) string {
	p := strings.TrimPrefix(strings.ToLower(publisher), "www.")
	p = strings.TrimPrefix(p, "en.")
	return p
}

func translationKey(s model.SourceRef) string {
	// Kremlin statement ids are "<host>/<numeric id>"; the translation key is "kremlin.ru/d/<id>".
	if g := Government(s.Publisher); g == "kremlin.ru" {
		if i := strings.LastIndexByte(s.StatementID, '/'); i >= 0 {
			return "kremlin.ru/d/" + s.StatementID[i+1:]
		}
	}
	return ""
}

// callKey identifies the parties of a call: their Wikidata ids, and the
// names of counterparts the gazetteer does not know (so two calls with
// different unknown leaders on one day stay apart).
func callKey(c extract.Call) string { return peopleKey(c.Participants, c.Unresolved) }

func peopleKey(ps []model.Participant, unresolved []string) string {
	ids := make([]string, 0, len(ps)+len(unresolved))
	for _, p := range ps {
		ids = append(ids, p.WikidataID)
	}
	for _, u := range unresolved {
		ids = append(ids, "?"+strings.ToLower(strings.Join(strings.Fields(u), " ")))
	}
	sort.Strings(ids)
	return strings.Join(slices.Compact(ids), "+")
}

func eventID(key string, c extract.Call) string {
	h := sha256.Sum256([]byte(key + "|" + c.OccurredOn + "|" + c.Status))
	return "lc-" + c.OccurredOn + "-" + hex.EncodeToString(h[:6])
}

func rank(precision string) int {
	switch precision {
	case model.PrecisionMinute:
		return 2
	case model.PrecisionDay:
		return 1
	}
	return 0
}

func dayGap(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 1 << 30
	}
	return int(absDur(ta.Sub(tb)) / (24 * time.Hour))
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
