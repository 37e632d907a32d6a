package processor

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/readout/readout/pkg/model"
)

// decodeRawItem decodes a raw message value into item as json.Unmarshal
// does. encoding/json took a sixth of step 1: it validates the whole
// message before decoding it, and decodes a string rune by rune once it
// holds an escape, as every body does ("\n"). The ordinary message, an
// object of RawItem's fields (each at most once, under its exact name, with
// a string, an array of strings or null), is decoded here in one pass;
// anything else, malformed messages included, is left to json.Unmarshal,
// which gives the result and the errors it always gave.
func decodeRawItem(data []byte, item *model.RawItem) error {
	d := rawDecoder{data: data}
	if d.item(item) {
		return nil
	}
	*item = model.RawItem{}
	return json.Unmarshal(data, item)
}

// asFieldError returns err, the error of decodeRawItem on data, as a
// *fieldError when data is valid JSON with a field whose value does not
// fit, and nil otherwise.
func asFieldError(data []byte, err error) *fieldError {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return nil
	}
	if f := badField(data); f != "" {
		return &fieldError{field: f, err: err}
	}
	return nil
}

// fieldError is a field of a raw item whose value does not fit: the wrong
// type, or a fetched_at that is not an RFC 3339 time with an offset.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string {
	var pe *time.ParseError
	if errors.As(e.err, &pe) {
		return fmt.Sprintf("%s: want an RFC 3339 time with a zone offset: %v", e.field, e.err)
	}
	return e.field + ": " + e.err.Error()
}

func (e *fieldError) Unwrap() error { return e.err }

// badField returns the first member of the JSON object data whose value
// does not decode into its field of model.RawItem, or "".
func badField(data []byte) string {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	for dec.More() {
		t, err := dec.Token()
		key, ok := t.(string)
		var v json.RawMessage
		if err != nil || !ok || dec.Decode(&v) != nil {
			return ""
		}
		one, err := json.Marshal(map[string]json.RawMessage{key: v})
		if err == nil && json.Unmarshal(one, new(model.RawItem)) != nil {
			return key
		}
	}
	return ""
}

// rawDecoder is the fast path of decodeRawItem. Its methods report false on
// input they do not take, leaving the decoding to encoding/json.
type rawDecoder struct {
	data []byte
	i    int
}

// The fields of model.RawItem, as bits of a set of those already decoded.
const (
	rawSource = 1 << iota
	rawPublisher
	rawURL
	rawGUID
	rawExternalID
	rawLang
	rawTitle
	rawPublishedAt
	rawUpdatedAt
	rawFetchedAt
	rawContentType
	rawBody
	rawSummary
	rawTags
	rawPersons
	rawTopics
	rawContentHash
)

// item decodes the message into it, which must be the zero RawItem.
func (d *rawDecoder) item(it *model.RawItem) bool {
	if !d.skip('{') {
		return false
	}
	if d.skip('}') {
		return d.end()
	}
	seen := 0
	for {
		key, ok := d.key()
		if !ok || !d.skip(':') {
			return false
		}
		d.space()
		var field int
		switch string(key) {
		case "source":
			field, ok = rawSource, d.str(&it.Source)
		case "publisher":
			field, ok = rawPublisher, d.str(&it.Publisher)
		case "url":
			field, ok = rawURL, d.str(&it.URL)
		case "guid":
			field, ok = rawGUID, d.str(&it.GUID)
		case "external_id":
			field, ok = rawExternalID, d.str(&it.ExternalID)
		case "lang":
			field, ok = rawLang, d.str(&it.Lang)
		case "title":
			field, ok = rawTitle, d.str(&it.Title)
		case "published_at":
			field, ok = rawPublishedAt, d.str(&it.PublishedAt)
		case "updated_at":
			field, ok = rawUpdatedAt, d.str(&it.UpdatedAt)
		case "fetched_at":
			field, ok = rawFetchedAt, d.time(&it.FetchedAt)
		case "content_type":
			field, ok = rawContentType, d.str(&it.ContentType)
		case "body":
			field, ok = rawBody, d.str(&it.Body)
		case "summary":
			field, ok = rawSummary, d.str(&it.Summary)
		case "tags":
			field, ok = rawTags, d.strList(&it.Tags)
		case "persons":
			field, ok = rawPersons, d.strList(&it.Persons)
		case "topics":
			field, ok = rawTopics, d.strList(&it.Topics)
		case "content_hash":
			field, ok = rawContentHash, d.str(&it.ContentHash)
		default:
			return false // unknown, or a name that only matches case-insensitively
		}
		if !ok || seen&field != 0 {
			return false
		}
		seen |= field
		if d.skip('}') {
			return d.end()
		}
		if !d.skip(',') {
			return false
		}
	}
}

// space skips JSON white space.
func (d *rawDecoder) space() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// skip skips white space and then c, reporting whether c was there.
func (d *rawDecoder) skip(c byte) bool {
	d.space()
	if d.i < len(d.data) && d.data[d.i] == c {
		d.i++
		return true
	}
	return false
}

// end reports whether only white space follows.
func (d *rawDecoder) end() bool {
	d.space()
	return d.i == len(d.data)
}

// key returns the next object key, which must be free of escapes.
func (d *rawDecoder) key() ([]byte, bool) {
	d.space()
	start := d.i
	end, escaped, ok := d.scanString()
	if !ok || escaped {
		return nil, false
	}
	return d.data[start+1 : end-1], true
}

// scanString validates the string literal at d.i and moves past it. It
// returns the offset after its closing quote and whether it has escapes.
// Invalid UTF-8 is refused (encoding/json replaces it).
func (d *rawDecoder) scanString() (end int, escaped, ok bool) {
	s := d.data
	start := d.i
	if start >= len(s) || s[start] != '"' {
		return 0, false, false
	}
	var high uint64 // the bytes passed, ORed: whether one was over 0x7f
	for i := start + 1; ; {
		// Eight bytes at a time while none ends the string or needs a look.
		for i+8 <= len(s) {
			x := binary.LittleEndian.Uint64(s[i:])
			if needsLook(x) {
				break
			}
			high |= x
			i += 8
		}
		if i >= len(s) {
			return 0, false, false
		}
		switch c := s[i]; {
		case c == '"':
			if high&(0x80*lsb) != 0 && !utf8.Valid(s[start+1:i]) {
				return 0, false, false
			}
			d.i = i + 1
			return i + 1, escaped, true
		case c == '\\':
			if i+1 >= len(s) {
				return 0, false, false
			}
			switch s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if getu4(s[i:]) < 0 {
					return 0, false, false
				}
				i += 6
			default:
				return 0, false, false
			}
			escaped = true
		case c < ' ':
			return 0, false, false // a control character
		default:
			high |= uint64(c)
			i++
		}
	}
}

// lsb has the lowest bit of each of eight bytes set.
const lsb = 0x0101010101010101

// needsLook reports whether one of the eight bytes in x is '"', '\\' or a
// control character. The tests for a zero byte and for a byte below n are
// exact as to whether there is one.
func needsLook(x uint64) bool {
	quote := x ^ ('"' * lsb)
	backslash := x ^ ('\\' * lsb)
	zeroQuote := (quote - lsb) &^ quote
	zeroBackslash := (backslash - lsb) &^ backslash
	control := (x - ' '*lsb) &^ x
	return (zeroQuote|zeroBackslash|control)&(0x80*lsb) != 0
}

// null skips a null literal at d.i, reporting whether there was one.
func (d *rawDecoder) null() bool {
	if len(d.data)-d.i >= 4 && string(d.data[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// str decodes the string literal at d.i into *dst; null leaves *dst as it
// is, as encoding/json does.
func (d *rawDecoder) str(dst *string) bool {
	if d.null() {
		return true
	}
	start := d.i
	end, escaped, ok := d.scanString()
	if !ok {
		return false
	}
	lit := d.data[start+1 : end-1]
	if !escaped {
		*dst = string(lit)
		return true
	}
	*dst = unescape(lit)
	return true
}

// time decodes the string literal at d.i into *dst. As encoding/json does,
// it passes the literal, quotes included, to time.Time.UnmarshalJSON; null
// leaves *dst as it is.
func (d *rawDecoder) time(dst *time.Time) bool {
	if d.null() {
		return true
	}
	start := d.i
	end, _, ok := d.scanString()
	return ok && dst.UnmarshalJSON(d.data[start:end]) == nil
}

// strList decodes an array of string literals at d.i into *dst; like
// encoding/json, it makes an empty array a non-nil empty slice and null a
// nil one.
func (d *rawDecoder) strList(dst *[]string) bool {
	if d.null() {
		*dst = nil
		return true
	}
	if !d.skip('[') {
		return false
	}
	out := []string{}
	if d.skip(']') {
		*dst = out
		return true
	}
	for {
		d.space()
		var s string
		if !d.str(&s) {
			return false
		}
		out = append(out, s)
		if d.skip(']') {
			*dst = out
			return true
		}
		if !d.skip(',') {
			return false
		}
	}
}

// unescape decodes the contents of a string literal scanString accepted,
// as encoding/json does: a \u escape of an unpaired surrogate becomes
// U+FFFD.
func unescape(lit []byte) string {
	var b strings.Builder
	b.Grow(len(lit))
	for len(lit) > 0 {
		i := bytes.IndexByte(lit, '\\')
		if i < 0 {
			b.Write(lit)
			break
		}
		b.Write(lit[:i])
		lit = lit[i:]
		switch c := lit[1]; c {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r := getu4(lit)
			lit = lit[6:]
			if utf16.IsSurrogate(r) {
				if dec := utf16.DecodeRune(r, getu4(lit)); dec != utf8.RuneError {
					lit = lit[6:]
					b.WriteRune(dec)
					continue
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
			continue
		default: // '"', '\\', '/'
			b.WriteByte(c)
		}
		lit = lit[2:]
	}
	return b.String()
}

// getu4 decodes the \uXXXX escape at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}
