package feeds

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// Links are the paging links of one feed document (RFC 5005 "paged feeds"):
// the Atom <link rel="..."> children of <feed>, or atom:link children of an
// RSS <channel>. Values are absolute URLs, "" when absent.
type Links struct {
	Self, First, Prev, Next, Last string
}

// maxPagingTokens bounds the XML tokens read before giving up on finding the
// paging links (they come before the first entry).
const maxPagingTokens = 10000

// Paging reads the paging links of a feed document fetched from pageURL and
// resolves them against it. Only links of the feed itself count, not those
// of its entries; reading stops at the first entry.
func Paging(body []byte, pageURL string) Links {
	base, err := url.Parse(pageURL)
	if err != nil {
		base = &url.URL{}
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	// fetch.ToUTF8 has converted the body and its declaration to UTF-8.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var links Links
	var path []string // local names of the open elements
	for range maxPagingTokens {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if name == "entry" || name == "item" {
				return links
			}
			if name == "link" && feedLevel(path) {
				links.set(attr(t, "rel"), attr(t, "href"), base)
			}
			path = append(path, name)
		case xml.EndElement:
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		}
	}
	return links
}

// feedLevel reports whether a child of the element at path belongs to the
// feed itself: <feed> (Atom) or <rss><channel> / <channel> (RSS, RDF).
func feedLevel(path []string) bool {
	switch len(path) {
	case 1:
		return path[0] == "feed" || path[0] == "channel"
	case 2:
		return path[1] == "channel"
	}
	return false
}

func (l *Links) set(rel, href string, base *url.URL) {
	href = strings.TrimSpace(href)
	if href == "" {
		return
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return
	}
	abs := u.String()
	switch strings.ToLower(strings.TrimSpace(rel)) {
	case "self":
		l.Self = abs
	case "first":
		l.First = abs
	case "previous", "prev":
		l.Prev = abs
	case "next":
		l.Next = abs
	case "last":
		l.Last = abs
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// PageNumber returns the page number a paging URL names: the segment after
// /page/ in its path (kremlin.ru: /events/all/feed/page/1390), or its page
// or paged query parameter (WordPress: ?paged=3).
func PageNumber(rawURL string) (int, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return 0, false
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := len(segs) - 2; i >= 0; i-- {
		if segs[i] == "page" {
			if n, err := strconv.Atoi(segs[i+1]); err == nil && n > 0 {
				return n, true
			}
		}
	}
	for _, k := range []string{"page", "paged"} {
		if n, err := strconv.Atoi(u.Query().Get(k)); err == nil && n > 0 {
			return n, true
		}
	}
	return 0, false
}
