package gazgen

import (
	"cmp"
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

// surname is the pattern for a generated person's surname: the family
// name (see familyName), when it is long and not a common word; ""
// otherwise.
func surname(name string, places []string) string {
	last := familyName(name, places)
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

// familyName is the word of a name that is the family name: the last,
// except in the East Asian order, where it comes first ("Lee Hsien Loong",
// "Moon Jae-in", "Li Keqiang") or second after an English given name ("Tony
// Tan Keng Yam"); "" for a name of one word or a regnal name ("Harald V of
// Norway").
func familyName(name string, places []string) string {
	ws := strings.Fields(name)
	if len(ws) < 2 || strings.ContainsAny(name, ",()") || strings.Contains(name, " of ") {
		return ""
	}
	if len(ws) >= 3 && ws[len(ws)-2] == "Al" && (slices.Contains(ws, "bin") || slices.Contains(ws, "ibn")) {
		// A dynasty after the father's name, the house of every prince:
		// "Salman bin Abdulaziz Al Saud", "Tamim bin Hamad Al Thani" (not
		// "Hazem Al Beblawi", "Mohammed Al Menfi").
		return ""
	}
	if slices.ContainsFunc(places, func(p string) bool { return familyFirst[p] }) {
		switch {
		case eastAsianFamilies[foldName(ws[0])]:
			return ws[0]
		case len(ws) >= 4 && eastAsianFamilies[foldName(ws[1])]:
			return ws[1]
		}
	}
	return strings.Trim(ws[len(ws)-1], ".,()")
}

// givenNameInUse is the word a Malay name is used by, its first: Malaysia's
// leaders are "Anwar", "Mahathir", "Najib", "Muhyiddin" (the last word is a
// father's name); "" for other names, a regnal name or a first word that is
// a patronym or common word ("Abdullah Ahmad Badawi", "Ismail Sabri Yaakob").
func givenNameInUse(name string, places []string) string {
	ws := strings.Fields(name)
	if len(ws) < 2 || !slices.Contains(places, "MY") || strings.ContainsAny(name, ",()") || strings.Contains(name, " of ") ||
		strings.Contains(name, " ibni ") {
		return ""
	}
	f := foldName(ws[0])
	if len([]rune(f)) < 4 || commonWords[f] || patronyms[f] {
		return ""
	}
	return ws[0]
}

// familyFirst are the countries whose leaders' names may put the family name
// first (Singapore's Chinese names do, its others do not).
var familyFirst = map[string]bool{"CN": true, "TW": true, "KR": true, "KP": true, "HK": true, "MO": true, "SG": true}

// eastAsianFamilies are Chinese and Korean family names as English writes
// them (pinyin, Wade-Giles, Korean and Singaporean spellings). A first word
// of a name from familyFirst that is one of them is the family name; any
// other first word ("Sean Chen", "Lawrence Wong") is a given name.
var eastAsianFamilies = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`li lee wang zhang chang liu yang huang zhao chao wu zhou chou xu hsu sun ma zhu chu hu guo
		kuo he ho lin gao kao luo lo zheng cheng liang xie hsieh song soong tang han feng deng teng cao tsao peng zeng
		tseng xiao hsiao tian dong tung pan yuan cai tsai jiang chiang yu du ye yeh wei su lu ding ren shen yao cui
		tsui zhong chung tan fan jin chin shi shih liao jia chia xia hsia fu fang bai pai zou tsou meng qin chin qiu
		chiu yin xue hsueh yan yen duan lei hou long tao gu ku mao hao wen xi hsi lai lien kim park pak choi choe
		jung jeong kang cho yoon yun jang lim im oh seo shin kwon hwang ahn song yoo ryu hong jeon chun ko moon son
		bae baek heo nam roh noh choo ri rhee ban yi goh teo ong wong chan lau yeo koh heng ng lam`) {
		eastAsianFamilies[w] = true
	}
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
// surname is a common word or an East Asian family name, for each leading
// office of ts, less those in have.
func (b *builder) titledSurnames(name string, ts []*term, places, have []string) []string {
	ws := strings.Fields(name)
	last := familyName(name, places)
	if last == "" {
		return nil
	}
	// An East Asian family name is short and shared ("Lee", "Kim", "Li"):
	// never a pattern alone, always one with the title.
	eastAsian := last != strings.Trim(ws[len(ws)-1], ".,()")
	if r, _ := utf8.DecodeRuneInString(last); !eastAsian && (!unicode.IsUpper(r) || !commonWords[foldName(last)] || len(last) < 3 ||
		patronyms[foldName(last)] || slices.ContainsFunc(ws, func(w string) bool { return patronyms[foldName(w)] && len(w) <= 3 })) {
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
				if t.place == "CN" || t.place == "TW" {
					add("Premier " + last) // "Premier Li", "Premier Su"
				}
			}
		}
	}
	return out
}

// dropSharedTitles removes a titled surname from the people it was made for
// when two of them held office on the same day: "PM Lee" was Singapore's
// and Korea's prime minister in 2004 and names neither. titled maps an index
// of people to the titled surnames made for that person.
func dropSharedTitles(people []gazetteer.Person, titled map[int][]string) {
	by := map[string][]int{}
	for i, as := range titled {
		for _, a := range as {
			by[a] = append(by[a], i)
		}
	}
	for a, is := range by {
		shared := false
		for x, i := range is {
			for _, j := range is[x+1:] {
				// Curated names must each mean one person (gazetteer's
				// TestAliasesUnambiguous): "Premier Li" is Li Keqiang's and Li Qiang's.
				curated := strings.Contains(people[i].Source, "overrides") && strings.Contains(people[j].Source, "overrides")
				shared = shared || curated || termsOverlap(people[i].Offices, people[j].Offices)
			}
		}
		if !shared {
			continue
		}
		for _, i := range is {
			people[i].Aliases = slices.DeleteFunc(people[i].Aliases, func(s string) bool { return s == a })
		}
	}
}

// termsOverlap reports whether an office of a and one of b were held on a
// common day.
func termsOverlap(a, b []gazetteer.Office) bool {
	end := func(o gazetteer.Office) string { return cmp.Or(o.To, "9999-12-31") }
	for _, x := range a {
		for _, y := range b {
			if x.From < end(y) && y.From < end(x) {
				return true
			}
		}
	}
	return false
}

// patronyms are the common words that end Arabic and Malay names as a
// father's name, not a surname a title goes with, and the particles that
// mark such names.
var patronyms = map[string]bool{"mohamed": true, "mohammed": true, "muhammad": true, "ahmed": true, "ahmad": true,
	"hassan": true, "hussein": true, "abdullah": true, "abdul": true, "salman": true, "said": true, "saeed": true,
	"omar": true, "umar": true, "ibrahim": true, "ismail": true, "yusuf": true, "musa": true, "isa": true, "adam": true,
	"noor": true, "nur": true, "abu": true, "ali": true, "bin": true, "ibn": true, "al": true, "el": true, "ben": true,
	// Malay honorifics and forms of Muhammad that open a name
	"syed": true, "sharifah": true, "mohd": true, "mohamad": true, "mohammad": true, "wan": true, "nik": true,
	"tunku": true, "tengku": true, "raja": true}

// spanishNames are the countries whose names end in the mother's surname.
var spanishNames = map[string]bool{"AR": true, "BO": true, "CL": true, "CO": true, "CR": true, "CU": true, "DO": true,
	"EC": true, "ES": true, "GT": true, "HN": true, "MX": true, "NI": true, "PA": true, "PE": true, "PY": true,
	"SV": true, "UY": true, "VE": true}
