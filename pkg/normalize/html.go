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
// Kremlin person tooltips (a span after the name inside a person link) are
// dropped so names do not appear twice. Entities are decoded and the result
// goes through the same cleaning as Text. The output is valid UTF-8.
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

	inLink      bool
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
			name, hasAttr := z.TagName()
			w.start(z, string(name), hasAttr, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			w.end(string(name))
		}
	}
}

func (w *htmlWalker) start(z *html.Tokenizer, name string, hasAttr, selfClosing bool) {
	void := isVoid(name)
	if w.skipDepth > 0 {
		if name == w.skipTag && !void && !selfClosing {
			w.skipDepth++
		}
		return
	}
	if !void && !selfClosing {
		drop := skipElement(name)
		if !drop && w.inLink && w.linkHasText && (name == "span" || name == "div") {
			// Kremlin person tooltip: <a href="/catalog/persons/..">Name<span>Name Role</span></a>.
			drop = true
			w.skipLink = true
		}
		if !drop && hasAttr {
			drop = hiddenByAttr(z)
		}
		if drop {
			w.skipTag, w.skipDepth = name, 1
			return
		}
	}
	switch {
	case name == "a":
		w.inLink, w.linkHasText = !selfClosing, false
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
// blocks: tooltips, share/social widgets, popups and the Kremlin tag and
// status blocks (div.read__bottommeta, div.read__tags).
var dropClassTokens = []string{
	"tooltip", "share", "social", "popup", "read__bottommeta", "read__tags",
	"read__status", "read__share", "sr-only", "visually-hidden", "print-only",
}

// hiddenByAttr reads the attributes of the current tag and reports whether
// the element is hidden or a non-content widget.
func hiddenByAttr(z *html.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		switch string(key) {
		case "hidden":
			return true
		case "aria-hidden":
			if string(val) == "true" {
				return true
			}
		case "role":
			switch string(bytes.ToLower(val)) {
			case "tooltip", "navigation", "banner", "contentinfo", "dialog", "menu":
				return true
			}
		case "style":
			v := bytes.ToLower(bytes.ReplaceAll(val, []byte(" "), nil))
			if bytes.Contains(v, []byte("display:none")) || bytes.Contains(v, []byte("visibility:hidden")) {
				return true
			}
		case "class", "id":
			v := bytes.ToLower(val)
			for _, tok := range dropClassTokens {
				if bytes.Contains(v, []byte(tok)) {
					return true
				}
			}
		}
		if !more {
			return false
		}
	}
}
