package reliability_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/internal/reliability"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
	"github.com/readout/readout/pkg/sources"
)

func loadStream(t testing.TB) *reliability.Stream {
	t.Helper()
	s, err := reliability.NewStream(fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func feedSource(t testing.TB, id, url string) sources.Source {
	t.Helper()
	srcs, err := sources.Parse([]byte("sources:\n  - {id: " + id + ", kind: feed, url: '" + url +
		"', lang: en, publisher: kremlin.ru, interval: 5s, zone: Europe/Moscow, external_id_pattern: '/(\\d+)/?$'}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return srcs[0]
}

func newProcessor(t testing.TB) *processor.Processor {
	t.Helper()
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := processor.New(processor.Config{Extractor: extract.New(g)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// replay runs items through a fresh processor, the clean reference of what
// the pipeline must produce, and returns the latest version of each event
// and the statement ids.
func replay(t testing.TB, items []model.RawItem) (map[string]model.LeaderCall, map[string]bool) {
	t.Helper()
	var in, evs, sts bytes.Buffer
	enc := json.NewEncoder(&in)
	for i := range items {
		if err := enc.Encode(&items[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := newProcessor(t).Replay(context.Background(), &in, processor.ReplayOptions{Events: &evs, Statements: &sts}); err != nil {
		t.Fatal(err)
	}
	events := map[string]model.LeaderCall{}
	dec := json.NewDecoder(&evs)
	for {
		var ev model.LeaderCall
		if err := dec.Decode(&ev); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if old, ok := events[ev.ID]; !ok || ev.Version > old.Version {
			events[ev.ID] = ev
		}
	}
	ids := map[string]bool{}
	dec = json.NewDecoder(&sts)
	for {
		var st model.Statement
		if err := dec.Decode(&st); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ids[st.ID] = true
	}
	return events, ids
}

// The generated stream parses as a real feed: distinct items, distinct
// statements, and each generation's three telephone conversations.
func TestStream(t *testing.T) {
	s := loadStream(t)
	if s.Templates() != 20 {
		t.Fatalf("%d templates, want the 20 entries of the fixture", s.Templates())
	}
	src := feedSource(t, "gen", "http://en.kremlin.ru/events/all/feed")
	tests := []struct {
		name          string
		variant, n    int
		wantEvents    int
		wantFirstDate string
	}{
		{"one generation is the fixture", 0, 20, 3, "2017-12-29"},
		{"three generations", 0, 60, 9, "2017-12-29"},
		{"another variant", 3, 40, 6, "2017-12-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := feeds.Parse(src, s.Feed(tt.variant, 0, tt.n), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tt.n {
				t.Fatalf("%d items, want %d", len(items), tt.n)
			}
			keys := map[string]bool{}
			for _, it := range items {
				keys[it.Key()] = true
			}
			if len(keys) != tt.n {
				t.Errorf("%d distinct keys, want %d", len(keys), tt.n)
			}
			if got := items[len(items)-1].PublishedAt[:10]; got != tt.wantFirstDate {
				t.Errorf("oldest item published %s, want %s", got, tt.wantFirstDate)
			}
			if newest, oldest := items[0].PublishedAt, items[len(items)-1].PublishedAt; newest <= oldest {
				t.Errorf("feed not newest first: %s .. %s", newest, oldest)
			}
			events, stmts := replay(t, items)
			if len(stmts) != tt.n {
				t.Errorf("%d statements, want %d", len(stmts), tt.n)
			}
			if len(events) != tt.wantEvents {
				t.Errorf("%d events, want %d", len(events), tt.wantEvents)
			}
		})
	}
	if s.ID(0, 0) == s.ID(1, 0) || s.ID(0, 0) == s.ID(0, 20) {
		t.Errorf("ids collide: %d %d %d", s.ID(0, 0), s.ID(1, 0), s.ID(0, 20))
	}
}
