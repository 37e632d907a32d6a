package crawler

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// partialFeed is an Atom feed whose entries carry only a summary and link to
// article pages on base.
func partialFeed(base string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?><feed xml:lang="ru" xmlns="http://www.w3.org/2005/Atom"><title>Президент России</title>` +
		`<entry><title>Телефонный разговор с Премьер-министром Израиля Биньямином Нетаньяху</title><id>` + base + `/events/president/news/76857</id>` +
		`<published>2025-05-06T17:45:00+04:00</published><link href="` + base + `/events/president/news/76857" rel="alternate" />` +
		`<summary type="html">Состоялся телефонный разговор Владимира Путина с Премьер-министром Государства Израиль Биньямином Нетаньяху.</summary></entry>` +
		`<entry><title>Телефонный разговор с Президентом Ирана Масудом Пезешкианом</title><id>` + base + `/events/president/news/76851</id>` +
		`<published>2025-05-06T13:20:00+04:00</published><link href="` + base + `/events/president/news/76851" rel="alternate" />` +
		`<summary type="html">Состоялся телефонный разговор Владимира Путина с Президентом Исламской Республики Иран Масудом Пезешкианом.</summary></entry>` +
		`</feed>`)
}

func kremlinFeedSource(t *testing.T, id, url string) sources.Source {
	t.Helper()
	src := feedSource(t, id, url)
	src.FetchArticle = true
	src.Lang = "ru"
	return src
}

func TestPartialItemsEnrichedFromArticlePage(t *testing.T) {
	page := fixture.Read(t, "kremlin-article-76857.html")
	fs := newFeedServer(t, nil)
	base := fs.srv.URL
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Write(partialFeed(base))
		case "/events/president/news/76857":
			w.Write(page)
		default: // kremlin.ru answers robots with 403
			http.Error(w, "Forbidden", http.StatusForbidden)
		}
	})
	src := kremlinFeedSource(t, "kremlin-ru-news", base+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	if err := h.c.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	items := h.sink.Items()
	if len(items) != 2 {
		t.Fatalf("%d items", len(items))
	}
	enriched, kept := items[0], items[1]
	if !strings.Contains(enriched.Body, "Великой Победы") || enriched.Summary == "" ||
		strings.Join(enriched.Persons, "|") != "Нетаньяху Биньямин" || len(enriched.Tags) != 3 ||
		enriched.PublishedAt != "2025-05-06T17:45:00+04:00" || enriched.ContentHash != enriched.Hash() {
		t.Errorf("enriched = %+v", enriched)
	}
	if !strings.HasPrefix(kept.Body, "Состоялся телефонный разговор") || kept.ExternalID != "76851" {
		t.Errorf("403 item not kept from the feed: %+v", kept)
	}
	if got := h.counter(t, "readout_crawler_article_fetch_failures_total", "code", "403"); got != 1 {
		t.Errorf("article failures{403} = %v", got)
	}
	if len(h.sink.DeadLetters()) != 0 {
		t.Error("a 403 article page was dead-lettered")
	}
	// Enrichment does not make the item look edited on the next poll.
	fs.set(nil, "")
	if err := h.c.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(h.sink.Items()); n != 2 {
		t.Errorf("%d items after an unchanged poll", n)
	}
}

// A feed may link anywhere: hosts that are not configured are never fetched.
func TestArticleOnForeignHostNotFetched(t *testing.T) {
	var hits atomic.Int32
	evil := newFeedServer(t, nil)
	evil.setHandler(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	fs := newFeedServer(t, nil)
	fs.setHandler(serveBytes("application/atom+xml", partialFeed(strings.Replace(evil.srv.URL, "127.0.0.1", "localhost", 1))))
	src := kremlinFeedSource(t, "kremlin-ru-news", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	if err := h.c.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 0 {
		t.Error("fetched a host named inside the feed")
	}
	if n := len(h.sink.Items()); n != 2 {
		t.Errorf("%d items", n)
	}
	if got := h.counter(t, "readout_crawler_article_fetch_failures_total", "code", "not_allowed"); got != 2 {
		t.Errorf("not_allowed = %v", got)
	}
}

func TestHTMLListingSource(t *testing.T) {
	listing := fixture.Read(t, "kremlin-listing-page-1.html")
	page := fixture.Read(t, "kremlin-article-76857.html")
	fs := newFeedServer(t, nil)
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/events/president/news":
			w.Write(listing)
		case "/events/president/news/76857":
			w.Write(page)
		default:
			http.Error(w, "Forbidden", http.StatusForbidden)
		}
	})
	srcs := []sources.Source{htmlSource(t, fs.srv.URL, "")}
	h := newHarness(t, srcs, fetch.Options{})
	ctx := context.Background()
	if err := h.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	items := h.sink.Items()
	if len(items) != 1 {
		t.Fatalf("%d items (two article pages answer 403 and are retried later)", len(items))
	}
	it := items[0]
	if it.URL != fs.srv.URL+"/events/president/news/76857" || it.ExternalID != "76857" || it.PublishedAt != "2025-05-06T17:45:00+03:00" ||
		!strings.Contains(it.Body, "Великой Победы") || it.Persons[0] != "Нетаньяху Биньямин" {
		t.Errorf("item = %+v", it)
	}
	// Next poll: the published page is not fetched again, the 403 ones are retried.
	if err := h.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(h.sink.Items()); n != 1 {
		t.Errorf("%d items after second poll", n)
	}
	if got := h.counter(t, "readout_crawler_article_fetch_failures_total", "code", "403"); got != 4 {
		t.Errorf("403 count = %v, want 2 per poll", got)
	}
}
