package feeds

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
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

func TestParseKremlinAtom(t *testing.T) {
	src := source(t, "kremlin-en-all", "http://en.kremlin.ru/events/all/feed", "en", "kremlin.ru")
	items, err := Parse(src, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"), fetchedAt)
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
		{"whitehouse-briefings-rss-2026-08-21.xml", 30, true,
			"President Trump and Republicans Deliver for South Carolina Families", "2026-08-21T16:00:54-04:00"},
		{"whitehouse-briefings-rss-2026-08-22.xml", 10, true,
			"Presidential Message on the 45th Anniversary of the Martyrdom of Father Stanley Rother", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			items, err := Parse(src, fixture.Read(t, tt.file), fetchedAt)
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
	kremlin := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
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

// Entries that cannot become items are reported with a reason and a stable
// fingerprint, not dropped; the valid ones beside them are kept.
func TestParseAllReportsInvalidItems(t *testing.T) {
	src := source(t, "kremlin-en-all", "http://en.kremlin.ru/events/all/feed", "en", "kremlin.ru")
	feed := string(fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	// Entry 2 loses its id and link; entry 3 its title, summary and content.
	i2 := nthEntry(t, feed, 1)
	noID := regexp.MustCompile(`<id>[^<]*</id>|<link [^>]*/>`).ReplaceAllString(i2, "")
	i3 := nthEntry(t, feed, 2)
	empty := regexp.MustCompile(`(?s)<title>.*?</title>|<summary.*?</summary>|<content.*?</content>`).ReplaceAllString(i3, "")
	body := strings.Replace(strings.Replace(feed, i2, noID, 1), i3, empty, 1)
	res, err := ParseAll(src, []byte(body), fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 18 || len(res.Invalid) != 2 {
		t.Fatalf("%d items, %d invalid", len(res.Items), len(res.Invalid))
	}
	a, b := res.Invalid[0], res.Invalid[1]
	if a.Index != 1 || a.Reason != "missing url and guid" || a.Item.Title != "Telephone conversation with Indian Prime Minister Narendra Modi" ||
		b.Index != 2 || b.Reason != "empty title and body" || b.Item.GUID == "" || len(a.Fingerprint) != 64 || a.Fingerprint == b.Fingerprint {
		t.Errorf("invalid = %+v", res.Invalid)
	}
	again, _ := ParseAll(src, []byte(body), fetchedAt.Add(time.Hour))
	if again.Invalid[0].Fingerprint != a.Fingerprint {
		t.Error("fingerprint changes between polls")
	}
	if items, err := Parse(src, []byte(body), fetchedAt); err != nil || len(items) != 18 {
		t.Errorf("Parse = %d items, %v", len(items), err)
	}
	// Every entry invalid: ErrNoItems, and still each of them reported.
	all := `<rss version="2.0"><channel><title>x</title><item><description></description></item><item><title>t</title></item></channel></rss>`
	res, err = ParseAll(src, []byte(all), fetchedAt)
	if !errors.Is(err, ErrNoItems) || len(res.Invalid) != 2 || len(res.Items) != 0 {
		t.Errorf("all invalid: %v, %+v", err, res)
	}
}

func nthEntry(t *testing.T, feed string, n int) string {
	t.Helper()
	entries := regexp.MustCompile(`(?s)<entry>.*?</entry>`).FindAllString(feed, -1)
	if len(entries) <= n {
		t.Fatalf("feed has %d entries", len(entries))
	}
	return entries[n]
}

func TestPaging(t *testing.T) {
	kremlin := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	links := Paging(kremlin, "http://en.kremlin.ru/events/all/feed")
	want := Links{Self: "http://en.kremlin.ru/events/all/feed", First: "http://en.kremlin.ru/events/all/feed",
		Next: "http://en.kremlin.ru/events/all/feed/page/2", Last: "http://en.kremlin.ru/events/all/feed/page/1390"}
	if links != want {
		t.Errorf("kremlin links = %+v", links)
	}
	if n, ok := PageNumber(links.Last); !ok || n != 1390 {
		t.Errorf("last page = %d %v", n, ok)
	}
	tests := []struct {
		name, body string
		want       Links
	}{
		{"rss atom:link, relative", `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>t</title>` +
			`<link>https://example.gov/</link><atom:link rel="next" href="?paged=3"/><atom:link rel="previous" href="/feed/?paged=1"/>` +
			`<item><title>x</title><atom:link rel="next" href="/not-this"/></item></channel></rss>`,
			Links{Next: "https://example.gov/feed/?paged=3", Prev: "https://example.gov/feed/?paged=1"}},
		{"entry links ignored", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="next" href="/x"/></entry><link rel="last" href="/y"/></feed>`, Links{}},
		{"no links, not xml", `<html><body>403</body></html>`, Links{}},
		{"javascript scheme refused", `<feed><link rel="next" href="javascript:alert(1)"/></feed>`, Links{}},
	}
	for _, tt := range tests {
		if got := Paging([]byte(tt.body), "https://example.gov/feed/?paged=2"); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	for u, want := range map[string]int{"https://example.gov/feed/?paged=3": 3, "http://kremlin.ru/events/all/feed/page/7/": 7, "http://kremlin.ru/feed": 0} {
		if n, _ := PageNumber(u); n != want {
			t.Errorf("PageNumber(%s) = %d, want %d", u, n, want)
		}
	}
}

// firstEntries cuts a real feed after its n-th entry and closes it.
func firstEntries(t testing.TB, feed []byte, endTag string, n int, closing string) []byte {
	t.Helper()
	cut := 0
	for range n {
		i := bytes.Index(feed[cut:], []byte(endTag))
		if i < 0 {
			t.Fatalf("fewer than %d %s", n, endTag)
		}
		cut += i + len(endTag)
	}
	return append(append([]byte(nil), feed[:cut]...), closing...)
}

func FuzzParseFeed(f *testing.F) {
	// Small real excerpts: the fuzzer mutates and minimizes whole inputs, and
	// a 70 KB seed makes each step slow.
	f.Add(firstEntries(f, fixture.Read(f, "kremlin-en-events-all-2018-01-07.atom.xml"), "</entry>", 2, "</feed>"))
	f.Add(firstEntries(f, fixture.Read(f, "whitehouse-briefings-rss-2026-08-21.xml"), "</item>", 2, "</channel></rss>"))
	f.Add([]byte(`<rss version="2.0"><channel><item><title>a</title><link>/x/1</link></item></channel></rss>`))
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>t</title>`))
	f.Add([]byte(`<html><body>no</body></html>`))
	src := source(f, "fuzz", "http://kremlin.ru/feed", "ru", "kremlin.ru")
	sentinels := []error{ErrNotFeed, ErrMalformed, ErrTruncated, ErrNoItems}
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := ParseAll(src, body, fetchedAt)
		_ = Paging(body, src.URL) // must not panic on anything
		if err != nil {
			known := false
			for _, s := range sentinels {
				known = known || errors.Is(err, s)
			}
			if !known || Reason(err) == "parse_error" || len(res.Items) != 0 {
				t.Fatalf("error %v: not one of the package's, or with %d items", err, len(res.Items))
			}
			if errors.Is(err, ErrNoItems) != (len(res.Invalid) > 0) {
				t.Fatalf("ErrNoItems with %d invalid entries reported", len(res.Invalid))
			}
			return
		}
		for _, it := range res.Items {
			if it.Validate() != "" || it.Source != "fuzz" || it.Publisher != "kremlin.ru" || !it.FetchedAt.Equal(fetchedAt) ||
				it.ContentHash != it.Hash() || it.Tags == nil || (it.ContentType != "text/html" && it.ContentType != "text/plain") {
				t.Fatalf("invalid item %+v", it)
			}
			if it.PublishedAt != "" {
				if _, err := time.Parse(time.RFC3339, it.PublishedAt); err != nil {
					t.Fatalf("published_at %q is not RFC 3339", it.PublishedAt)
				}
			}
			seen := map[string]bool{}
			for _, tag := range it.Tags {
				if tag == "" || seen[tag] {
					t.Fatalf("tags %q: empty or repeated", it.Tags)
				}
				seen[tag] = true
			}
		}
		for _, inv := range res.Invalid {
			if inv.Reason == "" || inv.Reason != inv.Item.Validate() || len(inv.Fingerprint) != 64 {
				t.Fatalf("invalid entry %+v", inv)
			}
		}
		// Parsing is a function of the bytes: the same items, in the same order.
		again, err := ParseAll(src, body, fetchedAt)
		if err != nil || len(again.Items) != len(res.Items) || len(again.Invalid) != len(res.Invalid) {
			t.Fatalf("second parse differs: %v", err)
		}
		for i := range res.Items {
			if again.Items[i].ContentHash != res.Items[i].ContentHash || again.Items[i].Key() != res.Items[i].Key() {
				t.Fatalf("item %d differs between parses", i)
			}
		}
	})
}

// The real Kremlin feed behind a byte-order mark reads as without one, once
// fetch.ToUTF8 has converted it: UTF-8 with a mark and a wrong declaration
// (the mark wins), UTF-16 either way round. A mark used to hide the
// declaration from the converter: the UTF-8 feed was decoded a second time
// as windows-1251, and the UTF-16 ones did not parse at all.
func TestParseFeedBehindByteOrderMark(t *testing.T) {
	src := source(t, "kremlin-en-all", "http://en.kremlin.ru/events/all/feed", "en", "kremlin.ru")
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	want, err := Parse(src, feed, fetchedAt)
	if err != nil || len(want) != 20 {
		t.Fatalf("plain feed: %d items, %v", len(want), err)
	}
	declared := func(enc string) string {
		const decl = `<?xml version="1.0" encoding="UTF-8" ?>`
		if !bytes.HasPrefix(feed, []byte(decl)) {
			t.Fatalf("fixture does not start with %s", decl)
		}
		return `<?xml version="1.0" encoding="` + enc + `" ?>` + string(feed[len(decl):])
	}
	encode16 := func(order unicode.Endianness, s string) []byte {
		b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name, contentType string
		body              []byte
		convert           bool // through fetch.ToUTF8
	}{
		{"utf-8 mark, declared windows-1251", "application/atom+xml", append([]byte("\xef\xbb\xbf"), declared("windows-1251")...), true},
		{"utf-16le mark", "application/atom+xml", encode16(unicode.LittleEndian, declared("utf-16")), true},
		{"utf-16be mark", "application/atom+xml; charset=utf-16", encode16(unicode.BigEndian, declared("utf-16")), true},
		{"utf-8 mark, not converted", "", append([]byte("\xef\xbb\xbf"), feed...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			if tt.convert {
				body, _ = fetch.ToUTF8(body, tt.contentType)
			}
			items, err := Parse(src, body, fetchedAt)
			if err != nil || len(items) != len(want) {
				t.Fatalf("%d items, %v", len(items), err)
			}
			for i := range items {
				if items[i].Title != want[i].Title || items[i].Summary != want[i].Summary || items[i].Hash() != want[i].Hash() {
					t.Fatalf("item %d: %q %q, want %q", i, items[i].Title, items[i].Summary[:min(60, len(items[i].Summary))], want[i].Title)
				}
			}
			if !strings.Contains(items[1].Summary, "side’s initiative") {
				t.Errorf("summary %q", items[1].Summary)
			}
		})
	}
}

// An entry whose link is not a web URL ("javascript:", "data:") is a hostile
// or broken feed's: nothing of it goes out, and it is reported invalid.
func TestParseRefusesNonWebLinks(t *testing.T) {
	src := source(t, "wh", "https://www.whitehouse.gov/news/feed/", "en", "whitehouse.gov")
	body := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>
<item><title>Good</title><link>https://www.whitehouse.gov/briefings-statements/2026/10/a/</link><description>ok</description></item>
<item><title>Script</title><link>javascript:alert(document.cookie)</link><guid isPermaLink="false">p=1</guid><description>x</description></item>
<item><title>Data</title><link>data:text/html;base64,PHNjcmlwdD4=</link><description>x</description></item>
<item><title>Relative</title><link>/briefings-statements/2026/10/b/</link><description>ok</description></item>
</channel></rss>`
	res, err := ParseAll(src, []byte(body), fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 2 || len(res.Invalid) != 2 {
		t.Fatalf("items %d, invalid %d; want 2 and 2", len(res.Items), len(res.Invalid))
	}
	for _, it := range res.Items {
		if !strings.HasPrefix(it.URL, "https://www.whitehouse.gov/") {
			t.Errorf("item URL %q", it.URL)
		}
	}
	for _, inv := range res.Invalid {
		if !strings.Contains(inv.Reason, "not an http(s) URL") {
			t.Errorf("invalid reason %q", inv.Reason)
		}
	}
}
