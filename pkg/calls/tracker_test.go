package calls

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

var (
	putin = model.Participant{WikidataID: "Q7747", NameEN: "Vladimir Putin", Country: "RU", Role: "President of Russia"}
	trump = model.Participant{WikidataID: "Q22686", NameEN: "Donald Trump", Country: "US", Role: "President of the United States"}
	modi  = model.Participant{WikidataID: "Q1058", NameEN: "Narendra Modi", Country: "IN", Role: "Prime Minister of India"}
	stubb = model.Participant{WikidataID: "Q503143", NameEN: "Alexander Stubb", Country: "FI", Role: "President of Finland"}
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

var clock = at("2025-06-01T00:00:00Z")

func newTracker(t testing.TB) *Tracker {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewKeyer(g)
	if err != nil {
		t.Fatal(err)
	}
	return NewTracker(Options{Keys: k, Now: func() time.Time { return clock }})
}

// report is a day-precision report of a call by statement id (its host is the publisher).
func report(id, published, status, on string, ps ...model.Participant) *model.CallReport {
	pub, _, _ := strings.Cut(id, "/")
	if pub == "en.kremlin.ru" {
		pub = "kremlin.ru"
	}
	r := &model.CallReport{
		Source:       model.SourceRef{StatementID: id, URL: "https://" + id, Publisher: pub, Lang: "en", PublishedAt: at(published), Title: id},
		Status:       status,
		Participants: ps,
		OccurredOn:   on,
		OccurredAt:   at(published),
		Precision:    model.PrecisionDay,
		Confidence:   0.9,
		Topics:       []model.Topic{},
		Evidence:     []model.Evidence{{Kind: "call", Text: "telephone conversation"}},
	}
	if pub == "kremlin.ru" {
		r.Source.TranslationKey = "kremlin.ru/d/" + id[strings.LastIndexByte(id, '/')+1:]
	}
	return r
}

func held(id, published, on string, ps ...model.Participant) *model.CallReport {
	return report(id, published, model.StatusHeld, on, ps...)
}

// minute makes r state the call's time.
func minute(r *model.CallReport, when string) *model.CallReport {
	r.OccurredAt, r.Precision = at(when), model.PrecisionMinute
	return r
}

func one(t *testing.T, evs []*model.LeaderCall) *model.LeaderCall {
	t.Helper()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1: %s", len(evs), ids(evs))
	}
	return Snapshot(evs[0])
}

// adds drops Add's second result.
func adds(evs []*model.LeaderCall, _ Join) []*model.LeaderCall { return evs }

func ids(evs []*model.LeaderCall) string {
	var s []string
	for _, ev := range evs {
		s = append(s, fmt.Sprintf("%s v%d (%d sources)", ev.ID, ev.Version, len(ev.Sources)))
	}
	return strings.Join(s, ", ")
}

func TestMergeAcrossGovernmentsAndDays(t *testing.T) {
	tr := newTracker(t)
	// The Kremlin reports a call on 18 March (Moscow), the White House the same call on 18 March (Washington).
	a := one(t, adds(tr.Add(held("kremlin.ru/76477", "2025-03-18T20:15:00+03:00", "2025-03-18", putin, trump), clock)))
	b := one(t, adds(tr.Add(held("whitehouse.gov/readout", "2025-03-18T16:30:00-04:00", "2025-03-18", trump, putin), clock)))
	if a.ID != b.ID || b.Version != 2 || len(b.Sources) != 2 {
		t.Fatalf("one call, two governments: %s / %s", ids([]*model.LeaderCall{a}), ids([]*model.LeaderCall{b}))
	}
	// A late-evening Washington readout dated the day before Moscow's report is still the same call:
	// 1 April in Washington and 2 April in Moscow overlap from 21:00 to 04:00 UTC.
	c := one(t, adds(tr.Add(held("kremlin.ru/1", "2025-04-02T01:10:00+03:00", "2025-04-02", putin, trump), clock)))
	d := one(t, adds(tr.Add(held("whitehouse.gov/2", "2025-04-01T19:00:00-04:00", "2025-04-01", putin, trump), clock)))
	if c.ID != d.ID {
		t.Errorf("dates across zones split one call: %s vs %s", c.ID, d.ID)
	}
	// The same government on another day is another call, even where the days overlap in UTC.
	e := one(t, adds(tr.Add(held("kremlin.ru/2", "2025-04-03T00:30:00+03:00", "2025-04-03", putin, trump), clock)))
	if e.ID == c.ID {
		t.Errorf("two Kremlin reports on different days merged")
	}
	// Another pair of leaders the same day is another call.
	f := one(t, adds(tr.Add(held("kremlin.ru/3", "2025-03-18T21:00:00+03:00", "2025-03-18", putin, modi), clock)))
	if f.ID == a.ID {
		t.Errorf("different participants merged")
	}
	// A repeat of a known report changes nothing and emits nothing.
	if g := adds(tr.Add(held("kremlin.ru/76477", "2025-03-18T20:15:00+03:00", "2025-03-18", putin, trump), clock)); len(g) != 0 {
		t.Errorf("repeat emitted %s", ids(g))
	}
}

// Day precision merges only days that overlap in UTC: a White House "today"
// readout of 19 March (Washington) is not the Kremlin's call of 18 March
// (Moscow), which ended at 21:00 UTC before Washington's 19 March began.
func TestDaysMustOverlapInUTC(t *testing.T) {
	tr := newTracker(t)
	k := one(t, adds(tr.Add(held("kremlin.ru/76477", "2025-03-18T20:15:00+03:00", "2025-03-18", putin, trump), clock)))
	w := one(t, adds(tr.Add(held("whitehouse.gov/today", "2025-03-19T17:00:00-04:00", "2025-03-19", trump, putin), clock)))
	if w.ID == k.ID {
		t.Fatalf("Washington 19 March merged into Moscow 18 March: %+v", w.Sources)
	}
	// Washington 18 March and Moscow 19 March overlap (the Washington evening is the Moscow night).
	k2 := one(t, adds(tr.Add(held("kremlin.ru/76490", "2025-03-19T09:00:00+03:00", "2025-03-19", putin, trump), clock)))
	if k2.ID != w.ID {
		t.Errorf("Moscow 19 March did not join Washington 19 March")
	}
}

// The audit's case: a White House report stating the time moved the event's
// date from 2 to 1 April; the next Kremlin report of 2 April then failed the
// same-government check against the moved date and overwrote the event (same
// id) with version 1 and one source. Each government's own date decides now,
// and an event id in use is never given to another event.
func TestMinuteReportDoesNotSplitOrOverwrite(t *testing.T) {
	tr := newTracker(t)
	first := one(t, adds(tr.Add(held("kremlin.ru/1", "2025-04-02T01:10:00+03:00", "2025-04-02", putin, trump), clock)))
	wh := one(t, adds(tr.Add(minute(held("whitehouse.gov/2", "2025-04-01T20:00:00-04:00", "2025-04-01", trump, putin), "2025-04-01T23:00:00Z"), clock)))
	if wh.ID != first.ID || wh.Precision != model.PrecisionMinute || wh.OccurredOn != "2025-04-01" {
		t.Fatalf("minute report: %s precision %s on %s", wh.ID, wh.Precision, wh.OccurredOn)
	}
	next := one(t, adds(tr.Add(held("kremlin.ru/3", "2025-04-02T10:00:00+03:00", "2025-04-02", putin, trump), clock)))
	if next.ID != first.ID || next.Version != 3 || len(next.Sources) != 3 {
		t.Fatalf("second Kremlin report: %s v%d with %d sources, want %s v3 with 3", next.ID, next.Version, len(next.Sources), first.ID)
	}
	if tr.Len() != 1 {
		t.Errorf("%d events, want 1", tr.Len())
	}
}

// Two calls between the same leaders that share a date string in different
// zones (00:30 Moscow and 20:00 Washington on 2 April, a day apart) are two
// events, and the second never takes the first one's id.
func TestSameIDOtherCallGetsOwnID(t *testing.T) {
	tr := newTracker(t)
	a := one(t, adds(tr.Add(minute(held("kremlin.ru/1", "2025-04-02T01:00:00+03:00", "2025-04-02", putin, trump), "2025-04-01T21:30:00Z"), clock)))
	b := one(t, adds(tr.Add(minute(held("whitehouse.gov/2", "2025-04-02T21:00:00-04:00", "2025-04-02", putin, trump), "2025-04-03T00:00:00Z"), clock)))
	if a.ID == b.ID || b.Version != 1 {
		t.Fatalf("second call: %s v%d; first %s", b.ID, b.Version, a.ID)
	}
	if tr.events[a.ID].ev.Version != 1 || len(tr.events[a.ID].ev.Sources) != 1 {
		t.Errorf("first event changed: %+v", tr.events[a.ID].ev)
	}
}

// One item dated 2199 does not move the watermark past the clock + 48 h, so
// it evicts nothing.
func TestWatermarkCappedAtClock(t *testing.T) {
	tr := newTracker(t)
	adds(tr.Add(held("kremlin.ru/1", "2025-05-30T12:00:00+03:00", "2025-05-30", putin, trump), clock))
	adds(tr.Add(held("kremlin.ru/2", "2199-01-01T12:00:00+03:00", "2199-01-01", putin, modi), clock))
	if n := tr.Evict(); n != 0 || tr.Len() != 2 {
		t.Fatalf("evicted %d, holding %d; the far-future report moved the watermark", n, tr.Len())
	}
	if want := clock.Add(MaxFuture); !tr.watermark.Equal(want) {
		t.Errorf("watermark %v, want %v", tr.watermark, want)
	}
}

// An event evicted from memory keeps its id, version and sources in the
// index: a later report of its first statement (an edit, a re-poll) continues
// its versions and keeps every source instead of starting again at version 1.
func TestEvictedEventContinuesVersions(t *testing.T) {
	tr := newTracker(t)
	adds(tr.Add(held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump), clock))
	v2 := one(t, adds(tr.Add(held("whitehouse.gov/1", "2025-03-01T10:00:00-05:00", "2025-03-01", trump, putin), clock)))
	adds(tr.Add(held("kremlin.ru/2", "2025-05-30T12:00:00+03:00", "2025-05-30", putin, modi), clock))
	if n := tr.Evict(); n != 1 || tr.IndexLen() != 1 {
		t.Fatalf("evicted %d, index %d", n, tr.IndexLen())
	}
	// A repeat (a redelivery after a rebalance) changes nothing.
	if evs := adds(tr.Add(held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump), clock)); len(evs) != 0 {
		t.Fatalf("a repeat of an evicted event's report emitted %s", ids(evs))
	}
	edit := held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump)
	edit.Source.Title = "edited title"
	again := one(t, adds(tr.Add(edit, clock)))
	if again.ID != v2.ID || again.Version != v2.Version+1 || len(again.Sources) != 2 {
		t.Fatalf("after eviction: %s v%d with %d sources, want %s v%d with 2", again.ID, again.Version, len(again.Sources), v2.ID, v2.Version+1)
	}
}

// A tracker restored from the topic answers as the old one did, also for
// events already past the retention.
func TestRestore(t *testing.T) {
	tr := newTracker(t)
	old := one(t, adds(tr.Add(held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump), clock)))
	recent := one(t, adds(tr.Add(held("kremlin.ru/2", "2025-05-30T12:00:00+03:00", "2025-05-30", putin, modi), clock)))

	tr2 := newTracker(t)
	for _, ev := range []*model.LeaderCall{recent, old, old} {
		b, _ := json.Marshal(ev) // through JSON, as from Kafka
		var back model.LeaderCall
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		tr2.Restore(&back)
	}
	tr2.Evict()
	if tr2.Len() != 1 || tr2.IndexLen() != 1 {
		t.Fatalf("restored: %d in memory, %d in the index", tr2.Len(), tr2.IndexLen())
	}
	w := one(t, adds(tr2.Add(held("whitehouse.gov/x", "2025-05-30T10:00:00-04:00", "2025-05-30", modi, putin), clock)))
	if w.ID != recent.ID || w.Version != 2 {
		t.Errorf("restored tracker: %s v%d, want %s v2", w.ID, w.Version, recent.ID)
	}
	if evs := adds(tr2.Add(held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump), clock)); len(evs) != 0 {
		t.Errorf("a repeat of a restored, evicted event's report emitted %s", ids(evs))
	}
	edit := held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump)
	edit.Source.Title = "edited"
	e := one(t, adds(tr2.Add(edit, clock)))
	if e.ID != old.ID || e.Version != 2 {
		t.Errorf("evicted restored event: %s v%d, want %s v2", e.ID, e.Version, old.ID)
	}
	// A lower version read after a higher one does not win.
	stale := *w
	stale.Version = 1
	tr2.Restore(&stale)
	if tr2.events[w.ID].ev.Version != 2 {
		t.Errorf("stale version restored over the current one")
	}
}

func announced(id, published, on string, ps ...model.Participant) *model.CallReport {
	r := report(id, published, model.StatusAnnounced, on, ps...)
	r.Evidence = append(r.Evidence, model.Evidence{Kind: "date", Text: "on Tuesday"})
	return r
}

func TestAnnouncementLinkedToHeldCall(t *testing.T) {
	tr := newTracker(t)
	ann := one(t, adds(tr.Add(announced("whitehouse.gov/briefing", "2025-03-17T12:00:00-04:00", "2025-03-18", trump, putin), clock)))
	if ann.Status != model.StatusAnnounced {
		t.Fatalf("announcement: %+v", ann)
	}
	evs := adds(tr.Add(held("kremlin.ru/76477", "2025-03-18T20:15:00+03:00", "2025-03-18", putin, trump), clock))
	if len(evs) != 2 {
		t.Fatalf("held call: %s, want the held one and the updated announcement", ids(evs))
	}
	h, a := evs[0], evs[1]
	if h.Status != model.StatusHeld || h.ID == ann.ID || len(h.AnnouncedBy) != 1 {
		t.Errorf("held event %+v", h)
	}
	if a.ID != ann.ID || a.HeldEventID != h.ID || a.Version != 2 {
		t.Errorf("announcement not linked: %+v", a)
	}
}

// An announcement leads to one call, on the day it names: a later call
// between the same leaders is not linked to it, nor is a call on another day.
func TestAnnouncementLinkedOnce(t *testing.T) {
	tr := newTracker(t)
	ann := one(t, adds(tr.Add(announced("whitehouse.gov/briefing", "2025-03-17T12:00:00-04:00", "2025-03-18", trump, putin), clock)))
	first := adds(tr.Add(held("kremlin.ru/1", "2025-03-18T20:15:00+03:00", "2025-03-18", putin, trump), clock))
	if len(first) != 2 {
		t.Fatalf("first call: %s", ids(first))
	}
	later := one(t, adds(tr.Add(held("kremlin.ru/2", "2025-03-20T20:15:00+03:00", "2025-03-20", putin, trump), clock)))
	if len(later.AnnouncedBy) != 0 {
		t.Errorf("a later call lists the announcement already linked to %s", first[0].ID)
	}
	if tr.events[ann.ID].ev.HeldEventID != first[0].ID {
		t.Errorf("announcement re-linked to %s", tr.events[ann.ID].ev.HeldEventID)
	}

	// An announcement for 25 March and a call on 27 March: not that call.
	adds(tr.Add(announced("whitehouse.gov/b2", "2025-03-24T12:00:00-04:00", "2025-03-25", trump, putin), clock))
	other := one(t, adds(tr.Add(held("kremlin.ru/3", "2025-03-27T20:15:00+03:00", "2025-03-27", putin, trump), clock)))
	if len(other.AnnouncedBy) != 0 {
		t.Errorf("a call two days after the announced day was linked: %+v", other.AnnouncedBy)
	}
}

// The link does not depend on which report comes first.
func TestAnnouncementAfterHeldCall(t *testing.T) {
	tr := newTracker(t)
	h := one(t, adds(tr.Add(held("kremlin.ru/76477", "2025-03-18T20:15:00+03:00", "2025-03-18", putin, trump), clock)))
	evs := adds(tr.Add(announced("whitehouse.gov/briefing", "2025-03-17T12:00:00-04:00", "2025-03-18", trump, putin), clock))
	if len(evs) != 2 || evs[0].HeldEventID != h.ID || evs[1].ID != h.ID || len(evs[1].AnnouncedBy) != 1 {
		t.Fatalf("late announcement: %s", ids(evs))
	}
}

// A translation whose counterpart the gazetteer does not know joins its
// original, in either order: unresolved counterparts are keyed by country
// and office, and a translation key leads to the event of its original.
func TestTranslationWithUnresolvedCounterpart(t *testing.T) {
	ru := held("kremlin.ru/56630", "2017-12-30T15:00:00+03:00", "2017-12-30", putin)
	ru.Unresolved = []string{"Президентом Финляндии Саули Ниинистё"}
	en := held("en.kremlin.ru/56630", "2017-12-30T15:05:00+03:00", "2017-12-30", putin)
	en.Unresolved = []string{"President of Finland Sauli Niinisto"}
	for _, order := range [][]*model.CallReport{{ru, en}, {en, ru}} {
		tr := newTracker(t)
		a := one(t, adds(tr.Add(order[0], clock)))
		b := one(t, adds(tr.Add(order[1], clock)))
		if a.ID != b.ID || len(b.Sources) != 2 {
			t.Errorf("translations became two events: %s, %s", a.ID, b.ID)
		}
	}
	// Without a shared translation key, the country and office still match them.
	other := *en
	other.Source.StatementID, other.Source.TranslationKey = "en.kremlin.ru/99999", ""
	tr := newTracker(t)
	a := one(t, adds(tr.Add(ru, clock)))
	b := one(t, adds(tr.Add(&other, clock)))
	if a.ID != b.ID {
		t.Errorf("same country and office on the same day: two events")
	}
	// A copy that resolves the counterpart joins too, and resolves the event.
	res := held("kremlin.ru/56630", "2017-12-30T15:00:00+03:00", "2017-12-30", putin, stubb)
	tr = newTracker(t)
	one(t, adds(tr.Add(en, clock)))
	c := one(t, adds(tr.Add(res, clock)))
	if len(c.Sources) != 2 || len(c.Participants) != 2 || len(c.Unresolved) != 0 {
		t.Errorf("resolved copy: %d sources, participants %v, unresolved %v", len(c.Sources), c.Participants, c.Unresolved)
	}
}

func TestUnresolvedCounterpartsStayApart(t *testing.T) {
	tr := newTracker(t)
	a := held("kremlin.ru/1", "2025-03-18T12:00:00+03:00", "2025-03-18", putin)
	a.Unresolved = []string{"Sauli Niinisto"}
	b := held("kremlin.ru/2", "2025-03-18T15:00:00+03:00", "2025-03-18", putin)
	b.Unresolved = []string{"Alexander Stubb"}
	c := held("kremlin.ru/3", "2025-03-18T16:00:00+03:00", "2025-03-18", putin)
	c.Unresolved = []string{"President of Estonia Alar Karis"}
	got := map[string]bool{}
	for _, r := range []*model.CallReport{a, b, c} {
		got[one(t, adds(tr.Add(r, clock))).ID] = true
	}
	if len(got) != 3 {
		t.Fatal("calls with different unknown leaders merged")
	}
}

// The final events depend on the reports, not on the order they came in;
// only the id (from the first report's date) and the number of versions
// (one per change) can.
func TestOrderDoesNotMatter(t *testing.T) {
	topic := func(r *model.CallReport, id string, triggers ...string) *model.CallReport {
		r.Topics = append(r.Topics, model.Topic{ID: id, Label: id, Triggers: triggers})
		return r
	}
	reports := func() []*model.CallReport {
		k := topic(held("kremlin.ru/1", "2025-04-02T01:10:00+03:00", "2025-04-02", putin, trump), "ukraine", "Украина")
		k.Initiator = "Q22686"
		e := topic(held("en.kremlin.ru/1", "2025-04-02T01:30:00+03:00", "2025-04-02", putin, trump), "ukraine", "Ukraine")
		w := topic(minute(held("whitehouse.gov/2", "2025-04-01T20:00:00-04:00", "2025-04-01", trump, putin), "2025-04-01T23:00:00Z"), "trade_economy", "trade")
		a := announced("whitehouse.gov/brief", "2025-03-31T12:00:00-04:00", "2025-04-01", trump, putin)
		return []*model.CallReport{k, e, w, a}
	}
	final := func(order []int) string {
		tr := newTracker(t)
		rs := reports()
		latest := map[string]*model.LeaderCall{}
		for _, i := range order {
			for _, ev := range adds(tr.Add(rs[i], clock)) {
				latest[ev.ID] = Snapshot(ev)
			}
		}
		var out []string
		for _, ev := range latest {
			ev.ID, ev.Version, ev.HeldEventID = "", 0, strings.Repeat("x", len(ev.HeldEventID))
			b, _ := json.Marshal(ev)
			out = append(out, string(b))
		}
		slices.Sort(out)
		return strings.Join(out, "\n")
	}
	want := final([]int{0, 1, 2, 3})
	for _, order := range [][]int{{3, 2, 1, 0}, {2, 0, 3, 1}, {1, 3, 0, 2}} {
		if got := final(order); got != want {
			t.Errorf("order %v:\n%s\nwant\n%s", order, got, want)
		}
	}
}

func TestKeys(t *testing.T) {
	g, _ := gazetteer.Default()
	k, err := NewKeyer(g)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ mention, key, place string }{
		{"President of Finland Sauli Niinisto", "?FI:president", "FI"},
		{"Президентом Финляндии Саули Ниинистё", "?FI:president", "FI"},
		{"Secretary General Jens Stoltenberg of NATO", "?NATO:secretary_general", "NATO"},
		{"Prime Minister of the Republic of Korea Han Duck-soo", "?KR:prime_minister", "KR"},
		{"President of North Korea", "?KP:president", "KP"},
		{"the Finnish leader", "?FI", "FI"},
		{"President of Somaliland Muse  Bihi Abdi", "?president of somaliland muse bihi abdi", "?"},
	}
	for _, tt := range tests {
		if got := k.MergeKey([]model.Participant{putin}, []string{tt.mention}); got != tt.key+"+Q7747" {
			t.Errorf("MergeKey(%q) = %q, want %s+Q7747", tt.mention, got, tt.key)
		}
		want := strings.Join(slices.Sorted(slices.Values([]string{"RU", tt.place})), "+")
		if got := k.PartitionKey([]model.Participant{putin}, []string{tt.mention}); got != want {
			t.Errorf("PartitionKey(%q) = %q, want %q", tt.mention, got, want)
		}
	}
	// The resolved and the unresolved President of Finland share a partition.
	if a, b := k.PartitionKey([]model.Participant{putin, stubb}, nil), k.PartitionKey([]model.Participant{putin}, []string{"Президентом Финляндии"}); a != b {
		t.Errorf("partition keys %q and %q", a, b)
	}
	// An organisation's leader is placed by the organisation.
	rutte := model.Participant{WikidataID: "Q57792", Role: "Secretary General of NATO"}
	if got := k.PartitionKey([]model.Participant{trump, rutte}, nil); got != "NATO+US" {
		t.Errorf("NATO leader: partition key %q", got)
	}
}

// Whether an announcement is linked does not depend on the order reports
// come in, even when a later report narrows the call's time out of the
// announced day (any day a report gives counts).
func TestAnnouncementLinkIndependentOfOrder(t *testing.T) {
	reports := func() []*model.CallReport {
		return []*model.CallReport{
			announced("whitehouse.gov/briefing", "2025-03-31T12:00:00-04:00", "2025-04-01", trump, putin),
			held("kremlin.ru/1", "2025-04-02T15:00:00+03:00", "2025-04-02", putin, trump),
			minute(held("whitehouse.gov/readout", "2025-04-02T08:00:00-04:00", "2025-04-02", trump, putin), "2025-04-02T10:00:00Z"),
		}
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}, {2, 0, 1}} {
		tr := newTracker(t)
		rs := reports()
		for _, i := range order {
			tr.Add(rs[i], clock)
		}
		var linked int
		for _, e := range tr.events {
			if e.ev.Status == model.StatusAnnounced && e.ev.HeldEventID != "" {
				linked++
			}
			if e.ev.Status == model.StatusHeld && len(e.ev.Sources) != 2 {
				t.Errorf("order %v: held call with %d sources", order, len(e.ev.Sources))
			}
		}
		if linked != 1 {
			t.Errorf("order %v: %d announcements linked, want 1", order, linked)
		}
	}
}

// An event keeps its earliest maxSources sources, so that a flood of
// statements about one call (a source changing its URLs on every poll)
// cannot make each report cost more than the last.
func TestSourcesBounded(t *testing.T) {
	tr := newTracker(t)
	base := at("2025-03-18T17:15:00Z")
	var last *model.LeaderCall
	for i := range 2 * maxSources {
		pub := base.Add(time.Duration(2*maxSources-i) * time.Minute).Format(time.RFC3339) // each earlier than the last
		if evs := adds(tr.Add(held(fmt.Sprintf("kremlin.ru/%d", i), pub, "2025-03-18", putin, trump), clock)); len(evs) > 0 {
			last = evs[0]
		}
	}
	if tr.Len() != 1 || len(last.Sources) != maxSources {
		t.Fatalf("%d events, %d sources", tr.Len(), len(last.Sources))
	}
	if want := fmt.Sprint("kremlin.ru/", 2*maxSources-1); last.Sources[0].StatementID != want {
		t.Errorf("first source %s, want the earliest published %s", last.Sources[0].StatementID, want)
	}
	// A pushed-out source is no longer indexed; a later one than all kept adds nothing.
	if _, ok := tr.bySource["kremlin.ru/0"]; ok {
		t.Error("a dropped source is still indexed")
	}
	if evs := adds(tr.Add(held("kremlin.ru/late", base.Add(24*time.Hour).Format(time.RFC3339), "2025-03-18", putin, trump), clock)); len(evs) != 0 {
		t.Errorf("a source later than all kept changed the event")
	}
}
