package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The implementations the fast paths of clean, mayNeedNFC, langStats.scan,
// dropKremlinTooltips and hashNormalized replaced, kept as references they
// must agree with.

func refClean(s string) string {
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
			// format character (Cyrillic, Latin-1 letters, ...).
			j := i + 1
			for j < len(s) && plainByte[s[j]] {
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
	if refMayNeedNFC(out) {
		return norm.NFC.String(out)
	}
	return out
}

func refMayNeedNFC(s string) bool {
	for i := 0; i < len(s); i++ {
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

func refScan(st *langStats, s string, limit int) {
	for i := 0; i < len(s) && i < limit; {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
				if st.wordCyr > 0 {
					st.endWeightedWord() // a script change inside a token starts a new word
				}
				upper := c <= 'Z'
				st.letter(false, upper)
				if upper {
					c += 'a' - 'A'
				}
				refAddByte(st, c)
			default:
				refEndWord(st)
				st.endWeightedWord()
			}
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
			refEndWord(st)
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
			refEndWord(st)
			st.endWeightedWord()
		}
	}
	refEndWord(st)
	st.endWeightedWord()
}

func refAddByte(st *langStats, c byte) {
	if st.wordLen < len(st.word) {
		st.word[st.wordLen] = c
		st.wordLen++
	} else {
		st.wordTooLong = true
	}
}

func refEndWord(st *langStats) {
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

func refDropKremlinTooltips(text string) string {
	if !mayHaveTooltip(text) {
		return text
	}
	paras := strings.Split(text, "\n\n")
	changed := false
	for i, p := range paras {
		if q, ok := refDropTooltipsInPara(p); ok {
			paras[i], changed = q, true
		}
	}
	if !changed {
		return text
	}
	return strings.Join(paras, "\n\n")
}

func refDropTooltipsInPara(p string) (string, bool) {
	words := strings.Split(p, " ")
	out := words[:0:0]
	changed := false
	for k := 0; k < len(words); k++ {
		if n, end := tooltipAt(words, k); n > 0 {
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
			changed = true
			continue
		}
		out = append(out, words[k])
	}
	if !changed {
		return p, false
	}
	return strings.Join(out, " "), true
}

func refHashNormalized(title, text string) string {
	h := sha256.New()
	h.Write([]byte(title))
	h.Write([]byte{0})
	for {
		i := strings.Index(text, "\n\n")
		if i < 0 {
			break
		}
		h.Write([]byte(text[:i]))
		h.Write([]byte{' '})
		text = text[i+2:]
	}
	h.Write([]byte(text))
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// referenceSeeds hold texts of every kind the references treat: spaces
// single and repeated, paragraph marks, quotes and dashes, Cyrillic,
// diacritics, function words, Kremlin tooltips.
var referenceSeeds = []string{
	"a b  c", " a b", "a b ", "a\u2029 b", "x \u2019 y", "a \u00a0b \u2028c\n\nd",
	"Согласно «сообщению»\u00a0— на\u00adсайте\r\nКремля.\n\nАбзац", "ok\xff\xfe",
	"The leaders of the world und die Welt et la France. Ärger éé ABCDEFGHIJKLMNOP the",
	"Разговор с Macron Emmanuel: Привет, мир! Україна ї є",
	"Александр Вучич Вучич Александр Президент Республики Сербия, подтвердил",
	"Нарендра Моди Моди Нарендра Премьер-министр Индии поздравил\n\nВторой абзац.\n\nСи Цзиньпином Си Цзиньпин Председатель .",
	"Nikol Pashinyan Pashinyan NikolPrime Minister of the Republic of Armenia: Thank you.",
}

func FuzzCleanReference(f *testing.F) {
	for _, s := range referenceSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := clean(s), refClean(s); got != want {
			t.Fatalf("clean(%q) = %q, want %q", s, got, want)
		}
		if got, want := mayNeedNFC(s), refMayNeedNFC(s); got != want {
			t.Fatalf("mayNeedNFC(%q) = %v, want %v", s, got, want)
		}
		if got, want := hashNormalized(s, s+"\n\n"+s), refHashNormalized(s, s+"\n\n"+s); got != want {
			t.Fatalf("hashNormalized(%q) = %s, want %s", s, got, want)
		}
	})
}

func FuzzLanguageReference(f *testing.F) {
	for _, s := range referenceSeeds {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		limit := len(title) // a limit that may cut a word or a rune
		// As detectLang weighs a title and a text, and as Language counts.
		var got, want langStats
		got.weight, got.nameWeight = titleWeight, titleNameWeight
		want.weight, want.nameWeight = titleWeight, titleNameWeight
		got.scan(title, limit)
		refScan(&want, title, limit)
		got.weight, got.nameWeight, got.words = bodyWeight, bodyNameWeight, 1
		want.weight, want.nameWeight, want.words = bodyWeight, bodyNameWeight, 1
		got.scan(text, langScanBytes)
		refScan(&want, text, langScanBytes)
		var got1, want1 langStats
		got1.scan(text, limit)
		refScan(&want1, text, limit)
		// The word buffer is scratch (only word[:wordLen] counts, and a scan
		// ends with wordLen 0).
		got.word, want.word, got1.word, want1.word = [12]byte{}, [12]byte{}, [12]byte{}, [12]byte{}
		if got != want || got1 != want1 {
			t.Fatalf("scan(%q, %q):\n got %+v %+v\nwant %+v %+v", title, text, got, got1, want, want1)
		}
	})
}

func FuzzTooltipsReference(f *testing.F) {
	for _, s := range referenceSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, in := range []string{s, clean(s)} {
			if got, want := dropKremlinTooltips(in), refDropKremlinTooltips(in); got != want {
				t.Fatalf("dropKremlinTooltips(%q) = %q, want %q", in, got, want)
			}
		}
	})
}
