package countries

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language/display"

	"github.com/readout/readout/pkg/textmatch"
)

// Russian names are turned into patterns in three steps.
//
//  1. Each name (CLDR's, or those of ruNames; "Мьянма (Бирма)" gives two)
//     is split into words as the
//     matcher splits text (at spaces, hyphens and apostrophes), and each word is
//     given the forms it takes in the six cases: a slot. Adjectives before the
//     head noun agree with it ("Южная Африка": южная, южной, южную, южною);
//     the head noun follows the declension its ending implies (inflectNoun);
//     words after the head are fixed, as in "Республика Корея", "Федеративные
//     Штаты Микронезии"; "и" and a dash start a new head ("Босния и
//     Герцеговина", "Папуа — Новая Гвинея"); in a hyphenated name only the
//     last part declines ("Шри-Ланка", "Коста-Рика"), unless ruFirstDeclines
//     says otherwise ("Гвинея-Бисау").
//  2. A slot becomes the longest common prefix of its forms with "*"
//     ("словаки*", "южн*"), or the form itself when it has one.
//  3. A one-word name whose stem is shorter than minRUStem letters, or would
//     match a word of ruCommonWords or another country's word ("нигер*" would
//     match Нигерия, "доминик*" Доминиканская), is listed as its exact forms
//     instead ("куба", "кубы", "кубе", ...), less those in ruStopForms.
//
// The adjective stems of ruAdj are then added as they are. A name in capitals
// ("США", "ЮАР") is an abbreviation and matches as it is.

// minRUStem is the fewest letters a one-word stem may have; shorter ones
// become exact forms.
const minRUStem = 4

// minRUSlotStem is the fewest letters a stem may have inside a name of
// several words ("нов* зеланди*"); shorter ones become exact forms.
const minRUSlotStem = 3

// ruNames replaces CLDR's Russian name where it is not the one texts use
// ("Конго - Браззавиль", "Свазиленд") or where texts use others too
// ("Белоруссия", "Южная Корея", "США").
var ruNames = map[string][]string{
	"AE": {"Объединенные Арабские Эмираты", "ОАЭ"},
	"BA": {"Босния и Герцеговина", "Босния"},
	"BN": {"Бруней", "Бруней-Даруссалам"},
	"BY": {"Беларусь", "Белоруссия"},
	"CD": {"Демократическая Республика Конго", "ДР Конго", "ДРК", "Конго-Киншаса"},
	"CF": {"Центральноафриканская Республика", "Центрально-Африканская Республика", "ЦАР"},
	"CG": {"Республика Конго", "Конго-Браззавиль"},
	"CI": {"Кот-д’Ивуар", "Берег Слоновой Кости"},
	"CN": {"Китай", "КНР"},
	"CV": {"Кабо-Верде", "Острова Зеленого Мыса"},
	"DE": {"Германия", "ФРГ"},
	"FM": {"Федеративные Штаты Микронезии", "Микронезия"},
	"GB": {"Великобритания", "Соединенное Королевство"},
	"KG": {"Киргизия", "Кыргызстан"},
	"KP": {"КНДР", "Корейская Народно-Демократическая Республика", "Северная Корея"},
	"KR": {"Республика Корея", "Южная Корея"},
	"MD": {"Молдова", "Молдавия"},
	"MK": {"Северная Македония", "Македония"},
	"MX": {"Мексика", "Мексиканские Соединенные Штаты"}, // contains the US's name
	"NL": {"Нидерланды", "Голландия"},
	"PS": {"Палестина"},
	"RU": {"Россия", "РФ"},
	"SC": {"Сейшельские Острова", "Сейшелы"},
	"SV": {"Сальвадор", "Эль-Сальвадор"},
	"SZ": {"Эсватини", "Свазиленд"},
	"TH": {"Таиланд", "Тайланд"},
	"TG": {"Того", "Республика Того"},
	"TL": {"Восточный Тимор", "Тимор-Лешти"},
	"US": {"Соединенные Штаты", "США"},
	"VA": {"Ватикан", "Святейший Престол"},
	"ZA": {"Южно-Африканская Республика", "ЮАР", "Южная Африка"},
}

// ruAdj are Russian adjective stems ("словацк*": словацкий, словацкой, ...).
// Stems that a name's stem already covers ("казахстанск*" under
// "казахстан*") are dropped when the patterns are built. Shared or doubtful
// adjectives are left out: "корейск*" (both Koreas), "конголезск*" (both
// Congos), "македонск*" (Alexander the Great), "английск*" and "русск*"
// (languages and peoples more than states).
var ruAdj = map[string][]string{
	"AD": {"андоррск*"},
	"AE": {"эмиратск*"},
	"AF": {"афганск*"},
	"AL": {"албанск*"},
	"AM": {"армянск*"},
	"AO": {"ангольск*"},
	"AR": {"аргентинск*"},
	"AT": {"австрийск*"},
	"AU": {"австралийск*"},
	"AZ": {"азербайджанск*"},
	"BA": {"боснийск*"},
	"BD": {"бангладешск*"},
	"BE": {"бельгийск*"},
	"BG": {"болгарск*"},
	"BH": {"бахрейнск*"},
	"BI": {"бурундийск*"},
	"BJ": {"бенинск*"},
	"BN": {"брунейск*"},
	"BO": {"боливийск*"},
	"BR": {"бразильск*"},
	"BT": {"бутанск*"},
	"BY": {"белорусск*"},
	"BZ": {"белизск*"},
	"CF": {"центральноафриканск*"},
	"CH": {"швейцарск*"},
	"CI": {"ивуарийск*"},
	"CL": {"чилийск*"},
	"CM": {"камерунск*"},
	"CN": {"китайск*"},
	"CO": {"колумбийск*"},
	"CR": {"костариканск*"},
	"CU": {"кубинск*"},
	"CY": {"кипрск*"},
	"CZ": {"чешск*"},
	"DE": {"германск*", "немецк*"},
	"DJ": {"джибутийск*"},
	"DK": {"датск*"},
	"DO": {"доминиканск*"},
	"DZ": {"алжирск*"},
	"EC": {"эквадорск*"},
	"EE": {"эстонск*"},
	"EG": {"египетск*"},
	"ER": {"эритрейск*"},
	"ES": {"испанск*"},
	"ET": {"эфиопск*"},
	"FI": {"финск*", "финляндск*"},
	"FJ": {"фиджийск*"},
	"FM": {"микронезийск*"},
	"FR": {"французск*"},
	"GA": {"габонск*"},
	"GB": {"британск*"},
	"GE": {"грузинск*"},
	"GH": {"ганск*"},
	"GM": {"гамбийск*"},
	"GN": {"гвинейск*"},
	"GR": {"греческ*"},
	"GT": {"гватемальск*"},
	"HN": {"гондурасск*"},
	"HR": {"хорватск*"},
	"HT": {"гаитянск*"},
	"HU": {"венгерск*"},
	"ID": {"индонезийск*"},
	"IE": {"ирландск*"},
	"IL": {"израильск*"},
	"IN": {"индийск*"},
	"IQ": {"иракск*"},
	"IR": {"иранск*"},
	"IS": {"исландск*"},
	"IT": {"итальянск*"},
	"JM": {"ямайск*"},
	"JO": {"иорданск*"},
	"JP": {"японск*"},
	"KE": {"кенийск*"},
	"KG": {"киргизск*", "кыргызск*"},
	"KH": {"камбоджийск*"},
	"KM": {"коморск*"},
	"KP": {"северокорейск*"},
	"KR": {"южнокорейск*"},
	"KW": {"кувейтск*"},
	"KZ": {"казахстанск*", "казахск*"},
	"LA": {"лаосск*"},
	"LB": {"ливанск*"},
	"LK": {"шри ланкийск*"},
	"LR": {"либерийск*"},
	"LT": {"литовск*"},
	"LU": {"люксембургск*"},
	"LV": {"латвийск*"},
	"LY": {"ливийск*"},
	"MA": {"марокканск*"},
	"MD": {"молдавск*", "молдовск*"},
	"ME": {"черногорск*"},
	"MG": {"малагасийск*", "мадагаскарск*"},
	"MK": {"северомакедонск*"},
	"ML": {"малийск*"},
	"MM": {"мьянманск*", "бирманск*"},
	"MN": {"монгольск*"},
	"MR": {"мавританск*"},
	"MT": {"мальтийск*"},
	"MU": {"маврикийск*"},
	"MV": {"мальдивск*"},
	"MW": {"малавийск*"},
	"MX": {"мексиканск*"},
	"MY": {"малайзийск*"},
	"MZ": {"мозамбикск*"},
	"NA": {"намибийск*"},
	"NE": {"нигерск*"},
	"NG": {"нигерийск*"},
	"NI": {"никарагуанск*"},
	"NL": {"нидерландск*", "голландск*"},
	"NO": {"норвежск*"},
	"NP": {"непальск*"},
	"NZ": {"новозеландск*"},
	"OM": {"оманск*"},
	"PA": {"панамск*"},
	"PE": {"перуанск*"},
	"PH": {"филиппинск*"},
	"PK": {"пакистанск*"},
	"PL": {"польск*"},
	"PS": {"палестинск*"},
	"PT": {"португальск*"},
	"PY": {"парагвайск*"},
	"QA": {"катарск*"},
	"RO": {"румынск*"},
	"RS": {"сербск*"},
	"RU": {"российск*"},
	"RW": {"руандийск*"},
	"SA": {"саудовск*"},
	"SC": {"сейшельск*"},
	"SD": {"суданск*"},
	"SE": {"шведск*"},
	"SG": {"сингапурск*"},
	"SI": {"словенск*"},
	"SK": {"словацк*"},
	"SN": {"сенегальск*"},
	"SO": {"сомалийск*"},
	"SS": {"южносуданск*"},
	"SV": {"сальвадорск*"},
	"SY": {"сирийск*"},
	"TD": {"чадск*"},
	"TG": {"тоголезск*"},
	"TH": {"таиландск*", "тайск*"},
	"TJ": {"таджикск*"},
	"TM": {"туркменск*"},
	"TN": {"тунисск*"},
	"TR": {"турецк*"},
	"TW": {"тайваньск*"},
	"TZ": {"танзанийск*"},
	"UA": {"украинск*"},
	"UG": {"угандийск*"},
	"US": {"американск*"},
	"UY": {"уругвайск*"},
	"UZ": {"узбекск*"},
	"VA": {"ватиканск*"},
	"VE": {"венесуэльск*"},
	"VN": {"вьетнамск*"},
	"WS": {"самоанск*"},
	"XK": {"косовск*"},
	"YE": {"йеменск*"},
	"ZA": {"южноафриканск*"},
	"ZM": {"замбийск*"},
	"ZW": {"зимбабвийск*"},
}

// ruCommonWords are words and names (folded) that a one-word stem must not
// match. A stem that matches one (unless the word is a form of the name
// itself) is replaced by the name's exact forms: "франци*" would match
// "Франциск" (Pope Francis), "ирак*" "Ираклий" (prime ministers of Georgia),
// "сири*" "Сириус" (the education centre in Sochi). Found by scanning the
// OpenCorpora dictionary for words that begin with each stem.
var ruCommonWords = map[string]string{ // word → the country whose stem it blocks
	"албаниз":         "AL", // Anthony Albanese, Prime Minister of Australia
	"белизна":         "BZ",
	"бирмингем":       "MM", // Бирма
	"бутановый":       "BT", // бутан is also butane
	"гамбит":          "GM",
	"гренадер":        "GD",
	"грузить":         "GE",
	"грузил":          "GE",
	"грузило":         "GE",
	"дани":            "DK", // genitive of дань (tribute)
	"индивидуальный":  "IN",
	"индикатор":       "IN",
	"индиго":          "IN",
	"индианка":        "IN",
	"индифферентный":  "IN",
	"ираклий":         "IQ",
	"катаракта":       "QA",
	"кенигсберг":      "KE",
	"кита":            "CN", // genitive of кит (whale)
	"коморовский":     "KM", // Bronisław Komorowski, President of Poland (Коморы)
	"литвиненко":      "LT",
	"литвинов":        "LT",
	"панамериканский": "PA",
	"сириус":          "SY",
	"судани":          "SD", // Mohammed Shia al-Sudani, Prime Minister of Iraq
	"сирин":           "SY",
	"франциск":        "FR",
	"францисканец":    "FR",
}

// ruStopForms are forms too common as words to list: "того" (Togo, and the
// genitive of "тот").
var ruStopForms = map[string]bool{"того": true}

// ruIrregular gives the forms of nouns the rules would decline wrongly:
// fleeting vowels and native neuter nouns in -о, which the rules take for
// indeclinable foreign names.
var ruIrregular = map[string][]string{
	"египет":      {"египет", "египта", "египту", "египтом", "египте"},
	"королевство": {"королевство", "королевства", "королевству", "королевством", "королевстве"},
	"острова":     {"острова", "островов", "островам", "островами", "островах"},
}

// ruFixed are names that do not decline although their ending suggests they
// would (OpenCorpora has Тонга indeclinable).
var ruFixed = map[string]bool{"тонга": true}

// ruFirstDeclines are hyphenated names whose first part declines and whose
// other parts stay ("Гвинеи-Бисау").
var ruFirstDeclines = map[string]bool{"гвинея-бисау": true}

// ruSoftFeminine are feminine nouns in -ь (Беларусь, Беларуси); other nouns
// in -ь are masculine (Израиль, Израиля).
var ruSoftFeminine = map[string]bool{"беларусь": true}

// slot is the forms one word of a name takes in the six cases; a single form
// when it does not change.
type slot []string

// russianNames returns the Russian names of a country: ruNames, or CLDR's,
// with a parenthesised alternative as a name of its own ("Мьянма (Бирма)").
func russianNames(code string) []string {
	names, ok := ruNames[code]
	if !ok {
		names = []string{display.Russian.Regions().Name(region(code))}
	}
	var out []string
	for _, n := range names {
		if before, inner, ok := strings.Cut(n, " ("); ok {
			out = append(out, before, strings.TrimSuffix(inner, ")"))
		} else {
			out = append(out, n)
		}
	}
	return out
}

// russianPatterns returns the Russian patterns of every country of codes.
func russianPatterns(codes []string) map[string][]string {
	w := newRUWords(codes)
	out := map[string][]string{}
	for _, code := range codes {
		var ps []string
		add := func(p string) {
			if !slices.Contains(ps, p) {
				ps = append(ps, p)
			}
		}
		for _, s := range w.slotsOf[code] {
			if len(s) > 1 {
				for _, p := range slotPatterns(s) {
					add(p)
				}
				continue
			}
			for _, p := range w.oneWordPatterns(code, s[0]) {
				add(p)
			}
		}
		for _, p := range ruAdj[code] {
			if !coveredBy(p, ps) {
				add(p)
			}
		}
		out[code] = ps
	}
	return out
}

// ruWords are the inflected names of the countries and who owns each word.
type ruWords struct {
	slotsOf map[string][][]slot
	owner   map[string]map[string]bool // word (form or adjective stem) → codes that have it
}

func newRUWords(codes []string) *ruWords {
	w := &ruWords{slotsOf: map[string][][]slot{}, owner: map[string]map[string]bool{}}
	own := func(word, code string) {
		if w.owner[word] == nil {
			w.owner[word] = map[string]bool{}
		}
		w.owner[word][code] = true
	}
	for _, code := range codes {
		for _, n := range russianNames(code) {
			s := inflectName(n)
			w.slotsOf[code] = append(w.slotsOf[code], s)
			for _, sl := range s {
				for _, f := range sl {
					own(f, code)
				}
			}
		}
		for _, p := range ruAdj[code] {
			for _, word := range strings.Fields(p) {
				own(strings.TrimSuffix(word, "*"), code)
			}
		}
	}
	return w
}

// oneWordPatterns are the patterns of a one-word name: its stem with "*"
// when the stem matches no other word, else its forms.
func (w *ruWords) oneWordPatterns(code string, forms slot) []string {
	stem := commonPrefix(forms)
	if len(forms) > 1 && utf8.RuneCountInString(stem) >= minRUStem && !w.foreign(stem, code, forms) {
		return []string{stem + "*"}
	}
	var ps []string
	for _, f := range forms {
		if !ruStopForms[f] {
			ps = append(ps, f)
		}
	}
	return ps
}

// foreign reports whether a one-word stem of code would match a common
// word or another country's word that is not one of forms.
func (w *ruWords) foreign(stem, code string, forms slot) bool {
	for word := range ruCommonWords {
		if strings.HasPrefix(word, stem) && !slices.Contains(forms, word) {
			return true
		}
	}
	for word, codes := range w.owner {
		if strings.HasPrefix(word, stem) && !slices.Contains(forms, word) && (len(codes) > 1 || !codes[code]) {
			return true
		}
	}
	return false
}

// coveredBy reports whether a one-word stem p matches nothing that one of the
// one-word stems ps does not already match ("казахстанск*" under
// "казахстан*").
func coveredBy(p string, ps []string) bool {
	stem, ok := strings.CutSuffix(p, "*")
	if !ok || strings.Contains(p, " ") {
		return false
	}
	for _, q := range ps {
		if s, ok := strings.CutSuffix(q, "*"); ok && !strings.Contains(q, " ") && strings.HasPrefix(stem, s) {
			return true
		}
	}
	return false
}

// slotPatterns returns the patterns of a name of several words: each slot a
// stem or a fixed word; a slot whose stem would be shorter than
// minRUSlotStem letters is spelled out, one pattern per form.
func slotPatterns(s []slot) []string {
	out := []string{""}
	for _, sl := range s {
		var words []string
		switch stem := commonPrefix(sl); {
		case len(sl) == 1:
			words = sl
		case utf8.RuneCountInString(stem) >= minRUSlotStem:
			words = []string{stem + "*"}
		default:
			words = sl
		}
		var next []string
		for _, p := range out {
			for _, w := range words {
				next = append(next, strings.TrimSpace(p+" "+w))
			}
		}
		out = next
	}
	return out
}

// inflectName splits a Russian name into words, one slot each (see the steps
// above).
func inflectName(name string) []slot {
	var out []slot
	head := false // the head noun has been seen: later words are fixed
	words := strings.Fields(name)
	for i, w := range words {
		if !strings.ContainsFunc(w, unicode.IsLetter) {
			head = false // "Папуа — Новая Гвинея": a dash sets off a new part
			continue
		}
		abbrev := utf8.RuneCountInString(w) >= 2 && !strings.ContainsFunc(w, unicode.IsLower)
		f := textmatch.Fold(w)
		switch {
		case f == "и":
			out = append(out, slot{f})
			head = false
		case abbrev:
			out = append(out, fixedParts(f)...)
			head = true
		case !head && i+1 < len(words) && textmatch.Fold(words[i+1]) != "и" && isAdjective(lastPart(f)):
			out = append(out, compound(f, inflectAdjective)...)
		case !head:
			out = append(out, compound(f, inflectNoun)...)
			head = true
		default:
			out = append(out, fixedParts(f)...)
		}
	}
	return out
}

// parts splits a word at hyphens and apostrophes, as the matcher's tokenizer
// does.
func parts(w string) []string {
	return strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func lastPart(w string) string {
	p := parts(w)
	return p[len(p)-1]
}

func fixedParts(w string) []slot {
	var out []slot
	for _, p := range parts(w) {
		out = append(out, slot{p})
	}
	return out
}

// compound declines a possibly hyphenated word: its last part (or its first,
// for ruFirstDeclines) with inflect, the others fixed.
func compound(w string, inflect func(string) slot) []slot {
	if ruFixed[w] {
		return fixedParts(w)
	}
	out := fixedParts(w)
	i := len(out) - 1
	if ruFirstDeclines[w] {
		i = 0
	}
	out[i] = inflect(out[i][0])
	return out
}

// isAdjective reports whether a word has an adjective's ending: -ая, -ый, -ий,
// -ой, -ое, -ые, -ие, or a plural possessive -овы/-евы/-ины ("Маршалловы").
func isAdjective(w string) bool {
	for _, e := range []string{"ая", "яя", "ый", "ий", "ой", "ое", "ее", "ые", "ие", "овы", "евы", "ины"} {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// inflectAdjective returns the case forms of an adjective in the gender and
// number its ending shows.
func inflectAdjective(w string) slot {
	switch {
	case strings.HasSuffix(w, "ая") || strings.HasSuffix(w, "яя"):
		b := trim(w, 2)
		ins := "ой"
		if strings.HasSuffix(w, "яя") || endsSibilant(b) {
			ins = "ей"
		}
		return uniq(w, b+ins, b+"ую", b+ins[:len(ins)-2]+"ю")
	case strings.HasSuffix(w, "ые") || strings.HasSuffix(w, "ие"):
		b, y := trim(w, 2), w[len(w)-4:len(w)-2] // y is "ы" or "и"
		return uniq(w, b+y+"х", b+y+"м", b+y+"ми")
	case strings.HasSuffix(w, "ы"): // -овы, -ины
		b := trim(w, 1)
		return uniq(w, b+"ых", b+"ым", b+"ыми")
	default: // -ый, -ий, -ой, -ое, -ее
		b := trim(w, 2)
		y, o := "ы", "о"
		if endsVelarOrSibilant(b) || strings.HasSuffix(w, "ий") {
			y = "и"
		}
		if strings.HasSuffix(w, "ий") && !strings.ContainsRune("гкх", lastRune(b)) || strings.HasSuffix(w, "ее") {
			o = "е" // святейший: святейшего; синий: синего
		}
		return uniq(w, b+o+"го", b+o+"му", b+y+"м", b+o+"м")
	}
}

// inflectNoun returns the case forms of a (proper) noun in the singular, or
// in the plural for a name in -ы. Foreign names ending in a vowel other than
// -а/-я, or in -а after a vowel ("Никарагуа", "Самоа"), do not decline.
func inflectNoun(w string) slot {
	if f, ok := ruIrregular[w]; ok {
		return slices.Clone(f)
	}
	r := []rune(w)
	n := len(r)
	last := r[n-1]
	prev := ' '
	if n > 1 {
		prev = r[n-2]
	}
	switch {
	case strings.ContainsRune("оеэиую", last), last == 'а' && isVowel(prev):
		return slot{w}
	case last == 'ы': // plural: Багамы, Филиппины, Штаты
		b := trim(w, 1)
		return uniq(w, b, b+"ов", b+"ам", b+"ами", b+"ах") // the genitive varies: Багам, Багамов
	case last == 'я' && prev == 'и': // Словакия
		b := trim(w, 1)
		return uniq(w, b+"и", b+"ю", b+"ей", b+"ею")
	case last == 'я': // Гвинея, Корея
		b := trim(w, 1)
		return uniq(w, b+"и", b+"е", b+"ю", b+"ей", b+"ею")
	case last == 'а': // Канада, Польша, Ямайка
		b := trim(w, 1)
		gen, ins := "ы", "ой"
		if endsVelarOrSibilant(b) {
			gen = "и"
		}
		if endsSibilant(b) {
			ins = "ей"
		}
		return uniq(w, b+gen, b+"е", b+"у", b+ins, b+ins[:len(ins)-2]+"ю")
	case last == 'ь' && ruSoftFeminine[w]: // Беларусь
		b := trim(w, 1)
		return uniq(w, b+"и", b+"ью")
	case last == 'ь': // Израиль
		b := trim(w, 1)
		return uniq(w, b+"я", b+"ю", b+"ем", b+"е")
	case last == 'й' && prev == 'и': // Маврикий
		b := trim(w, 2)
		return uniq(w, b+"ия", b+"ию", b+"ием", b+"ии")
	case last == 'й': // Китай, Парагвай
		b := trim(w, 1)
		return uniq(w, b+"я", b+"ю", b+"ем", b+"е")
	default: // Казахстан, Бангладеш
		ins := "ом"
		if endsSibilant(w) {
			ins = "ем"
		}
		return uniq(w, w+"а", w+"у", w+ins, w+"е")
	}
}

func isVowel(r rune) bool { return strings.ContainsRune("аеёиоуыэюя", r) }

// endsSibilant reports whether w ends in ж, ш, щ, ч or ц, after which an
// unstressed ending is written with е ("Польшей", "Бангладешем").
func endsSibilant(w string) bool {
	return strings.ContainsRune("жшщчц", lastRune(w))
}

func lastRune(w string) rune {
	r, _ := utf8.DecodeLastRuneInString(w)
	return r
}

// endsVelarOrSibilant reports whether w ends in г, к, х, ж, ш, щ or ч, after
// which ы is written и ("Ямайки").
func endsVelarOrSibilant(w string) bool {
	return strings.ContainsRune("гкхжшщч", lastRune(w))
}

// trim drops the last n runes of w.
func trim(w string, n int) string {
	r := []rune(w)
	return string(r[:len(r)-n])
}

func uniq(forms ...string) slot {
	var out slot
	for _, f := range forms {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// commonPrefix returns the longest common prefix of forms, in whole runes.
func commonPrefix(forms []string) string {
	if len(forms) == 0 {
		return ""
	}
	p := []rune(forms[0])
	for _, f := range forms[1:] {
		r := []rune(f)
		n := 0
		for n < len(p) && n < len(r) && p[n] == r[n] {
			n++
		}
		p = p[:n]
	}
	return string(p)
}
