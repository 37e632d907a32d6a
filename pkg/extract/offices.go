package extract

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/readout/readout/pkg/gazetteer"
)

// Offices: the counterparts a clause names by office ("the President of
// France", "лидер Нигера", "his counterpart in the United Kingdom"), resolved
// to the holder on the day, or kept unresolved with what the text says.

// counterpartsOf resolves an unnamed counterpart of the actor: "Carney says
// he spoke Sunday with his counterpart in the United Kingdom", "обсудил с
// российским коллегой" is the holder of the actor's office in that country.
func (e *Extractor) counterpartsOf(c clause, ownCountry string, on time.Time, resolved []party) []party {
	t := c.t
	// The actor: named before the phrase, else (the phrase first: "During a
	// phone call, the Turkish President ... with his Azerbaijani counterpart")
	// the one leader named before the counterpart.
	kind, first := "", len(t.toks)
	for _, r := range resolved {
		if r.p != nil && r.from < first {
			kind, first = r.p.OfficeOn(on).Kind, r.from
		}
	}
	if kind == "" {
		return resolved
	}
	for _, h := range t.hits {
		// After the actor and not named: a name after it resolves him.
		if h.k != kCounterpart || h.from < first || h.from >= c.to || personIn(t, c.from, h.to, min(h.to+3, c.to)) {
			continue
		}
		country := counterpartCountry(c, h)
		if country == "" || country == ownCountry {
			continue
		}
		if p, ok := e.g.Holder(country, kind, on); ok && !slices.ContainsFunc(resolved, func(r party) bool { return r.p == p }) {
			resolved = append(resolved, party{p: p, mention: t.span(h.from, h.to), from: h.from})
		}
	}
	return resolved
}

// counterpartCountry is the country named with the counterpart word h:
// "Russian counterpart", "counterpart in the United Kingdom", "of Ukraine".
func counterpartCountry(c clause, h hit) string {
	t := c.t
	country := ""
	for _, x := range t.hits {
		switch {
		case x.k != kCountry:
		case x.to == h.from:
			country = x.code
		case x.from > h.to && x.from <= h.to+2 && x.from < c.to && (countryOf(t, h.to, x.to) || wordIn(t.toks[h.to].Text, "in")):
			country = x.code
		}
	}
	return country
}

// officeHolders resolves the offices the clause names ("the President of
// France") to their holders on the day; an office whose holder is named
// otherwise, or not known, is an unresolved party.
func (e *Extractor) officeHolders(c clause, ownCountry string, on time.Time, resolved []party) ([]party, []party) {
	t := c.t
	after := c.phrase.from // the counterparts follow the actor
	var unresolved []party
	for i, h := range t.hits {
		if h.k != kRole || h.from < c.from || h.from >= c.to || qualifiedRole(t, i) {
			continue
		}
		// Before the phrase is the actor: named by office only with its
		// country and name ("президент Армении Серж Саргсян провел ...").
		actor := h.from < after
		country := roleCountry(c, h)
		// The actor's name comes before the call phrase: "The Prime Minister
		// of Israel spoke to President Vladimir Putin" names only the latter.
		nameEnd := min(h.to+roleNameAfter, c.to)
		if actor {
			nameEnd = min(nameEnd, after)
		}
		switch {
		case h.role == leaderKind && country == "":
			continue // "Senate Majority Leader Schumer": a leader of no country
		case personIn(t, c.from, h.to, nameEnd), t.inside(kPerson, h):
			continue // named: "President Volodymyr Zelenskyy", "President Moon" (a titled name)
		case country == ownCountry && ownCountry != "":
			continue
		case country == "" && h.from < c.phrase.from:
			continue // the actor: "President Biden spoke with ..."
		case country != "" && describesNamed(resolved, country, h.role, on, h.from):
			continue // "Angela Merkel, who completed her term as Federal Chancellor"
		case appositive(t, h, resolved, on):
			continue // "Sheikh Hasina, Prime Minister of the People’s Republic of Bangladesh"
		case institution(t, h):
			continue // "conflict with Russia, the Prime Minister’s Office said"
		case h.from > c.phrase.to && subordinate(c, titledFrom(t, h.from)):
			continue // "... as US President Donald Trump prepares to announce"
		}
		nf, nt := nameAfter(t, h.to, nameEnd)
		if c.isTitle && titleCased(t) {
			nf, nt = h.to, h.to // "Trump, Petro Discuss Drugs": capitals say nothing
		}
		if actor && nt == nf && (country == "" || ownCountry != "") {
			// An actor by office alone is a party only by its country, in a
			// story nobody's leader speaks in: "the Russian president told
			// the Armenian prime minister as they held a phone call".
			continue
		}
		if p := e.holderNamed(country, h.role, on, t, nf, nt); p != nil {
			resolved = append(resolved, party{p: p, mention: t.span(h.from, min(max(h.to+3, nt), c.to)), from: h.from, generic: h.role == leaderKind && nt == nf})
			continue
		}
		if country == "" && !nameFollows(t, h.to) {
			continue // "the President approved ...": no one in particular
		}
		end := nameEnd
		if nt > nf {
			end = nt
		}
		unresolved = append(unresolved, party{mention: t.span(h.from, end), from: h.from, kind: h.role, country: country, name: t.span(nf, nt)})
	}
	return resolved, unresolved
}

// institution reports whether the office hit h names an institution, not
// its holder: "the Prime Minister’s Office", "Офис президента",
// "администрации президента", "пресс-служба президента", "the Office of
// the President".
func institution(t *text, h hit) bool {
	j := h.to
	if j < len(t.toks) && t.toks[j].Text == "s" {
		j++
	}
	if j < len(t.toks) && t.toks[j].Text == "office" {
		return true
	}
	if h.from > 0 && wordIn(t.toks[h.from-1].Text, "офис*", "администраци*", "канцеляри*", "аппарат*", "служб*") {
		return true // "сообщает пресс-служба президента" ("пресс", "служба")
	}
	// "the press service of the President"
	i := skipBack(t, h.from, "the")
	return i >= 2 && t.toks[i-1].Text == "of" && wordIn(t.toks[i-2].Text, "service", "office")
}

// qualifiedRole reports whether the role hit i is inside a longer role
// match, preceded by "vice", or qualifies a non-leader
// ("пресс-секретарь президента", "President's National Security Advisor").
func qualifiedRole(t *text, i int) bool {
	hits := t.hits
	h := hits[i]
	if possessive(t, h.to) && t.hasNonLeader(h.to+1, min(len(t.toks), h.to+1+aideTitleWords)) || genitiveAfterAide(t, h) || aideTo(t, h) {
		return true
	}
	for _, x := range hits {
		if (x.k == kVice || x.k == kNonLeader) && x.to == h.from {
			return true // "Vice President", "пресс-секретарь президента"
		}
		if x.k == kPartyChief && x.from <= h.from && x.to >= h.to && x.to-x.from > h.to-h.from {
			return true // inside a party chief's title: "генеральным секретарем ЦК Компартии"
		}
	}
	return formerRole(hits, i) || longerRole(hits, i)
}

// skipBack returns the first token before i, going back, that is none of
// ws, plus one: i itself when the token before it is none of them.
func skipBack(t *text, i int, ws ...string) int {
	for i > 0 && slices.Contains(ws, t.toks[i-1].Text) {
		i--
	}
	return i
}

// formerRole reports whether the role hit i is an office no longer held:
// "former President", "первым президентом Казахстана".
func formerRole(hits []hit, i int) bool {
	h := hits[i]
	for _, x := range hits {
		if x.k == kFormer && x.from < h.to && x.to >= h.from && x.from <= h.from {
			return true
		}
		// "former Malaysian prime minister": a country between
		if x.k == kFormer && slices.ContainsFunc(hits, func(c hit) bool { return c.k == kCountry && c.from == x.to && c.to == h.from }) {
			return true
		}
	}
	return false
}

// roleCountry is the country (or organisation) of the office hit h: the
// country named just before it, or after it with no other office between
// or just after ("Prime Minister and President of Rwanda" names Rwanda's
// president, "President's call with UK Prime Minister" the UK's prime
// minister).
func roleCountry(c clause, h hit) string {
	t := c.t
	if h.role == leaderKind {
		return leaderCountry(t, h)
	}
	for _, x := range t.hits {
		if x.k != kCountry {
			continue
		}
		before := x.to == h.from || x.to == h.from-1 && !wordIn(t.toks[x.to].Text, "с", "со", "with", "and", "и") ||
			x.to < h.from && skipWords(t, x.to, h.from, "s", "new", "newly", "appointed", "elected", "acting", "interim") == h.from // "Sweden's new prime minister"
		after := x.from >= h.to && x.from <= h.to+roleCountryAfter && x.from < c.to &&
			!t.has(kRole, h.to, x.from+1) && !(x.to < c.to && t.has(kRole, x.to, x.to+1)) && // not the next sentence's "Президент Украины"
			!punctBetween(t, h.to-1, x.from) // not "на пост президента, сообщает израильский ... сайт"
		if before || after {
			return x.code
		}
	}
	return h.org
}

// leaderKind is the office of "лидер Нигера", "Niger's leader": whoever
// leads the country (see Extractor.leaderHolder).
const leaderKind = gazetteer.KindLeader

// leaderCountry is the country of the leader word h only when it is named
// right after it or as its owner: "лидер Нигера", "leader of Niger",
// "Niger's leader"; not "Belarusian opposition leader", nor an adjective
// ("пресс-секретарь российского лидера" is an aide's title).
func leaderCountry(t *text, h hit) string {
	for _, x := range t.hits {
		if x.k != kCountry {
			continue
		}
		before := x.to == h.from-1 && t.toks[x.to].Text == "s"
		after := x.from == h.to || countryOf(t, h.to, x.to)
		if before || after {
			return x.code
		}
	}
	return ""
}

// leadersOfCountries resolves "Президенты России и Беларуси", "the leaders
// of Russia and China": the holders of the office in every country listed.
func (e *Extractor) leadersOfCountries(c clause, ownCountry string, on time.Time, resolved []party) []party {
	t := c.t
	for _, h := range t.hits {
		// As the subject, or just after the phrase ("a call between the
		// presidents of ..."), not "his conversations with the leaders of
		// Ukraine and the United States" further on.
		if h.k != kLeaders || h.from < c.from || h.from >= c.to {
			continue
		}
		// "A telephone conversation took place today between the Presidents of ..."
		if h.from > c.phrase.to+2 && skipWords(t, c.phrase.to, h.from, "took", "place", "was", "held", "today", "yesterday",
			"between", "the", "состоялся", "состоялась", "сегодня", "вчера", "между") < h.from {
			continue
		}
		// The countries follow at once ("of", "the" and "Republic" aside),
		// joined by "and", "и" or commas: "the presidents will speak about
		// Ukraine" names no one. "Между президентами Республики Таджикистан и
		// Турецкой Республики".
		next := skipWords(t, h.to, c.to, "of", "the", "republic", "республики")
		for _, x := range t.hits {
			if x.k != kCountry || x.from < next {
				continue
			}
			if x.from > next || x.from >= c.to {
				break
			}
			if x.code != ownCountry {
				if p := e.holderOf(x.code, h.role, on); p != nil {
					resolved = append(resolved, party{p: p, mention: t.span(h.from, x.to), from: h.from, generic: h.role == leaderKind})
				}
			}
			next = skipWords(t, x.to, c.to, "and", "и", "the", "republic", "республики", "of")
		}
		resolved = e.leadersOfAdjectives(c, h, ownCountry, on, resolved)
	}
	return resolved
}

// holderOf is the holder of the office of kind in country on the day; a
// country's "leader" holds the first of its leading offices ("the leaders
// of Russia and Japan" names Japan's prime minister).
func (e *Extractor) holderOf(country, kind string, on time.Time) *gazetteer.Person {
	if kind == leaderKind {
		return e.leaderHolder(country, on, gazetteer.WrittenName{})
	}
	p, _ := e.g.Holder(country, kind, on)
	return p
}

// leadersOfAdjectives resolves the countries named before the leaders
// word h, two or more joined by "and": "The Lithuanian and Polish prime
// ministers", "российский и американский президенты".
func (e *Extractor) leadersOfAdjectives(c clause, h hit, ownCountry string, on time.Time, resolved []party) []party {
	t := c.t
	var codes []string
	end := h.from
	for {
		found := false
		for _, x := range t.hits {
			if x.k == kCountry && x.to == end && x.from >= c.from {
				codes, end, found = append(codes, x.code), x.from, true
				break
			}
		}
		if !found || end-1 < c.from || !wordIn(t.toks[end-1].Text, "and", "и") {
			break
		}
		end--
	}
	if len(codes) < 2 {
		return resolved
	}
	for _, code := range codes {
		if code == ownCountry {
			continue
		}
		if p := e.holderOf(code, h.role, on); p != nil {
			resolved = append(resolved, party{p: p, mention: t.span(end, h.to), from: end, generic: h.role == leaderKind})
		}
	}
	return resolved
}

// orgWords start the name of an organisation, not of a person: "President
// of the International Federation ...", "Chairman of the Board".
var orgWords = map[string]bool{"international": true, "federation": true, "society": true, "societies": true,
	"committee": true, "association": true, "bank": true, "fund": true, "foundation": true, "company": true,
	"corporation": true, "board": true, "organization": true, "organisation": true, "institute": true,
	"university": true, "club": true, "party": true, "league": true, "agency": true, "court": true, "world": true}

var functionWords = map[string]bool{"of": true, "the": true, "and": true, "on": true, "to": true, "in": true, "for": true, "with": true, "s": true}

// nameFollows reports whether the token at i starts with a capital letter and
// is not a function word: "Crown Prince Mohamed ...", not "the President approved".
func nameFollows(t *text, i int) bool {
	for k := 0; k < 2 && i < len(t.toks) && (t.toks[i].Text == "of" || t.toks[i].Text == "the"); k++ {
		i++
	}
	if i < len(t.toks) && orgWords[t.toks[i].Text] {
		return false // "President of the International Federation of Red Cross": an organisation's
	}
	// Russian titles put lower-case adjectives before the name or country:
	// "Президентом переходного периода Сирийской Арабской Республики".
	for k := 0; k < 2 && i+1 < len(t.toks) && isLowerCyrillic(t, i); k++ {
		i++
	}
	if i >= len(t.toks) || functionWords[t.toks[i].Text] || initialism(t.src[t.toks[i].Start:t.toks[i].End]) {
		return false // "президента РУз": no name
	}
	r := []rune(t.src[t.toks[i].Start:min(t.toks[i].End, t.toks[i].Start+4)])
	return len(r) > 0 && unicode.IsUpper(r[0])
}

func isLowerCyrillic(t *text, i int) bool {
	r := []rune(t.src[t.toks[i].Start:min(t.toks[i].End, t.toks[i].Start+4)])
	return len(r) > 0 && unicode.Is(unicode.Cyrillic, r[0]) && unicode.IsLower(r[0])
}

// appositive reports whether the office h follows, after a comma, the name
// of a resolved party who holds an office of that kind on the day.
func appositive(t *text, h hit, named []party, on time.Time) bool {
	if h.from == 0 || !strings.Contains(t.src[t.toks[h.from-1].End:t.toks[h.from].Start], ",") {
		return false
	}
	for _, n := range named {
		if n.p == nil {
			continue
		}
		for _, x := range t.hits {
			if x.k == kPerson && x.to == h.from && x.from == n.from && n.p.OfficeOn(on).Kind == h.role {
				return true
			}
		}
	}
	return false
}

// describesNamed reports whether a named person held the office the role
// at token from names: "Angela Merkel, who completed her term as Federal
// Chancellor". One named after the role and out of office on the day is
// another: "the interim president of Georgia ... after protests that forced
// the resignation of President Eduard Shevardnadze".
func describesNamed(named []party, country, kind string, on time.Time, from int) bool {
	for _, n := range named {
		if n.p == nil || n.from > from && !n.p.InOffice(on) {
			continue
		}
		for _, o := range n.p.Offices {
			if (o.Country == country || o.Org == country) && (o.Kind == kind || kind == leaderKind && o.Leader()) {
				return true
			}
		}
	}
	return false
}

func longerRole(hits []hit, i int) bool {
	h := hits[i]
	for j, x := range hits {
		if j != i && x.k == kRole && x.from <= h.from && x.to >= h.to && (x.to-x.from) > (h.to-h.from) {
			return true
		}
	}
	return false
}
