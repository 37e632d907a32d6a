package fetch

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// English UTF-8 has few multi-byte characters (curly quotes, dashes): one
// bad byte among them must not make the whole body windows-1252 or -1251
// ("Leaders’ “call”" read as "Leadersâ€™ â€œcallâ€"). The body stays UTF-8,
// each bad sequence one U+FFFD, counted.
func TestDecodeKeepsDamagedEnglishUTF8(t *testing.T) {
	const text = "<rss><channel><item><title>Leaders’ “call”</title><description>On Monday the leaders spoke."
	tests := []struct {
		name, contentType, damage string
		replaced                  int
	}{
		{"stray byte, nothing declared", "application/rss+xml", "\xff", 1},
		{"stray byte, utf-8 declared", "application/rss+xml; charset=utf-8", "\x92", 1},
		{"cut character", "text/xml", "\xe2\x80", 1},
		{"two stray bytes apart", "", "\xa0 x \xe9", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decode([]byte(text+tt.damage+"</description></item></channel></rss>"), tt.contentType)
			if d.Charset != "utf-8" {
				t.Errorf("decoded as %s, want utf-8", d.Charset)
			}
			if !strings.Contains(string(d.Body), "Leaders’ “call”") {
				t.Errorf("text garbled: %q", d.Body)
			}
			if got := strings.Count(string(d.Body), "\uFFFD"); got != tt.replaced || d.Replaced != tt.replaced {
				t.Errorf("%d U+FFFD in the body, Replaced %d; want %d", got, d.Replaced, tt.replaced)
			}
		})
	}
}

// A body that is mostly not UTF-8, with nothing or UTF-8 declared, is still
// guessed; a U+FFFD the source had is not counted as a replacement.
func TestDecodeGuessesMostlyNotUTF8(t *testing.T) {
	cp1251, _ := charmap.Windows1251.NewEncoder().String("Президент России провёл телефонный разговор «с коллегой»")
	tests := []struct{ name, body, contentType, charset, want string }{
		{"windows-1251, nothing declared", cp1251, "", "windows-1251", "Президент России провёл"},
		{"windows-1251 with one UTF-8 character", cp1251 + " ’", "text/html; charset=utf-8", "windows-1251", "Президент России провёл"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decode([]byte(tt.body), tt.contentType)
			if d.Charset != tt.charset || !strings.Contains(string(d.Body), tt.want) || d.Replaced != 0 {
				t.Errorf("charset %s, replaced %d, body %q; want %s with %q", d.Charset, d.Replaced, d.Body, tt.charset, tt.want)
			}
		})
	}
	if d := Decode([]byte("a \uFFFD b ’ \xff"), ""); d.Charset != "utf-8" || d.Replaced != 1 {
		t.Errorf("charset %s, replaced %d; want utf-8, 1", d.Charset, d.Replaced)
	}
}
