package scrape

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

func kremlinSource(t testing.TB) sources.Source {
	t.Helper()
	srcs, err := sources.Load("../../configs/sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if s.ID == "kremlin-ru-news" {
			return s
		}
	}
	t.Fatal("kremlin-ru-news not configured")
	return sources.Source{}
}

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKremlinArticle(t *testing.T) {
	src := kremlinSource(t)
	for _, tt := range []struct {
		name string
		src  sources.Source
	}{
		{"configured selectors", src},
		{"built-in selectors", func() sources.Source { s := src; s.Selectors = nil; return s }()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, err := ParseArticle(tt.src, "http://kremlin.ru/events/president/news/76857", fixture.Read(t, "kremlin-article-76857.html"))
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != "Телефонный разговор с Премьер-министром Израиля Биньямином Нетаньяху" ||
				a.PublishedAt != "2025-05-06T17:45:00+03:00" || a.ExternalID != "76857" ||
				!strings.HasPrefix(a.Lead, "Состоялся телефонный разговор") {
				t.Errorf("article = %+v", a)
			}
			if strings.Contains(a.Body, "Премьер-министр Израиля") {
				t.Error("person tooltip left in the body")
			}
			if !strings.Contains(a.Body, "Владимир Путин и <a href=\"/catalog/persons/418/events\">Биньямин Нетаньяху</a> обменялись") {
				t.Errorf("body = %s", a.Body[:200])
			}
			if strings.Join(a.Tags, "|") != "Израиль|Внешняя политика|Нетаньяху Биньямин" || strings.Join(a.Persons, "|") != "Нетаньяху Биньямин" ||
				strings.Join(a.Topics, "|") != "Внешняя политика" {
				t.Errorf("tags %q persons %q topics %q", a.Tags, a.Persons, a.Topics)
			}
		})
	}
}

func TestArticleApplyToPartialItem(t *testing.T) {
	src := kremlinSource(t)
	a, err := ParseArticle(src, "http://kremlin.ru/events/president/news/76857", fixture.Read(t, "kremlin-article-76857.html"))
	if err != nil {
		t.Fatal(err)
	}
	it := model.RawItem{Source: src.ID, URL: "http://kremlin.ru/events/president/news/76857", Title: "Телефонный разговор",
		Body: "Состоялся телефонный разговор.", Summary: "Состоялся телефонный разговор.", PublishedAt: "2025-05-06T17:45:00+04:00",
		Tags: []string{"Новости"}}
	a.Apply(&it)
	if !strings.Contains(it.Body, "Великой Победы") || it.Summary != "Состоялся телефонный разговор." ||
		it.PublishedAt != "2025-05-06T17:45:00+04:00" || it.Title != "Телефонный разговор" || it.ExternalID != "76857" ||
		strings.Join(it.Tags, "|") != "Новости|Израиль|Внешняя политика|Нетаньяху Биньямин" || len(it.Persons) != 1 ||
		strings.Join(it.Topics, "|") != "Внешняя политика" {
		t.Errorf("item = %+v", it)
	}
	built := a.Item(src, "http://kremlin.ru/events/president/news/76857", time.Now())
	if built.Validate() != "" || built.Title != a.Title || built.PublishedAt != a.PublishedAt || built.ContentHash != built.Hash() || built.Lang != "ru" {
		t.Errorf("Item = %+v", built)
	}
}

func TestKremlinListing(t *testing.T) {
	src := kremlinSource(t)
	// Served by the https mirror: links are re-based on the configured http URL.
	items, err := Listing(src, "https://kremlin.ru/events/president/news/page/1", fixture.Read(t, "kremlin-listing-page-1.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("%d items: %+v", len(items), items)
	}
	want := time.Date(2025, 5, 6, 17, 45, 0, 0, time.FixedZone("", 3*3600))
	if items[0].URL != "http://kremlin.ru/events/president/news/76857" || !items[0].Time.Equal(want) ||
		!strings.HasPrefix(items[0].Title, "Телефонный разговор с Премьер-министром Израиля") {
		t.Errorf("first = %+v", items[0])
	}
	if _, err := Listing(src, src.URL, []byte("<html><body>403 Forbidden</body></html>")); !errors.Is(err, ErrNoItems) {
		t.Errorf("empty listing: %v", err)
	}
}

func TestParseTime(t *testing.T) {
	msk, _ := time.LoadLocation("Europe/Moscow")
	tests := []struct {
		v, clock, want string
	}{
		{"2025-05-06", "17:45", "2025-05-06T17:45:00+03:00"},
		{"6 мая 2025 года", "17:45", "2025-05-06T17:45:00+03:00"},
		{"June 15, 2022", "", "2022-06-15T00:00:00+03:00"},
		{"2018-01-07T09:00:00+04:00", "", "2018-01-07T09:00:00+04:00"},
		{"2025-05-06T13:20:00", "", "2025-05-06T13:20:00+03:00"},
	}
	for _, tt := range tests {
		got, ok := parseTime(tt.v, tt.clock, msk)
		if !ok || got.Format(time.RFC3339) != tt.want {
			t.Errorf("parseTime(%q, %q) = %s %v, want %s", tt.v, tt.clock, got.Format(time.RFC3339), ok, tt.want)
		}
	}
	if _, ok := parseTime("вчера", "", msk); ok {
		t.Error("parsed nonsense")
	}
}

func TestArticleErrors(t *testing.T) {
	src := kremlinSource(t)
	if _, err := ParseArticle(src, src.URL, []byte("<html><body><p>Access denied</p></body></html>")); !errors.Is(err, ErrNoContent) {
		t.Errorf("403 page: %v", err)
	}
	generic := src
	generic.Selectors, generic.Publisher = nil, "example.org"
	if _, err := ParseArticle(generic, src.URL, fixture.Read(t, "kremlin-article-76857.html")); !errors.Is(err, ErrNoSelectors) {
		t.Errorf("no selectors: %v", err)
	}
}

func FuzzScrapeArticle(f *testing.F) {
	page := fixture.Read(f, "kremlin-article-76857.html")
	f.Add(page)
	f.Add(page[:len(page)/3])
	f.Add([]byte(""))
	src := kremlinSource(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := ParseArticle(src, "http://kremlin.ru/events/president/news/1", body)
		if err != nil {
			if a != nil {
				t.Fatal("article with error")
			}
			return
		}
		if a.Title == "" && a.Body == "" {
			t.Fatal("empty article without error")
		}
		if a.PublishedAt != "" {
			if _, err := time.Parse(time.RFC3339, a.PublishedAt); err != nil {
				t.Fatalf("bad time %q", a.PublishedAt)
			}
		}
		// Topics are some of the tags (li.p-category among div.read__tags li).
		tags := map[string]bool{}
		for _, tag := range a.Tags {
			tags[tag] = true
		}
		for _, topic := range a.Topics {
			if !tags[topic] {
				t.Fatalf("topic %q not among the tags %q", topic, a.Tags)
			}
		}
		if _, err := Listing(src, "http://kremlin.ru/events/president/news/page/1", body); err != nil && !errors.Is(err, ErrNoItems) {
			t.Fatalf("listing: %v", err)
		}
	})
}
