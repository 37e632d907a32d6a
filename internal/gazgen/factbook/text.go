package factbook

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// blockTag matches HTML tags that separate statements (<br>, <p>, ...).
	blockTag = regexp.MustCompile(`(?i)<\s*/?\s*(?:br|p|div|h[1-6]|li|ul|ol|tr|td)\b[^>]*>`)
	// anyTag matches any other HTML tag (<em>, <strong>, <span ...>).
	anyTag = regexp.MustCompile(`<[^>]*>`)
	// sinceGlued matches "since1 January 2022" (no space after "since").
	sinceGlued = regexp.MustCompile(`(?i)\bsince(\d)`)
	// noteStart matches the start of a "note - ..." remark, which may name
	// former holders and is never the holder list itself.
	noteStart = regexp.MustCompile(`(?i)(?:^|[\s;,.(])notes?(?:\(s\))?\s*[-–—:]`)
	// representedBy matches the start of a representative (governor-general,
	// high commissioner, prefect) of the chief of state.
	representedBy = regexp.MustCompile(`(?i)\brepresented\s+by\b`)
	spaces        = regexp.MustCompile(`\s+`)
)

// cleanText turns a Factbook text field into plain text: HTML entities
// decoded, block tags turned into "; " (they separate statements), other
// tags dropped, typographic quotes and odd spaces normalised, whitespace
// collapsed.
func cleanText(s string) string {
	s = blockTag.ReplaceAllString(s, "; ")
	s = anyTag.ReplaceAllString(s, " ")
	s = html.UnescapeString(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u2002', '\u2003', '\u2009', '\u200a', '\u202f', '\t', '\n', '\r':
			return ' '
		case '\u200b', '\ufeff':
			return -1
		case '\u2018', '\u2019', '\u02bc':
			return '\''
		case '\u201c', '\u201d':
			return '"'
		}
		return r
	}, s)
	s = sinceGlued.ReplaceAllString(s, "since $1")
	s = spaces.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

// cutNotes removes every "note - ..." remark and what follows it.
func cutNotes(s string) string {
	if loc := noteStart.FindStringIndex(s); loc != nil {
		return s[:loc[0]]
	}
	return s
}

// splitSegments splits s at semicolons outside parentheses and brackets and
// trims the parts; empty parts are dropped.
func splitSegments(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth == 0 {
				out = appendTrimmed(out, s[start:i])
				start = i + 1
			}
		}
	}
	return appendTrimmed(out, s[start:])
}

func appendTrimmed(out []string, s string) []string {
	s = strings.Trim(s, " ,;")
	if s == "" {
		return out
	}
	return append(out, s)
}

type tokKind int

const (
	tkWord  tokKind = iota
	tkComma         // ","
	tkParen         // a parenthesised or bracketed group; text is its content
	tkPunct         // ":" or a free-standing dash
)

type token struct {
	kind tokKind
	text string
}

func (t token) isWord(w string) bool { return t.kind == tkWord && t.text == w }

// tokenize splits a segment into words, commas, punctuation and
// parenthesised groups (with nesting; an unclosed group runs to the end). A
// double-quoted span starting a word ("Jokowi", "Big Man") is one word.
func tokenize(s string) []token {
	var toks []token
	var word strings.Builder
	flush := func() {
		if word.Len() == 0 {
			return
		}
		w := word.String()
		word.Reset()
		switch w {
		case "-", "–", "—", "&", "/":
			toks = append(toks, token{kind: tkPunct, text: w})
			return
		}
		if strings.HasSuffix(w, ":") {
			w = strings.TrimSuffix(w, ":")
			if w != "" {
				toks = append(toks, token{kind: tkWord, text: w})
			}
			toks = append(toks, token{kind: tkPunct, text: ":"})
			return
		}
		toks = append(toks, token{kind: tkWord, text: w})
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			flush()
			i += size
		case r == '(' || r == '[':
			flush()
			end, inner := matchParen(s, i)
			toks = append(toks, token{kind: tkParen, text: strings.TrimSpace(inner)})
			i = end
		case r == ')' || r == ']':
			flush()
			i += size
		case r == ',':
			flush()
			toks = append(toks, token{kind: tkComma, text: ","})
			i += size
		case r == '"' && word.Len() == 0:
			if j := strings.IndexByte(s[i+1:], '"'); j >= 0 {
				toks = append(toks, token{kind: tkWord, text: s[i : i+j+2]})
				i += j + 2
				continue
			}
			i += size
		default:
			word.WriteRune(r)
			i += size
		}
	}
	flush()
	return toks
}

// matchParen returns the index after the group opening at s[i] and its
// content; an unclosed group runs to the end of s.
func matchParen(s string, i int) (int, string) {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
			if depth == 0 {
				return j + 1, s[i+1 : j]
			}
		}
	}
	return len(s), s[i+1:]
}

// joinTokens renders tokens back into text.
func joinTokens(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		switch t.kind {
		case tkComma:
			b.WriteString(",")
			continue
		case tkPunct:
			if t.text == ":" {
				b.WriteString(":")
				continue
			}
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.kind == tkParen {
			b.WriteString("(" + t.text + ")")
		} else {
			b.WriteString(t.text)
		}
	}
	return strings.TrimSpace(b.String())
}
