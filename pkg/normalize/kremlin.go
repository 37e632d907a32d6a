package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kremlin page trailers as they appear in flattened page text: the material
// status block ("Статус материала … Ссылка на материал: kremlin.ru/d/N
// Текстовая версия") and, before it, the tag blocks ("География … Темы …
// Лица …") and "Смотрите также" links. English pages use the same layout.
var kremlinTrailers = []struct{ start, confirm1, confirm2 string }{
	{"Статус материала", "Ссылка на материал", "Текстовая версия"},
	{"Publication status", "Direct link", "Text version"},
}

var kremlinTagHeadings = []string{
	"География", "Темы", "Лица", "Смотрите также",
	"Geography", "Topics", "Persons", "See also",
}

// stripKremlinTrailer drops the status trailer and the tag blocks before it
// from cleaned text. Text without the trailer is returned unchanged.
func stripKremlinTrailer(t string) string {
	cut := -1
	for _, tr := range kremlinTrailers {
		if !strings.Contains(t, tr.start) { // Contains is much faster than LastIndex on a miss
			continue
		}
		i := strings.LastIndex(t, tr.start)
		rest := t[i:]
		if strings.Contains(rest, tr.confirm1) || strings.Contains(rest, tr.confirm2) {
			cut = i
			break
		}
	}
	if cut < 0 {
		return t
	}
	t = strings.TrimSpace(t[:cut])
	// The tag blocks are the tail after the last sentence end.
	end := strings.LastIndexAny(t, ".!?\"")
	tail := t[end+1:]
	first := -1
	for _, h := range kremlinTagHeadings {
		for off := 0; off < len(tail); {
			j := strings.Index(tail[off:], h)
			if j < 0 {
				break
			}
			j += off
			before := j == 0 || tail[j-1] == ' ' || tail[j-1] == '\n'
			after := j+len(h) == len(tail) || tail[j+len(h)] == ' ' || tail[j+len(h)] == '\n'
			if before && after {
				if first < 0 || j < first {
					first = j
				}
				break
			}
			off = j + len(h)
		}
	}
	if first >= 0 {
		t = strings.TrimSpace(t[:end+1+first])
	}
	return t
}

// Person tooltips in flattened Kremlin page text. kremlin.ru pages put a
// tooltip inside each person link, so page text reads "Александр Вучич Вучич
// Александр Президент Республики Сербия подтвердил": the link text, then the
// tooltip (surname first, given names, an optional patronymic, the role).
// HTMLToText drops the tooltip element; dropKremlinTooltips removes the same
// tooltip from text that was flattened elsewhere.

// tooltipRoleStarts are the words a tooltip role starts with.
var tooltipRoleStarts = []string{
	"Президент", "Премьер-министр", "Председатель", "Король", "Эмир", "Наследный", "Генеральный",
	"Канцлер", "Федеральный", "Султан", "Принц", "Министр", "Глава", "Вице-президент", "Вице-премьер",
	"Государственный", "Верховный", "Первый", "Папа", "Шейх", "Губернатор", "Мэр", "Спикер",
	"Исполняющий", "Временно", "Заместитель", "Помощник", "Пресс-секретарь", "Руководитель", "Генсек",
	"President", "Prime", "Chairman", "Chairwoman", "King", "Emir", "Crown", "Secretary-General", "Federal",
	"Chancellor", "Sultan", "Pope", "Governor", "Chief", "Vice-President", "Vice", "Minister", "Head",
	"Acting", "Deputy", "Aide", "Press", "Speaker", "Sheikh", "Queen", "Grand",
}

// tooltipRoleLower are lowercase words that may continue a role.
var tooltipRoleLower = []string{
	"секретарь", "канцлер", "министр", "министров", "принц", "президент", "премьер-министр",
	"председатель", "of", "the", "for", "minister", "secretary", "prince",
}

const wordPunct = ",.;:!?»\")"

func dropKremlinTooltips(text string) string {
	if !mayHaveTooltip(text) {
		return text
	}
	// Paragraph by paragraph; the text is copied only from the first that
	// changes, and one slice of words serves every paragraph.
	var b strings.Builder
	copying := false // whether b holds the text before paragraph p
	var words []string
	for rest, done := text, 0; ; {
		p, next, more := strings.Cut(rest, "\n\n")
		q, w, changed := dropTooltipsInPara(p, words)
		words = w
		if changed && !copying {
			copying = true
			b.Grow(len(text))
			b.WriteString(text[:done])
		}
		if copying {
			b.WriteString(q)
			if more {
				b.WriteString("\n\n")
			}
		}
		if !more {
			break
		}
		done += len(p) + 2
		rest = next
	}
	if !copying {
		return text
	}
	return b.String()
}

// dropTooltipsInPara drops the tooltips of paragraph p, splitting it into
// words in the slice words (returned for reuse), and reports whether it
// dropped any.
func dropTooltipsInPara(p string, words []string) (string, []string, bool) {
	words = words[:0]
	for rest, more := p, true; more; {
		var w string
		w, rest, more = strings.Cut(rest, " ")
		words = append(words, w)
	}
	var out []string // made at the first tooltip
	for k := 0; k < len(words); k++ {
		if n, end := tooltipAt(words, k); n > 0 {
			if out == nil {
				out = append(make([]string, 0, len(words)), words[:k]...)
			}
			// Keep the link text words[k:k+n], drop words[k+n:end].
			out = append(out, words[k:k+n]...)
			last := words[end-1]
			if trail := strings.TrimLeft(strings.TrimRight(last, wordPunct), ""); len(trail) < len(last) {
				out[len(out)-1] += last[len(trail):]
			}
			// A lone punctuation token after the link belongs to its last word.
			for end < len(words) && words[end] != "" && strings.Trim(words[end], wordPunct) == "" {
				out[len(out)-1] += words[end]
				end++
			}
			k = end - 1
			continue
		}
		if out != nil {
			out = append(out, words[k])
		}
	}
	if out == nil {
		return p, words, false
	}
	return strings.Join(out, " "), words, true
}

// tooltipAt reports whether link text of n words starting at words[k] is
// followed by a person tooltip ending before words[end].
func tooltipAt(words []string, k int) (n, end int) {
	if !isCapitalised(words[k]) {
		return 0, 0
	}
	for n = 3; n >= 1; n-- {
		t := k + n // tooltip start
		if t+n >= len(words) {
			continue
		}
		link := words[k:t]
		name := words[t : t+n]
		if !(rotatedMatch(link, name) || sameMatch(link, name)) {
			continue
		}
		r := t + n
		if n == 1 {
			// A surname-only link: the tooltip adds the given names.
			g := r
			for g < len(words) && g < r+3 && isCapitalised(words[g]) && !endsWithPunct(words[g]) &&
				!hasPrefixIn(words[g], tooltipRoleStarts) && !isPatronymic(words[g]) {
				g++
			}
			if g == r {
				continue
			}
			r = g
		}
		if r < len(words) && isPatronymic(words[r]) {
			r++
		}
		if r >= len(words) || !hasPrefixIn(words[r], tooltipRoleStarts) {
			continue
		}
		r++
		for r < len(words) && !endsWithPunct(words[r-1]) {
			w := words[r]
			if isCapitalised(w) || inList(strings.TrimRight(w, wordPunct), tooltipRoleLower) {
				r++
				continue
			}
			break
		}
		return n, r
	}
	return 0, 0
}

// rotatedMatch: the tooltip names the surname (last word of the link) first,
// then the given names: "Реджеп Тайип Эрдоган" → "Эрдоган Реджеп Тайип".
func rotatedMatch(link, name []string) bool {
	if len(link) < 2 || !stemMatch(link[len(link)-1], name[0]) {
		return false
	}
	for i := 0; i < len(link)-1; i++ {
		if !stemMatch(link[i], name[i+1]) {
			return false
		}
	}
	return true
}

// sameMatch: the tooltip repeats the link words in order ("Си Цзиньпином" →
// "Си Цзиньпин"), as for Chinese names or a single surname.
func sameMatch(link, name []string) bool {
	for i := range link {
		if !stemMatch(link[i], name[i]) {
			return false
		}
	}
	return true
}

// trimWordPunct is strings.TrimRight(s, wordPunct) without building the
// cut set on every call (wordPunct is not ASCII: "»").
func trimWordPunct(s string) string {
	for s != "" {
		r, n := utf8.DecodeLastRuneInString(s)
		if !strings.ContainsRune(wordPunct, r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

// stemMatch compares two capitalised words up to a Russian case ending:
// "Нарендрой" and "Нарендра" match, "Моди" and "Моди" match. It does not allocate.
func stemMatch(a, b string) bool {
	a, b = trimWordPunct(a), trimWordPunct(b)
	if !isCapitalised(a) || !isCapitalised(b) {
		return false
	}
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	for p > 0 && p < len(a) && !utf8.RuneStart(a[p]) {
		p-- // back to a rune boundary
	}
	n := utf8.RuneCountInString(a[:p])
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	return n >= 2 && n >= min(la, lb)-3 && (n == la || n == lb || n >= 4)
}

// mayHaveTooltip is a fast, allocation-free prefilter: a tooltip repeats a
// capitalised word of the link text within the next three words.
func mayHaveTooltip(text string) bool {
	var prev [3]string
	start := 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] != ' ' && text[i] != '\n' {
			continue
		}
		w := text[start:i]
		start = i + 1
		if w == "" {
			continue
		}
		if isCapitalised(w) {
			for _, p := range prev {
				if p != "" && p[0] == w[0] && stemMatch(p, w) {
					return true
				}
			}
		}
		prev[0], prev[1], prev[2] = prev[1], prev[2], w
	}
	return false
}

func isPatronymic(w string) bool {
	w = strings.TrimRight(w, wordPunct)
	if !isCapitalised(w) {
		return false
	}
	for _, suf := range []string{"вич", "вна", "ична", "инична", "оглы", "кызы"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

func isCapitalised(w string) bool {
	if w == "" {
		return false
	}
	if c := w[0]; c < utf8.RuneSelf {
		return c >= 'A' && c <= 'Z'
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r)
}

func endsWithPunct(w string) bool {
	return w != "" && strings.ContainsRune(wordPunct, rune(w[len(w)-1]))
}

func hasPrefixIn(w string, list []string) bool {
	for _, p := range list {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

func inList(w string, list []string) bool {
	for _, p := range list {
		if w == p {
			return true
		}
	}
	return false
}
