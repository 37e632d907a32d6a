package calls

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/pkg/model"
)

// roundtrip passes ev through JSON, as the leader-calls topic does.
func roundtrip(t *testing.T, ev *model.LeaderCall) *model.LeaderCall {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var back model.LeaderCall
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return &back
}

func newTrackerWith(t testing.TB, o Options) *Tracker {
	t.Helper()
	tr := newTracker(t)
	o.Keys, o.Now = tr.opt.Keys, tr.opt.Now
	return NewTracker(o)
}

// The reviewer's case: the English copy names the President of Finland
// without resolving him ("?FI:president"), the Russian one resolves him, so
// the event ends with resolved parties only. A third report that leaves him
// unresolved joins the event live; it must join it as well after the
// tracker was rebuilt from the topic, which holds only the final parties.
func TestRestoredTrackerKeepsJoinKeys(t *testing.T) {
	en := held("en.kremlin.ru/56630", "2017-12-30T15:05:00+03:00", "2017-12-30", putin)
	en.Unresolved = []string{"President of Finland Sauli Niinisto"}
	res := held("kremlin.ru/56630", "2017-12-30T15:00:00+03:00", "2017-12-30", putin, stubb)
	other := func() *model.CallReport {
		r := held("en.kremlin.ru/99999", "2017-12-30T16:00:00+03:00", "2017-12-30", putin)
		r.Unresolved = []string{"President of Finland Sauli Niinisto"}
		r.Source.TranslationKey = ""
		return r
	}

	live := newTracker(t)
	one(t, adds(live.Add(en, clock)))
	ev := one(t, adds(live.Add(res, clock)))
	if len(ev.Unresolved) != 0 || !slices.Contains(ev.MergeKeys, "?FI:president+Q7747") {
		t.Fatalf("setup: unresolved %v, merge keys %v", ev.Unresolved, ev.MergeKeys)
	}
	a := one(t, adds(live.Add(other(), clock)))

	restored := newTracker(t)
	restored.Restore(roundtrip(t, ev))
	restored.Evict()
	b := one(t, adds(restored.Add(other(), clock)))
	if a.ID != ev.ID || b.ID != a.ID || b.Version != a.Version || len(b.Sources) != 3 {
		t.Errorf("live: %s v%d; restored: %s v%d with %d sources; want both %s v3 with 3", a.ID, a.Version, b.ID, b.Version, len(b.Sources), ev.ID)
	}
}

// Two calls between the same leaders dated 2 April in two zones get ids n=0
// and n=1. Once both are evicted, the second call's report (a repeat, an
// edit) finds the second call's event by its statement, not the first
// call's by the first free id.
func TestEvictedSecondCallKeepsItsEvent(t *testing.T) {
	tr := newTracker(t)
	a := one(t, adds(tr.Add(minute(held("kremlin.ru/1", "2025-04-02T01:00:00+03:00", "2025-04-02", putin, trump), "2025-04-01T21:30:00Z"), clock)))
	second := func() *model.CallReport {
		return minute(held("whitehouse.gov/2", "2025-04-02T21:00:00-04:00", "2025-04-02", putin, trump), "2025-04-03T00:00:00Z")
	}
	b := one(t, adds(tr.Add(second(), clock)))
	if a.ID == b.ID {
		t.Fatal("setup: the two calls share an id")
	}
	adds(tr.Add(held("kremlin.ru/9", "2025-05-30T12:00:00+03:00", "2025-05-30", putin, modi), clock))
	if n := tr.Evict(); n != 2 || tr.IndexLen() != 2 {
		t.Fatalf("evicted %d, index %d; want both calls evicted", n, tr.IndexLen())
	}
	if evs, how := tr.Add(second(), clock); len(evs) != 0 || how != JoinEdit {
		t.Errorf("a repeat of the second call's report emitted %s (join %d)", ids(evs), how)
	}
	edit := second()
	edit.Source.Title = "edited"
	evs, how := tr.Add(edit, clock)
	got := one(t, evs)
	if got.ID != b.ID || got.Version != 2 || len(got.Sources) != 1 || how != JoinEdit {
		t.Errorf("an edit of the second call's report: %s v%d with %d sources (join %d), want %s v2 with 1", got.ID, got.Version, len(got.Sources), how, b.ID)
	}
	if first := tr.events[a.ID].ev; first.Version != 1 || len(first.Sources) != 1 {
		t.Errorf("the first call's event changed: v%d, %d sources", first.Version, len(first.Sources))
	}
}

// An evicted event that a report changes continues from its full last
// state, not from one report: topics, evidence, confidence, the stated time
// and every source survive, under the next version.
func TestReopenedEventKeepsContent(t *testing.T) {
	tr := newTracker(t)
	k := held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump)
	k.Topics = []model.Topic{{ID: "ukraine", Label: "Ukraine", Triggers: []string{"Ukraine"}}}
	adds(tr.Add(k, clock))
	w := minute(held("whitehouse.gov/1", "2025-03-01T10:00:00-05:00", "2025-03-01", trump, putin), "2025-03-01T14:00:00Z")
	w.Topics = []model.Topic{{ID: "trade", Label: "Trade", Triggers: []string{"trade"}}}
	w.Confidence = 0.99
	before := one(t, adds(tr.Add(w, clock)))
	adds(tr.Add(held("kremlin.ru/2", "2025-05-30T12:00:00+03:00", "2025-05-30", putin, modi), clock))
	if n := tr.Evict(); n != 1 {
		t.Fatalf("evicted %d, want the March call", n)
	}
	edit := held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump)
	edit.Source.Title = "edited"
	after := one(t, adds(tr.Add(edit, clock)))
	if after.ID != before.ID || after.Version != before.Version+1 {
		t.Fatalf("after eviction: %s v%d, want %s v%d", after.ID, after.Version, before.ID, before.Version+1)
	}
	// Apart from the version, the time written and the edited title, nothing changed.
	want := Snapshot(before)
	want.Version, want.UpdatedAt = after.Version, after.UpdatedAt
	for i := range want.Sources {
		if want.Sources[i].StatementID == "kremlin.ru/1" {
			want.Sources[i].Title = "edited"
		}
	}
	if g, w := canonicalJSON(t, after), canonicalJSON(t, want); g != w {
		t.Errorf("reopened event lost content:\n got %s\nwant %s", g, w)
	}
}

func canonicalJSON(t *testing.T, ev *model.LeaderCall) string {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// callStream is a few months of reports between a few pairs of leaders as
// the processor sees them: both Kremlin languages (one in three leaving the
// counterpart unresolved), White House readouts, announcements, two calls
// dated the same day in two zones, and late arrivals after the retention:
// edits, repeats, translations and other governments' reports of calls
// long evicted.
func callStream() []*model.CallReport {
	type arrival struct {
		at time.Time
		r  *model.CallReport
	}
	var in []arrival
	add := func(at time.Time, r *model.CallReport) { in = append(in, arrival{at, r}) }
	start := at("2025-01-01T00:00:00Z")
	for i := range 120 {
		d := start.AddDate(0, 0, i)
		on := d.Format(time.DateOnly)
		msk := func(hm string) string { return on + "T" + hm + ":00+03:00" }
		was := func(hm string) string { return on + "T" + hm + ":00-05:00" }
		late := func(days int) time.Time { return d.AddDate(0, 0, days) }
		n := fmt.Sprint(1000 + i)
		if i%2 == 0 {
			ru := held("kremlin.ru/"+n, msk("15:00"), on, putin, trump)
			ru.Topics = []model.Topic{{ID: "ukraine", Label: "Ukraine", Triggers: []string{"Украина"}}}
			en := held("en.kremlin.ru/"+n, msk("15:30"), on, putin, trump)
			en.Topics = []model.Topic{{ID: "ukraine", Label: "Ukraine", Triggers: []string{"Ukraine"}}}
			if i%3 == 0 {
				en.Participants = []model.Participant{putin}
				en.Unresolved = []string{"President of the United States Donald Trump"}
			}
			add(d, ru)
			if i%11 == 0 {
				add(late(25), en) // a translation long after
			} else {
				add(d.Add(time.Hour), en)
			}
			wh := held("whitehouse.gov/r"+n, was("14:00"), on, trump, putin)
			if i%4 == 0 {
				wh = minute(wh, on+"T12:00:00Z")
			}
			wh.Topics = []model.Topic{{ID: "trade", Label: "Trade", Triggers: []string{"trade"}}}
			if i%13 == 0 {
				add(late(20), wh) // another government's report, long after
			} else {
				add(d.Add(2*time.Hour), wh)
			}
			if i%8 == 0 {
				add(late(30), held("whitehouse.gov/r"+n, was("14:00"), on, trump, putin)) // a repeat
			}
			if i%9 == 0 {
				ed := held("kremlin.ru/"+n, msk("15:00"), on, putin, trump)
				ed.Source.Title = "edited"
				ed.Topics = []model.Topic{{ID: "energy", Label: "Energy", Triggers: []string{"нефть"}}}
				add(late(40), ed) // an edit long after
			}
		}
		if i%7 == 3 {
			ann := announced("whitehouse.gov/b"+n, d.AddDate(0, 0, -1).Format(time.DateOnly)+"T12:00:00-05:00", on, trump, putin)
			add(d.AddDate(0, 0, -1), ann)
			switch i % 4 {
			case 1: // the announced call itself, reported by the Kremlin
				add(d.Add(3*time.Hour), held("kremlin.ru/a"+n, msk("18:00"), on, putin, trump))
			case 3: // reported only long after the announcement was evicted
				add(late(24), held("kremlin.ru/a"+n, msk("18:00"), on, putin, trump))
			}
		}
		if i%14 == 2 { // an announcement that reaches the processor long after its call
			add(late(22), announced("whitehouse.gov/c"+n, d.AddDate(0, 0, -1).Format(time.DateOnly)+"T12:00:00-05:00", on, trump, putin))
		}
		if i%10 == 0 { // a second call dated the same day in Washington: the next day in UTC
			add(d.Add(4*time.Hour), minute(held("whitehouse.gov/s"+n, was("21:00"), on, trump, putin), d.Add(26*time.Hour).Format(time.RFC3339)))
		}
		if i%5 == 0 {
			add(d, held("kremlin.ru/m"+n, msk("11:00"), on, putin, modi))
			if i%15 == 0 {
				add(late(21), held("kremlin.ru/m"+n, msk("11:00"), on, putin, modi)) // a repeat
			}
		}
		if i%6 == 0 {
			fi := held("kremlin.ru/f"+n, msk("13:00"), on, putin, stubb)
			fi.Source.TranslationKey = "kremlin.ru/d/f" + n
			fien := held("en.kremlin.ru/f"+n, msk("13:10"), on, putin)
			fien.Source.TranslationKey = "kremlin.ru/d/f" + n
			fien.Unresolved = []string{"President of Finland Sauli Niinisto"}
			add(d, fien)
			add(d.Add(time.Minute), fi)
			if i%12 == 0 { // an unrelated report naming him unresolved, long after
				o := held("en.kremlin.ru/g"+n, msk("16:00"), on, putin)
				o.Unresolved = []string{"President of Finland Sauli Niinisto"}
				add(late(33), o)
			}
		}
	}
	sort.SliceStable(in, func(i, j int) bool { return in[i].at.Before(in[j].at) })
	out := make([]*model.CallReport, len(in))
	for i, a := range in {
		out[i] = a.r
	}
	return out
}

// versions runs reports through tr from index from on, evicting after each
// when evict is set, and returns every emitted event version as JSON.
func versions(t *testing.T, tr *Tracker, reports []*model.CallReport, evict bool, fromEvicted *int) []string {
	t.Helper()
	var out []string
	for i, r := range reports {
		wasEvicted := map[string]bool{}
		for id, e := range tr.events {
			wasEvicted[id] = e.heapAt >= 0
		}
		evs, _ := tr.Add(r, clock)
		for _, ev := range evs {
			if fromEvicted != nil && wasEvicted[ev.ID] {
				*fromEvicted++
			}
			out = append(out, fmt.Sprintf("%d %s", i, canonicalJSON(t, ev)))
		}
		if evict {
			tr.Evict()
		}
	}
	return out
}

func diffLines(got, want []string) string {
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("first difference at emission %d of %d/%d:\n got %s\nwant %s", i, len(got), len(want), g, w)
		}
	}
	return ""
}

// When events are evicted changes no answer: a tracker that evicts after
// every report emits what one that never evicts emits (ids, versions,
// content), while late reports find evicted events by statement,
// translation, parties and day, and announcements.
func TestEvictionChangesNoAnswer(t *testing.T) {
	reports := callStream()
	never := versions(t, newTrackerWith(t, Options{Retention: 100 * 365 * 24 * time.Hour}), reports, false, nil)
	hits := 0
	tr := newTrackerWith(t, Options{})
	always := versions(t, tr, reports, true, &hits)
	if d := diffLines(always, never); d != "" {
		t.Fatal(d)
	}
	if hits < 10 || tr.IndexLen() < 50 {
		t.Fatalf("%d versions of evicted events, %d events in the index: the stream does not exercise eviction", hits, tr.IndexLen())
	}
}

// A tracker rebuilt from the latest version of every event, as the
// processor rebuilds it from the compacted topic after a rebalance, goes on
// exactly as the tracker that wrote them.
func TestRestoredTrackerAnswersAsTheOriginal(t *testing.T) {
	reports := callStream()
	want := versions(t, newTracker(t), reports, true, nil)
	for _, split := range []int{len(reports) / 4, len(reports) / 2, 3 * len(reports) / 4} {
		first := newTracker(t)
		latest := map[string]*model.LeaderCall{}
		for _, r := range reports[:split] {
			for _, ev := range adds(first.Add(r, clock)) {
				latest[ev.ID] = roundtrip(t, ev)
			}
			first.Evict()
		}
		restored := newTracker(t)
		for _, id := range slices.Sorted(mapKeys(latest)) {
			restored.Restore(latest[id])
		}
		restored.Evict()
		if restored.Len() != first.Len() || restored.IndexLen() != first.IndexLen() {
			t.Errorf("split %d: restored %d recent and %d evicted events, the writer holds %d and %d", split, restored.Len(), restored.IndexLen(), first.Len(), first.IndexLen())
		}
		got := versions(t, restored, reports[split:], true, nil)
		var rest []string
		for _, v := range want {
			var i int
			fmt.Sscan(v, &i)
			if i >= split {
				rest = append(rest, fmt.Sprintf("%d %s", i-split, v[strings.IndexByte(v, ' ')+1:]))
			}
		}
		if d := diffLines(got, rest); d != "" {
			t.Errorf("split %d: %s", split, d)
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// The index is bounded: past MaxIndexed, the evicted events whose calls
// ended first are forgotten; a tracker restored from every event ever
// written (the compacted topic), evicting as it streams them, keeps the
// same ones.
func TestIndexBounded(t *testing.T) {
	const bound = 12
	reports := callStream()
	tr := newTrackerWith(t, Options{MaxIndexed: bound})
	latest := map[string]*model.LeaderCall{}
	for _, r := range reports {
		for _, ev := range adds(tr.Add(r, clock)) {
			latest[ev.ID] = roundtrip(t, ev)
		}
		tr.Evict()
		if tr.IndexLen() > bound {
			t.Fatalf("index holds %d events, bound %d", tr.IndexLen(), bound)
		}
	}
	if len(latest) < 3*bound {
		t.Fatalf("%d events: too few to fill the index", len(latest))
	}
	restored := newTrackerWith(t, Options{MaxIndexed: bound})
	for i, id := range slices.Sorted(mapKeys(latest)) {
		restored.Restore(latest[id])
		if i%5 == 4 {
			restored.Evict()
			if n := restored.Len() + restored.IndexLen(); n > len(latest)/2 {
				t.Fatalf("restore holds %d events at once", n)
			}
		}
	}
	restored.Evict()
	if got, want := slices.Sorted(mapKeys(restored.events)), slices.Sorted(mapKeys(tr.events)); !slices.Equal(got, want) {
		t.Errorf("restored tracker remembers\n%v\nthe writer\n%v", got, want)
	}
	// The oldest calls are the forgotten ones.
	var oldest time.Time
	for _, e := range tr.events {
		if oldest.IsZero() || e.span.to.Before(oldest) {
			oldest = e.span.to
		}
	}
	for id, ev := range latest {
		if _, ok := tr.events[id]; !ok && eventSpan(ev).to.After(oldest) {
			t.Errorf("forgot %s (ending %v) but remembers a call ending %v", id, eventSpan(ev).to, oldest)
		}
	}
}

// The id of an event depends on the places of its parties and its date,
// not on which report came first: the English copy that leaves the
// President of Finland unresolved and the Russian one that resolves him give
// the same id in either order.
func TestIDIndependentOfFirstReport(t *testing.T) {
	en := held("en.kremlin.ru/56630", "2017-12-30T15:05:00+03:00", "2017-12-30", putin)
	en.Unresolved = []string{"President of Finland Sauli Niinisto"}
	ru := held("kremlin.ru/56630", "2017-12-30T15:00:00+03:00", "2017-12-30", putin, stubb)
	a := newTracker(t)
	first := one(t, adds(a.Add(en, clock)))
	b := newTracker(t)
	other := one(t, adds(b.Add(ru, clock)))
	if first.ID != other.ID {
		t.Errorf("first report unresolved: %s; resolved: %s", first.ID, other.ID)
	}
}

// An evicted event that a report moves into the retention (an edit that
// corrects the date by months) is recent again: the index's bound, which
// forgets the calls that ended first, does not apply to it.
func TestEventMovedIntoTheRetentionIsRecentAgain(t *testing.T) {
	tr := newTracker(t)
	adds(tr.Add(held("kremlin.ru/1", "2025-03-01T12:00:00+03:00", "2025-03-01", putin, trump), clock))
	adds(tr.Add(held("kremlin.ru/2", "2025-05-30T12:00:00+03:00", "2025-05-30", putin, modi), clock))
	if n := tr.Evict(); n != 1 || tr.Len() != 1 {
		t.Fatalf("evicted %d, %d recent", n, tr.Len())
	}
	moved := one(t, adds(tr.Add(held("kremlin.ru/1", "2025-05-29T12:00:00+03:00", "2025-05-29", putin, trump), clock)))
	if tr.Len() != 2 || tr.IndexLen() != 0 || tr.events[moved.ID].heapAt >= 0 {
		t.Errorf("after its date moved into the retention: %d recent, %d evicted", tr.Len(), tr.IndexLen())
	}
}
