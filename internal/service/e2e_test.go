package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/ninjs"
	"github.com/readout/readout/pkg/sources"
)

// feedServer serves the real captured Kremlin feed: the test's internet.
func feedServer(t *testing.T) *httptest.Server {
	t.Helper()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/events/all/feed" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Header().Set("ETag", `"fixture-2018-01-07"`)
		if r.Header.Get("If-None-Match") == `"fixture-2018-01-07"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(feed)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEndToEnd runs the crawler and the processor as in production against
// Kafka (the real Apache Kafka under make test) and reads the leader-call
// events they produce from the real Kremlin feed.
func TestEndToEnd(t *testing.T) {
	env := kafkatest.New(t)
	srv := feedServer(t)
	srcs, err := sources.Parse([]byte(`
sources:
  - id: kremlin-en-all
    kind: feed
    url: ` + srv.URL + `/events/all/feed
    lang: en
    publisher: kremlin.ru
    interval: 5s
    zone: Europe/Moscow
    external_id_pattern: '/(\d+)/?$'
`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	log := zaptest.NewLogger(t)
	var wg sync.WaitGroup
	run := func(name string, fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(); err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
	run("crawler", func() error {
		return service.RunCrawler(ctx, service.CrawlerOptions{Bus: env.Config, Topics: env.Topics, Sources: srcs, Logger: log.Named("crawler")})
	})
	run("processor", func() error {
		return service.RunProcessor(ctx, service.ProcessorOptions{Bus: env.Config, Topics: env.Topics, Group: env.Prefix + "processor", Logger: log.Named("processor")})
	})

	// Read the leader-call topic as a subscriber would, until the three calls of the feed are there.
	c, err := bus.NewConsumer(env.Config, env.Prefix+"subscriber", env.Topics.LeaderCalls)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	latest := map[string]model.LeaderCall{}
	byPeople := func(a, b string) (model.LeaderCall, bool) {
		for _, ev := range latest {
			var ids []string
			for _, p := range ev.Participants {
				ids = append(ids, p.WikidataID)
			}
			if len(ids) == 2 && slices.Contains(ids, a) && slices.Contains(ids, b) {
				return ev, true
			}
		}
		return model.LeaderCall{}, false
	}
	const putin, modi, netanyahu, niinisto = "Q7747", "Q1058", "Q43723", "Q29207"
	for {
		_, ok1 := byPeople(putin, modi)
		_, ok2 := byPeople(putin, niinisto)
		_, ok3 := byPeople(putin, netanyahu)
		if ok1 && ok2 && ok3 {
			break
		}
		rec, err := c.Fetch(ctx)
		if err != nil {
			t.Fatalf("waiting for events (have %d): %v", len(latest), err)
		}
		if rec.Headers[model.HeaderSchema] != model.SchemaLeaderCall {
			t.Errorf("event header %q", rec.Headers[model.HeaderSchema])
		}
		var ev model.LeaderCall
		if err := json.Unmarshal(rec.Value, &ev); err != nil {
			t.Fatalf("event is not JSON: %v", err)
		}
		if string(rec.Key) != ev.ID {
			t.Errorf("event key %q != id %q", rec.Key, ev.ID)
		}
		if old, ok := latest[ev.ID]; !ok || ev.Version > old.Version {
			latest[ev.ID] = ev
		}
	}

	// The Modi call: both participants, the date, the initiator, a topic, the source.
	ev, _ := byPeople(putin, modi)
	if ev.Status != model.StatusHeld || ev.OccurredOn != "2018-01-03" || ev.Initiator != modi {
		t.Errorf("Modi call: %s on %q initiated by %q, want held on 2018-01-03 by %s", ev.Status, ev.OccurredOn, ev.Initiator, modi)
	}
	if len(ev.Topics) == 0 {
		t.Errorf("Modi call has no topic")
	}
	if len(ev.Sources) != 1 || !strings.HasSuffix(ev.Sources[0].URL, "://en.kremlin.ru/events/president/news/56624") {
		t.Errorf("Modi call sources %+v", ev.Sources)
	}
	for _, p := range ev.Participants {
		if p.NameEN == "" || p.NameRU == "" || p.Country == "" {
			t.Errorf("participant without names or country: %+v", p)
		}
	}
	// The Niinistö call: its topics are the ones the text names.
	ev, _ = byPeople(putin, niinisto)
	var topics []string
	for _, tp := range ev.Topics {
		topics = append(topics, tp.ID)
	}
	if !slices.Contains(topics, "syria") || !slices.Contains(topics, "ukraine") {
		t.Errorf("Niinistö call topics %v, want syria and ukraine among them", topics)
	}
	if len(latest) != 3 {
		var got []string
		for _, e := range latest {
			got = append(got, e.ID)
		}
		t.Errorf("%d events, want exactly the 3 calls of the feed: %v", len(latest), got)
	}

	// Each event also reached the newsroom topic as a schema-valid IPTC ninjs document.
	ninjsDocs := map[string]bool{}
	for len(ninjsDocs) < len(latest) {
		if _, err := bus.ReadAll(ctx, env.Config, env.Topics.Outputs["ninjs"], func(r bus.Record) error {
			if err := ninjs.Validate(r.Value); err != nil {
				t.Errorf("ninjs for %s: %v", r.Key, err)
			}
			ninjsDocs[string(r.Key)] = true
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if ctx.Err() != nil {
			t.Fatalf("ninjs documents for %d of %d events", len(ninjsDocs), len(latest))
		}
	}
	for id := range latest {
		if !ninjsDocs[id] {
			t.Errorf("no ninjs document for %s", id)
		}
	}

	// Every one of the 20 raw items became a statement: nothing lost on the way.
	deadline := time.Now().Add(time.Minute)
	for {
		n, err := bus.ReadAll(ctx, env.Config, env.Topics.Statements, func(bus.Record) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if n == 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("statements topic holds %d records, want 20", n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	cancel()
	wg.Wait()
}
