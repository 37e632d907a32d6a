package crawler

import (
	"bytes"
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

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// probeSite serves, on one host, the real captured Kremlin feed in the ways
// sources answer: honouring its validators, ignoring them, without them,
// behind a redirect, failing, as an HTML page, empty; and records the
// conditional headers of each request.
type probeSite struct {
	mu  sync.Mutex
	inm map[string][]string // path -> If-None-Match of each request
	srv *httptest.Server
}

const probeETag = `"feed-v1"`

func newProbeSite(t *testing.T) *probeSite {
	t.Helper()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	ps := &probeSite{inm: map[string][]string{}}
	atom := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Write(feed)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/honours", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", probeETag)
		if r.Header.Get("If-None-Match") == probeETag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		atom(w)
	})
	mux.HandleFunc("/ignores", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", probeETag)
		w.Header().Set("Last-Modified", "Sun, 07 Jan 2018 05:00:00 GMT")
		atom(w)
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) { atom(w) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/honours", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "internal error", http.StatusInternalServerError)
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Forbidden", http.StatusForbidden)
	})
	mux.HandleFunc("/maintenance", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!DOCTYPE html><html><body>Технические работы</body></html>"))
	})
	mux.HandleFunc("/empty-feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Kremlin</title></feed>`))
	})
	ps.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ps.mu.Lock()
		ps.inm[r.URL.Path] = append(ps.inm[r.URL.Path], r.Header.Get("If-None-Match"))
		ps.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(ps.srv.Close)
	return ps
}

func (ps *probeSite) ifNoneMatch(path string) []string {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return append([]string(nil), ps.inm[path]...)
}

func byID(t *testing.T, results []ProbeResult) map[string]ProbeResult {
	t.Helper()
	m := map[string]ProbeResult{}
	for _, r := range results {
		m[r.Source] = r
	}
	return m
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

func probeOpts() fetch.Options { return fetch.Options{PerHostRate: -1, Timeout: 10 * time.Second} }

// Every kind of answer a source gives is told apart: what it serves, how
// many items, the newest, whether conditional requests work, and why it
// fails.
func TestProbeReportsEachSource(t *testing.T) {
	ps := newProbeSite(t)
	site := newSite(t) // a Kremlin-style HTML listing and its article pages
	base := ps.srv.URL
	feed := func(id, path string) sources.Source { return feedSource(t, id, base+path) }
	fallback := feed("fallback", "/broken")
	fallback.Fallbacks = []string{base + "/plain"}
	wrongSelectors := htmlSource(t, base, "")
	wrongSelectors.ID, wrongSelectors.URL = "listing-changed", base+"/maintenance"
	disabled := feed("disabled", "/broken")
	disabled.Disabled = true
	srcs := []sources.Source{
		feed("honours", "/honours"), feed("ignores", "/ignores"), feed("plain", "/plain"), feed("moved", "/moved"),
		feed("broken", "/broken"), feed("forbidden", "/forbidden"), feed("maintenance", "/maintenance"),
		feed("empty-feed", "/empty-feed"), fallback, htmlSource(t, site.srv.URL, ""), wrongSelectors, disabled,
	}
	var mu sync.Mutex
	var progress []string
	results, err := Probe(context.Background(), ProbeConfig{Sources: srcs, Fetch: probeOpts(), Progress: func(r ProbeResult) {
		mu.Lock()
		defer mu.Unlock()
		progress = append(progress, r.Source)
	}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range results {
		ids = append(ids, r.Source)
	}
	if got := strings.Join(ids, ","); got != "honours,ignores,plain,moved,broken,forbidden,maintenance,empty-feed,fallback,kremlin-ru-html,listing-changed" {
		t.Fatalf("probed %s: want the enabled sources in file order", got)
	}
	if len(progress) != len(results) {
		t.Errorf("progress reported %d sources of %d", len(progress), len(results))
	}
	got := byID(t, results)

	const newest = "2018-01-07T09:00:00+04:00" // the fixture's newest <published>
	for _, id := range []string{"honours", "ignores", "plain", "moved", "fallback"} {
		r := got[id]
		if !r.OK || r.Status != 200 || r.Format != "atom" || r.Items != 20 || r.Newest != newest || r.Error != "" {
			t.Errorf("%s: %+v, want the fixture's 20 items", id, r)
		}
	}
	for id, want := range map[string]string{"honours": "304", "moved": "304", "ignores": "validators ignored (200)",
		"plain": "no validators", "fallback": "no validators", "broken": "not checked"} {
		if got[id].Conditional != want {
			t.Errorf("%s: conditional %q, want %q", id, got[id].Conditional, want)
		}
	}
	// The recheck is the crawler's next poll: the validators go to the URL
	// that answered them, after the redirect.
	if inm := sorted(ps.ifNoneMatch("/honours")); !slices.Equal(inm, []string{"", "", probeETag, probeETag}) {
		t.Errorf("If-None-Match at /honours: %q (direct and via /moved, each plain then conditional)", inm)
	}
	if r := got["moved"]; r.FinalURL != base+"/honours" || r.AnsweredURL != "" || !strings.HasPrefix(r.status(), "200 → ") {
		t.Errorf("moved: final URL %q, answered %q", r.FinalURL, r.AnsweredURL)
	}
	if r := got["fallback"]; r.AnsweredURL != base+"/plain" || r.FinalURL != "" {
		t.Errorf("fallback: answered by %q, final %q", r.AnsweredURL, r.FinalURL)
	}

	fails := map[string]struct{ reason, text string }{
		"broken":          {"http_500", "HTTP 500"},
		"forbidden":       {"http_403", "HTTP 403"},
		"maintenance":     {"not_a_feed", "not a feed: got an HTML page"},
		"empty-feed":      {"no_items", "0 items"},
		"listing-changed": {"no_selector_match", "listing selectors matched nothing"},
	}
	for id, want := range fails {
		r := got[id]
		if r.OK || r.Reason != want.reason || !strings.Contains(r.Error, want.text) {
			t.Errorf("%s: ok %v, reason %q, error %q; want %s: %s", id, r.OK, r.Reason, r.Error, want.reason, want.text)
		}
	}
	if r := got["broken"]; r.Status != 500 || r.Items != 0 || r.Detail == "" {
		t.Errorf("broken: %+v", r)
	}
	if r := got["maintenance"]; r.Status != 200 || r.Format != "html" {
		t.Errorf("maintenance: status %d, format %q", r.Status, r.Format)
	}
	if r := got["empty-feed"]; r.Format != "atom" || r.Items != 0 {
		t.Errorf("empty-feed: %+v", r)
	}

	html := got["kremlin-ru-html"]
	if !html.OK || html.Format != "html listing" || html.Items != 3 || html.Newest != "2025-05-06T17:45:00+03:00" || html.Conditional != "304" {
		t.Errorf("html listing: %+v", html)
	}
	if a := html.Article; a == nil || !a.OK || a.URL != site.srv.URL+listingPath+"/76857" || a.Title == "" {
		t.Errorf("html listing article check: %+v", a)
	}

	if failed := strings.Join(ProbeFailed(results), ","); failed != "broken,forbidden,maintenance,empty-feed,listing-changed" {
		t.Errorf("failed: %s", failed)
	}
	var table bytes.Buffer
	if err := WriteProbeTable(&table, results); err != nil {
		t.Fatal(err)
	}
	out := table.String()
	for _, want := range []string{
		"SOURCE ", "CONDITIONAL", "validators ignored (200)", "FAIL: HTTP 500", "html listing", newest,
		"11 sources: 6 ok, 5 yield nothing (broken, forbidden, maintenance, empty-feed, listing-changed)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 13 {
		t.Errorf("table has %d lines, want a header, 11 rows and the summary:\n%s", len(lines), out)
	}
}

// Selecting sources: by id, a disabled one too when named; an unknown id
// is an error that lists the known ones.
func TestProbeSelectsSources(t *testing.T) {
	ps := newProbeSite(t)
	a, b := feedSource(t, "a", ps.srv.URL+"/honours"), feedSource(t, "b", ps.srv.URL+"/broken")
	off := feedSource(t, "off", ps.srv.URL+"/plain")
	off.Disabled = true
	srcs := []sources.Source{a, b, off}
	results, err := Probe(context.Background(), ProbeConfig{Sources: srcs, Only: []string{"off", "a"}, Fetch: probeOpts()})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0].Source != "a" || results[1].Source != "off" {
		t.Fatalf("results %+v, want a and off in file order", results)
	}
	if r := results[1]; !r.OK || !r.Disabled || len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "disabled") {
		t.Errorf("named disabled source: %+v", r)
	}
	if results[0].Disabled {
		t.Error("a reported disabled")
	}
	_, err = Probe(context.Background(), ProbeConfig{Sources: srcs, Only: []string{"a", "nope"}, Fetch: probeOpts()})
	if !errors.Is(err, ErrUnknownSource) || !strings.Contains(err.Error(), "nope") || !strings.Contains(err.Error(), "a, b, off") {
		t.Errorf("unknown source: %v", err)
	}
}

// A source that never answers is reported as a timeout of the fetch policy,
// and its fallback's answer as well.
func TestProbeTimeout(t *testing.T) {
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // answers nothing until the client gives up
	}))
	defer hang.Close()
	src := feedSource(t, "silent", hang.URL+"/feed")
	src.Fallbacks = []string{hang.URL + "/mirror"}
	results, err := Probe(context.Background(), ProbeConfig{Sources: []sources.Source{src},
		Fetch: fetch.Options{PerHostRate: -1, Timeout: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	r := results[0]
	if r.OK || r.Reason != "timeout" || r.Error != "timeout (200ms); fallbacks: same" || r.Conditional != ConditionalNotChecked {
		t.Errorf("%+v", r)
	}
}

// Cancelled (SIGINT, or --timeout reached): what is not done is reported
// as not finished with the cause, not as the source's failure.
func TestProbeCancelled(t *testing.T) {
	started := make(chan struct{})
	var once sync.Once
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(started) })
		<-r.Context().Done()
	}))
	defer hang.Close()
	ctx, cancel := context.WithCancelCause(context.Background())
	go func() {
		<-started
		cancel(errors.New("--timeout 3m0s reached"))
	}()
	results, err := Probe(ctx, ProbeConfig{Sources: []sources.Source{feedSource(t, "slow", hang.URL+"/feed")}, Fetch: probeOpts()})
	if err != nil {
		t.Fatal(err)
	}
	if r := results[0]; r.OK || r.Reason != "not_finished" || r.Error != "not finished: --timeout 3m0s reached" {
		t.Errorf("%+v", r)
	}
}

// A feed whose items carry only a summary: one article page is checked;
// kremlin.ru's 403 to robots is a warning (the feed items go out as they
// are), not a failure.
func TestProbeFeedArticlePages(t *testing.T) {
	fs := enrichingFeed(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Forbidden", http.StatusForbidden)
	})
	src := kremlinFeedSource(t, "kremlin-ru-news", fs.srv.URL+"/feed")
	results, err := Probe(context.Background(), ProbeConfig{Sources: []sources.Source{src}, Fetch: probeOpts()})
	if err != nil {
		t.Fatal(err)
	}
	r := results[0]
	if !r.OK || r.Items != 2 || r.Article == nil || r.Article.OK || r.Article.Status != 403 || r.Article.Reason != "article_unavailable" {
		t.Fatalf("%+v (article %+v)", r, r.Article)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "HTTP 403") {
		t.Errorf("warnings %q", r.Warnings)
	}
}

// An HTML listing whose article pages cannot be read yields nothing.
func TestProbeListingArticleUnreadable(t *testing.T) {
	s := newSite(t)
	for _, id := range siteIDs {
		s.set(listingPath+"/"+id, func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html><body><p>redesigned</p></body></html>"))
		})
	}
	results, err := Probe(context.Background(), ProbeConfig{Sources: []sources.Source{htmlSource(t, s.srv.URL, "")}, Fetch: probeOpts()})
	if err != nil {
		t.Fatal(err)
	}
	r := results[0]
	if r.OK || r.Items != 3 || r.Reason != "article_unreadable" || !strings.Contains(r.Error, `title "h1.entry-title" and body "div.read__internal_content" selectors matched nothing`) {
		t.Errorf("%+v", r)
	}
}

func TestProbeJSON(t *testing.T) {
	ps := newProbeSite(t)
	results, err := Probe(context.Background(), ProbeConfig{Sources: []sources.Source{
		feedSource(t, "honours", ps.srv.URL+"/honours"), feedSource(t, "broken", ps.srv.URL+"/broken"),
	}, Fetch: probeOpts()})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteProbeJSON(&buf, results); err != nil {
		t.Fatal(err)
	}
	var rep ProbeReport
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.OK || len(rep.Failed) != 1 || rep.Failed[0] != "broken" || len(rep.Sources) != 2 ||
		rep.Sources[0].Conditional != "304" || rep.Sources[0].ETag != probeETag || rep.Sources[1].Reason != "http_500" {
		t.Errorf("%s", buf.String())
	}
}
