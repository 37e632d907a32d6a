// Package countries lists the countries of the world as the gazetteer names
// them in texts: English names and adjectives, and Russian patterns that match
// every case form of the Russian names. It also maps the country labels and
// repository names of the shared Wikidata-derived leader files
// (/work/shared/data/leaders) to ISO 3166-1 alpha-2 codes.
//
// The countries are the 193 UN member states, the two observer states
// (Palestine, PS, and the Holy See, VA), Kosovo (XK) and Taiwan (TW): 197 in
// all. Dependent territories (Greenland, Hong Kong, Puerto Rico, ...) are not
// listed, although most have ISO codes of their own: their leaders are not
// heads of state or government of a country.
//
// Everything is computed from tables in this package and the CLDR data of
// golang.org/x/text; nothing is read from the network or the file system.
package countries

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// Country is one country as the gazetteer names it. The patterns follow the
// syntax of pkg/textmatch: words separated by spaces, a trailing "*"
// marks a stem.
type Country struct {
	// Code is the ISO 3166-1 alpha-2 code ("XK" for Kosovo, CLDR's code).
	Code string
	// EN are English names: CLDR's name first (with "&" spelled "and"), then
	// official and alternate forms ("Czech Republic", "Ivory Coast"). None starts
	// with "the": the gazetteer's users add it.
	EN []string
	// Adj are English adjectives ("Slovak"); empty when none is reliable or
	// the only one is shared with another country ("Congolese").
	Adj []string
	// RU are Russian patterns, folded (lower case, ё as е): stems matching
	// the six cases of the names ("словаки*", "южн* африк*"), exact forms where a
	// stem would be short or would match other words ("куба", "кубы", ...), and
	// abbreviations and adjective stems ("юар", "словацк*").
	RU []string
}

// unMembers are the 193 member states of the United Nations.
const unMembers = `
AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW
BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG
ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID IE IL
IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT
LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL
NO NP NR NZ OM PA PE PG PH PK PL PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI
SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TZ UA UG US
UY UZ VC VE VN VU WS YE ZA ZM ZW`

// unObservers are the UN's non-member observer states.
const unObservers = "PS VA"

// otherStates are listed although they are not UN members or observers:
// Kosovo (CLDR's user-assigned code XK) and Taiwan.
const otherStates = "XK TW"

// Codes returns the codes of the countries All lists, sorted.
func Codes() []string {
	codes := strings.Fields(unMembers + " " + unObservers + " " + otherStates)
	slices.Sort(codes)
	return codes
}

var all = sync.OnceValue(build)

// All returns every country, sorted by code. The caller may modify the
// result.
func All() []Country {
	cs := all()
	out := make([]Country, len(cs))
	for i, c := range cs {
		out[i] = Country{Code: c.Code, EN: slices.Clone(c.EN), Adj: slices.Clone(c.Adj), RU: slices.Clone(c.RU)}
	}
	return out
}

func build() []Country {
	codes := Codes()
	ru := russianPatterns(codes)
	out := make([]Country, 0, len(codes))
	for _, code := range codes {
		out = append(out, Country{
			Code: code,
			EN:   englishNames(code),
			Adj:  slices.Clone(adjEN[code]),
			RU:   ru[code],
		})
	}
	return out
}

// region parses a code of Codes; it panics on a code CLDR does not know,
// which the tests rule out.
func region(code string) language.Region {
	return language.MustParseRegion(code)
}
