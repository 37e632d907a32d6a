package ninjs

// country is what the package knows about a country: its English name and Wikidata id.
type country struct {
	Name     string
	Wikidata string
}

// countries maps ISO 3166-1 alpha-2 codes to names and Wikidata ids for the
// countries whose leaders the Kremlin and the White House most often call.
// An unknown code is still emitted, as a literal, without a Wikidata uri.
var countries = map[string]country{
	"AE": {"United Arab Emirates", "Q878"},
	"AF": {"Afghanistan", "Q889"},
	"AM": {"Armenia", "Q399"},
	"AR": {"Argentina", "Q414"},
	"AT": {"Austria", "Q40"},
	"AU": {"Australia", "Q408"},
	"AZ": {"Azerbaijan", "Q227"},
	"BE": {"Belgium", "Q31"},
	"BR": {"Brazil", "Q155"},
	"BY": {"Belarus", "Q184"},
	"CA": {"Canada", "Q16"},
	"CN": {"China", "Q148"},
	"CU": {"Cuba", "Q241"},
	"DE": {"Germany", "Q183"},
	"EG": {"Egypt", "Q79"},
	"ES": {"Spain", "Q29"},
	"FI": {"Finland", "Q33"},
	"FR": {"France", "Q142"},
	"GB": {"United Kingdom", "Q145"},
	"GE": {"Georgia", "Q230"},
	"HU": {"Hungary", "Q28"},
	"IL": {"Israel", "Q801"},
	"IN": {"India", "Q668"},
	"IQ": {"Iraq", "Q796"},
	"IR": {"Iran", "Q794"},
	"IT": {"Italy", "Q38"},
	"JO": {"Jordan", "Q810"},
	"JP": {"Japan", "Q17"},
	"KG": {"Kyrgyzstan", "Q813"},
	"KP": {"North Korea", "Q423"},
	"KR": {"South Korea", "Q884"},
	"KZ": {"Kazakhstan", "Q232"},
	"LB": {"Lebanon", "Q822"},
	"MD": {"Moldova", "Q217"},
	"MN": {"Mongolia", "Q711"},
	"MX": {"Mexico", "Q96"},
	"NL": {"Netherlands", "Q55"},
	"PH": {"Philippines", "Q928"},
	"PK": {"Pakistan", "Q843"},
	"PL": {"Poland", "Q36"},
	"PS": {"Palestine", "Q219060"},
	"QA": {"Qatar", "Q846"},
	"RS": {"Serbia", "Q403"},
	"RU": {"Russia", "Q159"},
	"SA": {"Saudi Arabia", "Q851"},
	"SY": {"Syria", "Q858"},
	"TJ": {"Tajikistan", "Q863"},
	"TM": {"Turkmenistan", "Q874"},
	"TR": {"Turkey", "Q43"},
	"UA": {"Ukraine", "Q212"},
	"US": {"United States", "Q30"},
	"UZ": {"Uzbekistan", "Q265"},
	"VE": {"Venezuela", "Q717"},
	"VN": {"Vietnam", "Q881"},
	"ZA": {"South Africa", "Q258"},
}
