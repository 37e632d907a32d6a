package processor_test

import (
	"encoding/json"
	"testing"

	"github.com/readout/readout/internal/processortest"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/ninjs"
	"github.com/readout/readout/pkg/plover"
	"github.com/readout/readout/pkg/processor"
)

// fields decodes v's JSON into a map: what a consumer of the topic reads.
func fields(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Statements and event sources cite the URL as the publisher published it
// (http, an archive host, a trailing slash) and keep the canonical form
// beside it; ids, translation keys and event ids are those of the
// canonical form, so an item under another spelling of its URL is the same
// statement.
func TestSourcesCiteTheURLAsPublished(t *testing.T) {
	p, _ := processortest.New(t)
	rs := processortest.Sample(t)
	want := []struct{ url, canonical, id, key string }{
		{"http://en.kremlin.ru/events/president/news/67487", "https://en.kremlin.ru/events/president/news/67487", "en.kremlin.ru/67487", "kremlin.ru/d/67487"},
		{"https://bidenwhitehouse.archives.gov/briefing-room/press-briefings/2021/12/30/background-press-call-on-president-bidens-call-with-president-putin-of-the-russian-federation/",
			"https://whitehouse.gov/briefing-room/press-briefings/2021/12/30/background-press-call-on-president-bidens-call-with-president-putin-of-the-russian-federation",
			"https://whitehouse.gov/briefing-room/press-briefings/2021/12/30/background-press-call-on-president-bidens-call-with-president-putin-of-the-russian-federation", ""},
	}
	var ev *model.LeaderCall
	for i, w := range want {
		out := p.Handle(processor.Input{Value: rs[i]})
		if out.Statement == nil || len(out.Events) != 1 {
			t.Fatalf("item %d: statement %v, %d events, dead letter %+v", i, out.Statement != nil, len(out.Events), out.DeadLetter)
		}
		st := fields(t, out.Statement)
		if st["url"] != w.url || st["canonical_url"] != w.canonical {
			t.Errorf("statement %d: url %v, canonical_url %v; want %s and %s", i, st["url"], st["canonical_url"], w.url, w.canonical)
		}
		if st["id"] != w.id || (st["translation_key"] != nil || w.key != "") && st["translation_key"] != w.key {
			t.Errorf("statement %d: id %v, translation key %v; want %s and %q (from the canonical URL)", i, st["id"], st["translation_key"], w.id, w.key)
		}
		ev = out.Events[0]
	}
	if ev.ID != "lc-2021-12-30-cfb94f5cffc9" {
		t.Errorf("event id %s, want lc-2021-12-30-cfb94f5cffc9 (the id earlier versions gave)", ev.ID)
	}
	srcs, _ := fields(t, ev)["sources"].([]any)
	if len(srcs) != len(want) {
		t.Fatalf("%d sources, want %d", len(srcs), len(want))
	}
	for i, s := range srcs {
		s := s.(map[string]any)
		if s["url"] != want[i].url || s["canonical_url"] != want[i].canonical {
			t.Errorf("source %d: url %v, canonical_url %v; want %s and %s", i, s["url"], s["canonical_url"], want[i].url, want[i].canonical)
		}
	}

	// The newsroom outputs cite the published URLs.
	doc, err := ninjs.FromLeaderCall(ev)
	if err != nil {
		t.Fatal(err)
	}
	var item ninjs.Item
	if err := json.Unmarshal(doc, &item); err != nil {
		t.Fatal(err)
	}
	rec, err := plover.FromLeaderCall(ev)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if a := item.Associations[i]; a.URI != w.url || len(a.AltIDs) != 1 || a.AltIDs[0] != (ninjs.AltID{Role: ninjs.RoleCanonicalURL, Value: w.canonical}) {
			t.Errorf("ninjs association %d: uri %s, altids %v; want %s and the canonical URL", i, a.URI, a.AltIDs, w.url)
		}
		if rec.SourceURLs[i] != w.url {
			t.Errorf("PLOVER source_urls[%d] %s, want %s", i, rec.SourceURLs[i], w.url)
		}
	}

	// The first item again under the https spelling of its URL is the same
	// statement, already held: a redelivery.
	again := processortest.Raw(t, rs[0])
	again.URL, again.GUID = want[0].canonical, want[0].canonical
	if out := p.Handle(processor.Input{Value: processortest.Encode(t, again)}); out.Statement != nil || out.DeadLetter != nil || len(out.Events) != 0 {
		t.Errorf("the item under its canonical URL: statement %+v, %d events, dead letter %+v; want a redelivery", out.Statement, len(out.Events), out.DeadLetter)
	}
}

// An event and its reports give a time only when a text states one: at day
// precision occurred_at is absent, at minute precision it is the stated time.
func TestOccurredAtOnlyWhenStated(t *testing.T) {
	p, _ := processortest.New(t)
	day := p.Handle(processor.Input{Value: processortest.Sample(t)[0]}) // "On December 30, Vladimir Putin had a telephone conversation ..."
	stated := processortest.Raw(t, processortest.Sample(t)[0])
	stated.URL, stated.GUID = "http://en.kremlin.ru/events/president/news/68000", "http://en.kremlin.ru/events/president/news/68000"
	stated.Title = "Telephone conversation with President of France Emmanuel Macron"
	stated.Body = "Vladimir Putin had a telephone conversation with President of France Emmanuel Macron at 17:45."
	stated.PublishedAt = "2022-03-14T20:25:00+03:00"
	minute := p.Handle(processor.Input{Value: processortest.Encode(t, stated)})
	for _, tt := range []struct {
		name      string
		out       processor.Output
		precision string
		at        any // the JSON value of occurred_at; nil: absent
	}{
		{"day", day, model.PrecisionDay, nil},
		{"minute", minute, model.PrecisionMinute, "2022-03-14T14:45:00Z"},
	} {
		if len(tt.out.Events) != 1 {
			t.Fatalf("%s: %d events (dead letter %+v)", tt.name, len(tt.out.Events), tt.out.DeadLetter)
		}
		ev := fields(t, tt.out.Events[0])
		at, present := ev["occurred_at"]
		if ev["precision"] != tt.precision || at != tt.at || present != (tt.at != nil) {
			t.Errorf("%s: precision %v, occurred_at %v (present %v); want %s and %v", tt.name, ev["precision"], at, present, tt.precision, tt.at)
		}
	}
	ps, dl := p.Prepare(processor.Input{Value: processortest.Sample(t)[0]})
	if dl != nil || len(ps.Calls) != 1 {
		t.Fatalf("prepare: %+v", dl)
	}
	if rep := fields(t, ps.Calls[0]); rep["precision"] != model.PrecisionDay || rep["occurred_at"] != nil {
		t.Errorf("call report at day precision: occurred_at %v, want it absent", rep["occurred_at"])
	}
}
