package crawler

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

func TestOnceKremlinFeedEndToEnd(t *testing.T) {
	ctx := context.Background()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	fs := newFeedServer(t, feed)
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/events/president/news/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})

	if h.c.Ready() {
		t.Fatal("ready before the first cycle")
	}
	if err := h.c.Once(ctx); err != nil {
		t.Fatalf("Once: %v", err)
	}
	if !h.c.Ready() {
		t.Error("not ready after a cycle")
	}
	items := h.sink.Items()
	if len(items) != 20 {
		t.Fatalf("published %d items, want 20", len(items))
	}
	first := items[0]
	if first.Title != "Christmas greetings" || first.URL != "http://en.kremlin.ru/events/president/news/56626" ||
		first.GUID != first.URL || first.ExternalID != "56626" || first.PublishedAt != "2018-01-07T09:00:00+04:00" ||
		first.Source != "kremlin-en-news" || first.Publisher != "kremlin.ru" || first.Lang != "en" ||
		first.ContentHash != first.Hash() || first.ContentType != "text/html" {
		t.Errorf("first item = %+v", first)
	}
	if got := h.counter(t, "readout_crawler_items_total", "state", "new"); got != 20 {
		t.Errorf("items_total{new} = %v", got)
	}
	if got := h.counter(t, "readout_crawler_responses_total", "code", "200"); got != 1 {
		t.Errorf("responses_total{200} = %v", got)
	}
	newest := time.Date(2018, 1, 7, 9, 0, 0, 0, time.FixedZone("", 4*3600)) // as published
	if got := h.counter(t, "readout_crawler_last_item_published_timestamp_seconds"); got != float64(newest.Unix()) {
		t.Errorf("last_item_published = %v, want %d", got, newest.Unix())
	}
	if got := h.counter(t, "readout_crawler_expected_publish_interval_seconds"); got <= 0 || got > 7*24*3600 {
		t.Errorf("expected_publish_interval = %v", got)
	}
	if h.counter(t, "readout_crawler_last_success_timestamp_seconds") == 0 || h.counter(t, "readout_crawler_bytes_total") < float64(len(feed)) ||
		h.counter(t, "readout_crawler_fetch_duration_seconds") != 1 {
		t.Error("last_success, bytes or fetch_duration not recorded")
	}

	// Second cycle: conditional request, 304, nothing parsed or published.
	if err := h.c.Once(ctx); err != nil {
		t.Fatalf("Once 2: %v", err)
	}
	if r := fs.lastRequest(); r.Header.Get("If-None-Match") != `"v1"` {
		t.Errorf("If-None-Match = %q", r.Header.Get("If-None-Match"))
	}
	if got := h.counter(t, "readout_crawler_responses_total", "code", "304"); got != 1 {
		t.Errorf("responses_total{304} = %v", got)
	}
	if n := len(h.sink.Items()); n != 20 {
		t.Errorf("after 304: %d items, want 20", n)
	}

	// An edited item is sent again; unchanged ones are not.
	fs.set(replaceOnce(t, feed, "<title>Christmas greetings</title>", "<title>Christmas greetings (updated)</title>"), `"v2"`)
	if err := h.c.Once(ctx); err != nil {
		t.Fatalf("Once 3: %v", err)
	}
	items = h.sink.Items()
	if len(items) != 21 || items[20].Title != "Christmas greetings (updated)" || items[20].Key() != first.Key() {
		t.Fatalf("after edit: %d items, last %q", len(items), items[len(items)-1].Title)
	}
	if got := h.counter(t, "readout_crawler_items_total", "state", "unchanged"); got != 19 {
		t.Errorf("items_total{unchanged} = %v", got)
	}
}

func TestPublishFailureDoesNotAdvanceState(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})

	boom := errors.New("broker down")
	h.sink.SetErr(boom)
	err := h.c.Once(ctx)
	if !errors.Is(err, ErrPublish) || !errors.Is(err, boom) {
		t.Fatalf("Once = %v, want ErrPublish wrapping the sink error", err)
	}
	if st, _ := h.state.Load(ctx); len(st) != 0 {
		t.Fatalf("state saved after failed publish: %+v", st)
	}
	if got := h.counter(t, "readout_crawler_consecutive_failures"); got != 1 {
		t.Errorf("consecutive_failures = %v", got)
	}

	// The broker is back: the next cycle must not send If-None-Match (the
	// validators were not advanced) and must deliver everything.
	h.sink.SetErr(nil)
	if err := h.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if r := fs.lastRequest(); r.Header.Get("If-None-Match") != "" {
		t.Errorf("conditional request after a failed publish: %q", r.Header.Get("If-None-Match"))
	}
	if n := len(h.sink.Items()); n != 20 {
		t.Errorf("delivered %d, want 20", n)
	}
	st, _ := h.state.Load(ctx)
	if s := st["kremlin-en-news"]; len(s.Seen) != 20 || s.ETag != `"v1"` {
		t.Errorf("state = %d seen, etag %q", len(s.Seen), s.ETag)
	}
	if got := h.counter(t, "readout_crawler_consecutive_failures"); got != 0 {
		t.Errorf("consecutive_failures = %v after success", got)
	}
}
