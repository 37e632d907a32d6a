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
// contradict is overridden: bytes that are (mostly) valid multi-byte UTF-8
// stay UTF-8, with the few invalid bytes replaced by U+FFFD; other invalid
// UTF-8 is sniffed as windows-1251 or KOI8-R, else windows-1252. The output
// is always valid UTF-8, and an XML declaration in it says encoding="UTF-8"
// so that parsers do not decode twice.
func ToUTF8(body []byte, contentType string) ([]byte, string) {
	label := declaredCharset(body, contentType)
	enc, name := lookup(label)
	valid, multi, invalid := scanUTF8(body)
	switch {
	case valid:
		// UTF-8 as declared, or a legacy charset the bytes contradict (or
		// plain ASCII, the same in either).
		return fixXMLDecl(body), "utf-8"
	case mostlyUTF8(multi, invalid) && (enc == nil || name == "utf-8" || multi >= minMultiToOverride):
		// UTF-8 damaged in a few places (a cut multi-byte sequence, one stray
		// byte): decoding it as a single-byte charset would garble all of it.
		return fixXMLDecl(bytes.ToValidUTF8(body, []byte("\uFFFD"))), "utf-8"
	case enc == nil || name == "utf-8":
		enc, name = sniff(body)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil || !utf8.Valid(out) {
		return fixXMLDecl(bytes.ToValidUTF8(body, []byte("\uFFFD"))), "utf-8"
	}
	return fixXMLDecl(out), name
}

// Bounds of the "mostly UTF-8" rule: at most one invalid byte per
// maxInvalidPerMulti valid multi-byte sequences; a declared legacy charset is
// overridden only on at least minMultiToOverride such sequences. Legacy
// Cyrillic text almost never forms valid UTF-8 sequences (its letters are
// lead bytes followed by more letters, not by continuation bytes), so a
// body that does is UTF-8.
const (
	maxInvalidPerMulti = 20
	minMultiToOverride = 8
)

func mostlyUTF8(multi, invalid int) bool {
	return multi > 0 && invalid*maxInvalidPerMulti <= multi
}

// scanUTF8 counts the valid multi-byte sequences and the invalid bytes of b.
func scanUTF8(b []byte) (valid bool, multi, invalid int) {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			multi++
		}
		i += size
	}
	return invalid == 0, multi, invalid
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
	if loc == nil || strings.EqualFold(string(b[loc[2]:loc[3]]), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:loc[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, b[loc[3]:]...)
}
