package calls

import (
	"encoding/json"
	"testing"

	"github.com/readout/readout/pkg/model"
)

// jsonFields is what a consumer of the event reads.
func jsonFields(t *testing.T, ev *model.LeaderCall) map[string]any {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// An event gives a time only when a report states one. Reports of earlier
// versions carry a time at day precision (the publication's); it is not
// passed on, and a report that states the time replaces the date-only one.
func TestOccurredAtOnlyAtMinutePrecision(t *testing.T) {
	tr := newTracker(t)
	day := held("kremlin.ru/56564", "2017-12-30T13:50:00+03:00", "2017-12-30", putin, stubb) // OccurredAt set, as earlier versions wrote it
	ev := jsonFields(t, one(t, adds(tr.Add(day, clock))))
	if at, ok := ev["occurred_at"]; ok || ev["precision"] != model.PrecisionDay || ev["occurred_on"] != "2017-12-30" {
		t.Errorf("day precision: occurred_at %v (present %v), precision %v, occurred_on %v; want no time", at, ok, ev["precision"], ev["occurred_on"])
	}
	stated := minute(held("fi/1", "2017-12-30T14:00:00+02:00", "2017-12-30", putin, stubb), "2017-12-30T09:30:00Z")
	ev = jsonFields(t, one(t, adds(tr.Add(stated, clock))))
	if ev["occurred_at"] != "2017-12-30T09:30:00Z" || ev["precision"] != model.PrecisionMinute {
		t.Errorf("a stated time: occurred_at %v, precision %v; want 2017-12-30T09:30:00Z, minute", ev["occurred_at"], ev["precision"])
	}
}

// legacyEvent is an event as earlier versions wrote it to the leader-calls
// topic: a time at day precision (the publication's), sources whose url is
// the canonical one and without canonical_url.
const legacyEvent = `{"id":"lc-2017-12-30-legacy","version":3,"status":"held",
"participants":[{"wikidata_id":"Q7747","name_en":"Vladimir Putin","name_ru":"","role":"President of Russia","country":"RU"},
 {"wikidata_id":"Q503143","name_en":"Alexander Stubb","name_ru":"","role":"President of Finland","country":"FI"}],
"occurred_on":"2017-12-30","occurred_at":"2017-12-30T10:50:00Z","precision":"day","first_reported_at":"2017-12-30T10:50:00Z",
"topics":[],"sources":[{"statement_id":"en.kremlin.ru/56564","url":"https://en.kremlin.ru/events/president/news/56564",
 "publisher":"kremlin.ru","lang":"en","published_at":"2017-12-30T10:50:00Z","title":"Telephone conversation with President of Finland",
 "translation_key":"kremlin.ru/d/56564","occurred_on":"2017-12-30","zone":"Europe/Moscow"}],
"confidence":0.9,"evidence":[],"all_resolved":true,"merge_keys":["Q503143+Q7747"],"updated_at":"2017-12-30T11:00:00Z"}`

// An event restored from an earlier version's record is found by the next
// report of its call, and its next version has no time at day precision and
// a canonical URL on every source (the old url, which was the canonical one).
func TestRestoredEarlierEventIsUpgraded(t *testing.T) {
	tr := newTracker(t)
	var old model.LeaderCall
	if err := json.Unmarshal([]byte(legacyEvent), &old); err != nil {
		t.Fatal(err)
	}
	tr.Restore(&old)
	r := held("kremlin.ru/56565", "2017-12-30T14:00:00+03:00", "2017-12-30", putin, stubb)
	r.Source.URL, r.Source.CanonicalURL = "http://kremlin.ru/events/president/news/56565", "https://kremlin.ru/events/president/news/56565"
	evs, how := tr.Add(r, clock)
	ev := one(t, evs)
	if ev.ID != old.ID || ev.Version != 4 || how != JoinEvent {
		t.Fatalf("the next report opened or joined %s v%d (join %v); want %s v4", ev.ID, ev.Version, how, old.ID)
	}
	m := jsonFields(t, ev)
	if at, ok := m["occurred_at"]; ok {
		t.Errorf("occurred_at %v at day precision, want it absent", at)
	}
	want := map[string][2]string{
		"en.kremlin.ru/56564": {"https://en.kremlin.ru/events/president/news/56564", "https://en.kremlin.ru/events/president/news/56564"},
		"kremlin.ru/56565":    {"http://kremlin.ru/events/president/news/56565", "https://kremlin.ru/events/president/news/56565"},
	}
	for _, s := range m["sources"].([]any) {
		s := s.(map[string]any)
		w := want[s["statement_id"].(string)]
		if s["url"] != w[0] || s["canonical_url"] != w[1] {
			t.Errorf("source %v: url %v, canonical_url %v; want %s, %s", s["statement_id"], s["url"], s["canonical_url"], w[0], w[1])
		}
	}
}
