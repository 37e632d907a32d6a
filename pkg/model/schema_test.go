package model_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
	"github.com/readout/readout/pkg/sources"
)

func compile(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	b, err := model.Schemas.ReadFile("schema/" + name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
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
	feed, err := os.ReadFile("../../testdata/demo/kremlin-en-events-all.atom.xml")
	if err != nil {
		t.Fatal(err)
	}
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
	events := 0
	for i := range items {
		validate(t, rawS, "raw item "+items[i].URL, items[i])
		b, _ := json.Marshal(items[i])
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
	if len(items) != 20 || events == 0 {
		t.Fatalf("%d items, %d events", len(items), events)
	}
	out := p.Handle(processor.Input{Value: []byte("{oops"), Topic: model.TopicRaw, Offset: 7})
	validate(t, dlS, "dead letter", out.DeadLetter)
}
