package countries

import (
	"html"
	"strings"
	"sync"

	"github.com/readout/readout/pkg/textmatch"
)

// nameKey normalises an English name for look-up: its words as the matcher
// tokenizes them (folded: lower case, no diacritics; split at spaces,
// hyphens, apostrophes and dots), without a leading "the", HTML entities
// decoded (the World Factbook writes "C&ocirc;te d'Ivoire"). "The Gambia",
// "gambia" and "Côte d’Ivoire", "Cote d'Ivoire" give the same key.
func nameKey(s string) string {
	toks := textmatch.Tokenize(html.UnescapeString(s), nil)
	words := make([]string, 0, len(toks))
	for _, t := range toks {
		words = append(words, t.Text)
	}
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// lookupAliases are names CodeOfName reads that are no pattern of All:
// reference-work quirks such as the World Factbook's short form "The
// Dominican" for the Dominican Republic.
var lookupAliases = map[string]string{
	"The Dominican": "DO",
}

var byName = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for n, code := range lookupAliases {
		m[nameKey(n)] = code
	}
	for _, c := range all() {
		for _, n := range c.EN {
			if k := nameKey(n); m[k] == "" {
				m[k] = c.Code
			}
		}
	}
	return m
})

// CodeOfName returns the code of the country an English name denotes: any
// name of All (CLDR's and the official and alternate forms), matched
// regardless of case, diacritics, punctuation and a leading "the" ("The
// Gambia", "Côte d'Ivoire", "Kingdom of the Netherlands", "People's Republic
// of China", "State of Palestine"). Reference-work spellings are read too:
// an inverted name ("Korea, South", "Gambia, The") and a name with an
// alternative in parentheses ("Holy See (Vatican City)", "Turkey
// (Turkiye)"). It reports false for any other name, in particular for the
// entities of NonCountryName (Abkhazia, South Ossetia, Transnistria,
// Somaliland, Northern Cyprus, Hong Kong, ...).
func CodeOfName(name string) (string, bool) {
	return lookUp(byName(), name)
}

// lookUp finds a name in an index by nameKey: the name as it is, then its
// variants (nameVariants).
func lookUp(index map[string]string, name string) (string, bool) {
	for _, n := range nameVariants(name) {
		if v, ok := index[nameKey(n)]; ok {
			return v, true
		}
	}
	return "", false
}

// nameVariants returns name, then the name with its part in parentheses
// taken apart ("Holy See (Vatican City)": "Holy See", "Vatican City") and an
// inverted name turned round ("Korea, South": "South Korea";
// "Congo, Democratic Republic of the": "Democratic Republic of the Congo").
func nameVariants(name string) []string {
	out := []string{name}
	if before, inner, ok := strings.Cut(name, "("); ok {
		inner, after, _ := strings.Cut(inner, ")")
		out = append(out, strings.TrimSpace(before+" "+after), inner)
	}
	if before, after, ok := strings.Cut(name, ","); ok && !strings.Contains(after, ",") {
		out = append(out, strings.TrimSpace(after)+" "+strings.TrimSpace(before))
	}
	return out
}

// nonCountryNames are entities that the shared leader files list, or that
// texts name beside countries, but All does not: states without an ISO 3166-1
// code, parts of countries and dependent territories (with their own ISO code
// where they have one). The QIDs are those of the shared files.
var nonCountryNames = map[string]string{
	"Abkhazia":                            "partially recognised state claimed by Georgia (Q31354462); no ISO code",
	"Republic of Abkhazia":                "partially recognised state claimed by Georgia (Q31354462); no ISO code",
	"South Ossetia":                       "partially recognised state claimed by Georgia (Q23427); no ISO code",
	"Transnistria":                        "breakaway region of Moldova (Q907112); no ISO code",
	"Pridnestrovian Moldavian Republic":   "Transnistria, breakaway region of Moldova (Q907112); no ISO code",
	"Somaliland":                          "self-declared state claimed by Somalia (Q34754); no ISO code",
	"Northern Cyprus":                     "recognised by Turkey only (Q23681); no ISO code",
	"Turkish Republic of Northern Cyprus": "recognised by Turkey only (Q23681); no ISO code",
	"Artsakh":                             "Nagorno-Karabakh, self-declared state in Azerbaijan until 2024 (Q244165); no ISO code",
	"Republic of Artsakh":                 "Nagorno-Karabakh, self-declared state in Azerbaijan until 2024 (Q244165); no ISO code",
	"Nagorno-Karabakh":                    "self-declared state in Azerbaijan until 2024 (Q244165); no ISO code",
	"Donetsk People's Republic":           "Russian-installed entity in Ukraine (Q16150196); no ISO code",
	"Luhansk People's Republic":           "Russian-installed entity in Ukraine (Q16746854); no ISO code",
	"Sahrawi Arab Democratic Republic":    "partially recognised state (Q40362) claiming Western Sahara (ISO EH, a territory)",
	"Western Sahara":                      "disputed territory (ISO EH), not a state",
	"Republika Srpska":                    "entity of Bosnia and Herzegovina (Q11196)",
	"Catalan Republic":                    "Catalonia, autonomous community of Spain (Q138837 in the shared data)",
	"Catalonia":                           "autonomous community of Spain",
	"West Bank":                           "territory occupied by Israel, in part governed by the Palestinian Authority (PS)",
	"Gaza Strip":                          "Palestinian territory (PS), governed apart from the Palestinian Authority since 2007",
	"Sarawak":                             "state of Malaysia (Q170462)",
	"Romanian Old Kingdom":                "historical state (Q444912); the shared data's rows under it repeat Romania's (Q218)",
	"Hong Kong":                           "special administrative region of China (ISO HK)",
	"Macau":                               "special administrative region of China (ISO MO)",
	"Macao":                               "special administrative region of China (ISO MO)",
	"Greenland":                           "self-governing part of the Kingdom of Denmark (ISO GL, Q223)",
	"Faroe Islands":                       "self-governing part of the Kingdom of Denmark (ISO FO, Q4628)",
	"Åland":                               "autonomous region of Finland (ISO AX)",
	"Åland Islands":                       "autonomous region of Finland (ISO AX)",
	"Aruba":                               "country within the Kingdom of the Netherlands (ISO AW, Q21203)",
	"Isle of Man":                         "British Crown dependency (ISO IM, Q9676)",
	"Jersey":                              "British Crown dependency (ISO JE, Q785)",
	"Guernsey":                            "British Crown dependency (ISO GG)",
	"Anguilla":                            "British overseas territory (ISO AI, Q25228)",
	"Bermuda":                             "British overseas territory (ISO BM)",
	"British Virgin Islands":              "British overseas territory (ISO VG, Q25305)",
	"Cayman Islands":                      "British overseas territory (ISO KY)",
	"Montserrat":                          "British overseas territory (ISO MS, Q13353)",
	"Turks and Caicos Islands":            "British overseas territory (ISO TC)",
	"Puerto Rico":                         "territory of the United States (ISO PR)",
	"England":                             "nation of the United Kingdom",
	"Scotland":                            "nation of the United Kingdom",
	"Wales":                               "nation of the United Kingdom",
	"Northern Ireland":                    "part of the United Kingdom",
}

var nonCountryByKey = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for n, why := range nonCountryNames {
		m[nameKey(n)] = why
	}
	return m
})

// NonCountryName reports whether name is one of the entities that are known
// not to be countries of All (see CodeOfName), and says what it is. A name
// that is neither a country's nor one of these is unknown: both functions
// report false.
func NonCountryName(name string) (why string, ok bool) {
	return lookUp(nonCountryByKey(), name)
}

// nonCountryRepos are the repositories of the shared officeholders file
// (column repo) whose offices are not those of a country of All: states
// without an ISO code, and the governments of territories and of parts of
// countries. Several carry the parent country's QID in the file's countryQ
// column (Åland: Finland; Faroes: Denmark; Hong Kong: China; the UK nations
// and the Turks and Caicos Islands: the UK): their leaders must not be taken
// for that country's.
var nonCountryRepos = map[string]string{
	"abkhazia-ministers":         "Abkhazia (Q31354462): partially recognised state claimed by Georgia; no ISO code",
	"artsakh-ministers":          "Artsakh (Q244165): Nagorno-Karabakh, self-declared state until 2024; no ISO code",
	"donetsk":                    "Donetsk People's Republic (Q16150196); no ISO code",
	"luhansk-ministers":          "Luhansk People's Republic (Q16746854); no ISO code",
	"somaliland":                 "Somaliland (Q34754): self-declared state claimed by Somalia; no ISO code",
	"south-ossetia":              "South Ossetia (Q23427): partially recognised state claimed by Georgia; no ISO code",
	"aland-cabinet":              "Åland (ISO AX), autonomous region of Finland; its rows carry Finland's Q33",
	"anguilla-cabinet":           "Anguilla (ISO AI, Q25228), British overseas territory",
	"aruba-ministers":            "Aruba (ISO AW, Q21203), country within the Kingdom of the Netherlands",
	"bermuda-cabinet":            "Bermuda (ISO BM), British overseas territory; no countryQ in the file",
	"bvi-ministers":              "British Virgin Islands (ISO VG, Q25305), British overseas territory",
	"caymans-ministers":          "Cayman Islands (ISO KY), British overseas territory; no countryQ in the file",
	"faroes-ministers":           "Faroe Islands (ISO FO, Q4628), part of the Kingdom of Denmark; its prime ministers' rows carry Denmark's Q35",
	"greenland-cabinet":          "Greenland (ISO GL, Q223), part of the Kingdom of Denmark",
	"hong-kong":                  "Hong Kong (ISO HK), special administrative region of China; its rows carry China's Q148",
	"isle-of-man-cabinet":        "Isle of Man (ISO IM, Q9676), British Crown dependency",
	"jersey-cabinet":             "Jersey (ISO JE, Q785), British Crown dependency",
	"montserrat-ministers":       "Montserrat (ISO MS, Q13353), British overseas territory",
	"turks-and-caicos-ministers": "Turks and Caicos Islands (ISO TC), British overseas territory; its rows carry the UK's Q145",
	"northern-ireland-ministers": "Northern Ireland, part of the United Kingdom; its rows carry the UK's Q145",
	"scotland-cabinet":           "Scotland, nation of the United Kingdom; its rows carry the UK's Q145",
	"wales-cabinet":              "Wales, nation of the United Kingdom; its rows carry the UK's Q145",
}

// repoSlugs maps the repository names (less "-cabinet"/"-ministers") that
// are no English country name.
var repoSlugs = map[string]string{
	"antigua-barbuda":       "AG",
	"czech":                 "CZ",
	"saudi":                 "SA",
	"solomons":              "SB",
	"swiss-federal-council": "CH",
	"us":                    "US",
}

// normRepo drops the organisation prefix of a repository name
// ("every-politician-scrapers/slovakia-cabinet") and lower-cases it.
func normRepo(repo string) string {
	repo = strings.ToLower(strings.TrimSpace(repo))
	if _, name, ok := strings.Cut(repo, "/"); ok {
		repo = name
	}
	return repo
}

// CodeOfRepo returns the code of the country whose offices a repository of
// the shared officeholders file lists (its repo column, such as
// "slovakia-cabinet" or "united-kingdom-cabinet"; an "owner/" prefix is
// ignored). The name less a "-cabinet" or "-ministers" suffix is read as an
// English country name ("congo-kinshasa", "ivory-coast"), or looked up among
// a few abbreviations ("us", "saudi", "czech"). It reports false for the
// repositories of NonCountryRepo and for unknown ones.
func CodeOfRepo(repo string) (string, bool) {
	repo = normRepo(repo)
	if _, ok := nonCountryRepos[repo]; ok {
		return "", false
	}
	slug := strings.TrimSuffix(strings.TrimSuffix(repo, "-cabinet"), "-ministers")
	if code, ok := repoSlugs[slug]; ok {
		return code, true
	}
	return CodeOfName(strings.ReplaceAll(slug, "-", " "))
}

// NonCountryRepo reports whether a repository of the shared officeholders
// file is known to list the offices of something other than a country of All
// (a territory, a part of a country, a state without an ISO code), and says
// what.
func NonCountryRepo(repo string) (why string, ok bool) {
	why, ok = nonCountryRepos[normRepo(repo)]
	return why, ok
}
