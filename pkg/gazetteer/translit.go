package gazetteer

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/readout/readout/pkg/textmatch"
)

// Names written in Cyrillic are matched to the English names of the data by
// a phonetic key: transliterated, Russian case endings tried off, reduced to
// consonant classes. The key is loose on purpose; callers use it only to pick
// among the few holders of an office around a day, never alone.

var cyrLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "i",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

// ruEndings are the case endings a Russian surname may carry, longest first.
var ruEndings = []string{"ого", "его", "ому", "ему", "ыми", "ими", "ом", "ем", "ём", "ым", "им", "ой", "ей", "ою", "ею", "ую", "юю", "ая", "яя",
	"а", "я", "у", "ю", "е", "ы", "и"}

// IsCyrillic reports whether s has a Cyrillic letter.
func IsCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

func translit(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if l, ok := cyrLatin[r]; ok {
			b.WriteString(l)
		} else if r < 0x80 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// digraphs are rewritten before the letters are classed: sibilants to
// "S", sounds a rendering drops or changes freely (zh, dzh) to "j".
var digraphs = strings.NewReplacer("tsch", "S", "shch", "S", "sch", "S", "dzh", "j", "tch", "S", "kh", "h", "zh", "j",
	"sh", "S", "sz", "S", "ch", "S", "cz", "S", "ts", "S", "tz", "S", "ph", "f", "th", "t", "ck", "k", "dj", "j", "gh", "g", "x", "kS")

// phoneticKey reduces a Latin or transliterated word to classes of its
// consonants, doubled letters once: "Heger" and "Хегер" (kheger) agree, so
// do "Chirac" and "Ширак", "Chávez" and "Чавес", "Berlusconi" and
// "Берлускони". Sibilants are one class (s, z, ch, sh, ts and c before e,
// i, y), other c is k, h is g (Г and Х in Russian).
func phoneticKey(s string) string {
	s = digraphs.Replace(textmatch.Fold(s))
	var b strings.Builder
	var last byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'j', '\'', '-':
			continue
		case 'h':
			c = 'g'
		case 'w':
			c = 'v'
		case 'q':
			c = 'k'
		case 'z', 'S':
			c = 's'
		case 'c':
			c = 'k'
			if i+1 < len(s) && (s[i+1] == 'e' || s[i+1] == 'i' || s[i+1] == 'y') {
				c = 's'
			}
		}
		if c < 'a' || c > 'z' {
			continue
		}
		if c != last {
			b.WriteByte(c)
		}
		last = c
	}
	return b.String()
}

// wordKeys returns the phonetic keys a written word may have: as written and,
// for a Cyrillic word, with each Russian case ending taken off.
func wordKeys(w string) []string {
	keys := []string{phoneticKey(translit(w))}
	if !IsCyrillic(w) {
		// "Abdullah" written, "Abdalla" in the data.
		if stem, ok := silentH(w); ok {
			keys = append(keys, phoneticKey(translit(stem)))
		}
		return keys
	}
	lw := strings.ToLower(w)
	for _, e := range ruEndings {
		if strings.HasSuffix(lw, e) && len([]rune(lw))-len([]rune(e)) >= 3 {
			keys = append(keys, phoneticKey(translit(strings.TrimSuffix(lw, e))))
		}
	}
	return keys
}

// silentH returns a Latin word without its final h after a vowel, which
// Russian does not write: "Abdullah" is "Абдалла" (while "Saleh" is "Салех":
// callers keep both keys).
func silentH(w string) (string, bool) {
	n := len(w)
	if n < 4 || w[n-1]|0x20 != 'h' || strings.IndexByte("aeiouAEIOU", w[n-2]) < 0 {
		return "", false
	}
	return w[:n-1], true
}

// nameKey is one word of a person's names, folded and as a phonetic key.
type nameKey struct{ fold, key string }

// buildKeys returns the words of p's names (English, Russian) of at least
// three letters.
func buildKeys(p *Person) []nameKey {
	var out []nameKey
	for _, n := range []string{p.NameEN, p.NameRU} {
		for _, f := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
			if len([]rune(f)) >= 3 {
				fold := textmatch.Fold(f)
				out = append(out, nameKey{fold, phoneticKey(translit(f))})
				if stem, ok := silentH(fold); ok {
					out = append(out, nameKey{fold, phoneticKey(stem)})
				}
			}
		}
	}
	return out
}

// writtenWord is a word of a name as written, ready to compare.
type writtenWord struct {
	fold string
	keys []string
}

func newWrittenWord(w string) writtenWord { return writtenWord{textmatch.Fold(w), wordKeys(w)} }

// matches reports whether the word is one of p's name words, folded, or has
// the phonetic key of one (of at least two consonant classes).
func (w writtenWord) matches(p *Person) bool {
	keys := p.keys
	if keys == nil {
		keys = buildKeys(p) // a Person not loaded by New
	}
	for _, n := range keys {
		if n.fold == w.fold {
			return true
		}
		if len(n.key) < 2 {
			continue
		}
		for _, k := range w.keys {
			if k == n.key {
				return true
			}
		}
	}
	return false
}

// WrittenName is a name as a text writes it (in Latin or Cyrillic script,
// Russian cases included), prepared for matching against people.
type WrittenName struct {
	first, last writtenWord
	n           int
}

// NewWrittenName prepares the words of a written name.
func NewWrittenName(words []string) WrittenName {
	// A name cut short ends with a particle that belongs to the words after
	// it: "Абдаллой Бен Абдельазизом Аль" (Саудом) ends in no name word.
	for len(words) > 1 && slices.ContainsFunc(nameParticles, func(p string) bool { return strings.EqualFold(p, words[len(words)-1]) }) {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return WrittenName{}
	}
	return WrittenName{first: newWrittenWord(words[0]), last: newWrittenWord(words[len(words)-1]), n: len(words)}
}

// nameParticles join the parts of a name: never its last word.
var nameParticles = []string{"al", "аль", "bin", "бин", "бен", "ibn", "ибн", "de", "де", "van", "ван", "von", "фон", "der", "дер"}

// Scripted reports whether the name's surname is written in a script the
// data can compare with (Latin or Cyrillic letters): a mismatch then means
// another person.
func (w WrittenName) Scripted() bool {
	return w.n > 0 && len(w.last.keys) > 0 && len(w.last.keys[0]) >= 2
}

// Empty reports whether the name has no words.
func (w WrittenName) Empty() bool { return w.n == 0 }

// Surname reports whether the name ends with one of p's name words: its
// surname. "Хегером" matches Eduard Heger.
func (w WrittenName) Surname(p *Person) bool { return w.n > 0 && w.last.matches(p) }

// Full reports whether the first and the last word both match name words of
// p: "Эдуардом Хегером" and Eduard Heger.
func (w WrittenName) Full(p *Person) bool { return w.n >= 2 && w.first.matches(p) && w.last.matches(p) }

// Given reports whether the first of two or more written words is one of
// p's names: "Бассиру Диомаем Фаем" is Bassirou Diomaye Faye by "Бассиру"
// where the surname's case form no longer looks like "Faye".
func (w WrittenName) Given(p *Person) bool { return w.n >= 2 && w.first.matches(p) }

// Words reports how many words the name was written with (at most the
// first and the last count).
func (w WrittenName) Words() int { return w.n }

// NameWord reports whether w, a word folded as textmatch folds tokens, is
// one of p's name words of three letters or more (English or Russian).
func (p *Person) NameWord(w string) bool {
	for _, k := range p.keys {
		if k.fold == w {
			return true
		}
	}
	return false
}

// NameMatches reports whether words, a name as written, end with one of p's
// name words (NewWrittenName(words).Surname(p)).
func NameMatches(p *Person, words []string) bool { return NewWrittenName(words).Surname(p) }

// candidates returns the people with a name word that the written word is
// (folded) or sounds like (phonetic key), each once.
func (g *Gazetteer) candidates(w writtenWord) []*Person {
	var out []*Person
	add := func(ps []*Person) {
		for _, p := range ps {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	add(g.byWord[w.fold])
	for _, k := range w.keys {
		if len(k) >= 2 {
			add(g.byWord["#"+k])
		}
	}
	return out
}

// NamedHolder returns the one person who held an office of kind roleKind
// (in any country) on the day and whose surname the written name ends with:
// "Prime Minister Heger", "Президентом Назарбаевым".
func (g *Gazetteer) NamedHolder(name WrittenName, roleKind string, on time.Time) (*Person, bool) {
	if name.Empty() {
		return nil, false
	}
	return g.uniqueInOffice(g.candidates(name.last), on, func(o *Office) bool { return o.Kind == roleKind }, nil)
}

// NamedLeader returns the one leader in office on the day whose given name
// and surname the written name's first and last words are.
func (g *Gazetteer) NamedLeader(name WrittenName, on time.Time) (*Person, bool) {
	if name.n < 2 {
		return nil, false
	}
	return g.uniqueInOffice(g.candidates(name.last), on, func(o *Office) bool { return o.Leader() }, func(p *Person) bool { return name.first.matches(p) })
}

// NamedPerson returns the one person, in office on the day or not, whose
// given name and surname the written name's first and last words are.
func (g *Gazetteer) NamedPerson(name WrittenName) (*Person, bool) {
	if name.n < 2 {
		return nil, false
	}
	var found *Person
	for _, p := range g.candidates(name.last) {
		if !name.first.matches(p) || p == found {
			continue
		}
		if found != nil {
			return nil, false
		}
		found = p
	}
	return found, found != nil
}

// SurnamedLeader returns the one leader in office on the day whose surname
// the written name's last word is ("с Чавесом"). A surname alone is weak
// evidence: callers take it only where the text frames a call.
func (g *Gazetteer) SurnamedLeader(name WrittenName, on time.Time) (*Person, bool) {
	if name.Empty() {
		return nil, false
	}
	return g.uniqueInOffice(g.candidates(name.last), on, func(o *Office) bool { return o.Leader() }, name.last.spelledLike)
}

// spelledLike reports whether a Latin written word is one of p's name words
// but for at most one letter: "Zelenskyy" and "Zelensky", not "Ruto" and
// "Rutte", whose sounds alone agree. A Cyrillic word is compared by sound
// only.
func (w writtenWord) spelledLike(p *Person) bool {
	if IsCyrillic(w.fold) {
		return true
	}
	keys := p.keys
	if keys == nil {
		keys = buildKeys(p)
	}
	for _, n := range keys {
		if editsAtMostOne(w.fold, n.fold) {
			return true
		}
	}
	return false
}

// editsAtMostOne reports whether a becomes b by at most one letter changed,
// added or dropped.
func editsAtMostOne(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return string(ra[i+min(1, len(ra)-i):]) == string(rb[i+min(1, len(rb)-i):])
	}
	return string(ra[i:]) == string(rb[i+1:])
}

func (g *Gazetteer) uniqueInOffice(cands []*Person, on time.Time, office func(*Office) bool, also func(*Person) bool) (*Person, bool) {
	on = day(on)
	var found *Person
	for _, p := range cands {
		held := false
		for i := range p.Offices {
			if o := &p.Offices[i]; office(o) && o.heldOnDay(on) {
				held = true
				break
			}
		}
		if !held || also != nil && !also(p) {
			continue
		}
		if found != nil {
			return nil, false
		}
		found = p
	}
	return found, found != nil
}
