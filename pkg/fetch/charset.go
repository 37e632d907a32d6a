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
	"golang.org/x/text/encoding/unicode"
)

var xmlDeclEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// ToUTF8 converts body to UTF-8 and returns it with the name of the charset
// it was decoded from, as Decode does.
func ToUTF8(body []byte, contentType string) ([]byte, string) {
	d := Decode(body, contentType)
	return d.Body, d.Charset
}

// Decoded is a body converted to UTF-8.
type Decoded struct {
	Body    []byte
	Charset string // the charset it was decoded from
	// Replaced counts the invalid sequences of a body kept as UTF-8, each
	// replaced by one U+FFFD: callers log and count them.
	Replaced int
}

// Decode converts body to UTF-8. A byte-order mark decides first (UTF-8,
// UTF-16LE or UTF-16BE; it is dropped), then UTF-16 without one: an XML
// declaration in UTF-16, or a Content-Type that says UTF-16 over bytes that
// have the NULs of UTF-16 text. Otherwise the charset comes from the
// Content-Type header, then the XML declaration, then an HTML <meta>.
//
// A body that is UTF-8 but for a few invalid sequences (no more invalid
// bytes than valid multi-byte characters: a cut character, a stray byte)
// stays UTF-8 when UTF-8 or nothing is declared, each invalid sequence
// replaced by U+FFFD and counted in Replaced; it overrides a declared
// legacy charset when it has at least minMultiToOverride multi-byte
// characters and at most one invalid byte per maxInvalidPerMulti of them.
// Only a body that is mostly not UTF-8, with UTF-8 or nothing declared, is
// sniffed: windows-1251 or KOI8-R, else windows-1252. The output is always
// valid UTF-8 without a byte-order mark, and an XML declaration in it says
// encoding="UTF-8" so that parsers do not decode twice.
func Decode(body []byte, contentType string) Decoded {
	if e, name, n, ok := utf16Encoding(body, contentType); ok {
		return Decoded{Body: fromUTF16(body[n:], e), Charset: name}
	}
	var label string
	if rest, ok := trimUTF8BOMs(body); ok {
		// The mark says UTF-8 whatever the header or the declaration say.
		body, label = rest, "utf-8"
	} else {
		label = declaredCharset(body, contentType)
	}
	enc, name := lookup(label)
	if name == "utf-16le" || name == "utf-16be" {
		// Declared UTF-16 over bytes that are not (utf16Encoding): the
		// declaration is wrong.
		enc, name = nil, ""
	}
	multi, invalid := scanUTF8(body)
	utf8OrNone := enc == nil || name == "utf-8"
	switch {
	case invalid == 0:
		// UTF-8 as declared, or a legacy charset the bytes contradict (or
		// plain ASCII, the same in either).
		return Decoded{Body: fixXMLDecl(body), Charset: "utf-8"}
	case utf8OrNone && invalid <= multi,
		multi >= minMultiToOverride && invalid*maxInvalidPerMulti <= multi:
		// UTF-8 damaged in a few places: decoding it as a single-byte
		// charset would garble all of it.
		return replaceInvalid(body)
	case utf8OrNone:
		enc, name = sniff(body)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil || !utf8.Valid(out) {
		return replaceInvalid(body)
	}
	return Decoded{Body: fixXMLDecl(out), Charset: name}
}

// replaceInvalid keeps body as UTF-8, each invalid sequence replaced by
// U+FFFD.
func replaceInvalid(body []byte) Decoded {
	out := bytes.ToValidUTF8(body, []byte("\uFFFD"))
	n := bytes.Count(out, []byte("\uFFFD")) - bytes.Count(body, []byte("\uFFFD"))
	return Decoded{Body: fixXMLDecl(out), Charset: "utf-8", Replaced: n}
}

// Bounds of overriding a declared legacy charset with UTF-8: at least
// minMultiToOverride valid multi-byte sequences, and at most one invalid
// byte per maxInvalidPerMulti of them. Legacy Cyrillic text almost never
// forms valid UTF-8 sequences (its letters are lead bytes followed by more
// letters, not by continuation bytes), so a body that does is UTF-8.
const (
	maxInvalidPerMulti = 20
	minMultiToOverride = 8
)

// scanUTF8 counts the valid multi-byte sequences and the invalid bytes of b.
func scanUTF8(b []byte) (multi, invalid int) {
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
	return multi, invalid
}

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
	// "<?" of an XML declaration in UTF-16 without a byte-order mark (XML
	// 1.0 appendix F).
	utf16LEDecl = []byte{'<', 0, '?', 0}
	utf16BEDecl = []byte{0, '<', 0, '?'}
)

// trimUTF8BOMs drops the UTF-8 byte-order marks b starts with (a repeated
// one too) and reports whether there was one.
func trimUTF8BOMs(b []byte) ([]byte, bool) {
	found := false
	for bytes.HasPrefix(b, utf8BOM) {
		b, found = b[len(utf8BOM):], true
	}
	return b, found
}

// utf16Encoding reports whether body is UTF-16 and returns its decoder's
// encoding, the charset name and the length of its byte-order mark.
func utf16Encoding(body []byte, contentType string) (encoding.Encoding, string, int, bool) {
	le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	be := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	switch {
	case bytes.HasPrefix(body, utf16LEBOM):
		return le, "utf-16le", len(utf16LEBOM), true
	case bytes.HasPrefix(body, utf16BEBOM):
		return be, "utf-16be", len(utf16BEBOM), true
	case bytes.HasPrefix(body, utf16LEDecl):
		return le, "utf-16le", 0, true
	case bytes.HasPrefix(body, utf16BEDecl):
		return be, "utf-16be", 0, true
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, "", 0, false
	}
	if _, name := lookup(params["charset"]); name != "utf-16le" && name != "utf-16be" {
		return nil, "", 0, false
	}
	// Markup in UTF-16 has a NUL in every ASCII character: in the odd bytes
	// little-endian, the even ones big-endian. Text in UTF-8 or a legacy
	// charset has none, so a header saying UTF-16 over it is wrong.
	var even, odd int
	for i, c := range body[:min(len(body), 1024)] {
		if c == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	switch {
	case even+odd == 0:
		return nil, "", 0, false
	case even > odd:
		return be, "utf-16be", 0, true
	default:
		return le, "utf-16le", 0, true
	}
}

// fromUTF16 decodes UTF-16 text (its byte-order mark already dropped): a
// repeated mark is dropped too, unpaired surrogates and NULs (which neither
// XML nor HTML allow) become U+FFFD.
func fromUTF16(b []byte, e encoding.Encoding) []byte {
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		// The UTF-16 decoder replaces what it cannot decode; this is not
		// expected to happen.
		out = []byte("\uFFFD")
	}
	for bytes.HasPrefix(out, utf8BOM) {
		out = out[len(utf8BOM):]
	}
	out = bytes.ReplaceAll(bytes.ToValidUTF8(out, []byte("\uFFFD")), []byte{0}, []byte("\uFFFD"))
	return fixXMLDecl(out)
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
