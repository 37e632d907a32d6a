package textmatch

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrEmptyPattern is returned for a pattern without words.
var ErrEmptyPattern = errors.New("textmatch: empty pattern")

// minStem is the shortest stem (in bytes) a "*" word may have.
const minStem = 2

// Token is one word of a text.
type Token struct {
	Text       string // folded: lower case, ё→е, Latin diacritics removed
	Start, End int    // byte offsets in the original text
	Sent       int    // sentence number, from 0
}

var latinFold = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a', 'ā': 'a', 'ă': 'a', 'ą': 'a',
	'ç': 'c', 'ć': 'c', 'č': 'c', 'ď': 'd', 'đ': 'd',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'ė': 'e', 'ę': 'e', 'ě': 'e',
	'ğ': 'g', 'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i', 'ı': 'i', 'İ': 'i',
	'ł': 'l', 'ñ': 'n', 'ń': 'n', 'ň': 'n',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o', 'ø': 'o', 'ō': 'o', 'ő': 'o',
	'ř': 'r', 'ś': 's', 'š': 's', 'ş': 's', 'ș': 's', 'ť': 't', 'ţ': 't', 'ț': 't',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ū': 'u', 'ů': 'u', 'ű': 'u',
	'ý': 'y', 'ÿ': 'y', 'ź': 'z', 'ż': 'z', 'ž': 'z', 'ё': 'е', 'Ё': 'е', 'й': 'й',
}

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	r = unicode.ToLower(r)
	if f, ok := latinFold[r]; ok {
		return f
	}
	return r
}

// Fold lower-cases s, maps ё to е and removes Latin diacritics.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func isWord(r rune) bool {
	return r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

var abbrev = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "jr": true, "sr": true, "st": true,
	"no": true, "vs": true, "u": true, "s": true, "gen": true, "lt": true, "col": true, "г": true, "гг": true, "им": true, "т": true, "д": true}

// Tokenize splits s into words. Words are runs of letters and digits; an
// apostrophe inside a word splits it ("Biden's" gives "biden", "s"). A
// sentence ends at '.', '!' or '?' followed by a space, except after
// abbreviations and initials. The folded words share one buffer.
func Tokenize(s string, dst []Token) []Token {
	buf := make([]byte, 0, len(s))
	sent := 0
	start := -1
	fstart := 0
	flush := func(end int) {
		if start >= 0 {
			dst = append(dst, Token{Start: start, End: end, Sent: sent, Text: string(buf[fstart:])})
			start = -1
		}
	}
	for i, r := range s {
		if isWord(r) {
			if start < 0 {
				start = i
				buf = buf[:0]
				fstart = 0
			}
			buf = utf8.AppendRune(buf, foldRune(r))
			continue
		}
		flush(i)
		if r == '.' || r == '!' || r == '?' {
			next := i + 1
			if next >= len(s) || s[next] == ' ' || s[next] == '\n' || s[next] == '\t' || s[next] == '"' || s[next] == '\u00a0' {
				if r != '.' || len(dst) == 0 || !isAbbrev(dst[len(dst)-1], s, i) {
					sent++
				}
			}
		} else if r == '\n' && i+1 < len(s) && s[i+1] == '\n' {
			sent++
		}
	}
	flush(len(s))
	return dst
}

func isAbbrev(t Token, s string, dot int) bool {
	if t.End != dot {
		return false
	}
	if utf8.RuneCountInString(t.Text) == 1 {
		r, _ := utf8.DecodeRuneInString(s[t.Start:])
		return unicode.IsUpper(r) || abbrev[t.Text]
	}
	return abbrev[t.Text]
}

type word struct {
	s      string
	prefix bool
}

// Pattern is a parsed phrase: words separated by spaces or punctuation, a
// trailing "*" makes a word a stem.
type Pattern []word

// ParsePattern parses a phrase such as "президент* франци*".
func ParsePattern(p string) (Pattern, error) {
	var out Pattern
	for _, f := range strings.Fields(p) {
		star := strings.HasSuffix(f, "*")
		f = strings.TrimSuffix(f, "*")
		toks := Tokenize(f, nil)
		for i, t := range toks {
			out = append(out, word{s: t.Text, prefix: star && i == len(toks)-1})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrEmptyPattern, p)
	}
	for _, w := range out {
		if w.prefix && len(w.s) < minStem {
			return nil, fmt.Errorf("textmatch: stem too short in %q", p)
		}
	}
	return out, nil
}

func (w word) matches(t string) bool {
	if w.prefix {
		return strings.HasPrefix(t, w.s)
	}
	return t == w.s
}

type entry[T any] struct {
	pat Pattern
	val T
}

type node[T any] struct {
	next   map[byte]*node[T]
	exact  []entry[T] // first word ends here
	prefix []entry[T] // first word is a stem ending here
}

// Matcher finds patterns in tokenized text. It is safe for concurrent use
// once built.
type Matcher[T any] struct {
	root node[T]
	n    int
}

// Len reports how many patterns were added.
func (m *Matcher[T]) Len() int { return m.n }

// Add adds a pattern with its value.
func (m *Matcher[T]) Add(pattern string, v T) error {
	p, err := ParsePattern(pattern)
	if err != nil {
		return err
	}
	m.AddPattern(p, v)
	return nil
}

// AddPattern adds a parsed pattern with its value.
func (m *Matcher[T]) AddPattern(p Pattern, v T) {
	n := &m.root
	first := p[0].s
	for i := 0; i < len(first); i++ {
		if n.next == nil {
			n.next = map[byte]*node[T]{}
		}
		c := n.next[first[i]]
		if c == nil {
			c = &node[T]{}
			n.next[first[i]] = c
		}
		n = c
	}
	e := entry[T]{pat: p, val: v}
	if p[0].prefix {
		n.prefix = append(n.prefix, e)
	} else {
		n.exact = append(n.exact, e)
	}
	m.n++
}

// Match is one occurrence of a pattern: tokens [From, To).
type Match[T any] struct {
	Val      T
	From, To int
}

// FindAll calls fn for every occurrence of every pattern in toks, in token
// order; several patterns may match at one place.
func (m *Matcher[T]) FindAll(toks []Token, fn func(Match[T])) {
	for i := range toks {
		t := toks[i].Text
		n := &m.root
		for j := 0; j < len(t) && n != nil; j++ {
			if n.next == nil {
				n = nil
				break
			}
			n = n.next[t[j]]
			if n != nil && len(n.prefix) > 0 {
				m.emit(n.prefix, toks, i, fn)
			}
		}
		if n != nil && len(n.exact) > 0 {
			m.emit(n.exact, toks, i, fn)
		}
	}
}

func (m *Matcher[T]) emit(es []entry[T], toks []Token, i int, fn func(Match[T])) {
outer:
	for _, e := range es {
		if i+len(e.pat) > len(toks) {
			continue
		}
		for k := 1; k < len(e.pat); k++ {
			if !e.pat[k].matches(toks[i+k].Text) {
				continue outer
			}
		}
		fn(Match[T]{Val: e.val, From: i, To: i + len(e.pat)})
	}
}
