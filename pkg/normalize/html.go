package normalize

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// HTMLToText converts an HTML fragment or page to clean text. Block elements
// (p, div, li, headings, br, blockquote, tr, ...) end paragraphs, which come
// out separated by "\n\n". Non-content elements (script, style, nav, header,
// footer, form, iframe, noscript, svg, buttons, ...) and elements marked as
// hidden, tooltips, share or social widgets, or Kremlin tag blocks are dropped.
// Kremlin person tooltips (a span or div after the name inside a link to a
// /catalog/persons/ page) are dropped so names do not appear twice. Entities
// are decoded and the result goes through the same cleaning as Text. The
// output is valid UTF-8.
func HTMLToText(src string) string {
	if strings.IndexByte(src, '<') < 0 && strings.IndexByte(src, '&') < 0 {
		return clean(src)
	}
	var w htmlWalker
	w.buf = make([]byte, 0, len(src))
	w.walk(src)
	return clean(string(w.buf))
}

var paraBytes = []byte(string(paraMark))

type htmlWalker struct {
	buf []byte

	// Dropped element being skipped: its name and nesting depth of that name.
	skipTag   string
	skipDepth int
	skipLink  bool // the skip started inside a link and ends with it too

	inLink      bool // inside a link to a person page (personLinkPath)
	linkHasText bool
}

func (w *htmlWalker) para() {
	if len(w.buf) > 0 && !bytes.HasSuffix(w.buf, paraBytes) {
		w.buf = append(w.buf, paraBytes...)
	}
}

func (w *htmlWalker) walk(src string) {
	z := html.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			if w.skipDepth > 0 {
				continue
			}
			t := z.Text()
			if w.inLink && !w.linkHasText && len(bytes.TrimSpace(t)) > 0 {
				w.linkHasText = true
			}
			w.buf = append(w.buf, t...)
		case html.StartTagToken, html.SelfClosingTagToken:
			w.start(z, tagName(z.Raw()), tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			w.end(tagName(z.Raw()))
		}
	}
}

func (w *htmlWalker) start(z *html.Tokenizer, name string, selfClosing bool) {
	void := isVoid(name)
	if w.skipDepth > 0 && w.skipTag == "head" && name == "body" {
		w.skipDepth = 0 // </head> is optional
	}
	if w.skipDepth > 0 {
		if name == w.skipTag && !void && !selfClosing {
			w.skipDepth++
		}
		return
	}
	personLink := false
	if !void && !selfClosing {
		drop := skipElement(name)
		if !drop && w.inLink && w.linkHasText && (name == "span" || name == "div") {
			// Kremlin person tooltip: <a href="/catalog/persons/..">Name<span>Name Role</span></a>.
			drop = true
			w.skipLink = true
		}
		if !drop {
			drop, personLink = readAttrs(z)
		}
		if drop {
			w.skipTag, w.skipDepth = name, 1
			return
		}
	}
	switch {
	case name == "a":
		w.inLink, w.linkHasText = personLink, false
	case isBlock(name):
		w.para()
	case name == "td" || name == "th" || name == "img":
		w.buf = append(w.buf, ' ')
	}
}

func (w *htmlWalker) end(name string) {
	if w.skipDepth > 0 {
		if name == w.skipTag {
			w.skipDepth--
		} else if name == "a" && w.skipLink {
			w.skipDepth = 0
		}
		if w.skipDepth > 0 {
			return
		}
		w.skipLink = false
		if name != "a" {
			return
		}
	}
	switch {
	case name == "a":
		w.inLink, w.linkHasText = false, false
	case isBlock(name):
		w.para()
	case name == "td" || name == "th":
		w.buf = append(w.buf, ' ')
	}
}

// skipElement reports elements whose content is never statement text.
func skipElement(name string) bool {
	switch name {
	case "script", "style", "nav", "header", "footer", "form", "iframe", "noscript",
		"svg", "math", "button", "select", "textarea", "template", "object", "canvas",
		"audio", "video", "picture", "map", "aside", "head", "title", "dialog", "menu":
		return true
	}
	return false
}

func isBlock(name string) bool {
	switch name {
	case "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
		"br", "hr", "blockquote", "tr", "table", "thead", "tbody", "tfoot", "caption",
		"section", "article", "main", "pre", "figure", "figcaption", "address", "body",
		"details", "summary", "center", "fieldset", "legend":
		return true
	}
	return false
}

func isVoid(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
		"param", "source", "track", "wbr":
		return true
	}
	return false
}

// dropClassTokens are substrings of class or id values that mark non-content
// blocks: tooltips, share/social widgets (AddThis, AddToAny's a2a_kit,
// Jetpack's sharedaddy, social-links lists, WordPress button rows), popups
// and the Kremlin tag and status blocks (div.read__bottommeta, div.read__tags).
// "share" and "social" also cover "sharedaddy" and "social-links".
var dropClassTokens = []string{
	"tooltip", "share", "social", "popup", "addthis", "addtoany", "a2a_", "wp-block-buttons",
	"read__bottommeta", "read__tags", "read__status", "read__share", "sr-only", "visually-hidden", "print-only",
}

// personLinkPath marks links to a Kremlin person page, whose tooltip follows
// the name inside the link.
const personLinkPath = "/catalog/persons/"

// readAttrs reads the attributes of the current tag and reports whether the
// element is hidden or a non-content widget, and whether it links to a
// Kremlin person page.
func readAttrs(z *html.Tokenizer) (hidden, personLink bool) {
	for {
		key, val, more := z.TagAttr()
		switch string(key) {
		case "href":
			personLink = bytes.Contains(val, []byte(personLinkPath))
		case "hidden":
			return true, false
		case "aria-hidden":
			if string(val) == "true" {
				return true, false
			}
		case "role":
			for _, tok := range dropRoles {
				if equalFold(val, tok) {
					return true, false
				}
			}
		case "style":
			if containsFold(val, "display:none") || containsFold(val, "display: none") ||
				containsFold(val, "visibility:hidden") || containsFold(val, "visibility: hidden") {
				return true, false
			}
		case "class", "id":
			for _, tok := range dropClassTokens {
				if containsFold(val, tok) {
					return true, false
				}
			}
		}
		if !more {
			return false, personLink
		}
	}
}

var dropRoles = []string{"tooltip", "navigation", "banner", "contentinfo", "dialog", "menu"}

// lowerASCII folds an ASCII upper-case letter.
func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold reports whether b equals the lowercase ASCII string tok, ignoring ASCII case.
func equalFold(b []byte, tok string) bool {
	if len(b) != len(tok) {
		return false
	}
	for i := range len(b) {
		if lowerASCII(b[i]) != tok[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether b contains the lowercase ASCII string tok,
// ignoring ASCII case, without allocating.
func containsFold(b []byte, tok string) bool {
	for i := 0; i+len(tok) <= len(b); i++ {
		if equalFold(b[i:i+len(tok)], tok) {
			return true
		}
	}
	return false
}

// tagName returns the lowercase name of the tag whose raw bytes are raw
// ("<P class=x>", "</div >", "<br/>"). Tokenizer.TagName allocates on every
// call; this does not for the tag names the walker cares about.
func tagName(raw []byte) string {
	i := 1 // skip '<'
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	j := i
	for j < len(raw) {
		c := raw[j]
		if c == ' ' || c == '/' || c == '>' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			break
		}
		j++
	}
	b := raw[i:j]
	if len(b) > 10 {
		return string(bytes.ToLower(b))
	}
	var buf [10]byte
	for k := range b {
		buf[k] = lowerASCII(b[k])
	}
	n := buf[:len(b)]
	for _, known := range knownTags {
		if string(n) == known {
			return known
		}
	}
	return string(n)
}

// knownTags are the tag names tagName returns without allocating, most frequent first.
var knownTags = [...]string{
	"p", "a", "div", "span", "br", "b", "i", "em", "strong", "li", "img", "sup", "sub", "u", "s",
	"ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table", "tbody", "thead",
	"blockquote", "section", "article", "header", "footer", "nav", "script", "style", "form",
	"iframe", "noscript", "small", "time", "figure", "figcaption", "hr", "meta", "link", "html",
	"head", "body", "title", "svg", "button", "input", "label", "aside", "main", "pre", "code",
}
