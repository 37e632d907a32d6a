package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// publisherCase is one configured government source read through `crawler
// once` from its fixture (testdata/publishers/README.md says which fixtures
// are real and which are constructed in the documented format).
type publisherCase struct {
	id    string
	pages map[string]string // served path -> fixture file; "/" is the polled URL
	items int
	want  []wantItem // items checked field by field, found by URL
}

type wantItem struct {
	url, title, published, externalID string
	bodyHas                           string   // "" = not checked
	tags                              []string // nil = not checked
}

var publisherCases = []publisherCase{
	{id: "whitehouse-news", pages: map[string]string{"/": "whitehouse-news-feed.xml"}, items: 4, want: []wantItem{
		{url: "https://www.whitehouse.gov/briefings-statements/2025/01/readout-of-president-donald-j-trumps-call-with-prime-minister-modi-of-india/",
			title:     "Readout of President Donald J. Trump\u2019s Call with Prime Minister Modi of India",
			published: "2025-01-27T19:21:42Z", bodyHas: "held a productive call with Prime Minister Narendra Modi of India", tags: []string{"Briefings & Statements"}},
		{url: "https://www.whitehouse.gov/presidential-actions/2026/09/eliminating-disease-carrying-pests-and-restoring-enjoyment-of-the-great-outdoors/",
			title:     "Eliminating Disease-Carrying Pests And Restoring Enjoyment Of The Great Outdoors",
			published: "2026-09-29T21:23:48Z", tags: []string{"Presidential Actions", "Executive Orders"}},
	}},
	{id: "uk-pm-office", pages: map[string]string{"/": "uk-pm-office.atom"}, items: 2, want: []wantItem{
		{url: "https://www.gov.uk/government/news/pm-call-with-the-president-of-exampleland-10-november-2025",
			title: "PM call with the President of Exampleland: 10 November 2025", published: "2025-11-10T18:05:12+00:00"},
	}},
	{id: "ua-president-news", pages: map[string]string{"/": "ua-president-news.rss"}, items: 2, want: []wantItem{
		{url: "https://www.president.gov.ua/en/news/prezident-proviv-telefonnu-rozmovu-z-prem-yer-ministrom-100123",
			title: "President held a phone call with the Prime Minister of Exampleland", published: "2025-11-10T19:40:00+02:00", externalID: "100123"},
	}},
	{id: "elysee-news", pages: map[string]string{"/": "elysee-news.rss"}, items: 2, want: []wantItem{
		{url: "https://www.elysee.fr/en/emmanuel-macron/2025/11/10/entretien-telephonique-avec-le-president-de-l-exempleland",
			title: "Entretien téléphonique avec le Président de l\u2019Exempleland", published: "2025-11-10T18:30:00+01:00"},
	}},
	{id: "de-chancellor-news", pages: map[string]string{"/": "de-chancellor-news.rss"}, items: 2, want: []wantItem{
		{url: "https://www.bundeskanzler.de/bk-de/aktuelles/bundeskanzler-telefoniert-mit-dem-praesidenten-von-beispielland-2391234",
			title: "Bundeskanzler telefoniert mit dem Präsidenten von Beispielland", published: "2025-11-10T17:20:00+01:00"},
	}},
	{id: "ca-pm-news", pages: map[string]string{"/": "ca-pm-news.rss"}, items: 2, want: []wantItem{
		{url: "https://www.pm.gc.ca/en/news/readouts/2025/11/10/prime-minister-carney-speaks-president-exampleland",
			title: "Prime Minister Carney speaks with the President of Exampleland", published: "2025-11-10T16:45:00-05:00"},
	}},
	{id: "jp-kantei-news", pages: map[string]string{"/": "jp-kantei-news.rss"}, items: 2, want: []wantItem{
		{url: "https://japan.kantei.go.jp/105/actions/202511/10denwa.html",
			title: "Japan-Exampleland Summit Telephone Talk", published: "2025-11-10T21:00:00+09:00"},
	}},
	{id: "in-pib-releases", pages: map[string]string{"/": "in-pib-releases.rss"}, items: 2, want: []wantItem{
		{url: "https://pib.gov.in/PressReleasePage.aspx?PRID=2188123",
			title: "PM speaks with President of Exampleland", published: "2025-11-10T20:15:00+05:30", externalID: "2188123"},
	}},
	{id: "tr-presidency-news", items: 2, pages: map[string]string{
		"/": "tr-presidency-listing.html",
		"/en/news/542/160123/president-erdogan-holds-phone-call-with-president-of-exampleland": "tr-presidency-article-160123.html",
		"/en/news/542/160110/president-erdogan-receives-a-delegation":                          "tr-presidency-article-160110.html",
	}, want: []wantItem{
		{url: "/en/news/542/160123/president-erdogan-holds-phone-call-with-president-of-exampleland",
			title: "President Erdoğan holds phone call with President of Exampleland", published: "2025-11-10T00:00:00+03:00",
			externalID: "160123", bodyHas: "the President held a phone call."},
	}},
	{id: "kz-akorda-news", pages: map[string]string{"/": "kz-akorda-news.rss"}, items: 2, want: []wantItem{
		{url: "https://www.akorda.kz/ru/glava-gosudarstva-provel-telefonnyy-razgovor-s-prezidentom-primerii-1011234",
			title: "Глава государства провел телефонный разговор с Президентом Примерии", published: "2025-11-10T18:10:00+05:00"},
	}},
	{id: "by-president-events", items: 2, pages: map[string]string{
		"/": "by-president-listing.html",
		"/ru/events/telefonnyy-razgovor-s-prezidentom-primerii": "by-president-article-telefonnyy-razgovor.html",
		"/ru/events/vstrecha-s-delegaciey":                      "by-president-article-vstrecha.html",
	}, want: []wantItem{
		// pkg/scrape reads a time's datetime attribute or its text, not data-datetime:
		// the date of the text, in the source's zone.
		{url: "/ru/events/telefonnyy-razgovor-s-prezidentom-primerii",
			title: "Телефонный разговор с Президентом Примерии", published: "2025-11-10T00:00:00+03:00", bodyHas: "состоялся телефонный разговор."},
	}},
	{id: "az-president-news", pages: map[string]string{"/": "az-president-news.rss"}, items: 2, want: []wantItem{
		{url: "https://president.az/en/articles/view/70123",
			title: "President held a phone conversation with President of Exampleland", published: "2025-11-10T19:00:00+04:00", externalID: "70123"},
	}},
	{id: "eu-commission-press", pages: map[string]string{"/": "eu-commission-press.rss"}, items: 2, want: []wantItem{
		{url: "https://ec.europa.eu/commission/presscorner/detail/en/statement_25_2612",
			title:     "Statement by President von der Leyen following her phone call with the President of Exampleland",
			published: "2025-11-10T18:00:00+01:00", externalID: "statement_25_2612"},
	}},
}

// Every government source of configs/sources.yaml, as configured (selectors,
// id pattern, zone, publisher), reads its format through `crawler once`: the
// test serves the fixture on a local server, points the source's URL there and
// drops its fallbacks, archive and extra hosts, so no request can leave the
// machine (feed items linking to the real site are kept as the feed gives
// them: their host is not allowed).
func TestOncePublisherFormats(t *testing.T) {
	cfg, err := sources.LoadConfig("../../configs/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]sources.Source{}
	for _, s := range cfg.Sources {
		byID[s.ID] = s
	}
	for _, tc := range publisherCases {
		t.Run(tc.id, func(t *testing.T) {
			src, ok := byID[tc.id]
			if !ok {
				t.Fatalf("%s is not configured", tc.id)
			}
			var mu sync.Mutex
			var unknown []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				name, ok := tc.pages[r.URL.Path]
				if !ok {
					mu.Lock()
					unknown = append(unknown, r.URL.Path)
					mu.Unlock()
					http.NotFound(w, r)
					return
				}
				b, err := os.ReadFile(filepath.Join("testdata", "publishers", name))
				if err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
				switch {
				case strings.HasSuffix(name, ".html"):
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
				case strings.HasSuffix(name, ".atom"):
					w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
				default:
					w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
				}
				w.Write(b)
			}))
			defer srv.Close()

			local := src
			local.URL, local.Fallbacks, local.Archive, local.Hosts, local.Disabled = srv.URL+"/", nil, nil, nil, false
			doc, err := yaml.Marshal(map[string]any{"fetch": map[string]any{"per_host_rate": -1}, "sources": []sources.Source{local}})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			srcFile, out, dlq := filepath.Join(dir, "sources.yaml"), filepath.Join(dir, "raw.jsonl"), filepath.Join(dir, "dlq.jsonl")
			if err := os.WriteFile(srcFile, doc, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := once([]string{"--sources", srcFile, "--out", out, "--dlq", dlq, "--log-level", "error"}); err != nil {
				t.Fatalf("once: %v", err)
			}
			if dl := lines(t, dlq); len(dl) != 0 {
				t.Errorf("dead letters: %q", dl)
			}
			mu.Lock()
			if len(unknown) != 0 {
				t.Errorf("requests for unserved paths: %q", unknown)
			}
			mu.Unlock()

			got := map[string]model.RawItem{}
			for _, l := range lines(t, out) {
				var it model.RawItem
				if err := json.Unmarshal([]byte(l), &it); err != nil {
					t.Fatalf("not a raw item: %.200s", l)
				}
				if reason := it.Validate(); reason != "" {
					t.Errorf("invalid item %s: %s", it.URL, reason)
				}
				if it.Source != src.ID || it.Publisher != src.Publisher || it.Lang != src.Lang || it.Title == "" || it.PublishedAt == "" {
					t.Errorf("item %s: source %q publisher %q lang %q title %q published %q, want %s/%s/%s and a title and time",
						it.URL, it.Source, it.Publisher, it.Lang, it.Title, it.PublishedAt, src.ID, src.Publisher, src.Lang)
				}
				got[it.URL] = it
			}
			if len(got) != tc.items {
				t.Errorf("%d items, want %d", len(got), tc.items)
			}
			for _, w := range tc.want {
				u := w.url
				if strings.HasPrefix(u, "/") {
					u = srv.URL + u // listing links resolve against the (local) listing page
				}
				it, ok := got[u]
				if !ok {
					t.Errorf("no item %s among %d", u, len(got))
					continue
				}
				if it.Title != w.title || it.PublishedAt != w.published || it.ExternalID != w.externalID {
					t.Errorf("item %s:\n title %q published %q external id %q\n want %q %q %q", u, it.Title, it.PublishedAt, it.ExternalID, w.title, w.published, w.externalID)
				}
				if w.bodyHas != "" && !strings.Contains(it.Body, w.bodyHas) {
					t.Errorf("item %s: body %.300q lacks %q", u, it.Body, w.bodyHas)
				}
				if w.tags != nil && strings.Join(it.Tags, "|") != strings.Join(w.tags, "|") {
					t.Errorf("item %s: tags %q, want %q", u, it.Tags, w.tags)
				}
			}
		})
	}
}

// The official White House feed is the first White House source; the
// listing stays configured as the archive backfill walks, and the
// third-party feed stays off.
func TestWhiteHouseOfficialFeedFirst(t *testing.T) {
	srcs, err := sources.Load("../../configs/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	byID := map[string]sources.Source{}
	for _, s := range srcs {
		if s.Publisher == "whitehouse.gov" {
			order = append(order, s.ID)
			byID[s.ID] = s
		}
	}
	if len(order) == 0 || order[0] != "whitehouse-news" {
		t.Fatalf("White House sources in order %q, want whitehouse-news first", order)
	}
	if s := byID["whitehouse-news"]; s.Kind != sources.KindFeed || s.URL != "https://www.whitehouse.gov/news/feed/" || s.Disabled || s.FetchArticle {
		t.Errorf("whitehouse-news = %+v", s)
	}
	if s := byID["whitehouse-briefing-room"]; s.Disabled || s.Archive == nil || s.Archive.Kind != sources.ArchiveHTML {
		t.Errorf("whitehouse-briefing-room must stay polled with its HTML archive: %+v", s)
	}
	if !byID["whitehouse-briefings-rss"].Disabled {
		t.Error("the third-party White House feed is enabled")
	}
}
