package countries

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCodeOfName(t *testing.T) {
	tests := map[string]string{
		"Democratic Republic of the Congo": "CD",
		"Republic of the Congo":            "CG",
		"Congo-Brazzaville":                "CG",
		"Czech Republic":                   "CZ",
		"Czechia":                          "CZ",
		"Eswatini":                         "SZ",
		"Swaziland":                        "SZ",
		"The Gambia":                       "GM",
		"Côte d'Ivoire":                    "CI",
		"Côte d’Ivoire":                    "CI",
		"Cote d'Ivoire":                    "CI",
		"Ivory Coast":                      "CI",
		"Kingdom of the Netherlands":       "NL",
		"People's Republic of China":       "CN",
		"State of Palestine":               "PS",
		"Türkiye":                          "TR",
		"Turkey":                           "TR",
		"Republic of Korea":                "KR",
		"South Korea":                      "KR",
		"Slovak Republic":                  "SK",
		"the United States of America":     "US",
		"UNITED KINGDOM":                   "GB",
		"Saint Vincent and the Grenadines": "VC",
		"St Kitts and Nevis":               "KN",
		"São Tomé and Príncipe":            "ST",
		"Guinea-Bissau":                    "GW",
		"Guinea":                           "GN",
		"Timor-Leste":                      "TL",
		"East Timor":                       "TL",
		"Federated States of Micronesia":   "FM",
		"Republic of Ireland":              "IE",
		"Kosovo":                           "XK",
		"Taiwan":                           "TW",
		"Holy See":                         "VA",
		"Vatican City":                     "VA",
		"North Macedonia":                  "MK",
		"Burma":                            "MM",
		"Islamic Emirate of Afghanistan":   "AF",
		// The World Factbook's spellings.
		"Korea, South":                      "KR",
		"Korea, North":                      "KP",
		"Congo, Democratic Republic of the": "CD",
		"Congo, Republic of the":            "CG",
		"Congo (Brazzaville)":               "CG",
		"Congo (Kinshasa)":                  "CD",
		"Gambia, The":                       "GM",
		"Bahamas, The":                      "BS",
		"Micronesia, Federated States of":   "FM",
		"Holy See (Vatican City)":           "VA",
		"Turkey (Turkiye)":                  "TR",
		"Cabo Verde":                        "CV",
		"Sao Tome and Principe":             "ST",
		"C&ocirc;te d'Ivoire":               "CI",
		"The Dominican":                     "DO",
	}
	for name, want := range tests {
		if got, ok := CodeOfName(name); !ok || got != want {
			t.Errorf("CodeOfName(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"Abkhazia", "Republic of Abkhazia", "South Ossetia", "Transnistria", "Somaliland",
		"Northern Cyprus", "Turkish Republic of Northern Cyprus", "Hong Kong", "Greenland", "Scotland", "Catalan Republic",
		"West Bank", "Gaza Strip"} {
		if code, ok := CodeOfName(name); ok {
			t.Errorf("CodeOfName(%q) = %q, want none", name, code)
		}
		if _, ok := NonCountryName(name); !ok {
			t.Errorf("NonCountryName(%q): not listed", name)
		}
	}
	for _, name := range []string{"", "Atlantis", "Congo", "US", "Republic", "Korea, Atlantis", "Atlantis (Lemuria)"} {
		if code, ok := CodeOfName(name); ok {
			t.Errorf("CodeOfName(%q) = %q, want none", name, code)
		}
	}
	// No entity is both a country and not one.
	for n := range nonCountryNames {
		if code, ok := CodeOfName(n); ok {
			t.Errorf("%q is a non-country and the name of %s", n, code)
		}
	}
}

func TestCodeOfRepo(t *testing.T) {
	tests := map[string]string{
		"slovakia":                             "SK",
		"slovakia-cabinet":                     "SK",
		"united-kingdom-cabinet":               "GB",
		"every-politician-scrapers/us-cabinet": "US",
		"congo-kinshasa-ministers":             "CD",
		"congo-brazzaville":                    "CG",
		"ivory-coast":                          "CI",
		"st-vincent-and-the-grenadines":        "VC",
		"sao-tome-and-principe":                "ST",
		"swiss-federal-council":                "CH",
		"saudi-ministers":                      "SA",
		"uae-ministers":                        "AE",
		"taiwan":                               "TW",
		"kosovo-cabinet":                       "XK",
	}
	for repo, want := range tests {
		if got, ok := CodeOfRepo(repo); !ok || got != want {
			t.Errorf("CodeOfRepo(%q) = %q, %v; want %q", repo, got, ok, want)
		}
	}
	for _, repo := range []string{"abkhazia-ministers", "hong-kong", "scotland-cabinet", "faroes-ministers"} {
		if code, ok := CodeOfRepo(repo); ok {
			t.Errorf("CodeOfRepo(%q) = %q, want none", repo, code)
		}
		if _, ok := NonCountryRepo(repo); !ok {
			t.Errorf("NonCountryRepo(%q): not listed", repo)
		}
	}
	if code, ok := CodeOfRepo("atlantis-cabinet"); ok {
		t.Errorf("CodeOfRepo(atlantis-cabinet) = %q", code)
	}
}

// crossBorder are rows of the officeholders file whose countryQ is not the
// country of the repository's offices; they are left out of the check that
// each countryQ maps to one code.
var crossBorder = map[[2]string]string{ // {countryQ, repo} → why
	{"Q142", "andorra-cabinet"}: "the French Co-Prince of Andorra is an Andorran office held ex officio by the " +
		"President of France; Wikidata gives the position the country France",
}

// leadersDir returns the folder of the shared leader files, or "" when it is
// absent: $READOUT_LEADERS_DIR, the repository's data/leaders, the shared/
// folder beside the repository's clone (as in CI), or /work/shared.
func leadersDir(t *testing.T) string {
	t.Helper()
	dirs := []string{os.Getenv("READOUT_LEADERS_DIR"), "../../../data/leaders", "../../../../shared/data/leaders", "/work/shared/data/leaders"}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "officeholders-2000-2022.csv")); err == nil {
			return d
		}
	}
	return ""
}

// readCSV returns the rows of a CSV file as maps from the header's column
// names.
func readCSV(t *testing.T, path string, cols ...string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s: no rows", path)
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[h] = i
	}
	for _, c := range cols {
		if _, ok := idx[c]; !ok {
			t.Fatalf("%s: no column %q in %v", path, c, recs[0])
		}
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for _, c := range cols {
			m[c] = r[idx[c]]
		}
		out = append(out, m)
	}
	return out
}

// checkOfficeholders checks the officeholders rows: every repo maps to a
// code or is a listed non-country, and every countryQ maps to exactly one code
// through its repos (crossBorder aside). It returns the countryQ → code map.
func checkOfficeholders(t *testing.T, rows []map[string]string, full bool) map[string]string {
	t.Helper()
	repos := map[string]bool{}
	reposOfQ := map[string]map[string]bool{}
	usedCross := map[[2]string]bool{}
	for _, r := range rows {
		repos[r["repo"]] = true
		q := r["countryQ"]
		if q == "" {
			continue
		}
		if _, ok := crossBorder[[2]string{q, r["repo"]}]; ok {
			usedCross[[2]string{q, r["repo"]}] = true
			continue
		}
		if reposOfQ[q] == nil {
			reposOfQ[q] = map[string]bool{}
		}
		reposOfQ[q][r["repo"]] = true
	}
	var mapped, non int
	for _, repo := range slices.Sorted(maps.Keys(repos)) {
		code, ok := CodeOfRepo(repo)
		why, isNon := NonCountryRepo(repo)
		switch {
		case ok && isNon:
			t.Errorf("repo %q maps to %s and is listed as a non-country (%s)", repo, code, why)
		case ok:
			mapped++
		case isNon:
			non++
		default:
			t.Errorf("repo %q maps to no code and is not listed in nonCountryRepos", repo)
		}
	}
	codeOfQ := map[string]string{}
	var nonISO []string
	for _, q := range slices.Sorted(maps.Keys(reposOfQ)) {
		byCode := map[string][]string{}
		for repo := range reposOfQ[q] {
			if code, ok := CodeOfRepo(repo); ok {
				byCode[code] = append(byCode[code], repo)
			}
		}
		switch len(byCode) {
		case 0:
			nonISO = append(nonISO, q+" ("+strings.Join(slices.Sorted(maps.Keys(reposOfQ[q])), ", ")+")")
		case 1:
			for code := range byCode {
				codeOfQ[q] = code
			}
		default:
			var parts []string
			for _, code := range slices.Sorted(maps.Keys(byCode)) {
				slices.Sort(byCode[code])
				parts = append(parts, code+" via "+strings.Join(byCode[code], ", "))
			}
			t.Errorf("countryQ %s maps to %d codes: %s", q, len(byCode), strings.Join(parts, "; "))
		}
	}
	// Several QIDs may map to one code (Q29999 Kingdom of the Netherlands and Q55
	// Netherlands); log them.
	qsOfCode := map[string][]string{}
	for q, code := range codeOfQ {
		qsOfCode[code] = append(qsOfCode[code], q)
	}
	for _, code := range slices.Sorted(maps.Keys(qsOfCode)) {
		if qs := qsOfCode[code]; len(qs) > 1 {
			slices.Sort(qs)
			t.Logf("%s has %d countryQs: %v", code, len(qs), qs)
		}
	}
	if full {
		for k, why := range crossBorder {
			if !usedCross[k] {
				t.Errorf("crossBorder %v (%s) occurs nowhere in the file", k, why)
			}
		}
	}
	t.Logf("%d repos: %d countries, %d non-countries; %d countryQs map to %d codes; countryQs of no country: %v",
		len(repos), mapped, non, len(codeOfQ), len(qsOfCode), nonISO)
	return codeOfQ
}

// checkWorldLeaders checks the world-leaders rows: every country label names a
// country or a listed non-country, every countryid maps to at most one code,
// and to the code its QID has in the officeholders file (codeOfQ).
func checkWorldLeaders(t *testing.T, rows []map[string]string, codeOfQ map[string]string) {
	t.Helper()
	codesOfID := map[string]map[string]bool{}
	var non []string
	for _, r := range rows {
		id, label := r["countryid"], r["country"]
		code, ok := CodeOfName(label)
		if !ok {
			if _, isNon := NonCountryName(label); !isNon {
				t.Errorf("country %q (%s) names no country and is not listed in nonCountryNames", label, id)
			} else if !slices.Contains(non, label) {
				non = append(non, label)
			}
			continue
		}
		if codesOfID[id] == nil {
			codesOfID[id] = map[string]bool{}
		}
		codesOfID[id][code] = true
		if want, ok := codeOfQ[id]; ok && want != code {
			t.Errorf("%s %q is %s, but the officeholders file's repos give %s", id, label, code, want)
		}
	}
	for id, codes := range codesOfID {
		if len(codes) > 1 {
			t.Errorf("countryid %s maps to %v", id, slices.Sorted(maps.Keys(codes)))
		}
	}
	slices.Sort(non)
	t.Logf("%d countryids name countries; non-countries: %v", len(codesOfID), non)
}

func TestSampleData(t *testing.T) {
	codeOfQ := checkOfficeholders(t, readCSV(t, "testdata/officeholders-sample.csv", "repo", "countryQ"), false)
	for q, want := range map[string]string{"Q214": "SK", "Q29999": "NL", "Q55": "NL", "Q142": "FR", "Q228": "AD", "Q148": "CN", "Q35": "DK", "Q865": "TW"} {
		if codeOfQ[q] != want {
			t.Errorf("countryQ %s → %q, want %s", q, codeOfQ[q], want)
		}
	}
	checkWorldLeaders(t, readCSV(t, "testdata/world-leaders-sample.csv", "countryid", "country"), codeOfQ)
}

// TestSharedData runs the checks of TestSampleData on the whole shared files.
func TestSharedData(t *testing.T) {
	dir := leadersDir(t)
	if dir == "" {
		t.Skip("the shared leader files are absent (set READOUT_LEADERS_DIR)")
	}
	codeOfQ := checkOfficeholders(t, readCSV(t, filepath.Join(dir, "officeholders-2000-2022.csv"), "repo", "countryQ"), true)
	wl := filepath.Join(dir, "world-leaders-2021-2022.csv")
	if _, err := os.Stat(wl); errors.Is(err, fs.ErrNotExist) {
		t.Skip(wl + " is absent")
	}
	checkWorldLeaders(t, readCSV(t, wl, "countryid", "country"), codeOfQ)
}
