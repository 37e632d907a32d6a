package feeds

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/pkg/sources"
)

var fetchedAt = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func source(t testing.TB, id, url, lang, publisher string) sources.Source {
	t.Helper()
	srcs, err := sources.Parse([]byte(`
sources:
  - id: ` + id + `
    kind: feed
    url: ` + url + `
    lang: "` + lang + `"
    publisher: ` + publisher + `
    external_id_pattern: '/(\d+)/?$'
`))
	if err != nil {
		t.Fatal(err)
	}
	return srcs[0]
}

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseKremlinAtom(t *testing.T) {
	src := source(t, "kremlin-en-all", "http://en.kremlin.ru/events/all/feed", "en", "kremlin.ru")
	items, err := Parse(src, read(t, "en-events-all-feed-2018-01-07.atom.xml"), fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 20 {
		t.Fatalf("%d items", len(items))
	}
	modi := items[1]
	if modi.Title != "Telephone conversation with Indian Prime Minister Narendra Modi" ||
		modi.GUID != "http://en.kremlin.ru/events/president/news/56624" || modi.URL != modi.GUID ||
		modi.ExternalID != "56624" || modi.PublishedAt != "2018-01-03T16:50:00+04:00" ||
		modi.UpdatedAt != "2018-01-03T17:37:22+04:00" || modi.Lang != "en" || !modi.FetchedAt.Equal(fetchedAt) {
		t.Errorf("item = %+v", modi)
	}
	if !strings.Contains(modi.Body, "privileged strategic partnership") || !strings.Contains(modi.Summary, "Indian\nside’s initiative") {
		t.Errorf("body/summary: %q / %q", modi.Body[:80], modi.Summary)
	}
	if Partial(&modi) {
		t.Error("full-text Kremlin item reported partial")
	}
	calls := 0
	for _, it := range items {
		if strings.HasPrefix(it.Title, "Telephone conversation") {
			calls++
		}
		if it.ContentHash != it.Hash() || it.Validate() != "" {
			t.Errorf("%s: hash or validation", it.GUID)
		}
	}
	if calls != 3 {
		t.Errorf("%d telephone conversations, want 3", calls)
	}
}

func TestParseWhiteHouseRSS(t *testing.T) {
	src := source(t, "wh-rss", "https://www.whitehouse.gov/briefing-room/", "en", "whitehouse.gov")
	tests := []struct {
		file        string
		n           int
		partial     bool
		firstTitle  string
		publishedAt string
	}{
		{"wh-briefings_scraper_rss_2026-08-21.xml", 30, true,
			"President Trump and Republicans Deliver for South Carolina Families", "2026-08-21T16:00:54-04:00"},
		{"selenasun1618_whitehouse_briefings_2026-08-22.xml", 10, true,
			"Presidential Message on the 45th Anniversary of the Martyrdom of Father Stanley Rother", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			items, err := Parse(src, read(t, tt.file), fetchedAt)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tt.n {
				t.Fatalf("%d items, want %d", len(items), tt.n)
			}
			it := items[0]
			if it.Title != tt.firstTitle || !strings.HasPrefix(it.URL, "https://www.whitehouse.gov/") || it.ExternalID != "" {
				t.Errorf("first = %+v", it)
			}
			if tt.publishedAt != "" && it.PublishedAt != tt.publishedAt {
				t.Errorf("published_at %q", it.PublishedAt)
			}
			if Partial(&it) != tt.partial {
				t.Errorf("partial = %v", Partial(&it))
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	src := source(t, "s", "http://en.kremlin.ru/feed", "en", "kremlin.ru")
	kremlin := read(t, "en-events-all-feed-2018-01-07.atom.xml")
	tests := []struct {
		name   string
		body   string
		want   error
		reason string
	}{
		{"empty", "  \n", ErrNotFeed, "not_a_feed"},
		{"html page", "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>Access denied</body></html>", ErrNotFeed, "not_a_feed"},
		{"json garbage", `{"hello": "world"}`, ErrNotFeed, "not_a_feed"},
		{"truncated mid entry", string(kremlin[:len(kremlin)/2]), ErrTruncated, "truncated_feed"},
		{"truncated after an entry", string(kremlin[:strings.Index(string(kremlin), "</entry>")+len("</entry>")]), ErrTruncated, "truncated_feed"},
		{"no usable items", `<rss version="2.0"><channel><title>x</title><item><description></description></item></channel></rss>`, ErrNoItems, "no_items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Parse(src, []byte(tt.body), fetchedAt)
			if !errors.Is(err, tt.want) || Reason(err) != tt.reason {
				t.Fatalf("Parse = %d items, %v; want %v (%s)", len(items), err, tt.want, tt.reason)
			}
		})
	}
}

func TestParseRelativeLinksAndEmptyFeed(t *testing.T) {
	src := source(t, "s", "https://example.gov/news/feed", "", "example.gov")
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><language>en-us</language>
<item><title>Readout of a call</title><link>/news/2026/08/123</link><pubDate>Fri, 21 Aug 2026 16:00:54 -0400</pubDate><category> releases </category><category>releases</category></item>
</channel></rss>`
	items, err := Parse(src, []byte(body), fetchedAt)
	if err != nil || len(items) != 1 {
		t.Fatalf("%v %+v", err, items)
	}
	it := items[0]
	if it.URL != "https://example.gov/news/2026/08/123" || it.GUID != it.URL || it.Lang != "en-us" ||
		it.ExternalID != "123" || len(it.Tags) != 1 || it.Tags[0] != "releases" || it.ContentType != "text/plain" || !Partial(&it) {
		t.Errorf("item = %+v", it)
	}
	empty := `<rss version="2.0"><channel><title>t</title></channel></rss>`
	if items, err := Parse(src, []byte(empty), fetchedAt); err != nil || len(items) != 0 {
		t.Errorf("empty feed: %v %v", items, err)
	}
}

func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"en-events-all-feed-2018-01-07.atom.xml", "wh-briefings_scraper_rss_2026-08-21.xml"} {
		f.Add(read(f, name))
	}
	f.Add([]byte(`<rss version="2.0"><channel><item><title>a</title><link>/x/1</link></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>t</title>`))
	f.Add([]byte(`<html><body>no</body></html>`))
	src := source(f, "fuzz", "http://kremlin.ru/feed", "ru", "kremlin.ru")
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := Parse(src, body, fetchedAt)
		if err != nil {
			if Reason(err) == "" || len(items) != 0 {
				t.Fatalf("error without reason or with items: %v", err)
			}
			return
		}
		for _, it := range items {
			if it.Validate() != "" || it.Source != "fuzz" || it.ContentHash != it.Hash() {
				t.Fatalf("invalid item %+v", it)
			}
		}
	})
}
