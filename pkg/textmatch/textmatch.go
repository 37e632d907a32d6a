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

// asciiClass holds, for each ASCII byte, its folded form when it is a word
// character (a letter or digit) and 0 otherwise.
var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c
		t[c-'a'+'A'] = c
	}
	return t
}()

// Byte classes for the tokenizer's scan.
const (
	bSep   = iota // an ASCII byte that is not a letter or digit
	bWord         // a-z, 0-9: kept as is
	bUpper        // A-Z: folded
	bMulti        // the start or continuation of a multi-byte rune
)

var byteClass = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = bMulti
		case c >= 'A' && c <= 'Z':
			t[c] = bUpper
		case asciiClass[c] != 0:
			t[c] = bWord
		}
	}
	return t
}()

// lowerRU returns the length of the run of basic lower-case Russian letters
// (а to я, two bytes each) at the start of s.
func lowerRU(s string) int {
	n := 0
	for n+1 < len(s) {
		c, c2 := s[n], s[n+1]
		if c == 0xD0 && c2 >= 0xB0 && c2 <= 0xBF || c == 0xD1 && c2 >= 0x80 && c2 <= 0x8F {
			n += 2
			continue
		}
		break
	}
	return n
}

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	// The basic Cyrillic alphabet, the bulk of Russian text: no table look-ups.
	if r >= 'А' && r <= 'я' {
		if r <= 'Я' {
			return r + 'а' - 'А'
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

// EqualFold reports whether Fold(a) == Fold(b), without allocating.
func EqualFold(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if foldRune(ra) != foldRune(rb) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == b
}

func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r] != 0
	}
	if r >= 'А' && r <= 'я' {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

var abbrev = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "jr": true, "sr": true, "st": true,
	"hon": true, "honorable": true, "honourable": true, "rt": true, "prof": true, "sen": true, "rep": true, "no": true, "vs": true, "u": true, "s": true, "gen": true, "lt": true, "col": true, "г": true, "гг": true, "им": true, "т": true, "д": true, "о": true}

// Tokenize splits s into words. Words are runs of letters and digits; an
// apostrophe inside a word splits it ("Biden's" gives "biden", "s"). A
// sentence ends at '.', '!' or '?' followed by a space, except after
// abbreviations and initials. The words are appended to dst.
func Tokenize(s string, dst []Token) []Token {
	var z Tokenizer
	dst, _ = z.Tokenize(s, 0, 0, dst)
	return dst
}

// Tokenizer tokenizes texts like Tokenize, reusing its scratch memory between
// calls. A word that folding leaves unchanged is a substring of the text; the
// other words of one call share a single string. A Tokenizer is not safe for
// concurrent use; its zero value is ready to use.
type Tokenizer struct {
	buf   []byte   // folded words that differ from the text
	folds []folded // the tokens of the current call whose folded form is in buf
}

// folded locates the folded form of token tok in Tokenizer.buf.
type folded struct {
	tok, start, end int32
}

// Tokenize appends the words of s[from:] to dst (offsets are in s), stopping
// after limit words when limit > 0. It returns the tokens and the offset where it
// stopped: the end of the last word, or len(s). Resuming at that offset yields
// the words that follow; their sentence numbers start again from 0.
func (z *Tokenizer) Tokenize(s string, from, limit int, dst []Token) ([]Token, int) {
	base := len(dst)
	z.buf = z.buf[:0]
	z.folds = z.folds[:0]
	sent := 0
	stop := len(s) // where the scan stopped
	i := from
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiClass[c] == 0 {
				if (c == '.' || c == '!' || c == '?' || c == '\n') && z.endsSentence(s, i, dst, base) {
					sent++
				}
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(s[i:]); !isWord(r) {
			i += size
			continue
		}
		start := i
		if start > 0 && s[start-1] == '@' {
			// A handle in a quoted post: "@RTErdogan" is "RT Erdogan".
			if parts := handleParts(s, start); len(parts) > 1 {
				for k, p := range parts {
					fs := len(z.buf)
					for _, c := range []byte(s[p[0]:p[1]]) {
						if 'A' <= c && c <= 'Z' {
							c += 'a' - 'A'
						}
						z.buf = append(z.buf, c)
					}
					z.folds = append(z.folds, folded{int32(len(dst)), int32(fs), int32(len(z.buf))})
					dst = append(dst, Token{Start: p[0], End: p[1], Sent: sent})
					i = p[1]
					if limit > 0 && len(dst)-base >= limit && k < len(parts)-1 {
						break
					}
				}
				if limit > 0 && len(dst)-base >= limit {
					stop = i
					break
				}
				continue
			}
		}
		end, fstart := z.word(s, i)
		i = end
		if fstart >= 0 {
			z.folds = append(z.folds, folded{int32(len(dst)), int32(fstart), int32(len(z.buf))})
			dst = append(dst, Token{Start: start, End: i, Sent: sent})
		} else {
			dst = append(dst, Token{Text: s[start:i], Start: start, End: i, Sent: sent})
		}
		if limit > 0 && len(dst)-base >= limit {
			stop = i
			break
		}
	}
	if len(z.folds) > 0 {
		all := string(z.buf)
		for _, f := range z.folds {
			dst[f.tok].Text = all[f.start:f.end]
		}
	}
	return dst, stop
}

// handleParts splits the ASCII word at s[start] (a handle after '@') where
// its case changes: "RTErdogan" → "RT", "Erdogan"; "ZelenskyyUa" →
// "Zelenskyy", "Ua". It returns the parts' bounds, or nil when the word is
// not ASCII letters and digits to its end.
func handleParts(s string, start int) [][2]int {
	end := start
	for end < len(s) && s[end] < utf8.RuneSelf && asciiClass[s[end]] != 0 {
		end++
	}
	if end < len(s) && s[end] >= utf8.RuneSelf {
		return nil
	}
	upper := func(i int) bool { return 'A' <= s[i] && s[i] <= 'Z' }
	lower := func(i int) bool { return 'a' <= s[i] && s[i] <= 'z' }
	var parts [][2]int
	from := start
	for k := start + 1; k < end; k++ {
		if upper(k) && (lower(k-1) || upper(k-1) && k+1 < end && lower(k+1)) {
			parts = append(parts, [2]int{from, k})
			from = k
		}
	}
	return append(parts, [2]int{from, end})
}

// endsSentence reports whether the ASCII separator at s[i] ends a sentence:
// '.', '!' or '?' before a space or a quote, an opening one too when a
// space is missing ("29 сентября.«С обеих сторон"), (a '.' not after an
// abbreviation or an initial), or a blank line.
func (z *Tokenizer) endsSentence(s string, i int, dst []Token, base int) bool {
	switch c := s[i]; c {
	case '.', '!', '?':
		next := i + 1
		if next >= len(s) || s[next] == ' ' || s[next] == '\n' || s[next] == '\t' || s[next] == '"' || strings.HasPrefix(s[next:], "\u00a0") ||
			strings.HasPrefix(s[next:], "«") || strings.HasPrefix(s[next:], "“") || closingQuoteEnd(s, next) {
			return c != '.' || len(dst) == base || !z.isAbbrev(s, dst[len(dst)-1], len(dst)-1, i)
		}
	case '\n':
		return i+1 < len(s) && s[i+1] == '\n'
	}
	return false
}

// closingQuoteEnd reports whether s[i:] is a closing quote ("”", "»") that
// ends the text or a line, or comes before a space: "wellness.”\nThe
// statement" is two sentences.
func closingQuoteEnd(s string, i int) bool {
	for _, q := range []string{"”", "»"} {
		if rest, ok := strings.CutPrefix(s[i:], q); ok {
			return rest == "" || rest[0] == ' ' || rest[0] == '\n'
		}
	}
	return false
}

// word scans the word that starts at s[start] and returns its end and the
// start of its folded form in z.buf, or -1 when the word folds to itself.
// Runs of bytes that fold to themselves are skipped (or copied once the
// word differs from its folded form).
func (z *Tokenizer) word(s string, start int) (end, fstart int) {
	i := start
	fstart = -1
	for i < len(s) {
		c := s[i]
		switch byteClass[c] {
		case bWord:
			j := i + 1
			for j < len(s) && byteClass[s[j]] == bWord {
				j++
			}
			if fstart >= 0 {
				z.buf = append(z.buf, s[i:j]...)
			}
			i = j
			continue
		case bUpper:
			if fstart < 0 {
				fstart = len(z.buf)
				z.buf = append(z.buf, s[start:i]...)
			}
			z.buf = append(z.buf, c+'a'-'A')
			i++
			continue
		case bSep:
			return i, fstart
		}
		if c == 0xD0 || c == 0xD1 {
			if n, ok := z.russian(s, start, i, &fstart); ok {
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isWord(r) {
			return i, fstart
		}
		f := foldRune(r)
		if fstart >= 0 {
			z.buf = utf8.AppendRune(z.buf, f)
		} else if f != r {
			fstart = len(z.buf)
			z.buf = append(z.buf, s[start:i]...)
			z.buf = utf8.AppendRune(z.buf, f)
		}
		i += size
	}
	return i, fstart
}

// russian folds the basic Russian alphabet, А (D0 90) to я (D1 8F), at
// s[i] without decoding: lower case is kept, upper case shifted. It
// returns the bytes consumed, or false for another letter.
func (z *Tokenizer) russian(s string, start, i int, fstart *int) (int, bool) {
	if n := lowerRU(s[i:]); n > 0 {
		if *fstart >= 0 {
			z.buf = append(z.buf, s[i:i+n]...)
		}
		return n, true
	}
	if s[i] != 0xD0 || i+1 >= len(s) || s[i+1] < 0x90 || s[i+1] > 0xAF {
		return 0, false
	}
	if *fstart < 0 {
		*fstart = len(z.buf)
		z.buf = append(z.buf, s[start:i]...)
	}
	if c2 := s[i+1]; c2 <= 0x9F {
		z.buf = append(z.buf, 0xD0, c2+0x20) // А-П → а-п
	} else {
		z.buf = append(z.buf, 0xD1, c2-0x20) // Р-Я → р-я
	}
	return 2, true
}

func (z *Tokenizer) isAbbrev(s string, t Token, k int, dot int) bool {
	if t.End != dot {
		return false
	}
	var one, ab bool
	if n := len(z.folds); n > 0 && int(z.folds[n-1].tok) == k {
		f := z.folds[n-1]
		w := z.buf[f.start:f.end]
		one, ab = utf8.RuneCount(w) == 1, abbrev[string(w)]
	} else {
		w := s[t.Start:t.End]
		one, ab = utf8.RuneCountInString(w) == 1, abbrev[w]
	}
	if one {
		r, _ := utf8.DecodeRuneInString(s[t.Start:])
		return unicode.IsUpper(r) || ab
	}
	return ab
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

// entries are the patterns whose first word ends at one trie node, in the
// order they were added. Long lists ("the france", "the germany", ...) are
// indexed by their second word, so a token is checked only against the
// patterns that can match it.
type entries[T any] struct {
	es []entry[T]
	// byThird: second and third words (neither a stem) -> positions in es,
	// so that "had a" does not try every "had a ~ conversation with".
	byThird  map[string]map[string][]int32
	bySecond map[string][]int32 // second word (not a stem), no third word to index -> positions in es
	rest     []int32            // positions of one-word patterns and of those with a stem second
}

// indexFrom is the list length from which entries are looked up by their
// second and third words.
const indexFrom = 8

func (l *entries[T]) add(e entry[T]) {
	i := int32(len(l.es))
	l.es = append(l.es, e)
	switch {
	case len(e.pat) >= 3 && !e.pat[1].prefix && !e.pat[2].prefix:
		if l.byThird == nil {
			l.byThird = map[string]map[string][]int32{}
		}
		m := l.byThird[e.pat[1].s]
		if m == nil {
			m = map[string][]int32{}
			l.byThird[e.pat[1].s] = m
		}
		m[e.pat[2].s] = append(m[e.pat[2].s], i)
	case len(e.pat) >= 2 && !e.pat[1].prefix:
		if l.bySecond == nil {
			l.bySecond = map[string][]int32{}
		}
		l.bySecond[e.pat[1].s] = append(l.bySecond[e.pat[1].s], i)
	default:
		l.rest = append(l.rest, i)
	}
}

func (l *entries[T]) appendMatches(dst []Match[T], toks []Token, i int) []Match[T] {
	if len(l.es) < indexFrom || i+1 >= len(toks) {
		for k := range l.es {
			dst = l.match(dst, k, toks, i)
		}
		return dst
	}
	var c []int32
	if i+2 < len(toks) {
		c = l.byThird[toks[i+1].Text][toks[i+2].Text]
	}
	// Merge the three ascending position lists to keep the order of addition.
	a, b := l.bySecond[toks[i+1].Text], l.rest
	for len(a) > 0 || len(b) > 0 || len(c) > 0 {
		var k int32
		switch {
		case len(a) > 0 && (len(b) == 0 || a[0] < b[0]) && (len(c) == 0 || a[0] < c[0]):
			k, a = a[0], a[1:]
		case len(b) > 0 && (len(c) == 0 || b[0] < c[0]):
			k, b = b[0], b[1:]
		default:
			k, c = c[0], c[1:]
		}
		dst = l.match(dst, int(k), toks, i)
	}
	return dst
}

func (l *entries[T]) match(dst []Match[T], k int, toks []Token, i int) []Match[T] {
	e := &l.es[k]
	if i+len(e.pat) > len(toks) {
		return dst
	}
	for w := 1; w < len(e.pat); w++ {
		if !e.pat[w].matches(toks[i+w].Text) {
			return dst
		}
	}
	return append(dst, Match[T]{Val: e.val, From: i, To: i + len(e.pat)})
}

// node is a trie node over the bytes of a pattern's first word. Its children
// are a dense table indexed by byte-lo; 0 means no child (the root, node 0,
// is nobody's child).
type node struct {
	lo     byte
	kids   []int32
	exact  int32 // patterns whose first word ends here: 1 + index in Matcher.lists, 0 for none
	prefix int32 // patterns whose first word is a stem ending here, likewise
}

func (n *node) child(b byte) int32 {
	c := int(b) - int(n.lo)
	if uint(c) >= uint(len(n.kids)) {
		return 0
	}
	return n.kids[c]
}

// Matcher finds patterns in tokenized text. It is safe for concurrent use
// once built. Its zero value is an empty matcher.
type Matcher[T any] struct {
	nodes  []node
	lists  []entries[T]
	n      int
	maxLen int
}

// Len reports how many patterns were added.
func (m *Matcher[T]) Len() int { return m.n }

// MaxWords reports the number of words of the longest pattern.
func (m *Matcher[T]) MaxWords() int { return m.maxLen }

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
	if len(m.nodes) == 0 {
		m.nodes = append(m.nodes, node{})
	}
	cur := int32(0)
	first := p[0].s
	for i := 0; i < len(first); i++ {
		b := first[i]
		next := m.nodes[cur].child(b)
		if next == 0 {
			next = int32(len(m.nodes))
			m.nodes = append(m.nodes, node{})
			m.nodes[cur].setChild(b, next)
		}
		cur = next
	}
	n := &m.nodes[cur]
	list := &n.exact
	if p[0].prefix {
		list = &n.prefix
	}
	if *list == 0 {
		m.lists = append(m.lists, entries[T]{})
		*list = int32(len(m.lists))
	}
	m.lists[*list-1].add(entry[T]{pat: p, val: v})
	m.n++
	m.maxLen = max(m.maxLen, len(p))
}

func (n *node) setChild(b byte, idx int32) {
	if len(n.kids) == 0 {
		n.lo, n.kids = b, []int32{idx}
		return
	}
	lo, hi := int(n.lo), int(n.lo)+len(n.kids)-1
	nlo, nhi := min(lo, int(b)), max(hi, int(b))
	if nlo != lo || nhi != hi {
		kids := make([]int32, nhi-nlo+1)
		copy(kids[lo-nlo:], n.kids)
		n.lo, n.kids = byte(nlo), kids
	}
	n.kids[int(b)-int(n.lo)] = idx
}

// Match is one occurrence of a pattern: tokens [From, To).
type Match[T any] struct {
	Val      T
	From, To int
}

// FindAll calls fn for every occurrence of every pattern in toks, in token
// order; several patterns may match at one place.
func (m *Matcher[T]) FindAll(toks []Token, fn func(Match[T])) {
	for _, mt := range m.AppendAll(nil, toks, 0) {
		fn(mt)
	}
}

// Any reports whether some pattern occurs in toks.
func (m *Matcher[T]) Any(toks []Token) bool {
	if len(m.nodes) == 0 {
		return false
	}
	var buf [1]Match[T]
	root := &m.nodes[0]
	for i := range toks {
		t := toks[i].Text
		n := root
		for j := 0; j < len(t); j++ {
			k := n.child(t[j])
			if k == 0 {
				n = nil
				break
			}
			n = &m.nodes[k]
			if n.prefix != 0 && len(m.lists[n.prefix-1].appendMatches(buf[:0], toks, i)) > 0 {
				return true
			}
		}
		if n != nil && n.exact != 0 && len(m.lists[n.exact-1].appendMatches(buf[:0], toks, i)) > 0 {
			return true
		}
	}
	return false
}

// AppendAt appends to dst the occurrences of patterns that start at token
// i, in the order of FindAll.
func (m *Matcher[T]) AppendAt(dst []Match[T], toks []Token, i int) []Match[T] {
	if len(m.nodes) == 0 || i < 0 || i >= len(toks) {
		return dst
	}
	t := toks[i].Text
	n := &m.nodes[0]
	for j := 0; j < len(t); j++ {
		k := n.child(t[j])
		if k == 0 {
			return dst
		}
		n = &m.nodes[k]
		if n.prefix != 0 {
			dst = m.lists[n.prefix-1].appendMatches(dst, toks, i)
		}
	}
	if n.exact != 0 {
		dst = m.lists[n.exact-1].appendMatches(dst, toks, i)
	}
	return dst
}

// AppendAll appends to dst every occurrence of every pattern in toks that
// starts at token from or later, in the order of FindAll.
func (m *Matcher[T]) AppendAll(dst []Match[T], toks []Token, from int) []Match[T] {
	if len(m.nodes) == 0 {
		return dst
	}
	root := &m.nodes[0]
	for i := from; i < len(toks); i++ {
		t := toks[i].Text
		n := root
		for j := 0; j < len(t); j++ {
			k := n.child(t[j])
			if k == 0 {
				n = nil
				break
			}
			n = &m.nodes[k]
			if n.prefix != 0 {
				dst = m.lists[n.prefix-1].appendMatches(dst, toks, i)
			}
		}
		if n != nil && n.exact != 0 {
			dst = m.lists[n.exact-1].appendMatches(dst, toks, i)
		}
	}
	return dst
}
