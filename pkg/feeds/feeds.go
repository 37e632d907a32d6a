package feeds

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// Errors callers branch on (also the dead-letter reasons, see Reason).
var (
	ErrNotFeed   = errors.New("feeds: not a feed")     // HTML, empty body, unknown format
	ErrMalformed = errors.New("feeds: malformed feed") // a feed that does not parse
	ErrTruncated = errors.New("feeds: truncated feed") // the document ends before its root closes
	ErrNoItems   = errors.New("feeds: feed has no usable items")
)

// Reason returns a short machine-readable reason for a Parse error.
func Reason(err error) string {
	switch {
	case errors.Is(err, ErrNotFeed):
		return "not_a_feed"
	case errors.Is(err, ErrTruncated):
		return "truncated_feed"
	case errors.Is(err, ErrMalformed):
		return "malformed_feed"
	case errors.Is(err, ErrNoItems):
		return "no_items"
	}
	return "parse_error"
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Parse parses body (UTF-8, as returned by fetch) for src and returns its
// valid items; see ParseAll for the items it skips.
func Parse(src sources.Source, body []byte, fetchedAt time.Time) ([]model.RawItem, error) {
	res, err := ParseAll(src, body, fetchedAt)
	return res.Items, err
}

// Result is a parsed feed: the valid items, in feed order, and the entries
// that could not become items.
type Result struct {
	Items   []model.RawItem
	Invalid []Invalid
}

// Invalid is a feed entry that cannot become an item (model.RawItem.Validate
// fails): no URL and no guid, or neither a title nor a body.
type Invalid struct {
	Index  int    // position among the feed's entries, from 0
	Reason string // model.RawItem.Validate
	// Fingerprint identifies the entry across polls (sha256 of what it
	// carries), so that it is reported once while the feed keeps it.
	Fingerprint string
	Item        model.RawItem // what could be read of it
}

// ParseAll parses body (UTF-8, as returned by fetch) for src. Entries that
// cannot become items are returned in Result.Invalid, never dropped silently;
// if every entry is invalid ParseAll fails with ErrNoItems (and still returns
// them). A feed with zero entries is valid and yields none.
func ParseAll(src sources.Source, body []byte, fetchedAt time.Time) (Result, error) {
	// fetch.ToUTF8 drops a byte-order mark; a body that did not go through
	// it may still start with one.
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, utf8BOM))
	if len(trimmed) == 0 {
		return Result{}, fmt.Errorf("%w: empty body", ErrNotFeed)
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(trimmed))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return Result{}, fmt.Errorf("%w: %s", ErrNotFeed, sniffKind(trimmed))
		}
		if truncated(trimmed) {
			return Result{}, fmt.Errorf("%w: %v", ErrTruncated, err)
		}
		return Result{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if feed.FeedType == "json" && !strings.Contains(feed.FeedVersion, "jsonfeed") {
		return Result{}, fmt.Errorf("%w: JSON without a JSON Feed version", ErrNotFeed)
	}
	// The XML parser is lenient: a document cut after a complete entry can
	// parse. A feed must end with its root element.
	if trimmed[0] == '<' && truncated(trimmed) {
		return Result{}, fmt.Errorf("%w: document does not end with </%s>", ErrTruncated, rootName(feed))
	}
	fetchedAt = fetchedAt.UTC()
	base, _ := url.Parse(src.URL)
	res := Result{Items: make([]model.RawItem, 0, len(feed.Items))}
	for i, it := range feed.Items {
		if it == nil {
			continue
		}
		raw := convert(src, feed, it, base, fetchedAt)
		if bad := unsafeLink(it.Link, base); bad != "" {
			// "javascript:alert(...)": a hostile or broken feed; nothing of
			// the entry goes out.
			res.Invalid = append(res.Invalid, Invalid{Index: i, Reason: "link is not an http(s) URL: " + bad, Fingerprint: fingerprint(it), Item: raw})
			continue
		}
		if reason := raw.Validate(); reason != "" {
			res.Invalid = append(res.Invalid, Invalid{Index: i, Reason: reason, Fingerprint: fingerprint(it), Item: raw})
			continue
		}
		res.Items = append(res.Items, raw)
	}
	if len(res.Items) == 0 && len(res.Invalid) > 0 {
		return res, fmt.Errorf("%w: %d items, none with an id and a title or body", ErrNoItems, len(res.Invalid))
	}
	return res, nil
}

// fingerprint hashes what an entry carries, as parsed.
func fingerprint(it *gofeed.Item) string {
	h := sha256.New()
	for _, s := range []string{it.GUID, it.Link, it.Title, it.Published, it.Updated, it.Description, it.Content} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Partial reports whether a parsed item carries only a summary (or nothing)
// rather than the full text: Parse sets Summary == Body in that case.
func Partial(it *model.RawItem) bool {
	return strings.TrimSpace(it.Body) == "" || it.Body == it.Summary
}

func convert(src sources.Source, feed *gofeed.Feed, it *gofeed.Item, base *url.URL, fetchedAt time.Time) model.RawItem {
	link := strings.TrimSpace(it.Link)
	guid := strings.TrimSpace(it.GUID)
	if link == "" && looksLikeURL(guid) {
		link = guid
	}
	if link != "" && base != nil {
		if u, err := base.Parse(link); err == nil {
			link = u.String()
		}
	}
	if guid == "" {
		guid = link
	}
	content := strings.TrimSpace(it.Content)
	desc := strings.TrimSpace(it.Description)
	body, summary := content, desc
	if content == "" {
		body, summary = desc, desc
	} else if desc == content {
		summary = ""
	}
	lang := src.Lang
	if lang == "" {
		lang = strings.TrimSpace(feed.Language)
	}
	raw := model.RawItem{
		Source:      src.ID,
		Publisher:   src.Publisher,
		URL:         link,
		GUID:        guid,
		ExternalID:  src.ExternalID(firstNonEmpty(link, guid)),
		Lang:        lang,
		Title:       collapse(it.Title),
		PublishedAt: timeAsPublished(it.Published, it.PublishedParsed),
		UpdatedAt:   timeAsPublished(it.Updated, it.UpdatedParsed),
		FetchedAt:   fetchedAt,
		ContentType: contentType(body),
		Body:        body,
		Summary:     summary,
		Tags:        tags(it.Categories),
	}
	if raw.PublishedAt == "" {
		raw.PublishedAt = raw.UpdatedAt
	}
	raw.ContentHash = raw.Hash()
	return raw
}

// timeAsPublished keeps an RFC 3339 value verbatim and renders any other
// parsed format as RFC 3339 with the offset it was published with.
func timeAsPublished(s string, parsed *time.Time) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return s
	}
	// gofeed converts parsed times to UTC; reparse to keep the offset.
	for _, layout := range publishedLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	if parsed != nil {
		return parsed.Format(time.RFC3339)
	}
	return ""
}

var publishedLayouts = []string{
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700",
	time.RFC822Z, "Mon, 2 Jan 2006 15:04 -0700", "2006-01-02T15:04:05-0700", "2006-01-02T15:04:05.999999999Z07:00",
}

func contentType(body string) string {
	if strings.ContainsAny(body, "<>") || strings.Contains(body, "&") {
		return "text/html"
	}
	return "text/plain"
}

func tags(cats []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, c := range cats {
		c = collapse(c)
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// unsafeLink returns the scheme of an entry's link when, resolved against
// the feed's URL, it is not http or https; "" for an empty or web link.
func unsafeLink(link string, base *url.URL) string {
	link = strings.TrimSpace(link)
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return "unparsable"
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "":
		return ""
	}
	return u.Scheme
}

func looksLikeURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func sniffKind(b []byte) string {
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	switch {
	case strings.Contains(head, "<!doctype html") || strings.Contains(head, "<html"):
		return "got an HTML page"
	case b[0] == '<':
		return "XML of an unknown kind"
	}
	return "unrecognized content"
}

// truncated reports whether an XML document does not end with a closing tag
// of a feed root element.
func truncated(b []byte) bool {
	if b[0] != '<' {
		return false
	}
	tail := bytes.ToLower(b[max(0, len(b)-64):])
	for _, end := range []string{"</feed>", "</rss>", "</rdf:rdf>"} {
		if bytes.HasSuffix(tail, []byte(end)) {
			return false
		}
	}
	return true
}

func rootName(f *gofeed.Feed) string {
	if f != nil && f.FeedType == "atom" {
		return "feed"
	}
	return "rss"
}
