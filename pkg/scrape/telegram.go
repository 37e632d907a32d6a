package scrape

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// ErrNoPublicPreview: the channel shows no public preview. t.me answers
// /s/<channel> of such a channel (or of a user, a bot, a private group)
// with a redirect away from /s/, to its plain t.me/<channel> page.
var ErrNoPublicPreview = errors.New("scrape: telegram channel has no public preview")

// TelegramTitleRunes bounds an item's title: the first line of the post,
// cut at a word boundary when it is longer.
const TelegramTitleRunes = 100

// Tags a Telegram item can carry.
const (
	TagForwarded     = "forwarded"       // reposted from elsewhere: not the channel's own words
	TagForwardedFrom = "forwarded_from:" // + the name (or link) of the origin
	TagReply         = "reply"           // answers an earlier post
	TagReplyTo       = "reply_to:"       // + the post it answers, <channel>/<id>
	TagEdited        = "edited"          // the page marks the post edited
)

// TelegramPage is one page of a channel's web preview (t.me/s/<channel>).
type TelegramPage struct {
	// Items are the posts with text, newest first (the page lists them
	// oldest first): guid and external id <channel>/<id>, URL the post's
	// permalink https://t.me/<channel>/<id>, text/plain body.
	Items []model.RawItem
	// Invalid are post blocks without a usable <channel>/<id>.
	Invalid []feeds.Invalid
	// Service counts the service posts skipped (channel created, photo
	// changed, pinned...); NoText the posts skipped for having no text
	// (a photo, video, sticker or poll without a caption).
	Service, NoText int
	// Older is the URL of the next older page (?before=<smallest id>),
	// "" when the page reaches the start of the channel.
	Older string
}

// ParseTelegram reads a page of a channel's web preview fetched from
// pageURL, the URL it was finally served from: a URL off /s/ means t.me
// redirected away from the preview, and fails with ErrNoPublicPreview. A
// document that is no channel preview at all fails with ErrNoItems; a
// preview without posts (or with service posts only) is a valid, empty
// page.
func ParseTelegram(src sources.Source, pageURL string, body []byte, fetchedAt time.Time) (*TelegramPage, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("scrape: page url: %w", err)
	}
	if !strings.HasPrefix(base.Path, "/s/") {
		return nil, fmt.Errorf("%w: served from %s, off /s/ (t.me redirects there when the preview is off, or the name is no public channel)",
			ErrNoPublicPreview, pageURL)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("scrape: %w", err)
	}
	posts := doc.Find("div.tgme_widget_message[data-post]")
	if posts.Length() == 0 && doc.Find("section.tgme_channel_history, .tme_no_messages_found").Length() == 0 {
		return nil, fmt.Errorf("%w (div.tgme_widget_message[data-post]): not a channel preview", ErrNoItems)
	}
	page := &TelegramPage{Older: telegramOlder(doc, base)}
	posts.Each(func(i int, s *goquery.Selection) {
		post, _ := s.Attr("data-post")
		post = strings.TrimSpace(post)
		if !telegramPostRE.MatchString(post) {
			h, _ := goquery.OuterHtml(s)
			sum := sha256.Sum256([]byte(h))
			page.Invalid = append(page.Invalid, feeds.Invalid{Index: i, Fingerprint: hex.EncodeToString(sum[:]),
				Reason: fmt.Sprintf("data-post %q is not <channel>/<id>", post),
				Item:   model.RawItem{Source: src.ID, Publisher: src.Publisher, GUID: post, Lang: src.Lang, FetchedAt: fetchedAt.UTC()}})
			return
		}
		if s.HasClass("service_message") {
			page.Service++
			return
		}
		it, ok := telegramItem(src, post, s, fetchedAt)
		if !ok {
			page.NoText++
			return
		}
		page.Items = append(page.Items, it)
	})
	slices.Reverse(page.Items)
	return page, nil
}

// TelegramOlderPage returns the URL of the page before the one in body,
// fetched from pageURL (see TelegramPage.Older).
func TelegramOlderPage(pageURL string, body []byte) string {
	base, err := url.Parse(pageURL)
	if err != nil {
		return ""
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return ""
	}
	return telegramOlder(doc, base)
}

// TelegramReason returns the dead-letter reason of a ParseTelegram error.
func TelegramReason(err error) string {
	switch {
	case errors.Is(err, ErrNoPublicPreview):
		return "no_public_preview"
	case errors.Is(err, ErrNoItems):
		return "no_items"
	}
	return "listing_unreadable"
}

var telegramPostRE = regexp.MustCompile(`^[A-Za-z0-9_]+/[0-9]+$`)

// telegramOlder finds the link to the older page: the "more" link at the
// top of the history (a.tme_messages_more[data-before]; its data-after twin
// at the bottom goes forward), else <link rel="prev">.
func telegramOlder(doc *goquery.Document, base *url.URL) string {
	more := doc.Find("a.tme_messages_more[data-before]").First()
	if href := strings.TrimSpace(more.AttrOr("href", "")); href != "" {
		if u := resolveHTTP(base, href); u != "" {
			return u
		}
	}
	if before := strings.TrimSpace(more.AttrOr("data-before", "")); before != "" {
		u := *base
		q := url.Values{"before": {before}}
		u.RawQuery, u.Fragment = q.Encode(), ""
		return u.String()
	}
	var older string
	doc.Find("link[rel][href]").EachWithBreak(func(_ int, l *goquery.Selection) bool {
		if strings.EqualFold(strings.TrimSpace(l.AttrOr("rel", "")), "prev") {
			older = resolveHTTP(base, strings.TrimSpace(l.AttrOr("href", "")))
			return false
		}
		return true
	})
	return older
}

func resolveHTTP(base *url.URL, href string) string {
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return u.String()
}

// telegramItem builds the item of a post block; ok is false when the post
// has no text.
func telegramItem(src sources.Source, post string, s *goquery.Selection, fetchedAt time.Time) (model.RawItem, bool) {
	text := telegramText(s)
	if text == "" {
		return model.RawItem{}, false
	}
	permalink := "https://t.me/" + post
	it := model.RawItem{
		Source:      src.ID,
		Publisher:   src.Publisher,
		URL:         permalink,
		GUID:        post,
		ExternalID:  post,
		Lang:        src.Lang,
		Title:       telegramTitle(text),
		PublishedAt: telegramTime(src, s),
		FetchedAt:   fetchedAt.UTC(),
		ContentType: "text/plain",
		Body:        text,
		Tags:        telegramTags(s),
	}
	if src.ExternalIDPattern != "" {
		it.ExternalID = src.ExternalID(permalink)
	}
	it.ContentHash = it.Hash()
	return it, true
}

// telegramText is the post's text: the innermost div.tgme_widget_message_text
// (an album's caption can sit in one nested in another), not the quote of
// the post a reply answers nor a link preview's description.
func telegramText(s *goquery.Selection) string {
	div := s.Find("div.tgme_widget_message_text").FilterFunction(func(_ int, d *goquery.Selection) bool {
		return d.Find("div.tgme_widget_message_text").Length() == 0 &&
			d.Closest(".tgme_widget_message_reply, .tgme_widget_message_link_preview").Length() == 0
	}).First()
	if div.Length() == 0 {
		return ""
	}
	var b strings.Builder
	for _, n := range div.Nodes {
		writeText(&b, n)
	}
	return tidyLines(b.String())
}

var blockTags = map[string]bool{"div": true, "p": true, "blockquote": true, "pre": true, "li": true}

// writeText writes the text of n as a browser lays it out in lines: <br>
// and block elements break lines, other whitespace is a space.
func writeText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		// Source newlines are whitespace like any other.
		b.WriteString(strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return ' '
			}
			return r
		}, n.Data))
		return
	case html.ElementNode:
		switch n.Data {
		case "br":
			b.WriteString("\n")
			return
		case "script", "style":
			return
		}
	}
	block := n.Type == html.ElementNode && blockTags[n.Data]
	if block {
		b.WriteString("\n")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		writeText(b, c)
	}
	if block {
		b.WriteString("\n")
	}
}

// tidyLines collapses the whitespace of every line (source newlines
// included: only <br> and blocks break lines) and keeps at most one empty
// line between paragraphs.
func tidyLines(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		line = collapse(line)
		if line == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// telegramTitle is the first line of text, cut at a word boundary to at
// most TelegramTitleRunes runes (and an ellipsis) when longer.
func telegramTitle(text string) string {
	line, _, _ := strings.Cut(text, "\n")
	if utf8.RuneCountInString(line) <= TelegramTitleRunes {
		return line
	}
	r := []rune(line)[:TelegramTitleRunes]
	cut := string(r)
	if i := strings.LastIndexFunc(cut, func(c rune) bool { return c == ' ' }); i > TelegramTitleRunes/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:-–—") + "…"
}

// telegramTime is the post's time as published (RFC 3339 with the page's
// offset), "" when the page shows none.
func telegramTime(src sources.Source, s *goquery.Selection) string {
	t := s.Find("a.tgme_widget_message_date time[datetime]").First()
	if t.Length() == 0 {
		return ""
	}
	v := strings.TrimSpace(t.AttrOr("datetime", ""))
	if _, err := time.Parse(time.RFC3339, v); err == nil {
		return v
	}
	if ts, ok := parseTime(v, "", src.Location()); ok {
		return ts.Format(time.RFC3339)
	}
	return ""
}

// telegramTags marks forwarded posts, replies and edited posts.
func telegramTags(s *goquery.Selection) []string {
	tags := []string{}
	if fwd := s.Find(".tgme_widget_message_forwarded_from_name").First(); fwd.Length() > 0 ||
		s.Find(".tgme_widget_message_forwarded_from").Length() > 0 {
		tags = append(tags, TagForwarded)
		from := collapse(fwd.Text())
		if from == "" {
			from = strings.TrimSpace(fwd.AttrOr("href", ""))
		}
		if from != "" {
			tags = append(tags, TagForwardedFrom+from)
		}
	}
	if reply := s.Find("a.tgme_widget_message_reply").First(); reply.Length() > 0 {
		tags = append(tags, TagReply)
		if u, err := url.Parse(reply.AttrOr("href", "")); err == nil {
			if p := strings.Trim(u.Path, "/"); telegramPostRE.MatchString(p) {
				tags = append(tags, TagReplyTo+p)
			}
		}
	}
	if telegramEdited(s) {
		tags = append(tags, TagEdited)
	}
	return tags
}

// telegramEdited reports whether the page marks the post edited: "edited"
// in its meta line (before the date link, after a signature), or an
// explicit .tgme_widget_message_edited.
func telegramEdited(s *goquery.Selection) bool {
	if s.Find(".tgme_widget_message_edited").Length() > 0 {
		return true
	}
	meta := s.Find(".tgme_widget_message_meta").First().Clone()
	meta.Find("a.tgme_widget_message_date, .tgme_widget_message_from_author").Remove()
	for _, w := range strings.FieldsFunc(strings.ToLower(meta.Text()), func(r rune) bool { return r == ',' || r == ' ' || r == '\u00a0' }) {
		if w == "edited" {
			return true
		}
	}
	return false
}
