package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// paraMark is the internal paragraph marker: U+2029 PARAGRAPH SEPARATOR.
// Producers (HTMLToText, the plain-text line pass) put it where a paragraph
// ends; clean turns any run of markers and spaces into "\n\n".
const paraMark = '\u2029'

// Text cleans plain text: invalid UTF-8 is replaced by U+FFFD, the text is
// put in Unicode NFC, typographic quotes become ASCII quotes (" and '), dash
// and hyphen variants become "-", "…" becomes "...", non-breaking and other
// odd spaces (U+2028 LINE SEPARATOR too) become plain spaces, soft hyphens,
// zero-width and bidi control characters and noncharacters (U+FFFE, U+FFFF
// and the like) are removed, whitespace is collapsed inside paragraphs and
// paragraphs (U+2029 PARAGRAPH SEPARATOR ends one) are separated by "\n\n".
// The result is trimmed.
//
// Paragraphs are separated by blank lines. Inside a block, a newline is a
// space (hard-wrapped feed lines are joined) unless the previous line ends a
// sentence and the next starts like a paragraph (capital, digit, quote, dash),
// in a block that is not hard-wrapped. A block is hard-wrapped when it has
// three or more lines, all but the last at most hardWrapWidth runes long, and
// one of them ends mid-sentence.
func Text(s string) string {
	if strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 {
		s = markParagraphs(s)
	}
	return clean(s)
}

// clean is the single-pass cleaner shared by Text and HTMLToText. Every
// whitespace rune (newlines included) is a space; paraMark is a paragraph break.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	b.Grow(len(s))
	pendSpace, pendPara := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if plainByte[c] {
			// A run of bytes that are copied as they are: printable ASCII and
			// runes whose lead byte cannot start a space, quote, dash or
			// format character (Cyrillic, Latin-1 letters, ...), and the
			// single spaces between them, which clean would write as they are.
			j := i + 1
			for j < len(s) && (plainByte[s[j]] || s[j] == ' ' && j+1 < len(s) && plainByte[s[j+1]]) {
				j++
			}
			if b.Len() > 0 {
				if pendPara {
					b.WriteString("\n\n")
				} else if pendSpace {
					b.WriteByte(' ')
				}
			}
			pendSpace, pendPara = false, false
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r == '\v':
			pendSpace = true
			continue
		case r < 0x20 || r == 0x7f:
			continue
		case r == paraMark:
			pendPara = true
			continue
		case r >= utf8.RuneSelf && unicode.IsSpace(r):
			pendSpace = true
			continue
		case dropped(r):
			continue
		}
		if b.Len() > 0 {
			if pendPara {
				b.WriteString("\n\n")
			} else if pendSpace {
				b.WriteByte(' ')
			}
		}
		pendSpace, pendPara = false, false
		switch r {
		case '„', '“', '”', '‟', '«', '»', '″', '〝', '〞', '＂':
			b.WriteByte('"')
		case '‘', '’', '‚', '‛', '′', '‹', '›', '＇':
			b.WriteByte('\'')
		case '‐', '‑', '‒', '–', '—', '―', '−', '⁃', '﹘', '﹣', '－':
			b.WriteByte('-')
		case '…':
			b.WriteString("...")
		default:
			b.WriteRune(r)
		}
	}
	// NFC last, so that marks brought together by dropped characters
	// compose too. NFC never produces a character clean would map or drop.
	out := b.String()
	if mayNeedNFC(out) {
		return norm.NFC.String(out)
	}
	return out
}

// plainByte marks the bytes clean copies without looking at them: printable
// ASCII other than space, UTF-8 continuation bytes, and lead bytes of runes
// that are never spaces, quotes, dashes, format characters or
// noncharacters. The lead bytes 0xC2 (U+0080-U+00BF), 0xE1 (U+1680 and
// others), 0xE2 (U+2000-U+2FFF), 0xE3 (U+3000-U+3FFF), 0xEF (U+F000-U+FFFF)
// and 0xF0-0xF4 (U+10000-U+10FFFF) need a closer look.
var plainByte = func() (t [256]bool) {
	for c := 0x21; c < 0x7f; c++ {
		t[c] = true
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = true
	}
	for _, c := range []int{0xc2, 0xe1, 0xe2, 0xe3, 0xef, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff} {
		t[c] = false
	}
	return t
}()

// mayNeedNFC reports whether s may change under NFC. It is false for text made
// only of ASCII, Latin-1 Supplement to Spacing Modifiers (U+0080-U+02FF), basic
// Cyrillic (U+0400-U+047F) and General Punctuation (U+2000-U+207F, whose only
// NFC changes are U+2000/U+2001 to other spaces, which clean has already
// mapped to " "): none of those is changed by NFC nor is a combining mark.
func mayNeedNFC(s string) bool {
	for i := 0; i < len(s); i++ {
		// Eight ASCII bytes at a time.
		for i+8 <= len(s) && s[i]|s[i+1]|s[i+2]|s[i+3]|s[i+4]|s[i+5]|s[i+6]|s[i+7] < utf8.RuneSelf {
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			continue
		}
		switch {
		case c >= 0xc2 && c <= 0xcb, c == 0xd0, c == 0xd1:
			i++ // two-byte rune
		case c == 0xe2 && i+1 < len(s) && (s[i+1] == 0x80 || s[i+1] == 0x81):
			i += 2
		default:
			return true
		}
	}
	return false
}

// dropped reports runes removed from text: soft hyphen, zero-width and bidi
// formatting characters, byte order marks, C1 controls and noncharacters
// (U+FDD0-U+FDEF and the last two code points of every plane: U+FFFE,
// U+FFFF, ..., U+10FFFF).
func dropped(r rune) bool {
	switch {
	case r == '\u00ad', r == '\ufeff':
		return true
	case r >= '\ufdd0' && r <= '\ufdef', r&0xfffe == 0xfffe:
		return true
	case r >= '\u200b' && r <= '\u200f':
		return true
	case r >= '\u202a' && r <= '\u202e':
		return true
	case r >= '\u2060' && r <= '\u206f':
		return true
	case r >= 0x80 && r < 0xa0:
		return true
	}
	return false
}

// cleanLine is clean for one-line fields (titles, tags): paragraph breaks,
// U+2029 PARAGRAPH SEPARATOR included, become spaces.
func cleanLine(s string) string {
	return strings.ReplaceAll(clean(s), "\n\n", " ")
}

// hardWrapWidth is the longest line (in runes) still taken as a hard-wrapped
// feed line; real wraps are 60-80 columns.
const hardWrapWidth = 90

// markParagraphs decides which newlines of plain text are paragraph breaks,
// writing paraMark for those and a space for the others.
func markParagraphs(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	lines := strings.Split(s, "\n")
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(lines); {
		// Skip blank lines: they separate blocks.
		if isBlank(lines[i]) {
			i++
			continue
		}
		j := i
		for j < len(lines) && !isBlank(lines[j]) {
			j++
		}
		block := lines[i:j]
		wrapped := isHardWrapped(block)
		if b.Len() > 0 {
			b.WriteRune(paraMark)
		}
		for k, l := range block {
			if k > 0 {
				if !wrapped && endsSentence(block[k-1]) && startsParagraph(l) {
					b.WriteRune(paraMark)
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(l)
		}
		i = j
	}
	return b.String()
}

// isHardWrapped reports whether a block of lines looks hard-wrapped: three
// or more lines, all but the last short, and at least one ending mid-sentence.
func isHardWrapped(block []string) bool {
	if len(block) < 3 {
		return false
	}
	midSentence := false
	for _, l := range block[:len(block)-1] {
		if utf8.RuneCountInString(strings.TrimSpace(l)) > hardWrapWidth {
			return false
		}
		if !endsSentence(l) {
			midSentence = true
		}
	}
	return midSentence
}

func isBlank(l string) bool {
	for _, r := range l {
		if !unicode.IsSpace(r) && !dropped(r) {
			return false
		}
	}
	return true
}

func endsSentence(l string) bool {
	l = strings.TrimRightFunc(l, unicode.IsSpace)
	r, _ := utf8.DecodeLastRuneInString(l)
	switch r {
	case '.', '!', '?', '…', ':', ';', '"', '»', '”', '\'', '’', ')':
		return true
	}
	return false
}

func startsParagraph(l string) bool {
	l = strings.TrimLeftFunc(l, unicode.IsSpace)
	r, _ := utf8.DecodeRuneInString(l)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"«“„'‘—–-•*(", r)
}
