package crawler

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// B5: a 429 (or 503 with Retry-After) on the main URL is not answered by
// asking the same host again through its fallback; a fallback on another
// host is still tried.
func TestRetryAfterSkipsSameHostFallback(t *testing.T) {
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	for _, tt := range []struct {
		name   string
		status int
	}{{"429", http.StatusTooManyRequests}, {"503 with Retry-After", http.StatusServiceUnavailable}} {
		t.Run(tt.name, func(t *testing.T) {
			busy := newFeedServer(t, feed)
			busy.setHandler(serveStatus(tt.status, "600"))
			sameHost := newFeedServer(t, feed) // 127.0.0.1 too: the https twin of the same site
			otherHost := newFeedServer(t, feed)
			src := feedSource(t, "kremlin-en-news", busy.srv.URL+"/feed")
			src.Fallbacks = []string{sameHost.srv.URL + "/feed"}
			res := newHarness(t, []sources.Source{src}, fetch.Options{}).c.Poll(context.Background(), src.ID)
			if res.Err == nil || res.RetryAfter != 600*time.Second || sameHost.requestCount() != 0 {
				t.Fatalf("poll %+v; same-host fallback asked %d times", res, sameHost.requestCount())
			}
			src.Fallbacks = []string{strings.Replace(otherHost.srv.URL, "127.0.0.1", "localhost", 1) + "/feed"}
			h := newHarness(t, []sources.Source{src}, fetch.Options{})
			if res := h.c.Poll(context.Background(), src.ID); res.Err != nil || res.Published != 20 || otherHost.requestCount() != 1 {
				t.Fatalf("poll with a fallback on another host: %+v", res)
			}
		})
	}
}

// B5: Retry-After pauses the host for every source on it, not only the one
// that was told.
func TestRetryAfterPausesSiblingSources(t *testing.T) {
	ctx := context.Background()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	a, b := newFeedServer(t, feed), newFeedServer(t, feed) // one host (127.0.0.1), two ports
	a.setHandler(serveStatus(http.StatusTooManyRequests, "600"))
	srcA, srcB := feedSource(t, "kremlin-en-news", a.srv.URL+"/feed"), feedSource(t, "kremlin-en-all", b.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{srcA, srcB}, fetch.Options{})
	if res := h.c.Poll(ctx, srcA.ID); res.RetryAfter != 600*time.Second {
		t.Fatalf("source A: %+v", res)
	}
	res := h.c.Poll(ctx, srcB.ID)
	if !errors.Is(res.Err, fetch.ErrHostPaused) || res.RetryAfter < 590*time.Second || b.requestCount() != 0 {
		t.Fatalf("sibling source B: %+v, %d requests reached it", res, b.requestCount())
	}
	if d := nextDelay(srcB.Interval, res.Failures, res.RetryAfter, h.c.cfg.MaxBackoff); d < res.RetryAfter {
		t.Errorf("B polled again in %s, inside the pause", d)
	}
}

// B5: article loops stop at the first 429/503 instead of asking for the
// next page; the items that needed a page wait for the next poll (bounded),
// and the poll reports the wait.
func TestArticleLoopsStopOnThrottle(t *testing.T) {
	ctx := context.Background()
	t.Run("listing", func(t *testing.T) {
		s := newSite(t)
		s.set(listingPath+"/76857", serveStatus(http.StatusTooManyRequests, "1"))
		h := newHarness(t, []sources.Source{htmlSource(t, s.srv.URL, "")}, fetch.Options{})
		res := h.c.Poll(ctx, "kremlin-ru-html")
		if res.Err != nil || res.Published != 0 || res.Deferred != 2 || res.RetryAfter != time.Second {
			t.Fatalf("poll: %+v", res)
		}
		if s.hitsOf(listingPath+"/76851")+s.hitsOf(listingPath+"/76841") != 0 {
			t.Error("article pages fetched after the 429")
		}
		if got := h.counter(t, "readout_crawler_article_fetch_failures_total", "code", "429"); got != 1 {
			t.Errorf("article failures{429} = %v", got)
		}
		if d := nextDelay(time.Minute, 0, 10*time.Minute, time.Hour); d < 10*time.Minute {
			t.Errorf("a successful poll with a Retry-After is rescheduled in %s", d)
		}
		s.set(listingPath+"/76857", nil)
		waitFor(t, "every entry after the pause", func() bool { return h.c.Poll(ctx, "kremlin-ru-html").Err == nil && len(h.sink.Items()) == 3 })
	})
	t.Run("feed enrichment", func(t *testing.T) {
		page := fixture.Read(t, "kremlin-article-76857.html")
		var articles atomic.Int32
		var throttle atomic.Bool
		throttle.Store(true)
		fs := enrichingFeed(t, func(w http.ResponseWriter, r *http.Request) {
			articles.Add(1)
			if throttle.Load() {
				serveStatus(http.StatusServiceUnavailable, "")(w, r)
				return
			}
			w.Write(page)
		})
		src := kremlinFeedSource(t, "kremlin-ru-news", fs.srv.URL+"/feed")
		h := newHarness(t, []sources.Source{src}, fetch.Options{})
		res := h.c.Poll(ctx, src.ID)
		if res.Err != nil || res.Published != 0 || res.Deferred != 2 || articles.Load() != 1 {
			t.Fatalf("poll during 503: %+v, %d article requests", res, articles.Load())
		}
		throttle.Store(false)
		if res := h.c.Poll(ctx, src.ID); res.Published != 2 || !strings.Contains(h.sink.Items()[0].Body, "Великой Победы") {
			t.Fatalf("poll after: %+v", res)
		}
	})
	t.Run("feed enrichment gives up waiting", func(t *testing.T) {
		fs := enrichingFeed(t, serveStatus(http.StatusServiceUnavailable, ""))
		src := kremlinFeedSource(t, "kremlin-ru-news", fs.srv.URL+"/feed")
		h := newHarness(t, []sources.Source{src}, fetch.Options{})
		for i := 1; i <= maxDeferrals; i++ {
			if res := h.c.Poll(ctx, src.ID); res.Published != 0 || res.Deferred != 2 {
				t.Fatalf("poll %d: %+v", i, res)
			}
		}
		// The site keeps refusing: the items go out as the feed has them.
		if res := h.c.Poll(ctx, src.ID); res.Published != 2 || !strings.HasPrefix(h.sink.Items()[0].Body, "Состоялся телефонный разговор") {
			t.Fatalf("poll %d: %+v", maxDeferrals+1, res)
		}
	})
}

// B6: feed entries that cannot become items are counted, logged and
// dead-lettered with a reason and what could be read, once while the feed
// keeps them; the items beside them go out.
func TestInvalidFeedItemsDeadLettered(t *testing.T) {
	ctx := context.Background()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	// Entry 2 without id and link, entry 3 without title and content.
	bad := replaceOnce(t, feed, "<id>http://en.kremlin.ru/events/president/news/56624</id>", "")
	bad = replaceOnce(t, bad, `<link href="http://en.kremlin.ru/events/president/news/56624" hreflang="en" rel="alternate" type="text/html" />`, "")
	bad = replaceOnce(t, bad, "<title>Telephone conversation with Indian Prime Minister Narendra Modi</title>", "<title></title>")
	fs := newFeedServer(t, bad)
	src := feedSource(t, "kremlin-en-all", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	res := h.c.Poll(ctx, src.ID)
	if res.Err != nil || res.Invalid != 1 || res.Published != 19 {
		t.Fatalf("poll: %+v", res)
	}
	dls := h.sink.DeadLetters()
	if len(dls) != 1 || dls[0].Reason != "invalid_item" || dls[0].Source != src.ID || dls[0].Stage != "crawler.parse" ||
		!strings.Contains(dls[0].Error, "missing url and guid") || !strings.Contains(string(dls[0].Payload), "Modi") || dls[0].PayloadBytes != len(dls[0].Payload) {
		t.Fatalf("dead letters %+v", dls)
	}
	if got := h.counter(t, "readout_crawler_items_total", "state", "invalid"); got != 1 {
		t.Errorf("items_total{invalid} = %v", got)
	}
	// The feed changes (new ETag) but keeps the bad entry: no second dead letter.
	fs.set(replaceOnce(t, bad, "<title>Christmas greetings</title>", "<title>Christmas greetings (updated)</title>"), `"v2"`)
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Invalid != 0 || res.Changed != 1 || len(h.sink.DeadLetters()) != 1 {
		t.Errorf("second poll: %+v, %d dead letters", res, len(h.sink.DeadLetters()))
	}
	// The entry leaves the feed and comes back: reported again.
	fs.set(feed, `"v3"`)
	if res := h.c.Poll(ctx, src.ID); res.Err != nil {
		t.Fatal(res.Err)
	}
	fs.set(bad, `"v4"`)
	if res := h.c.Poll(ctx, src.ID); res.Invalid != 1 || len(h.sink.DeadLetters()) != 2 {
		t.Errorf("entry back: %+v", res)
	}
}

// B7: a shutdown while article pages are being fetched publishes nothing
// and records nothing: the summary-only items are enriched on the next start.
func TestShutdownDuringEnrichment(t *testing.T) {
	page := fixture.Read(t, "kremlin-article-76857.html")
	var hold atomic.Bool
	hold.Store(true)
	inArticle := make(chan struct{}, 4)
	fs := enrichingFeed(t, func(w http.ResponseWriter, r *http.Request) {
		if hold.Load() {
			inArticle <- struct{}{}
			<-r.Context().Done() // until the crawler gives up
			return
		}
		w.Write(page)
	})
	src := kremlinFeedSource(t, "kremlin-ru-news", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan PollResult, 1)
	go func() { done <- h.c.Poll(ctx, src.ID) }()
	<-inArticle
	cancel()
	res := <-done
	if !errors.Is(res.Err, context.Canceled) || res.Published != 0 || res.Failures != 0 {
		t.Fatalf("cancelled poll: %+v", res)
	}
	if n := len(h.sink.Items()); n != 0 {
		t.Fatalf("%d summary-only items published on shutdown", n)
	}
	if st, _ := h.state.Load(context.Background()); len(st) != 0 {
		t.Fatalf("state recorded on shutdown: %+v", st)
	}
	// The next start (same state store) enriches them.
	hold.Store(false)
	h2 := newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) { c.State = h.state })
	if res := h2.c.Poll(context.Background(), src.ID); res.Published != 2 || !strings.Contains(h2.sink.Items()[0].Body, "Великой Победы") {
		t.Fatalf("next start: %+v", res)
	}
}

// B10: the staleness gauges come from the persisted state: after a restart
// a source that answers 304 still has both series, and a 304 keeps them.
func TestStalenessGaugesSurviveRestart(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-all", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	if res := h.c.Poll(ctx, src.ID); res.Err != nil {
		t.Fatal(res.Err)
	}
	newest := float64(time.Date(2018, 1, 7, 9, 0, 0, 0, time.FixedZone("", 4*3600)).Unix())
	gap := h.counter(t, "readout_crawler_expected_publish_interval_seconds")
	if h.counter(t, "readout_crawler_last_item_published_timestamp_seconds") != newest || gap <= 0 {
		t.Fatalf("gauges after the first poll: %v, %v", h.counter(t, "readout_crawler_last_item_published_timestamp_seconds"), gap)
	}
	st, _ := h.state.Load(ctx)
	if s := st[src.ID]; float64(s.NewestPublished.Unix()) != newest || s.PublishIntervalSeconds != gap {
		t.Errorf("persisted %v / %v", s.NewestPublished, s.PublishIntervalSeconds)
	}
	h2 := newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) { c.State = h.state })
	if res := h2.c.Poll(ctx, src.ID); !res.NotModified {
		t.Fatalf("after restart: %+v, want a 304", res)
	}
	if h2.counter(t, "readout_crawler_last_item_published_timestamp_seconds") != newest ||
		h2.counter(t, "readout_crawler_expected_publish_interval_seconds") != gap {
		t.Errorf("gauges after a restart and a 304: %v, %v", h2.counter(t, "readout_crawler_last_item_published_timestamp_seconds"),
			h2.counter(t, "readout_crawler_expected_publish_interval_seconds"))
	}
}

// feedWithDuplicate is the real Kremlin feed with its Modi entry (56624)
// listed a second time, further down, with other content.
func feedWithDuplicate(t *testing.T) []byte {
	t.Helper()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	id := bytes.Index(feed, []byte("/56624</id>"))
	start, end := bytes.LastIndex(feed[:max(id, 0)], []byte("<entry>")), bytes.Index(feed[max(id, 0):], []byte("</entry>"))
	if id < 0 || start < 0 || end < 0 {
		t.Fatal("fixture lacks entry 56624")
	}
	m := feed[start : id+end+len("</entry>")]
	again := bytes.Replace(m, []byte("Telephone conversation with Indian Prime Minister"), []byte("Telephone conversation with the Prime Minister of India,"), 1)
	return replaceOnce(t, feed, "</feed>", string(again)+"</feed>")
}

// A key a feed lists twice with different content is sent once, as its
// first entry, and the other entry is dead-lettered once (it used to go out
// on every poll, the two versions taking turns as "changed").
func TestDuplicateKeyInFeedSentOnce(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, feedWithDuplicate(t))
	fs.etag = "" // no validators: every poll reads the document again
	src := feedSource(t, "kremlin-en-all", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	res := h.c.Poll(ctx, src.ID)
	if res.Err != nil || res.New != 20 || res.Published != 20 || res.Duplicates != 1 {
		t.Fatalf("first poll: %+v", res)
	}
	for i := 2; i <= 4; i++ {
		if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 0 || res.Unchanged != 20 || res.Duplicates != 0 {
			t.Fatalf("poll %d of an unchanged feed: %+v", i, res)
		}
	}
	var modi int
	for _, it := range h.sink.Items() {
		if strings.HasSuffix(it.GUID, "/56624") {
			modi++
			if it.Title != "Telephone conversation with Indian Prime Minister Narendra Modi" {
				t.Errorf("kept %q, want the first entry", it.Title)
			}
		}
	}
	dls := h.sink.DeadLetters()
	if len(h.sink.Items()) != 20 || modi != 1 || len(dls) != 1 || dls[0].Reason != "duplicate_key" ||
		dls[0].Key != src.ID+"|http://en.kremlin.ru/events/president/news/56624" || !strings.Contains(string(dls[0].Payload), "the Prime Minister of India,") {
		t.Fatalf("%d items (%d of 56624), dead letters %+v", len(h.sink.Items()), modi, dls)
	}
	if got := h.counter(t, "readout_crawler_dead_letters_total", "reason", "duplicate_key"); got != 1 {
		t.Errorf("dead_letters_total{duplicate_key} = %v", got)
	}
	// A backfill over the same page keeps the first entry as well.
	a := newFeedArchive(t, 1)
	a.set(allFeed, feedWithDuplicate(t))
	bsrc := archiveSource(t)
	b := newHarness(t, []sources.Source{bsrc}, fetch.Options{Transport: a.transport()})
	if err := b.c.Backfill(ctx, bsrc.ID, time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if n, dls := len(b.sink.Items()), b.sink.DeadLetters(); n != 20 || len(dls) != 1 || dls[0].Reason != "duplicate_key" {
		t.Errorf("backfill: %d items, dead letters %+v", n, dls)
	}
}
