package gazgen

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/textmatch"
)

// foldName is a name as names are compared: folded, letters and digits
// only, single-spaced.
func foldName(s string) string {
	return strings.Join(strings.FieldsFunc(textmatch.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

// commonWords are capitalised often enough at the start of a sentence, or
// as a name of something else, that a surname spelled like them would match
// by accident: they are never a surname pattern.
var commonWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`january february march april may june july august september october november december
		monday tuesday wednesday thursday friday saturday sunday
		key brown rice king bush young long lee hall ali khan kim park moon green rose white black hill ward best bell hope
		love price page grant rich wood stone little chance cash gay joy law mark north south west east may will can new
		good great old fox house church bishop pope prince duke lord earl baron knight major general admiral captain
		president minister premier chancellor state union republic national people party congress council assembly
		court justice army navy force forces bank trade peace war gold silver iron steel oil gas power field fields
		ford marshall martin paul peter john james thomas george david mohamed mohammed muhammad ahmed ahmad hassan
		hussein abdullah abdul salman said saeed omar umar ibrahim ismail yusuf musa isa adam noor nur abu bin ibn
		al el de da del della di van von der den le la du des dos das`) {
		commonWords[w] = true
	}
}

// surname is the pattern for a generated person's surname: the last word of
// the name, when it has two words or more and the word is long and not a
// common word; "" otherwise.
func surname(name string) string {
	ws := strings.Fields(name)
	if len(ws) < 2 || strings.ContainsAny(name, ",()") || strings.Contains(name, " of ") {
		return "" // "Henri, Grand Duke of Luxembourg", "Harald V of Norway": a regnal name
	}
	last := strings.Trim(ws[len(ws)-1], ".,()")
	f := foldName(last)
	if len([]rune(f)) < 4 || commonWords[f] || strings.ContainsAny(f, " 0123456789") {
		return ""
	}
	for _, r := range last {
		if !unicode.IsUpper(r) {
			return "" // "de", "al-": a particle
		}
		break
	}
	return last
}

var ruNamer = display.Regions(language.Russian)

// ruGenitive is the Russian genitive of a country's CLDR name, for titles:
// "Словакия" → "Словакии", "Канада" → "Канады", "Казахстан" →
// "Казахстана", "Южная Африка" → "Южной Африки". Indeclinable names stay.
func ruGenitive(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return ""
	}
	name := ruNamer.Name(r)
	if name == "" {
		return ""
	}
	if i := strings.Index(name, " ("); i > 0 {
		name = name[:i]
	}
	words := strings.Fields(name)
	for i, w := range words {
		words[i] = genitiveWord(w, i < len(words)-1)
	}
	return strings.Join(words, " ")
}

func genitiveWord(w string, adjective bool) string {
	rs := []rune(w)
	n := len(rs)
	if n < 2 {
		return w
	}
	end, end2 := string(rs[n-1:]), string(rs[n-2:])
	stem1, stem2 := string(rs[:n-1]), string(rs[:n-2])
	prev := rs[n-2]
	switch {
	case w == strings.ToUpper(w):
		return w // an acronym does not decline: "КНДР", "США"
	case strings.Contains(w, "-") && adjective:
		// "Центрально-Африканская": only the last part declines
		i := strings.LastIndex(w, "-")
		return w[:i+1] + genitiveWord(w[i+1:], true)
	case adjective && (end2 == "ая" || end2 == "яя"):
		return stem2 + "ой"
	case adjective && (end2 == "ий" || end2 == "ый" || end2 == "ой"):
		if strings.ContainsRune("кгхжшчщ", prev) && end2 == "ий" {
			return stem2 + "ого"
		}
		return stem2 + "ого"
	case adjective && (end2 == "ые" || end2 == "ие"):
		return stem2 + "ых"
	case adjective && end2 == "ое":
		return stem2 + "ого"
	case end2 == "ия":
		return stem1 + "и"
	case end == "я":
		return stem1 + "и"
	case end == "а" && strings.ContainsRune("аеиоуэюя", prev):
		return w // Антигуа, Папуа: a vowel before -а does not decline
	case end == "а":
		if strings.ContainsRune("гкхжшчщ", prev) {
			return stem1 + "и"
		}
		return stem1 + "ы"
	case end == "ы":
		// plural names: "Штаты" → "Штатов", "Филиппины" → "Филиппин"; a
		// name in -и is a foreign one that does not decline: "Мали", "Чили"
		if end == "ы" && strings.HasSuffix(stem1, "ин") {
			return stem1
		}
		return stem1 + "ов"
	case end == "й":
		return stem1 + "я"
	case end == "ь":
		return stem1 + "я"
	case strings.ContainsRune("оеиуюэё", []rune(end)[0]):
		return w // Мали, Перу, Того, Кабо-Верде
	}
	return w + "а"
}

// titledSurnames returns "<office title> <surname>" for a leader whose
// surname is a common word, for each leading office of ts, less those in
// have.
func (b *builder) titledSurnames(name string, ts []*term, have []string) []string {
	ws := strings.Fields(name)
	if len(ws) < 2 || strings.ContainsAny(name, ",()") || strings.Contains(name, " of ") {
		return nil
	}
	last := strings.Trim(ws[len(ws)-1], ".,")
	if r, _ := utf8.DecodeRuneInString(last); !unicode.IsUpper(r) || !commonWords[foldName(last)] || len(last) < 3 ||
		patronyms[foldName(last)] || slices.ContainsFunc(ws, func(w string) bool { return patronyms[foldName(w)] && len(w) <= 3 }) {
		return nil // "Anwar Ibrahim", "Abiy Ahmed Ali", "Mohammed bin Salman": the last word is no surname in use
	}
	var out []string
	add := func(a string) {
		if !slices.Contains(have, a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, t := range ts {
		for _, o := range b.over.Offices {
			if o.Kind != t.kind || !o.Lead || o.Kind == gazetteer.KindLeader {
				continue
			}
			add(o.TitleEN + " " + last)
			if o.Kind == gazetteer.KindPrimeMinister {
				add("PM " + last)
			}
		}
	}
	return out
}

// patronyms are the common words that end Arabic and Malay names as a
// father's name, not a surname a title goes with, and the particles that
// mark such names.
var patronyms = map[string]bool{"mohamed": true, "mohammed": true, "muhammad": true, "ahmed": true, "ahmad": true,
	"hassan": true, "hussein": true, "abdullah": true, "abdul": true, "salman": true, "said": true, "saeed": true,
	"omar": true, "umar": true, "ibrahim": true, "ismail": true, "yusuf": true, "musa": true, "isa": true, "adam": true,
	"noor": true, "nur": true, "abu": true, "ali": true, "bin": true, "ibn": true, "al": true, "el": true, "ben": true}

// spanishNames are the countries whose names end in the mother's surname.
var spanishNames = map[string]bool{"AR": true, "BO": true, "CL": true, "CO": true, "CR": true, "CU": true, "DO": true,
	"EC": true, "ES": true, "GT": true, "HN": true, "MX": true, "NI": true, "PA": true, "PE": true, "PY": true,
	"SV": true, "UY": true, "VE": true}
