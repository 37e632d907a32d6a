package normalize

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/readout/readout/pkg/publishers"
)

// CanonicalURL returns the canonical form of an http(s) URL: https scheme,
// lowercase host without "www."/"m." prefixes, a trailing dot or default port
// (an archive host such as bidenwhitehouse.archives.gov becomes the host it
// archives, whitehouse.gov), no user info or fragment, no trailing slash (the
// root path is "/"), tracking parameters (utm_*, fbclid, gclid, yclid, ref,
// ...) removed and the remaining query parameters sorted. A URL without a scheme ("kremlin.ru/d/56626") is
// taken as https. It returns the input unchanged with an error wrapping
// ErrBadURL when the input is not an absolute http(s) URL.
func CanonicalURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return raw, fmt.Errorf("%w: empty", ErrBadURL)
	}
	if strings.HasPrefix(s, "//") {
		s = "https:" + s
	} else if !strings.Contains(s, "://") && looksLikeHost(s) {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return raw, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return raw, fmt.Errorf("%w: scheme %q in %q", ErrBadURL, u.Scheme, raw)
	}
	host := strings.ToLower(u.Hostname())
	if strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return raw, fmt.Errorf("%w: bad host in %q", ErrBadURL, raw)
	}
	host = publishers.Default().Canonical(publishers.StripAlias(strings.TrimSuffix(host, ".")))
	if host == "" || strings.ContainsAny(host, " /\\@") {
		return raw, fmt.Errorf("%w: no host in %q", ErrBadURL, raw)
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	// Re-encode the path so that equivalent spellings ("%d0%9f", "%D0%9F",
	// "П"; "%7E", "~") agree; keep the raw form only where it encodes a "/".
	path := u.EscapedPath()
	if !strings.Contains(strings.ToLower(u.RawPath), "%2f") {
		path = (&url.URL{Path: u.Path}).EscapedPath()
	}
	path = strings.TrimRight(path, "/")
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString("https://")
	b.WriteString(host)
	b.WriteString(path)
	if q := canonicalQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

// looksLikeHost reports whether a scheme-less string starts with a host name
// ("kremlin.ru/d/1", "www.whitehouse.gov").
func looksLikeHost(s string) bool {
	h := s
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if i := strings.IndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	if !strings.Contains(h, ".") || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") {
		return false
	}
	for _, r := range h {
		if !(r == '.' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// trackingParams are query parameters that identify a campaign or a click,
// never the resource.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"yclid": true, "ysclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"_ga": true, "_gl": true, "igshid": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
	"oly_anon_id": true, "oly_enc_id": true, "vero_id": true, "wickedid": true, "twclid": true,
	"ttclid": true, "li_fat_id": true, "s_cid": true, "cmpid": true, "at_medium": true, "at_campaign": true,
	// referrer and placement markers
	"ref": true, "ref_src": true, "ref_url": true, "referrer": true, "icid": true, "ncid": true, "ocid": true,
	"smid": true, "sr_share": true, "spm": true, "_openstat": true, "rb_clickid": true, "wt.mc_id": true,
	"__twitter_impression": true, "mbid": true, "cmp": true,
}

func isTracking(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, "utm_") || trackingParams[k]
}

// canonicalQuery drops empty and tracking parameters and sorts the rest by
// key then value, keeping their original encoding.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' })
	kept := parts[:0]
	for _, p := range parts {
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if key == "" || isTracking(key) {
			continue
		}
		kept = append(kept, strings.ReplaceAll(p, " ", "%20"))
	}
	slices.Sort(kept)
	return strings.Join(kept, "&")
}

// KremlinID returns the numeric material id of a kremlin.ru or en.kremlin.ru
// item URL ("http://en.kremlin.ru/events/president/news/56626" and
// "kremlin.ru/d/56626" both give "56626"), or "" for any other URL. The id
// is shared by the Russian and English versions of an item. Only sections
// numbered in the one material sequence count: /events/..., the /d/ short
// links, /misc/ and /acts/news/ (their ids interleave with the events' ids in
// the feeds); /acts/bank/ (legal acts), other sections and other hosts such
// as archive.kremlin.ru number their items apart.
func KremlinID(rawURL string) string {
	s := strings.TrimSpace(rawURL)
	if !strings.Contains(s, "://") && !strings.HasPrefix(s, "//") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	if h := publishers.StripAlias(strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")); h != "kremlin.ru" && h != "en.kremlin.ru" {
		return "" // archive.kremlin.ru and other subdomains number their items apart
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 2 {
		return ""
	}
	id := segs[len(segs)-1]
	if !isDigits(id) || len(id) > 12 || segs[len(segs)-2] == "page" {
		return ""
	}
	switch segs[0] {
	case "d", "events", "misc":
		return id
	case "acts":
		if len(segs) == 3 && segs[1] == "news" {
			return id
		}
	}
	return ""
}
