package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/publishers"
)

// MaxItemBytes is the largest title+body+summary Statement accepts (5 MiB);
// larger items are refused with ErrTooLarge.
const MaxItemBytes = 5 << 20

// Errors for items that cannot become a statement. The processor sends such
// items to the dead-letter topic with the error as reason; use errors.Is.
var (
	ErrNilItem  = errors.New("normalize: nil item")
	ErrEmpty    = errors.New("normalize: empty title and text")
	ErrTooLarge = errors.New("normalize: item too large")
	ErrBadTime  = errors.New("normalize: no valid publication time")
	ErrBadURL   = errors.New("normalize: invalid URL")
	ErrNoID     = errors.New("normalize: item has neither URL nor GUID")
)

// Statement builds a normalized statement from a raw item: clean title and
// text, language, UTC publication time, the URL as published and its
// canonical form, and a stable id (publisher + external id, else the
// canonical URL). README.md lists how each field is made. It fails with
// ErrTooLarge, ErrEmpty, ErrNoID, ErrBadURL or ErrBadTime.
func Statement(item *model.RawItem) (model.Statement, error) {
	if item == nil {
		return model.Statement{}, ErrNilItem
	}
	if n := len(item.Title) + len(item.Body) + len(item.Summary); n > MaxItemBytes {
		return model.Statement{}, fmt.Errorf("%w: %d bytes (limit %d)", ErrTooLarge, n, MaxItemBytes)
	}
	if strings.TrimSpace(item.URL) == "" && strings.TrimSpace(item.GUID) == "" {
		return model.Statement{}, ErrNoID
	}

	asPublished := strings.TrimSpace(item.URL)
	canon, err := CanonicalURL(item.URL)
	if err != nil {
		if c, gerr := CanonicalURL(item.GUID); gerr == nil {
			canon, err, asPublished = c, nil, strings.TrimSpace(item.GUID)
		} else if strings.TrimSpace(item.URL) != "" {
			// A URL that is not http(s) ("javascript:", "data:") never
			// reaches a consumer: the item is refused, not passed on.
			return model.Statement{}, err
		} else {
			canon, asPublished = "", ""
		}
	}
	host := ""
	if err == nil {
		host = publishers.Host(canon)
	}
	kind := kindOf(item.Publisher)
	if !kind.known && host != "" {
		kind = kindOf(host)
	}

	ext := strings.TrimSpace(item.ExternalID)
	kremlinID := ""
	if kind.rules == publishers.RulesKremlin {
		// The id in the URL is authoritative: the crawler's external id comes
		// from a pattern that also matches other id spaces (/acts/bank/...),
		// so it is used only when it agrees with the URL.
		kremlinID = KremlinID(canon)
		if kremlinID == "" && err != nil {
			kremlinID = KremlinID(item.GUID)
		}
		ext = kremlinID
	}
	var id string
	switch {
	case ext != "" && host != "":
		id = host + "/" + ext
	case err == nil:
		id = canon
	case ext != "" && item.Publisher != "":
		id = publishers.Host(item.Publisher) + "/" + ext
	default:
		id = item.Key()
	}
	if canon == "" {
		canon = strings.TrimSpace(item.GUID)
	}

	title := cleanTitle(item.Title)
	text := bodyText(item.ContentType, item.Body)
	if text == "" && item.Summary != "" {
		text = bodyText("", item.Summary)
	}
	switch kind.rules {
	case publishers.RulesKremlin:
		text = dropKremlinTooltips(stripKremlinTrailer(text))
	case publishers.RulesWhiteHouse:
		text = stripWhiteHouseChrome(text)
	}
	if title == "" && text == "" {
		return model.Statement{}, ErrEmpty
	}

	published, err := publishedTime(kind, item)
	if err != nil {
		return model.Statement{}, err
	}

	lang := detectLang(title, text)
	declared := declaredLang(item.Lang)
	if lang == "" {
		lang = declared
	}

	publisher := strings.TrimSpace(item.Publisher)
	if publisher == "" {
		publisher = host
	}
	st := model.Statement{
		ID:           id,
		ItemKey:      item.Key(),
		Source:       item.Source,
		Publisher:    publisher,
		URL:          citable(asPublished, canon),
		CanonicalURL: canon,
		Lang:         lang,
		DeclaredLang: declared,
		Title:        title,
		Text:         text,
		PublishedAt:  published,
		FetchedAt:    item.FetchedAt.UTC(),
		ContentHash:  hashNormalized(title, text),
		Tags:         cleanTags(item.Tags),
	}
	if kremlinID != "" {
		st.TranslationKey = "kremlin.ru/d/" + kremlinID
	}
	return st, nil
}

// citable is the URL to cite: the one published, which canonicalised, when
// it names its scheme; canon for one that does not ("kremlin.ru/d/1",
// "//kremlin.ru/d/1"), which no reader could follow.
func citable(published, canon string) string {
	if published == "" {
		return ""
	}
	u, err := url.Parse(published)
	if err != nil || !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https") {
		return canon
	}
	return published
}

// publishedTime is the item's publication time: published_at, else
// updated_at, else fetched_at. A time that was read but is out of range is
// an error naming its field, never replaced by the next one.
func publishedTime(kind publisherKind, item *model.RawItem) (time.Time, error) {
	t, err := parsePublished(kind, item.PublishedAt)
	if err == nil {
		return t.UTC(), nil
	}
	if errors.Is(err, errImplausible) {
		return time.Time{}, fmt.Errorf("published_at: %w", err)
	}
	t, uerr := parsePublished(kind, item.UpdatedAt)
	switch {
	case uerr == nil:
		return t.UTC(), nil
	case errors.Is(uerr, errImplausible):
		return time.Time{}, fmt.Errorf("updated_at: %w", uerr)
	}
	if !item.FetchedAt.IsZero() {
		return item.FetchedAt.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("published_at %q: %w", item.PublishedAt, err)
}

// declaredLang reduces a declared language tag to its primary subtag: "en-US" → "en".
func declaredLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	return l
}

// cleanTitle cleans a title to one line, decoding entities and markup a feed
// left in it.
func cleanTitle(s string) string {
	if looksHTML(s) {
		return strings.ReplaceAll(HTMLToText(s), "\n\n", " ")
	}
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return cleanLine(s)
}

// bodyText converts a body by its content type, sniffing when none is given.
func bodyText(contentType, body string) string {
	if body == "" {
		return ""
	}
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "html") || strings.Contains(ct, "xml"):
		return HTMLToText(body)
	case strings.HasPrefix(ct, "text/"):
		return Text(body)
	case looksHTML(body):
		return HTMLToText(body)
	}
	return Text(body)
}

// looksHTML reports whether s contains something like a tag: "<" followed by
// a letter, "/" or "!", and a later ">".
func looksHTML(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		c := s[i+1]
		if c == '/' || c == '!' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return strings.IndexByte(s[i:], '>') >= 0
		}
	}
	return false
}

// Limits on the tags kept per statement: a feed may attach any number of
// categories, and a hostile or broken one millions; the statement keeps the
// first MaxTags distinct tags, each cut to MaxTagBytes.
const (
	MaxTags     = 256
	MaxTagBytes = 256
)

// cleanTags trims and collapses each tag, cuts it to MaxTagBytes (on a rune
// boundary), drops empty and repeated ones and keeps the first MaxTags, in
// source order. Linear in the input: a set, not a scan, finds repeats.
func cleanTags(tags []string) []string {
	out := make([]string, 0, min(len(tags), MaxTags))
	seen := make(map[string]struct{}, min(len(tags), MaxTags))
	for _, t := range tags {
		if len(out) == MaxTags {
			break
		}
		// Cutting before cleaning bounds the work on a huge tag.
		t = truncateUTF8(cleanLine(truncateUTF8(t, 4*MaxTagBytes)), MaxTagBytes)
		if t == "" {
			continue
		}
		if _, dup := seen[t]; dup {
			continue
		}
		seen[t] = struct{}{}
		out = append(out, t)
	}
	return out
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune, and trims
// the space a cut may leave at the end.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimSpace(s[:n])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ContentHash is the hex SHA-256 of the normalized title and text, with all
// whitespace (paragraph breaks included) reduced to single spaces, so that
// whitespace-only and markup-only changes do not count as edits.
func ContentHash(title, text string) string {
	return hashNormalized(cleanLine(title), Text(text))
}

// hashNormalized hashes already-cleaned title and text.
func hashNormalized(title, text string) string {
	// The bytes are put together in a pooled buffer and hashed at once:
	// passing a string to hash.Hash.Write allocates a copy of it.
	bp := hashBufs.Get().(*[]byte)
	b := append((*bp)[:0], title...)
	b = append(b, 0)
	for {
		i := strings.Index(text, "\n\n")
		if i < 0 {
			break
		}
		b = append(b, text[:i]...)
		b = append(b, ' ')
		text = text[i+2:]
	}
	b = append(b, text...)
	sum := sha256.Sum256(b)
	if cap(b) <= maxPooledHashBuf {
		*bp = b
		hashBufs.Put(bp)
	}
	return hex.EncodeToString(sum[:])
}

// hashBufs are the buffers of hashNormalized; those over maxPooledHashBuf
// (a huge statement's) are left to the garbage collector.
var hashBufs = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledHashBuf = 64 << 10
