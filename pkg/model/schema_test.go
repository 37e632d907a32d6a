package model_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
	"github.com/readout/readout/pkg/sources"
)

// schemaBase is the $id prefix of the schemas, which refer to each other by file name.
const schemaBase = "https://github.com/readout/readout/pkg/model/schema/"

func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	files, err := model.Schemas.ReadDir("schema")
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, f := range files {
		b, err := model.Schemas.ReadFile("schema/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		if err := c.AddResource(schemaBase+f.Name(), doc); err != nil {
			t.Fatal(err)
		}
	}
	s, err := c.Compile(schemaBase + name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, what string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("%s does not match its schema: %v\n%s", what, err, b)
	}
}

// Real messages produced from the real Kremlin feed match the published schemas.
func TestMessagesMatchSchemas(t *testing.T) {
	rawS, stS, evS, dlS := compile(t, "raw.v1.json"), compile(t, "statement.v1.json"), compile(t, "leader-call.v1.json"), compile(t, "dead-letter.v1.json")
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	srcs, err := sources.Parse([]byte("sources:\n  - {id: kremlin-en-all, kind: feed, url: 'http://en.kremlin.ru/events/all/feed', lang: en, publisher: kremlin.ru, zone: Europe/Moscow, external_id_pattern: '/(\\d+)/?$'}\n"))
	if err != nil {
		t.Fatal(err)
	}
	items, err := feeds.Parse(srcs[0], feed, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := processor.New(processor.Config{Extractor: extract.New(g)})
	if err != nil {
		t.Fatal(err)
	}
	prepS, repS := compile(t, "prepared.v1.json"), compile(t, "call-report.v1.json")
	events, reports := 0, 0
	for i := range items {
		validate(t, rawS, "raw item "+items[i].URL, items[i])
		b, _ := json.Marshal(items[i])
		ps, dl := p.Prepare(processor.Input{Value: b})
		if dl != nil {
			t.Fatalf("item %s: %+v", items[i].URL, dl)
		}
		validate(t, prepS, "prepared statement "+ps.Statement.ID, ps)
		for _, r := range ps.Calls {
			reports++
			validate(t, repS, "call report of "+ps.Statement.ID, r)
		}
		out := p.Handle(processor.Input{Value: b})
		if out.Statement == nil {
			t.Fatalf("item %s: no statement (%+v)", items[i].URL, out.DeadLetter)
		}
		validate(t, stS, "statement "+out.Statement.ID, out.Statement)
		for _, ev := range out.Events {
			events++
			validate(t, evS, "event "+ev.ID, ev)
		}
	}
	if len(items) != 20 || events == 0 || reports == 0 {
		t.Fatalf("%d items, %d call reports, %d events", len(items), reports, events)
	}
	// A second version of a statement carries the content hash of the first.
	edited := items[0]
	edited.Body += " Edited."
	b, _ := json.Marshal(edited)
	if out := p.Handle(processor.Input{Value: b}); out.Statement == nil || len(out.Statement.PriorHashes) != 1 {
		t.Fatalf("edit: %+v", out.Statement)
	} else {
		validate(t, stS, "statement version 2", out.Statement)
	}
	// The statement schema refuses a statement that was never numbered.
	bad := compile(t, "statement.v1.json")
	ps, _ := p.Prepare(processor.Input{Value: b})
	raw, _ := json.Marshal(ps.Statement)
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if bad.Validate(doc) == nil {
		t.Error("statement.v1.json accepts version 0")
	}
	out := p.Handle(processor.Input{Value: []byte("{oops"), Topic: model.TopicRaw, Offset: 7})
	validate(t, dlS, "dead letter", out.DeadLetter)
}

// occurred_at is required with precision minute and absent with precision
// day, in events and call reports alike.
func TestOccurredAtFollowsPrecision(t *testing.T) {
	ev := model.LeaderCall{ID: "lc-2017-12-30-0123456789ab", Version: 1, Status: model.StatusHeld,
		Participants: []model.Participant{{WikidataID: "Q7747", NameEN: "Vladimir Putin", Role: "President of Russia", Country: "RU"}},
		OccurredOn:   "2017-12-30", Precision: model.PrecisionDay, FirstReportedAt: time.Date(2017, 12, 30, 10, 50, 0, 0, time.UTC),
		Topics: []model.Topic{}, Evidence: []model.Evidence{}, AllResolved: true, Confidence: 0.9, UpdatedAt: time.Date(2017, 12, 30, 11, 0, 0, 0, time.UTC),
		Sources: []model.SourceRef{{StatementID: "en.kremlin.ru/56564", URL: "http://en.kremlin.ru/events/president/news/56564",
			CanonicalURL: "https://en.kremlin.ru/events/president/news/56564", Publisher: "kremlin.ru", Lang: "en",
			PublishedAt: time.Date(2017, 12, 30, 10, 50, 0, 0, time.UTC), Title: "Telephone conversation with President of Finland Sauli Niinisto"}}}
	rep := model.CallReport{Source: ev.Sources[0], FetchedAt: ev.UpdatedAt, Status: ev.Status, Participants: ev.Participants,
		OccurredOn: ev.OccurredOn, Precision: ev.Precision, Topics: ev.Topics, Confidence: ev.Confidence, Evidence: ev.Evidence}
	evS, repS := compile(t, "leader-call.v1.json"), compile(t, "call-report.v1.json")
	accepts := func(s *jsonschema.Schema, v any) bool {
		b, _ := json.Marshal(v)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return s.Validate(doc) == nil
	}
	if !accepts(evS, ev) || !accepts(repS, rep) {
		t.Error("an event or call report at day precision without occurred_at is refused")
	}
	ev.Precision, rep.Precision = model.PrecisionMinute, model.PrecisionMinute
	if accepts(evS, ev) || accepts(repS, rep) {
		t.Error("an event or call report at minute precision without occurred_at is accepted")
	}
	ev.OccurredAt, rep.OccurredAt = time.Date(2017, 12, 30, 9, 30, 0, 0, time.UTC), time.Date(2017, 12, 30, 9, 30, 0, 0, time.UTC)
	if !accepts(evS, ev) || !accepts(repS, rep) {
		t.Error("an event or call report at minute precision with occurred_at is refused")
	}
}
