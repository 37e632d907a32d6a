package normalize

import (
	"unicode"
	"unicode/utf8"
)

// langScanBytes bounds the text Language looks at: enough for a confident
// decision, constant cost on long statements.
const langScanBytes = 2048

// Language detects the language of text: "ru", "uk", "en", "de", "fr", or ""
// when undetermined (fewer than three letters, or no Cyrillic or Latin
// letters). The script with more letters wins, so Russian with Latin names is
// "ru" and English with a Cyrillic name is "en". Cyrillic text is "uk" when
// Ukrainian-only letters (і ї є ґ) outnumber Russian-only ones (ы э ъ ё); Latin
// text is "en" unless German or French function words and diacritics clearly
// dominate.
func Language(text string) string {
	var st langStats
	st.scan(text, langScanBytes)
	return st.result()
}

// Weights of letters in detectLang. A title says what language a statement
// is in more reliably than its body, and capitalised words other than a
// title's first are mostly names, which keep their own script in any
// language: "Разговор с Macron Emmanuel" is Russian, and so is a body that
// only lists names in Latin letters.
const (
	titleWeight     = 8
	titleNameWeight = 2
	bodyWeight      = 2
	bodyNameWeight  = 1
)

// detectLang is Language over a title and the start of a text, with letters
// weighted by where they are (titleWeight, bodyWeight) and whether their word
// is capitalised (titleNameWeight, bodyNameWeight; not a title's first word).
func detectLang(title, text string) string {
	var st langStats
	st.weight, st.nameWeight = titleWeight, titleNameWeight
	st.scan(title, langScanBytes)
	st.weight, st.nameWeight, st.words = bodyWeight, bodyNameWeight, 1
	if rest := langScanBytes - len(title); rest > 256 {
		st.scan(text, rest)
	} else {
		st.scan(text, 256)
	}
	return st.result()
}

type langStats struct {
	cyr, lat       int
	ukOnly, ruOnly int
	en, de, fr     int // function-word hits
	deDiac, frDiac int
	word           [12]byte
	wordLen        int
	wordTooLong    bool

	letters int // unweighted

	// Weighting (detectLang; Language counts every letter once): the weights
	// of letters in ordinary and in capitalised words, the letters of the
	// current word by script, whether it is capitalised, and how many words
	// came before it.
	weight, nameWeight int
	wordCyr, wordLat   int
	wordCap, wordBegun bool
	words              int
}

// letter counts one letter of script cyr (else Latin) starting or continuing a word.
func (st *langStats) letter(cyr, upper bool) {
	st.letters++
	if st.weight == 0 {
		if cyr {
			st.cyr++
		} else {
			st.lat++
		}
		return
	}
	if !st.wordBegun {
		st.wordBegun, st.wordCap = true, upper
	}
	if cyr {
		st.wordCyr++
	} else {
		st.wordLat++
	}
}

// endWeightedWord adds the letters of the word just ended, weighted.
func (st *langStats) endWeightedWord() {
	if !st.wordBegun {
		return
	}
	w := st.weight
	if st.wordCap && st.words > 0 {
		w = st.nameWeight
	}
	st.cyr += w * st.wordCyr
	st.lat += w * st.wordLat
	st.words++
	st.wordCyr, st.wordLat, st.wordBegun, st.wordCap = 0, 0, false, false
}

func (st *langStats) scan(s string, limit int) {
	n := min(len(s), limit)
	for i := 0; i < n; {
		c := s[i]
		if c < utf8.RuneSelf {
			if !isASCIILetter(c) {
				i++
				st.endWord()
				st.endWeightedWord()
				continue
			}
			j := i + 1
			for j < n && isASCIILetter(s[j]) {
				j++
			}
			st.latinRun(s[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= 0x0400 && r <= 0x04ff:
			if st.wordLat > 0 {
				st.endWeightedWord() // a script change inside a token starts a new word
			}
			st.letter(true, unicode.IsUpper(r))
			st.endWord()
			switch r {
			case 'і', 'ї', 'є', 'ґ', 'І', 'Ї', 'Є', 'Ґ':
				st.ukOnly++
			case 'ы', 'э', 'ъ', 'ё', 'Ы', 'Э', 'Ъ', 'Ё':
				st.ruOnly++
			}
		case r >= 0xc0 && r <= 0x24f && r != 0xd7 && r != 0xf7:
			st.letter(false, unicode.IsUpper(r))
			st.wordTooLong = true // a word with diacritics is no function word we test
			switch r {
			case 'ä', 'ö', 'ü', 'ß', 'Ä', 'Ö', 'Ü':
				st.deDiac++
			case 'é', 'è', 'ê', 'à', 'ç', 'ù', 'â', 'î', 'ô', 'œ', 'ë', 'ï', 'É', 'È', 'Ç', 'À':
				st.frDiac++
			}
		default:
			st.endWord()
			st.endWeightedWord()
		}
	}
	st.endWord()
	st.endWeightedWord()
}

// isASCIILetter reports whether c is a to z or A to Z.
func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// latinRun counts a run of ASCII letters, which starts a word or continues
// one, as that many calls of letter would, and adds them to the word.
func (st *langStats) latinRun(w string) {
	if st.wordCyr > 0 {
		st.endWeightedWord() // a script change inside a token starts a new word
	}
	st.letters += len(w)
	if st.weight == 0 {
		st.lat += len(w)
	} else {
		if !st.wordBegun {
			st.wordBegun, st.wordCap = true, w[0] <= 'Z'
		}
		st.wordLat += len(w)
	}
	n := copy(st.word[st.wordLen:], w) // lower-cased by endWord
	st.wordLen += n
	if n < len(w) {
		st.wordTooLong = true
	}
}

// maxFunctionWord is the length of the longest function word endWord
// counts ("nicht").
const maxFunctionWord = 5

func (st *langStats) endWord() {
	if st.wordLen == 0 {
		st.wordTooLong = false
		return
	}
	if !st.wordTooLong && st.wordLen <= maxFunctionWord {
		w := st.word[:st.wordLen]
		for k := range w {
			w[k] |= 'a' - 'A' // ASCII letters: lower case
		}
		switch string(w) {
		case "the", "of", "and", "to", "in", "with", "on", "for", "is", "was", "that", "by",
			"at", "from", "as", "an", "are", "were", "has", "have", "this", "will", "it":
			st.en++
		case "der", "die", "und", "das", "mit", "den", "von", "ist", "des", "sich", "nicht",
			"ein", "eine", "dem", "zu", "auf", "im", "wird", "auch", "bei":
			st.de++
		case "le", "la", "les", "et", "du", "un", "une", "est", "avec", "pour", "dans",
			"au", "aux", "sur", "que", "qui", "par", "ne", "pas", "ce":
			st.fr++
		}
	}
	st.wordLen = 0
	st.wordTooLong = false
}

func (st *langStats) result() string {
	if st.letters < 3 {
		return ""
	}
	if st.cyr > st.lat {
		if st.ukOnly > st.ruOnly {
			return "uk"
		}
		return "ru"
	}
	en := 2 * st.en
	de := 2*st.de + st.deDiac
	fr := 2*st.fr + st.frDiac
	switch {
	case de >= 3 && de > en && de >= fr:
		return "de"
	case fr >= 3 && fr > en && fr > de:
		return "fr"
	}
	return "en"
}
