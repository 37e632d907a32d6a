package gazetteer

import (
	"strings"
	"unicode"

	"github.com/readout/readout/pkg/gazetteer/textmatch"
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

func isCyrillic(s string) bool {
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

// digraphs are rewritten before the letters are classed.
var digraphs = strings.NewReplacer("tsch", "c", "shch", "s", "sch", "s", "dzh", "j", "tch", "c", "kh", "h", "zh", "j",
	"sh", "s", "sz", "s", "ch", "c", "cz", "c", "ts", "c", "tz", "c", "ph", "f", "th", "t", "ck", "k", "dj", "j", "gh", "g", "x", "ks")

// phoneticKey reduces a Latin or transliterated word to classes of its
// consonants, doubled letters once: "Heger" and "Хегер" (kheger) agree.
func phoneticKey(s string) string {
	s = digraphs.Replace(textmatch.Fold(s))
	var b strings.Builder
	var last byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'j', 'w', 'h', '\'', '-':
			// vowels and semivowels differ between renderings; h and g are
			// Г and Х in Russian
			if c == 'h' {
				c = 'g'
			} else if c == 'w' {
				c = 'v'
			} else {
				continue
			}
		case 'q':
			c = 'k'
		case 'z':
			c = 's'
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
	if !isCyrillic(w) {
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

// nameTokens returns the words of p's names (English, Russian) of at least
// three letters, folded.
func nameTokens(p *Person) []string {
	var out []string
	for _, n := range []string{p.NameEN, p.NameRU} {
		for _, f := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
			if len([]rune(f)) >= 3 {
				out = append(out, f)
			}
		}
	}
	return out
}

// wordMatches reports whether a written word is one of p's name words,
// folded, or has the phonetic key of one (at least two consonant classes).
func wordMatches(p *Person, w string) bool {
	fw := textmatch.Fold(w)
	keys := wordKeys(w)
	for _, n := range nameTokens(p) {
		if textmatch.Fold(n) == fw {
			return true
		}
		nk := phoneticKey(translit(n))
		if len(nk) < 2 {
			continue
		}
		for _, k := range keys {
			if k == nk {
				return true
			}
		}
	}
	return false
}

// NameMatches reports whether words, a name as written (in Latin or Cyrillic
// script, Russian cases included), end with one of p's name words: its
// surname. "Хегером" matches Eduard Heger.
func NameMatches(p *Person, words []string) bool {
	if len(words) == 0 {
		return false
	}
	return wordMatches(p, words[len(words)-1])
}

// FullNameMatches reports whether the first and the last of words both
// match name words of p: "Эдуардом Хегером" and Eduard Heger.
func FullNameMatches(p *Person, words []string) bool {
	if len(words) < 2 {
		return false
	}
	return wordMatches(p, words[0]) && wordMatches(p, words[len(words)-1])
}
