package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// Each case serves bad input first, then the real feed: the bad poll must
// reach the dead-letter sink (or not) as stated and publish nothing, and the
// next poll must deliver the 20 real items.
func TestBadInputThenRecovery(t *testing.T) {
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		opts       fetch.Options
		wantReason string // "" = no dead letter (transient)
		wantCode   string // responses_total code label
	}{
		{"truncated xml", serveBytes("application/atom+xml", feed[:len(feed)*2/3]), fetch.Options{}, "truncated_feed", "200"},
		{"malformed xml", serveBytes("application/atom+xml", replaceOnce(t, feed, "</entry><entry>", "</entry><<entry>>&&")), fetch.Options{}, "malformed_feed", "200"},
		{"html instead of xml", serveBytes("text/html", []byte("<!DOCTYPE html><html><head><title>Президент России</title></head><body><h1>Технические работы</h1></body></html>")), fetch.Options{}, "not_a_feed", "200"},
		{"50 MB body", serveHuge(50 << 20), fetch.Options{MaxBodyBytes: 2 << 20}, "body_too_large", "too_large"},
		{"500", serveStatus(500, ""), fetch.Options{}, "", "500"},
		{"503", serveStatus(503, ""), fetch.Options{}, "", "503"},
		// Retry-After of a second: the test waits it out (on the condition, not a sleep).
		{"503 retry-after", serveStatus(503, "1"), fetch.Options{}, "", "503"},
		{"429 retry-after", serveStatus(429, "1"), fetch.Options{}, "", "429"},
		{"redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
		}, fetch.Options{MaxRedirects: 4}, "too_many_redirects", "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			fs := newFeedServer(t, feed)
			fs.setHandler(tt.handler)
			src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
			h := newHarness(t, []sources.Source{src}, tt.opts)
			h.c.cfg.MaxDeadLetterBytes = 4096

			res := h.c.Poll(ctx, src.ID)
			if res.Err == nil {
				t.Fatal("bad input polled without error")
			}
			if n := len(h.sink.Items()); n != 0 {
				t.Fatalf("%d items published from bad input", n)
			}
			dls := h.sink.DeadLetters()
			switch {
			case tt.wantReason == "":
				if len(dls) != 0 {
					t.Errorf("transient failure dead-lettered: %+v", dls)
				}
			default:
				if len(dls) != 1 || dls[0].Reason != tt.wantReason || dls[0].Source != src.ID || dls[0].Error == "" ||
					dls[0].Stage == "" || len(dls[0].Payload) > 4096 {
					t.Fatalf("dead letters: %+v", dls)
				}
				if dls[0].Stage == "crawler.parse" && (dls[0].PayloadBytes == 0 || len(dls[0].Payload) != min(4096, dls[0].PayloadBytes)) {
					t.Errorf("parse dead letter: %d payload bytes kept of %d", len(dls[0].Payload), dls[0].PayloadBytes)
				}
				if got := h.counter(t, "readout_crawler_dead_letters_total", "reason", tt.wantReason); got != 1 {
					t.Errorf("dead_letters_total = %v", got)
				}
			}
			if got := h.counter(t, "readout_crawler_responses_total", "code", tt.wantCode); got < 1 {
				t.Errorf("responses_total{code=%s} = %v", tt.wantCode, got)
			}
			if res.Failures != 1 || h.counter(t, "readout_crawler_consecutive_failures") != 1 {
				t.Errorf("failures = %d", res.Failures)
			}
			if strings.Contains(tt.name, "retry-after") && res.RetryAfter == 0 {
				t.Errorf("Retry-After not reported")
			}
			if d := nextDelay(src.Interval, res.Failures, res.RetryAfter, h.c.cfg.MaxBackoff); d < res.RetryAfter {
				t.Errorf("next poll in %s, before Retry-After %s", d, res.RetryAfter)
			}
			if st, _ := h.state.Load(ctx); len(st) != 0 {
				t.Errorf("state advanced on a failed poll")
			}
			fs.setHandler(nil)
			if res.RetryAfter > 0 {
				// The host asked to wait: until then no request reaches it.
				sent := fs.requestCount()
				again := h.c.Poll(ctx, src.ID)
				if !errors.Is(again.Err, fetch.ErrHostPaused) || again.RetryAfter <= 0 || fs.requestCount() != sent {
					t.Fatalf("poll during the pause: %+v, %d requests sent", again, fs.requestCount()-sent)
				}
				if got := h.counter(t, "readout_crawler_responses_total", "code", "paused"); got != 1 {
					t.Errorf("responses_total{paused} = %v", got)
				}
				waitFor(t, "the pause to end", func() bool { return h.c.Poll(ctx, src.ID).Err == nil })
			} else if err := h.c.Once(ctx); err != nil { // the crawler keeps going: the source recovers
				t.Fatalf("after recovery: %v", err)
			}
			if n := len(h.sink.Items()); n != 20 {
				t.Errorf("after recovery: %d items", n)
			}
			if h.counter(t, "readout_crawler_consecutive_failures") != 0 {
				t.Error("failures not reset")
			}
		})
	}
}

func serveBytes(ct string, b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.Write(b)
	}
}

func serveStatus(code int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
	}
}

// serveHuge streams n bytes of a valid-looking feed, stopping when the client hangs up.
func serveHuge(n int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>`)
		chunk := bytes.Repeat([]byte("<item><title>x</title><link>http://kremlin.ru/1</link></item>\n"), 1000)
		for sent := int64(0); sent < n; sent += int64(len(chunk)) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

func TestRedirectToAnotherHostRefused(t *testing.T) {
	ctx := context.Background()
	var otherHits atomic.Int32
	other := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	other.setHandler(func(w http.ResponseWriter, r *http.Request) { otherHits.Add(1) })
	fs := newFeedServer(t, nil)
	// localhost resolves to this machine but is not a configured host.
	target := strings.Replace(other.srv.URL, "127.0.0.1", "localhost", 1) + "/feed"
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, target, http.StatusMovedPermanently) })
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	if err := h.c.Once(ctx); err == nil {
		t.Fatal("redirect to another host followed")
	}
	if otherHits.Load() != 0 {
		t.Error("the other host was contacted")
	}
	if dls := h.sink.DeadLetters(); len(dls) != 1 || dls[0].Reason != "host_not_allowed" {
		t.Errorf("dead letters: %+v", dls)
	}
}

func TestFallbackOnTimeoutAndServerError(t *testing.T) {
	ctx := context.Background()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	release := make(chan struct{})
	defer close(release)
	hanging := newFeedServer(t, feed)
	hanging.setHandler(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	broken := newFeedServer(t, feed)
	broken.setHandler(serveStatus(503, ""))
	good := newFeedServer(t, feed)

	src := feedSource(t, "kremlin-en-news", hanging.srv.URL+"/feed")
	// All three test servers are 127.0.0.1: one host, different ports.
	src.Fallbacks = []string{broken.srv.URL + "/feed", good.srv.URL + "/feed"}
	h := newHarness(t, []sources.Source{src}, fetch.Options{Timeout: 100 * time.Millisecond})
	if err := h.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(h.sink.Items()); n != 20 {
		t.Fatalf("%d items", n)
	}
	if h.counter(t, "readout_crawler_responses_total", "code", "error") != 1 ||
		h.counter(t, "readout_crawler_responses_total", "code", "503") != 1 ||
		h.counter(t, "readout_crawler_responses_total", "code", "200") != 1 {
		t.Error("responses_total does not show timeout, 503, 200")
	}
	// Items keep the feed's own URLs whichever mirror served them.
	if u := h.sink.Items()[0].URL; u != "http://en.kremlin.ru/events/president/news/56626" {
		t.Errorf("url %s", u)
	}
	// The validators belong to the fallback that answered: sent to it only.
	st, _ := h.state.Load(ctx)
	if st[src.ID].URL != good.srv.URL+"/feed" {
		t.Errorf("state URL %q", st[src.ID].URL)
	}
}

// A Russian feed re-encoded to windows-1251, served without a charset or
// with a wrong one: titles and bodies reach the sink as proper UTF-8.
func TestWindows1251Feed(t *testing.T) {
	const title = "Телефонный разговор с Премьер-министром Израиля Биньямином Нетаньяху"
	const body = "Состоялся телефонный разговор Владимира Путина с Премьер-министром Государства Израиль Биньямином Нетаньяху."
	atom := func(decl string) []byte {
		s := decl + `<feed xml:lang="ru" xmlns="http://www.w3.org/2005/Atom"><title>Президент России</title>` +
			`<entry><title>` + title + `</title><id>http://kremlin.ru/events/president/news/76857</id>` +
			`<published>2025-05-06T17:45:00+04:00</published><updated>2025-05-06T17:45:00+04:00</updated>` +
			`<link href="http://kremlin.ru/events/president/news/76857" rel="alternate" type="text/html" />` +
			`<content type="html">&lt;p&gt;` + body + `&lt;/p&gt;</content></entry></feed>`
		enc, err := charmap.Windows1251.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return []byte(enc)
	}
	tests := []struct{ name, contentType, decl string }{
		{"declared in xml only", "application/atom+xml", `<?xml version="1.0" encoding="windows-1251"?>`},
		{"missing everywhere", "application/atom+xml", ""},
		{"header says utf-8", "application/atom+xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8"?>`},
		{"header says windows-1251", "application/atom+xml; charset=windows-1251", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFeedServer(t, nil)
			fs.setHandler(serveBytes(tt.contentType, atom(tt.decl)))
			src := feedSource(t, "kremlin-ru-news", fs.srv.URL+"/feed")
			h := newHarness(t, []sources.Source{src}, fetch.Options{})
			if err := h.c.Once(context.Background()); err != nil {
				t.Fatal(err)
			}
			items := h.sink.Items()
			if len(items) != 1 || items[0].Title != title || items[0].Body != "<p>"+body+"</p>" || items[0].ExternalID != "76857" {
				t.Fatalf("items = %+v", items)
			}
		})
	}
}

func TestAllIDsChange(t *testing.T) {
	ctx := context.Background()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	fs := newFeedServer(t, feed)
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	h.c.cfg.MaxSeen = 25
	if err := h.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	// The publisher moves every entry to https: new ids, same content.
	fs.set(bytes.ReplaceAll(feed, []byte("<id>http://en.kremlin.ru/"), []byte("<id>https://en.kremlin.ru/")), `"v2"`)
	if err := h.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	items := h.sink.Items()
	if len(items) != 40 {
		t.Fatalf("%d items, want 20 + 20 re-keyed", len(items))
	}
	// Same publisher ids: downstream can tell they are the same statements.
	if items[20].ExternalID != items[0].ExternalID || items[20].Key() == items[0].Key() {
		t.Errorf("re-keyed item: %+v", items[20])
	}
	st, _ := h.state.Load(ctx)
	if n := len(st[src.ID].Seen); n != 25 {
		t.Errorf("seen map holds %d keys, want the bound 25", n)
	}
	// Polling the new feed again publishes nothing.
	fs.set(bytes.ReplaceAll(feed, []byte("<id>http://en.kremlin.ru/"), []byte("<id>https://en.kremlin.ru/")), `"v3"`)
	if err := h.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(h.sink.Items()); n != 40 {
		t.Errorf("%d items after an unchanged poll", n)
	}
}

// A source URL that redirects (/feed -> /feed/) is polled conditionally:
// the validators are recorded for the configured URL and follow the
// redirect to the URL that answered them, so an unchanged feed costs a 304
// (they used to be recorded for the redirect target only, never sent again).
func TestRedirectedSourceGetsNotModified(t *testing.T) {
	ctx := context.Background()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	fs := newFeedServer(t, feed)
	var mu sync.Mutex
	var inm []string // If-None-Match at the redirect target
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			http.Redirect(w, r, "/feed/", http.StatusMovedPermanently)
			return
		}
		mu.Lock()
		inm = append(inm, r.Header.Get("If-None-Match"))
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write(feed)
	})
	src := feedSource(t, "kremlin-en-all", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 20 {
		t.Fatalf("first poll: %+v", res)
	}
	if st := h.c.state(src.ID); st.RequestURL != fs.srv.URL+"/feed" || st.URL != fs.srv.URL+"/feed/" || st.ETag != `"v1"` {
		t.Fatalf("validators recorded for %q via %q: %q", st.URL, st.RequestURL, st.ETag)
	}
	for i := 2; i <= 3; i++ {
		if res := h.c.Poll(ctx, src.ID); res.Err != nil || !res.NotModified || res.Published != 0 {
			t.Fatalf("poll %d: %+v, want a 304", i, res)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"", `"v1"`, `"v1"`}; fmt.Sprintf("%q", inm) != fmt.Sprintf("%q", want) {
		t.Errorf("If-None-Match at the target: %q", inm)
	}
	if got := h.counter(t, "readout_crawler_responses_total", "code", "304"); got != 2 {
		t.Errorf("responses{304} = %v", got)
	}
}
