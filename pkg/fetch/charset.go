package fetch

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// ToUTF8 converts body to UTF-8 and returns it with the name of the charset it
// was decoded from. The charset comes from the Content-Type header, then the
// XML declaration, then an HTML <meta>; a declaration that the bytes
// contradict is overridden (valid multi-byte UTF-8 stays UTF-8; invalid UTF-8
// is sniffed as windows-1251 or KOI8-R, else windows-1252). A rewritten XML
// declaration says encoding="UTF-8" so that parsers do not decode twice.
func ToUTF8(body []byte, contentType string) ([]byte, string) {
	label := declaredCharset(body, contentType)
	enc, name := lookup(label)
	validUTF8 := utf8.Valid(body)
	switch {
	case enc == nil || name == "utf-8":
		if validUTF8 {
			return body, "utf-8"
		}
		enc, name = sniff(body)
	case validUTF8 && hasMultiByte(body):
		// Declared a legacy charset but the bytes are real UTF-8.
		return fixXMLDecl(body), "utf-8"
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), "utf-8"
	}
	return fixXMLDecl(out), name
}

func declaredCharset(body []byte, contentType string) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		return params["charset"]
	}
	head := body[:min(len(body), 1024)]
	if m := xmlDeclEncoding.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	if _, name, _ := charset.DetermineEncoding(head, "text/html"); name != "" && name != "windows-1252" {
		// DetermineEncoding guesses windows-1252 when nothing is declared.
		return name
	}
	return ""
}

func lookup(label string) (encoding.Encoding, string) {
	if label == "" {
		return nil, ""
	}
	enc, name := charset.Lookup(strings.TrimSpace(label))
	if enc == nil {
		return nil, ""
	}
	return enc, name
}

func hasMultiByte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// sniff guesses a single-byte Cyrillic charset from letter case frequencies:
// lower-case letters (most of any text) sit at 0xE0-0xFF in windows-1251 and
// at 0xC0-0xDF in KOI8-R.
func sniff(b []byte) (encoding.Encoding, string) {
	var hi, lo, other int
	for _, c := range b {
		switch {
		case c >= 0xE0:
			hi++
		case c >= 0xC0:
			lo++
		case c >= 0x80:
			other++
		}
	}
	switch {
	case hi+lo < other || hi+lo == 0:
		return charmap.Windows1252, "windows-1252"
	case lo > hi:
		return charmap.KOI8R, "koi8-r"
	default:
		return charmap.Windows1251, "windows-1251"
	}
}

func fixXMLDecl(b []byte) []byte {
	head := b[:min(len(b), 1024)]
	loc := xmlDeclEncoding.FindSubmatchIndex(head)
	if loc == nil {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:loc[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, b[loc[3]:]...)
}
