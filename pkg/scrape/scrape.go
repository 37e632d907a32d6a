package scrape

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/publishers"
	"github.com/readout/readout/pkg/sources"
)

// Errors callers branch on.
var (
	ErrNoSelectors = errors.New("scrape: source has no selectors")
	ErrNoItems     = errors.New("scrape: listing selector matched no items")
	ErrNoContent   = errors.New("scrape: article has neither title nor body")
)

// ListingItem is one entry of a listing page.
type ListingItem struct {
	URL   string    // absolute
	Title string    // link text
	Time  time.Time // zero when the page shows none
}

// Listing extracts the entries of a listing page fetched from pageURL.
// Links are resolved against pageURL and then re-based on the source's main
// URL scheme and host when they point at one of the source's own hosts, so
// that the same item has the same URL whichever mirror served it.
func Listing(src sources.Source, pageURL string, body []byte) ([]ListingItem, error) {
	sel := src.Selectors
	if sel == nil || sel.Item == "" || sel.Link == "" {
		return nil, ErrNoSelectors
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("scrape: %w", err)
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("scrape: page url: %w", err)
	}
	var items []ListingItem
	seen := map[string]bool{}
	doc.Find(sel.Item).Each(func(_ int, s *goquery.Selection) {
		a := s.Find(sel.Link).First()
		href, ok := a.Attr("href")
		if !ok || strings.TrimSpace(href) == "" {
			return
		}
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		link := Canonical(src, u.String())
		if seen[link] {
			return
		}
		seen[link] = true
		it := ListingItem{URL: link, Title: collapse(a.Text())}
		if sel.ItemTime != "" {
			if t := s.Find(sel.ItemTime).First(); t.Length() > 0 {
				it.Time, _ = parseTime(timeValue(t), "", src.Location())
			}
		}
		items = append(items, it)
	})
	if len(items) == 0 {
		return nil, fmt.Errorf("%w (%s)", ErrNoItems, sel.Item)
	}
	return items, nil
}

// Canonical rewrites a URL on one of src's mirror hosts (URL, fallbacks) to
// the scheme and host of src.URL.
func Canonical(src sources.Source, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	main, err := url.Parse(src.URL)
	if err != nil {
		return raw
	}
	for _, m := range src.URLs() {
		mu, err := url.Parse(m)
		if err == nil && strings.EqualFold(mu.Host, u.Host) {
			u.Scheme, u.Host = main.Scheme, main.Host
			return u.String()
		}
	}
	return raw
}

// Article is what an article page says about an item.
type Article struct {
	Title       string
	PublishedAt string   // RFC 3339 in the publisher's zone, "" when absent
	Lead        string   // text
	Body        string   // HTML of the body container(s), stripped
	Tags        []string // every tag (geography, topics, persons)
	Topics      []string // the topics among them
	Persons     []string // the persons among them
	ExternalID  string
}

// ParseArticle reads an article page with src's selectors, else those of
// its publisher in the registry.
func ParseArticle(src sources.Source, pageURL string, body []byte) (*Article, error) {
	sel := src.Selectors
	if sel == nil || (sel.Title == "" && sel.Body == "") {
		p, ok := publishers.Default().Lookup(src.Publisher)
		if !ok || p.Selectors == nil || (p.Selectors.Title == "" && p.Selectors.Body == "") {
			return nil, ErrNoSelectors
		}
		sel = p.Selectors
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("scrape: %w", err)
	}
	for _, s := range sel.Strip {
		doc.Find(s).Remove()
	}
	a := &Article{}
	if sel.Title != "" {
		a.Title = collapse(doc.Find(sel.Title).First().Text())
	}
	if sel.Lead != "" {
		a.Lead = collapse(doc.Find(sel.Lead).First().Text())
	}
	if sel.Body != "" {
		var parts []string
		doc.Find(sel.Body).Each(func(_ int, s *goquery.Selection) {
			if h, err := s.Html(); err == nil && strings.TrimSpace(h) != "" {
				parts = append(parts, strings.TrimSpace(h))
			}
		})
		a.Body = strings.Join(parts, "\n")
	}
	if a.Title == "" && a.Body == "" {
		return nil, ErrNoContent
	}
	if sel.Time != "" {
		if t := doc.Find(sel.Time).First(); t.Length() > 0 {
			clock := ""
			if sel.Clock != "" {
				clock = collapse(doc.Find(sel.Clock).First().Text())
			}
			if ts, ok := parseTime(timeValue(t), clock, src.Location()); ok {
				a.PublishedAt = ts.Format(time.RFC3339)
			}
		}
	}
	a.Tags = texts(doc, sel.Tags)
	a.Topics = texts(doc, sel.Topics)
	a.Persons = texts(doc, sel.Persons)
	if sel.ID != "" {
		a.ExternalID = src.ExternalID(collapse(doc.Find(sel.ID).First().Text()))
	}
	if a.ExternalID == "" {
		a.ExternalID = src.ExternalID(pageURL)
	}
	return a, nil
}

// Apply enriches a raw item with the page: the page's body replaces a
// partial one, its metadata fills what the feed lacked.
func (a *Article) Apply(it *model.RawItem) {
	if a.Body != "" {
		if it.Summary == "" && it.Body != "" && it.Body != a.Body {
			it.Summary = it.Body
		}
		it.Body = a.Body
		it.ContentType = "text/html"
	}
	if it.Summary == "" || it.Summary == it.Body {
		it.Summary = a.Lead
	}
	if it.Title == "" {
		it.Title = a.Title
	}
	if it.PublishedAt == "" {
		it.PublishedAt = a.PublishedAt
	}
	if it.ExternalID == "" {
		it.ExternalID = a.ExternalID
	}
	it.Tags = merge(it.Tags, a.Tags)
	it.Topics = mergeOptional(it.Topics, a.Topics)
	it.Persons = mergeOptional(it.Persons, a.Persons)
}

// Item builds a raw item from an article page alone (HTML sources, backfill).
func (a *Article) Item(src sources.Source, pageURL string, fetchedAt time.Time) model.RawItem {
	it := model.RawItem{
		Source:      src.ID,
		Publisher:   src.Publisher,
		URL:         pageURL,
		GUID:        pageURL,
		Lang:        src.Lang,
		FetchedAt:   fetchedAt.UTC(),
		ContentType: "text/html",
		Tags:        []string{},
	}
	a.Apply(&it)
	it.ContentHash = it.Hash()
	return it
}

func texts(doc *goquery.Document, sel string) []string {
	if sel == "" {
		return nil
	}
	var out []string
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		out = append(out, collapse(s.Text()))
	})
	return merge(nil, out)
}

func merge(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	seen := map[string]bool{}
	for _, s := range append(append([]string{}, a...), b...) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// mergeOptional is merge for an omitempty field: nil when both are empty.
func mergeOptional(a, b []string) []string {
	if out := merge(a, b); len(out) > 0 {
		return out
	}
	return nil
}

func timeValue(s *goquery.Selection) string {
	if v, ok := s.Attr("datetime"); ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return collapse(s.Text())
}

var clockRE = regexp.MustCompile(`(\d{1,2}):(\d{2})`)

var ruMonths = strings.NewReplacer(
	"января", "January", "февраля", "February", "марта", "March", "апреля", "April",
	"мая", "May", "июня", "June", "июля", "July", "августа", "August",
	"сентября", "September", "октября", "October", "ноября", "November", "декабря", "December",
	" года", "", " г.", "",
)

// parseTime reads a full timestamp, or a date joined with a wall-clock time
// in loc. ok is false when nothing parses.
func parseTime(v, clock string, loc *time.Location) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	day := collapse(ruMonths.Replace(v))
	var d time.Time
	var ok bool
	for _, layout := range []string{"2006-01-02", "January 2, 2006", "2 January 2006", "Jan 2, 2006", "02.01.2006"} {
		if t, err := time.ParseInLocation(layout, day, loc); err == nil {
			d, ok = t, true
			break
		}
	}
	if !ok {
		return time.Time{}, false
	}
	if m := clockRE.FindStringSubmatch(clock); m != nil {
		var h, mi int
		fmt.Sscanf(m[1]+" "+m[2], "%d %d", &h, &mi)
		if h < 24 && mi < 60 {
			d = time.Date(d.Year(), d.Month(), d.Day(), h, mi, 0, 0, loc)
		}
	}
	return d, true
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
