package normalize

import "unicode/utf8"

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

// detectLang is Language over a title and the start of a text.
func detectLang(title, text string) string {
	var st langStats
	st.scan(title, langScanBytes)
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
}

func (st *langStats) scan(s string, limit int) {
	for i := 0; i < len(s) && i < limit; {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z':
				st.lat++
				st.addByte(c)
			case c >= 'A' && c <= 'Z':
				st.lat++
				st.addByte(c + 'a' - 'A')
			case c == '\'':
				// keep words like "don't" whole enough: end the word
				st.endWord()
			default:
				st.endWord()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= 0x0400 && r <= 0x04ff:
			st.cyr++
			st.endWord()
			switch r {
			case 'і', 'ї', 'є', 'ґ', 'І', 'Ї', 'Є', 'Ґ':
				st.ukOnly++
			case 'ы', 'э', 'ъ', 'ё', 'Ы', 'Э', 'Ъ', 'Ё':
				st.ruOnly++
			}
		case r >= 0xc0 && r <= 0x24f && r != 0xd7 && r != 0xf7:
			st.lat++
			st.wordTooLong = true // a word with diacritics is no function word we test
			switch r {
			case 'ä', 'ö', 'ü', 'ß', 'Ä', 'Ö', 'Ü':
				st.deDiac++
			case 'é', 'è', 'ê', 'à', 'ç', 'ù', 'â', 'î', 'ô', 'œ', 'ë', 'ï', 'É', 'È', 'Ç', 'À':
				st.frDiac++
			}
		default:
			st.endWord()
		}
	}
	st.endWord()
}

func (st *langStats) addByte(c byte) {
	if st.wordLen < len(st.word) {
		st.word[st.wordLen] = c
		st.wordLen++
	} else {
		st.wordTooLong = true
	}
}

func (st *langStats) endWord() {
	if st.wordLen == 0 {
		st.wordTooLong = false
		return
	}
	if !st.wordTooLong {
		switch string(st.word[:st.wordLen]) {
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
	if st.cyr+st.lat < 3 {
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
