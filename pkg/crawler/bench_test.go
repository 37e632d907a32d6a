package crawler

import (
	"context"
	"crypto/tls"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// publisherFixtures are the fixtures of the other governments' default
// sources (cmd/crawler/testdata/publishers, where their formats are tested).
var publisherFixtures = map[string]string{
	"whitehouse-news": "whitehouse-news-feed.xml", "uk-pm-office": "uk-pm-office.atom", "ua-president-news": "ua-president-news.rss",
	"elysee-news": "elysee-news.rss", "de-chancellor-news": "de-chancellor-news.rss", "ca-pm-news": "ca-pm-news.rss",
	"jp-kantei-news": "jp-kantei-news.rss", "in-pib-releases": "in-pib-releases.rss", "tr-presidency-news": "tr-presidency-listing.html",
	"kz-akorda-news": "kz-akorda-news.rss", "by-president-events": "by-president-listing.html", "az-president-news": "az-president-news.rss",
	"eu-commission-press": "eu-commission-press.rss",
}

// readTelegramFixture is the (constructed) channel page of pkg/scrape's tests.
func readTelegramFixture(b testing.TB) []byte {
	body, err := os.ReadFile(filepath.Join("..", "scrape", "testdata", "telegram-mfa_example-page.html"))
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// publisherArticles are the article pages of the HTML listings among them.
var publisherArticles = map[string]string{
	"www.tccb.gov.tr/en/news/542/160123/president-erdogan-holds-phone-call-with-president-of-exampleland": "tr-presidency-article-160123.html",
	"www.tccb.gov.tr/en/news/542/160110/president-erdogan-receives-a-delegation":                          "tr-presidency-article-160110.html",
	"president.gov.by/ru/events/telefonnyy-razgovor-s-prezidentom-primerii":                               "by-president-article-telefonnyy-razgovor.html",
	"president.gov.by/ru/events/vstrecha-s-delegaciey":                                                    "by-president-article-vstrecha.html",
}

// localWeb serves every default source from fixtures, whatever the host,
// with ETags: the Kremlin Atom feed for every Kremlin feed, the scraper RSS
// for the (enabled) White House RSS source, and a White House listing page
// plus article pages built from real titles and a real readout.
type localWeb struct {
	plain, tls *httptest.Server
	bytes      atomic.Int64 // response bodies
	wire       atomic.Int64 // everything the servers sent: status lines, headers, bodies (and TLS records)
	requests   atomic.Int64
	notMod     atomic.Int64
	docs       map[string][]byte // host+path -> body
}

// countingListener counts the bytes written to its connections.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{Conn: c, n: l.n}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.n.Add(int64(n))
	return n, err
}

func newLocalWeb(b testing.TB) *localWeb {
	atom := fixture.Read(b, "kremlin-en-events-all-2018-01-07.atom.xml")
	rss := fixture.Read(b, "whitehouse-briefings-rss-2026-08-22.xml")
	whRSS := string(fixture.Read(b, "whitehouse-briefings-rss-2026-08-21.xml"))
	readout := string(fixture.Read(b, "readouts/2025-01-27-readout-of-president-donald-j-trumps-call-with-prime-minister-modi-of-india.md"))
	readout = readout[strings.LastIndex(readout, "---")+3:]
	var paras strings.Builder
	for _, p := range strings.Split(strings.TrimSpace(readout), "\n\n") {
		fmt.Fprintf(&paras, "<p>%s</p>\n", html.EscapeString(strings.Join(strings.Fields(p), " ")))
	}
	w := &localWeb{docs: map[string][]byte{
		"kremlin.ru/events/president/news/feed":                                 atom,
		"en.kremlin.ru/events/president/news/feed":                              atom,
		"kremlin.ru/events/all/feed":                                            atom,
		"en.kremlin.ru/events/all/feed":                                         atom,
		"selenasun1618.github.io/whitehouse-rss-feeds/whitehouse_briefings.xml": rss,
	}}
	// The other governments' sources: their fixtures, at their URLs.
	srcs := defaultSources(b)
	for _, src := range srcs {
		name, ok := publisherFixtures[src.ID]
		if !ok {
			continue
		}
		u, err := url.Parse(src.URL)
		if err != nil {
			b.Fatal(err)
		}
		body, err := os.ReadFile(filepath.Join("..", "..", "cmd", "crawler", "testdata", "publishers", name))
		if err != nil {
			b.Fatal(err)
		}
		w.docs[u.Host+u.Path] = body
	}
	for _, src := range srcs {
		if src.Kind == sources.KindTelegram {
			u, err := url.Parse(src.URL)
			if err != nil {
				b.Fatal(err)
			}
			w.docs[u.Host+u.Path] = readTelegramFixture(b)
		}
	}
	for path, name := range publisherArticles {
		body, err := os.ReadFile(filepath.Join("..", "..", "cmd", "crawler", "testdata", "publishers", name))
		if err != nil {
			b.Fatal(err)
		}
		w.docs[path] = body
	}
	items := regexp.MustCompile(`(?s)<item>\s*<title>\s*(.*?)\s*</title>\s*<guid>\s*https://www\.whitehouse\.gov(\S*?)\s*</guid>\s*<pubDate>\s*(.*?)\s*</pubDate>`).FindAllStringSubmatch(whRSS, -1)
	var listing strings.Builder
	listing.WriteString(`<!DOCTYPE html><html><body><main><ul class="wp-block-post-template">`)
	for _, m := range items[:10] {
		fmt.Fprintf(&listing, `<li class="wp-block-post"><div class="wp-block-whitehouse-post-template__content"><h2 class="wp-block-post-title"><a href="https://www.whitehouse.gov%s">%s</a></h2><div class="wp-block-post-date"><time datetime="%s">%s</time></div></div></li>`,
			m[2], m[1], "2026-08-21T16:00:54-04:00", m[3])
		w.docs["www.whitehouse.gov"+m[2]] = []byte(`<!DOCTYPE html><html><body><main><div class="wp-block-whitehouse-topper__eyebrow">Briefings &amp; Statements</div><h1 class="wp-block-whitehouse-topper__headline">` + m[1] +
			`</h1><div class="wp-block-post-date"><time datetime="2026-08-21T16:00:54-04:00">August 21, 2026</time></div><div class="entry-content wp-block-post-content">` + paras.String() + `</div></main></body></html>`)
	}
	listing.WriteString(`</ul></main></body></html>`)
	w.docs["www.whitehouse.gov/briefings-statements/"] = []byte(listing.String())

	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.requests.Add(1)
		host, _, _ := net.SplitHostPort(r.Host)
		if host == "" {
			host = r.Host
		}
		body, ok := w.docs[host+r.URL.Path]
		if !ok {
			http.NotFound(rw, r)
			return
		}
		etag := fmt.Sprintf(`"%x"`, len(body))
		if r.Header.Get("If-None-Match") == etag {
			w.notMod.Add(1)
			rw.WriteHeader(http.StatusNotModified)
			return
		}
		rw.Header().Set("ETag", etag)
		n, _ := rw.Write(body)
		w.bytes.Add(int64(n))
	})
	w.plain = httptest.NewUnstartedServer(h)
	w.plain.Listener = countingListener{Listener: w.plain.Listener, n: &w.wire}
	w.plain.Start()
	w.tls = httptest.NewUnstartedServer(h)
	w.tls.Listener = countingListener{Listener: w.tls.Listener, n: &w.wire}
	w.tls.StartTLS()
	b.Cleanup(w.plain.Close)
	b.Cleanup(w.tls.Close)
	return w
}

// transport sends every connection to the local servers: port 443 to the
// TLS one, anything else to the plain one.
func (w *localWeb) transport() http.RoundTripper {
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		target := w.plain.Listener.Addr().String()
		if strings.HasSuffix(addr, ":443") {
			target = w.tls.Listener.Addr().String()
		}
		return (&net.Dialer{}).DialContext(ctx, network, target)
	}
	return &http.Transport{DialContext: dial, DisableCompression: true,
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} // local test server only
}

func defaultSources(b testing.TB) []sources.Source {
	srcs, err := sources.Load("../../configs/sources.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for i := range srcs {
		srcs[i].Disabled = false // poll every default source, the RSS variant too
	}
	return srcs
}

func TestDefaultSourcesOnLocalWeb(t *testing.T) {
	web := newLocalWeb(t)
	h := newHarness(t, defaultSources(t), fetch.Options{Transport: web.transport()})
	if err := h.c.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, it := range h.sink.Items() {
		per[it.Source]++
	}
	if per["kremlin-ru-news"] != 20 || per["kremlin-en-news"] != 20 || per["kremlin-ru-all"] != 20 || per["kremlin-en-all"] != 20 ||
		per["whitehouse-briefing-room"] != 10 || per["whitehouse-briefings-rss"] != 10 {
		t.Errorf("items per source = %v", per)
	}
	for id := range publisherFixtures {
		if per[id] == 0 {
			t.Errorf("%s: no items (items per source = %v)", id, per)
		}
	}
	for _, it := range h.sink.Items() {
		if it.Source == "whitehouse-briefing-room" && (!strings.Contains(it.Body, "Narendra Modi") || it.PublishedAt != "2026-08-21T16:00:54-04:00") {
			t.Errorf("white house item = %+v", it)
			break
		}
	}
	before := web.requests.Load()
	if err := h.c.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	n := int64(len(defaultSources(t)))
	if got, nm := web.requests.Load()-before, web.notMod.Load(); got != n || nm != n {
		t.Errorf("warm cycle: %d requests, %d not modified; want %d and %d (one per source)", got, nm, n, n)
	}
}

// BenchmarkPollCycle measures one poll cycle over every default source
// served by a local server: cold (empty state: every document and page is
// fetched) and warm (the state of a previous cycle: conditional requests,
// almost all 304s). It reports per cycle the bytes the servers sent (all of
// it, headers and TLS included, and the bodies alone), the requests, the
// 304s and the items published by the timed cycles.
func BenchmarkPollCycle(b *testing.B) {
	for _, mode := range []string{"cold", "warm"} {
		b.Run(mode, func(b *testing.B) {
			web := newLocalWeb(b)
			opts := fetch.Options{Transport: web.transport(), PerHostRate: -1, PerHostConcurrency: 4}
			srcs := defaultSources(b)
			h := newHarness(b, srcs, opts)
			if mode == "warm" {
				if err := h.c.Once(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
			web.bytes.Store(0)
			web.wire.Store(0)
			web.requests.Store(0)
			web.notMod.Store(0)
			published := 0
			b.ResetTimer()
			for range b.N {
				if mode == "cold" {
					b.StopTimer()
					h = newHarness(b, srcs, opts)
					b.StartTimer()
				}
				before := len(h.sink.Items())
				if err := h.c.Once(context.Background()); err != nil {
					b.Fatal(err)
				}
				published += len(h.sink.Items()) - before
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(float64(web.wire.Load())/n, "wire-bytes/cycle")
			b.ReportMetric(float64(web.bytes.Load())/n, "body-bytes/cycle")
			b.ReportMetric(float64(web.requests.Load())/n, "requests/cycle")
			b.ReportMetric(float64(web.notMod.Load())/n, "304s/cycle")
			b.ReportMetric(float64(published)/n, "items/cycle")
		})
	}
}
