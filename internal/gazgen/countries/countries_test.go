package countries

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/readout/readout/pkg/textmatch"
)

func TestAll(t *testing.T) {
	cs := All()
	if len(cs) != 197 {
		t.Errorf("%d countries, want 197 (193 UN members, 2 observers, XK, TW)", len(cs))
	}
	if n := len(strings.Fields(unMembers)); n != 193 {
		t.Errorf("%d UN members, want 193", n)
	}
	if !slices.IsSortedFunc(cs, func(a, b Country) int { return strings.Compare(a.Code, b.Code) }) {
		t.Error("not sorted by code")
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if seen[c.Code] {
			t.Errorf("%s listed twice", c.Code)
		}
		seen[c.Code] = true
		r, err := language.ParseRegion(c.Code)
		if err != nil || r.String() != c.Code || !r.IsCountry() {
			t.Errorf("%s: not a CLDR country code (%v)", c.Code, err)
		}
		if len(c.EN) == 0 || len(c.RU) == 0 {
			t.Errorf("%s: EN %v, RU %v", c.Code, c.EN, c.RU)
		}
		for _, n := range slices.Concat(c.EN, c.Adj) {
			if strings.HasPrefix(strings.ToLower(n), "the ") {
				t.Errorf("%s: %q starts with \"the\"", c.Code, n)
			}
			if _, err := textmatch.ParsePattern(n); err != nil || strings.Contains(n, "*") {
				t.Errorf("%s: %q is no plain name (%v)", c.Code, n, err)
			}
		}
		// CLDR's name comes first and leads back to the code.
		if cldr := cldrEnglish(c.Code)[0]; c.EN[0] != cldr {
			t.Errorf("%s: first name %q, CLDR's is %q", c.Code, c.EN[0], cldr)
		}
		for _, n := range c.EN {
			if code, ok := CodeOfName(n); !ok || code != c.Code {
				t.Errorf("CodeOfName(%q) = %q, %v; want %s", n, code, ok, c.Code)
			}
		}
	}
	for _, code := range []string{"PS", "VA", "XK", "TW", "SK", "SS", "ZA"} {
		if !seen[code] {
			t.Errorf("%s missing", code)
		}
	}
	for _, code := range []string{"HK", "GL", "PR", "EH", "AX", "FO"} {
		if seen[code] {
			t.Errorf("territory %s listed", code)
		}
	}
	// All returns copies.
	cs[0].EN[0], cs[0].RU = "changed", nil
	if again := All(); again[0].EN[0] == "changed" || again[0].RU == nil {
		t.Error("All shares its slices with its callers")
	}
	var noAdj []string
	for _, c := range cs {
		if len(c.Adj) == 0 {
			noAdj = append(noAdj, c.Code)
		}
	}
	t.Logf("%d countries; %d without an English adjective: %v", len(cs), len(noAdj), noAdj)
}

// TestNoSharedPattern checks that no pattern (an English name or adjective,
// compared as the matcher reads it, or a Russian pattern) belongs to two
// countries.
func TestNoSharedPattern(t *testing.T) {
	owner := map[string]string{}
	for _, c := range All() {
		keys := map[string]bool{}
		for _, n := range slices.Concat(c.EN, c.Adj) {
			keys[nameKey(n)] = true
		}
		for _, p := range c.RU {
			keys[p] = true
		}
		for k := range keys {
			if o, ok := owner[k]; ok {
				t.Errorf("%q belongs to %s and %s", k, o, c.Code)
			}
			owner[k] = c.Code
		}
	}
}

// sameStart are the countries (key) one of whose names begins with a word
// another country's pattern matches (value): "Guinea-Bissau", "Гвинеи-Бисау"
// begin with Guinea's "guinea", "гвине*". A matcher that keeps the longest
// match at a place reads them right; one that keeps the first may not.
var sameStart = map[string]string{"GW": "GN"}

// TestSameStart checks that no other country's pattern matches at the start
// of a country's names (EN, Adj, and the Russian names in each case), except
// sameStart, and that the country's own patterns match them whole. Matches
// further in are allowed ("Equatorial Guinea" holds "Guinea"): a country
// named first wins.
func TestSameStart(t *testing.T) {
	m := newMatcher(t)
	seen := map[string]bool{}
	for _, c := range All() {
		var samples []string
		samples = append(samples, c.EN...)
		samples = append(samples, c.Adj...)
		for _, n := range russianNames(c.Code) {
			slots := inflectName(n)
			longest := 0
			for _, s := range slots {
				longest = max(longest, len(s))
			}
			for j := range longest {
				var words []string
				for _, s := range slots {
					words = append(words, s[min(j, len(s)-1)])
				}
				if len(words) == 1 && ruStopForms[words[0]] {
					continue
				}
				samples = append(samples, strings.Join(words, " "))
			}
		}
		for _, s := range samples {
			toks := textmatch.Tokenize(s, nil)
			whole := false
			for _, mt := range m.AppendAll(nil, toks, 0) {
				switch {
				case mt.Val == c.Code:
					whole = whole || mt.From == 0 && mt.To == len(toks)
				case mt.From == 0 && sameStart[c.Code] == mt.Val:
					seen[c.Code] = true
				case mt.From == 0:
					t.Errorf("%s %q: %s matches at its start", c.Code, s, mt.Val)
				}
			}
			if !whole {
				t.Errorf("%s %q: its patterns do not match it whole", c.Code, s)
			}
		}
	}
	for k, v := range sameStart {
		if !seen[k] {
			t.Errorf("sameStart %s: %s no longer matches at the start of its names", k, v)
		}
	}
}

func TestNameKey(t *testing.T) {
	for in, want := range map[string]string{
		"The Gambia":        "gambia",
		"the":               "the",
		"Côte d’Ivoire":     "cote d ivoire",
		"Cote d'Ivoire":     "cote d ivoire",
		"Guinea-Bissau":     "guinea bissau",
		"St. Lucia":         "st lucia",
		"  United   States": "united states",
	} {
		if got := nameKey(in); got != want {
			t.Errorf("nameKey(%q) = %q, want %q", in, got, want)
		}
	}
}
