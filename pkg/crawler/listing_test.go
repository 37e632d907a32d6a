package crawler

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

const listingPath = "/events/president/news"

// site serves a Kremlin-style HTML listing with an ETag and its three article
// pages, built from the real-text fixtures; a test edits pages or replaces
// the answer of one path while it runs.
type site struct {
	mu       sync.Mutex
	listing  []byte
	pages    map[string][]byte           // path -> page
	override map[string]http.HandlerFunc // path -> handler
	hits     map[string]int
	inm      []string // If-None-Match of each listing request
	srv      *httptest.Server
}

var siteIDs = []string{"76857", "76851", "76841"}

func newSite(t *testing.T) *site {
	t.Helper()
	listing := fixture.Read(t, "kremlin-listing-page-1.html")
	// The fixture's fourth entry links another host: a case of its own.
	foreign := `<div class="hentry h-entry hentry_event"><h3><a href="https://kremlin.ru/events/president/news/76841" rel="bookmark">Телефонный разговор с Премьер-министром Индии Нарендрой Моди</a></h3></div>` + "\n"
	s := &site{listing: replaceOnce(t, listing, foreign, ""), pages: map[string][]byte{}, override: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	page := fixture.Read(t, "kremlin-article-76857.html")
	for _, id := range siteIDs {
		s.pages[listingPath+"/"+id] = bytes.ReplaceAll(page, []byte("76857"), []byte(id))
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	h, body := s.override[r.URL.Path], s.pages[r.URL.Path]
	listing := s.listing
	if r.URL.Path == listingPath {
		s.inm = append(s.inm, r.Header.Get("If-None-Match"))
	}
	s.mu.Unlock()
	switch {
	case h != nil:
		h(w, r)
	case r.URL.Path == listingPath:
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(listing))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(listing)
	case body != nil:
		w.Write(body)
	default:
		http.NotFound(w, r)
	}
}

func (s *site) set(path string, h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.override, path)
		return
	}
	s.override[path] = h
}

func (s *site) edit(path, old, new string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = bytes.Replace(s.pages[path], []byte(old), []byte(new), 1)
}

func (s *site) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// lastINM is the If-None-Match of the latest listing request.
func (s *site) lastINM() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.inm) == 0 {
		return "<none>"
	}
	return s.inm[len(s.inm)-1]
}

// htmlSource reads the site with the Kremlin selectors; extra is appended
// YAML (indented as a source key).
func htmlSource(t *testing.T, base, extra string) sources.Source {
	t.Helper()
	srcs, err := sources.Parse([]byte(`
sources:
  - id: kremlin-ru-html
    kind: html
    url: ` + base + listingPath + `
    lang: ru
    publisher: kremlin.ru
    zone: Europe/Moscow
    external_id_pattern: '/(\d+)/?$'
    selectors:
      item: div.hentry.h-entry.hentry_event
      link: h3 > a[href]
      item_time: time[datetime]
      title: h1.entry-title
      time: time.read__published
      clock: div.read__time
      body: div.read__internal_content
      strip: ["div.read__internal_content p > a > span"]
      persons: "div.read__tags a[href*='/catalog/persons/']"
` + extra))
	if err != nil {
		t.Fatal(err)
	}
	return srcs[0]
}

func publishedIDs(h *harness) string {
	var ids []string
	for _, it := range h.sink.Items() {
		ids = append(ids, it.ExternalID)
	}
	return strings.Join(ids, ",")
}

// B1: the listing's validators are recorded only once every listed entry
// was sent; until then each poll reads the listing again (no 304 hides the
// entries still to send), whether they were capped, failed or refused.
func TestListingValidatorsWaitForEveryEntry(t *testing.T) {
	ctx := context.Background()
	t.Run("capped by MaxArticles", func(t *testing.T) {
		s := newSite(t)
		h := newHarnessWith(t, []sources.Source{htmlSource(t, s.srv.URL, "")}, fetch.Options{}, func(c *Config) { c.MaxArticles = 1 })
		for i, want := range []string{"76857", "76857,76851", "76857,76851,76841"} {
			res := h.c.Poll(ctx, "kremlin-ru-html")
			if res.Err != nil || publishedIDs(h) != want || s.lastINM() != "" {
				t.Fatalf("poll %d: %+v, published %s, If-None-Match %q", i+1, res, publishedIDs(h), s.lastINM())
			}
			if i < 2 && res.Deferred != 2-i {
				t.Errorf("poll %d: deferred %d", i+1, res.Deferred)
			}
		}
		// Every entry sent: now the validators hold, and the next poll is a 304.
		res := h.c.Poll(ctx, "kremlin-ru-html")
		if !res.NotModified || s.lastINM() == "" || publishedIDs(h) != "76857,76851,76841" {
			t.Errorf("poll 4: %+v, If-None-Match %q", res, s.lastINM())
		}
	})
	t.Run("article page failed", func(t *testing.T) {
		s := newSite(t)
		s.set(listingPath+"/76851", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) })
		h := newHarness(t, []sources.Source{htmlSource(t, s.srv.URL, "")}, fetch.Options{})
		if res := h.c.Poll(ctx, "kremlin-ru-html"); res.Err != nil || publishedIDs(h) != "76857,76841" {
			t.Fatalf("poll 1: %+v, published %s", res, publishedIDs(h))
		}
		if st := h.c.state("kremlin-ru-html"); st.ETag != "" {
			t.Errorf("ETag %q recorded with an entry unsent", st.ETag)
		}
		s.set(listingPath+"/76851", nil)
		if res := h.c.Poll(ctx, "kremlin-ru-html"); res.Err != nil || res.NotModified || publishedIDs(h) != "76857,76841,76851" {
			t.Fatalf("poll 2: %+v, published %s", res, publishedIDs(h))
		}
		if res := h.c.Poll(ctx, "kremlin-ru-html"); !res.NotModified {
			t.Errorf("poll 3: %+v, want a 304", res)
		}
	})
	t.Run("link on a host not allowed", func(t *testing.T) {
		s := newSite(t)
		s.listing = fixture.Read(t, "kremlin-listing-page-1.html") // with the https://kremlin.ru entry
		h := newHarness(t, []sources.Source{htmlSource(t, s.srv.URL, "")}, fetch.Options{})
		for i := range 2 {
			if res := h.c.Poll(ctx, "kremlin-ru-html"); res.Err != nil || res.NotModified {
				t.Fatalf("poll %d: %+v", i+1, res)
			}
		}
		// Dead-lettered once, not on every poll; never fetched; the listing
		// is read in full while it holds the entry.
		dls := h.sink.DeadLetters()
		if len(dls) != 1 || dls[0].Reason != "host_not_allowed" || dls[0].Key != "https://kremlin.ru/events/president/news/76841" || dls[0].Source != "kremlin-ru-html" {
			t.Errorf("dead letters %+v", dls)
		}
		if s.lastINM() != "" || publishedIDs(h) != "76857,76851,76841" {
			t.Errorf("If-None-Match %q, published %s", s.lastINM(), publishedIDs(h))
		}
	})
}

// B9: the newest seen entries of a listing are re-fetched every
// refresh.every polls (and on the first poll after a start), 304 or not; an
// edited page goes out again as a new version of the same item.
func TestListingRefreshSendsEdits(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	src := htmlSource(t, s.srv.URL, "    refresh: {every: 3, newest: 2}\n")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	page := listingPath + "/76857"
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 3 || res.Refreshed != 0 {
		t.Fatalf("poll 1: %+v", res)
	}
	s.edit(page, "обменялись тёплыми поздравлениями", "обменялись поздравлениями")
	// Polls 2 and 3: 304s, no refresh due; the edit stays unseen.
	for i := 2; i <= 3; i++ {
		if res := h.c.Poll(ctx, src.ID); !res.NotModified || res.Published != 0 || res.Refreshed != 0 {
			t.Fatalf("poll %d: %+v", i, res)
		}
	}
	// Poll 4: a 304 again, but a refresh: the two newest entries are re-read.
	hits := s.hitsOf(page)
	res := h.c.Poll(ctx, src.ID)
	if !res.NotModified || res.Refreshed != 2 || res.Changed != 1 || res.Published != 1 || s.hitsOf(page) != hits+1 {
		t.Fatalf("poll 4: %+v", res)
	}
	items := h.sink.Items()
	edited := items[len(items)-1]
	if edited.Key() != items[0].Key() || edited.ContentHash == items[0].ContentHash || !strings.Contains(edited.Body, "обменялись поздравлениями") {
		t.Errorf("new version %+v", edited)
	}
	if got := h.counter(t, "readout_crawler_items_total", "state", "changed"); got != 1 {
		t.Errorf("items_total{changed} = %v", got)
	}
	// A restarted crawler refreshes on its first poll, from the recorded
	// entries (the listing still answers 304): nothing changed, nothing sent.
	h2 := newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) { c.State = h.state })
	if res := h2.c.Poll(ctx, src.ID); !res.NotModified || res.Refreshed != 2 || res.Published != 0 {
		t.Errorf("after restart: %+v", res)
	}
	s.edit(listingPath+"/76851", "Великой Победы", "Победы")
	h3 := newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) { c.State = h.state })
	if res := h3.c.Poll(ctx, src.ID); res.Changed != 1 || res.Published != 1 || h3.sink.Items()[0].ExternalID != "76851" {
		t.Errorf("edit found after restart: %+v", res)
	}
}

// A listing entry whose page keeps failing (404) is given up after
// MaxArticleFailures polls in a row: dead-lettered once with the reason,
// not fetched again while the listing shows it unchanged, and the listing is
// then polled conditionally again (it used to be fetched in full, with the
// page, on every poll, and never reported). An entry the listing changes is
// tried again.
func TestListingEntryGivenUpAfterRepeatedFailures(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	page := listingPath + "/76851"
	s.set(page, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	store := NewMemoryStore()
	h := newHarnessWith(t, []sources.Source{htmlSource(t, s.srv.URL, "")}, fetch.Options{}, func(c *Config) { c.State = store })
	for i := 1; i <= DefaultMaxArticleFailures; i++ {
		res := h.c.Poll(ctx, "kremlin-ru-html")
		if res.Err != nil || res.NotModified || s.lastINM() != "" || (res.GivenUp == 1) != (i == DefaultMaxArticleFailures) {
			t.Fatalf("poll %d: %+v, If-None-Match %q", i, res, s.lastINM())
		}
		if n := len(h.sink.DeadLetters()); n != 0 && i < DefaultMaxArticleFailures {
			t.Fatalf("poll %d: dead-lettered after %d failures", i, i)
		}
	}
	dls := h.sink.DeadLetters()
	if len(dls) != 1 || dls[0].Reason != "article_unavailable" || dls[0].Key != s.srv.URL+page || dls[0].Stage != "crawler.scrape" ||
		!strings.Contains(dls[0].Error, "HTTP 404") || !strings.Contains(dls[0].Error, "3 times in a row") {
		t.Fatalf("dead letters %+v", dls)
	}
	if publishedIDs(h) != "76857,76841" || s.hitsOf(page) != DefaultMaxArticleFailures {
		t.Fatalf("published %s, page fetched %d times", publishedIDs(h), s.hitsOf(page))
	}
	// Given up, the listing is complete: 304s, the page is left alone, also
	// by a crawler restarted on the same state.
	for i := range 2 {
		if res := h.c.Poll(ctx, "kremlin-ru-html"); !res.NotModified || s.lastINM() == "" {
			t.Fatalf("poll after giving up %d: %+v, If-None-Match %q", i+1, res, s.lastINM())
		}
	}
	restarted := newHarnessWith(t, []sources.Source{htmlSource(t, s.srv.URL, "    refresh: {every: -1}\n")}, fetch.Options{}, func(c *Config) { c.State = store })
	if res := restarted.c.Poll(ctx, "kremlin-ru-html"); !res.NotModified || res.Published != 0 {
		t.Fatalf("restarted: %+v", res)
	}
	if s.hitsOf(page) != DefaultMaxArticleFailures || len(h.sink.DeadLetters())+len(restarted.sink.DeadLetters()) != 1 {
		t.Errorf("page fetched %d times, %d dead letters", s.hitsOf(page), len(h.sink.DeadLetters())+len(restarted.sink.DeadLetters()))
	}
	// The listing retitles the entry and its page answers again: sent.
	s.mu.Lock()
	s.listing = bytes.Replace(s.listing, []byte("Телефонный разговор с Президентом Ирана"), []byte("Телефонный разговор с Президентом Исламской Республики Иран"), 1)
	s.mu.Unlock()
	s.set(page, nil)
	if res := restarted.c.Poll(ctx, "kremlin-ru-html"); res.Err != nil || res.New != 1 || publishedIDs(restarted) != "76851" {
		t.Errorf("entry changed: %+v, published %s", res, publishedIDs(restarted))
	}
}
