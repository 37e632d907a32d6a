package normalize

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FuzzNFCShortcut checks the claim behind mayNeedNFC: text it lets through
// unchanged is already NFC (up to U+2000/U+2001, which clean maps to a space).
func FuzzNFCShortcut(f *testing.F) {
	f.Add("Нетаньяху Биньямин «Премьер-министр» — Niinistö café")
	f.Add("И\u0306 e\u0301 \u2000 \u0374 \u037e \u2126")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || mayNeedNFC(s) {
			return
		}
		r := strings.NewReplacer("\u2000", " ", "\u2001", " ")
		if got := r.Replace(norm.NFC.String(s)); got != r.Replace(s) {
			t.Fatalf("mayNeedNFC(%q) = false but NFC gives %q", s, got)
		}
	})
}

// Every rune from U+0000 to U+FFFF that mayNeedNFC skips is NFC-stable.
func TestNFCShortcutAllBMP(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xd800 && r < 0xe000 || r == 0x2000 || r == 0x2001 {
			continue
		}
		s := string(r)
		if !mayNeedNFC(s) && !norm.NFC.IsNormalString(s) {
			t.Errorf("U+%04X skipped but not NFC", r)
		}
		// A skipped rune followed by a combining mark must not be skipped.
		if !mayNeedNFC(s+"\u0301") && norm.NFC.String(s+"\u0301") != s+"\u0301" {
			t.Errorf("U+%04X + U+0301 skipped but composes", r)
		}
	}
}

// clean and the plain-byte fast path agree with a rune-by-rune reference on
// every special rune.
func TestCleanSpecialRunes(t *testing.T) {
	for r := rune(0x80); r < 0x10000; r++ {
		if r >= 0xd800 && r < 0xe000 {
			continue
		}
		s := "a" + string(r) + "b"
		got := clean(s)
		special := strings.ContainsRune("„“”‟«»″〝〞＂‘’‚‛′‹›＇‐‑‒–—―−⁃﹘﹣－…", r)
		switch {
		case special:
			if got == s {
				t.Errorf("U+%04X not mapped", r)
			}
		case r != paraMark && isUnicodeSpace(r):
			if got != "a b" {
				t.Errorf("U+%04X: got %q, want a space", r, got)
			}
		case dropped(r):
			if got != "ab" {
				t.Errorf("U+%04X: got %q, want dropped", r, got)
			}
		}
		if plainByte[s[1]] && (special || dropped(r) || isUnicodeSpace(r)) {
			t.Errorf("U+%04X has a plain lead byte %#x but needs mapping", r, s[1])
		}
	}
}

func isUnicodeSpace(r rune) bool { return unicode.IsSpace(r) }
