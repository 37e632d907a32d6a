package extract

import (
	"slices"
	"time"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/publishers"
)

type party struct {
	p       *gazetteer.Person
	mention string
	from    int
	// An unresolved party: the office kind, country and name as written,
	// where the text gives them.
	kind, country, name string
	// generic: resolved from a country's "leader" ("Лидеры Узбекистана и
	// Индии"), a guess at which of its offices is meant.
	generic bool
}

// counterparts resolves the leaders named in the clause: by name, by office
// and country, by a name no pattern knows, and as "the presidents of A and B".
func (e *Extractor) counterparts(c clause, ownCountry string, on time.Time) (resolved []party, unresolved []party, multi bool) {
	resolved, multi = e.namedLeaders(c, on)
	resolved, unresolved = e.officeHolders(c, ownCountry, on, resolved)
	resolved = e.unknownNames(c, on, resolved)
	resolved = e.leadersOfCountries(c, ownCountry, on, resolved)
	resolved = e.counterpartsOf(c, ownCountry, on, resolved)
	return resolved, unresolved, multi
}

// namedLeaders returns the people the clause names, and whether it names a
// call of several leaders ("leaders of").
func (e *Extractor) namedLeaders(c clause, on time.Time) (resolved []party, multi bool) {
	t := c.t
	resolved = make([]party, 0, 4)
	after := c.phrase.from // the counterparts follow the actor
	for _, h := range t.hits {
		// Every leader named in the clause, the actor too: "Си Цзиньпин
		// провел телефонный разговор с Трампом" from a news agency.
		// Not a leader of another event named after the call: "созвонился с
		// Путиным перед встречей с Зеленским", "ahead of his meeting with".
		if h.k == kPerson && h.from >= c.from && h.from < c.to && !otherEventBefore(c, h.from) && !insideLongerName(t, h) && !namesEvent(t, h) {
			if p := h.names.Resolve(on); p != nil && p.OfficeOn(on).Leader() {
				h.p = p
			}
			if q := e.countryHolderNamed(t, h, on); q != nil {
				h.p = q
			}
			resolved = append(resolved, party{p: h.p, mention: t.span(h.from, h.to), from: h.from})
		}
		if h.k == kMulti && h.from >= after && h.from < c.to {
			multi = true
		}
	}
	return resolved, multi
}

// countryHolderNamed resolves a name written with a country its person has
// no office in to that country's holder of the same office on the day, when
// the holder bears the name: "Saudi Arabia King Abdullah", "King Abdullah
// bin Abdulaziz of the Kingdom of Saudi Arabia" are not Jordan's King
// Abdullah.
func (e *Extractor) countryHolderNamed(t *text, h hit, on time.Time) *gazetteer.Person {
	if h.p == nil {
		return nil
	}
	country := ""
	for _, x := range t.hits {
		if x.k != kCountry {
			continue
		}
		before := x.to == h.from
		after := x.from > h.to && x.from <= h.to+nameCountryAfter && t.toks[x.from-1].Text == "of" && !punctBetween(t, h.to-1, x.from)
		if before || after {
			country = x.code
			break
		}
	}
	if country == "" || slices.ContainsFunc(h.p.Offices, func(o gazetteer.Office) bool { return o.Country == country }) {
		return nil
	}
	q, ok := e.g.Holder(country, h.p.OfficeOn(on).Kind, on)
	if !ok {
		return nil
	}
	for i := h.from; i < h.to; i++ {
		if q.NameWord(t.toks[i].Text) {
			return q
		}
	}
	return nil
}

// namesEvent reports whether the name h is a modifier of an event noun
// after it: "Putin discusses Trump summit, Ukraine in call with Brazil's
// Lula", "Trump's visit". ("Modi talks with Putin": "talks" is the verb.)
func namesEvent(t *text, h hit) bool {
	i := h.to
	if i < len(t.toks) && t.toks[i].Text == "s" {
		i++ // "Trump's"
	}
	if i >= len(t.toks) || t.toks[i].Sent != t.toks[h.from].Sent {
		return false
	}
	verb := i+1 < len(t.toks) && wordIn(t.toks[i+1].Text, "with", "to", "by", "over", "on")
	return wordIn(t.toks[i].Text, "summit", "meeting", "visit", "trip") || t.toks[i].Text == "talks" && !verb
}

// insideLongerName reports whether the name hit h lies inside a longer one:
// "Berdimuhamedov" in "Gurbanguly Berdimuhamedov" is not the surname of
// his son in office, "Aliyev" in "Heydar Aliyev" not Ilham Aliyev.
func insideLongerName(t *text, h hit) bool {
	for _, x := range t.hits {
		if x.k == kPerson && x.from <= h.from && x.to >= h.to && x.to-x.from > h.to-h.from {
			return true
		}
		if x.k == kPerson && x.from < h.from && h.from < x.to && x.to < h.to {
			return true // starts inside an earlier name: "Salman bin Abdulaziz" in "Mohammed bin Salman bin Abdulaziz"
		}
	}
	return false
}

// namedFormer reports whether the name at token i is of someone named by an
// office no longer held: "Former President Muhammadu Buhari", "бывший
// премьер-министр Италии Сильвио Берлускони", "с экс-канцлером ФРГ Ангелой
// Меркель" (a country or name words may stand between office and name).
func namedFormer(c clause, i int) bool {
	t := c.t
	for j, h := range t.hits {
		// The office may open the name: "former Senegalese President Macky Sall".
		if h.k != kRole || h.to > i && h.from != i || i-h.to > formerTitleAfter || h.from < c.from || !formerRole(t.hits, j) ||
			i-h.to > roleNameAfter && connectiveBetween(t, h.to, i) ||
			h.to <= c.phrase.from && i >= c.phrase.to {
			continue // not across the call phrase: "The former prime minister welcomed the phone call between Keir Starmer and ..."
		}
		if !t.has(kPerson, h.to, i) && !t.has(kRole, h.to, i) {
			return true
		}
	}
	return false
}

// connectiveBetween reports whether "and", "with" or their Russian forms
// stand in [from, to): a name after them is another's than the office's
// before them.
func connectiveBetween(t *text, from, to int) bool {
	for i := from; i < to; i++ {
		if wordIn(t.toks[i].Text, "and", "with", "и", "с", "со") {
			return true
		}
	}
	return false
}

// formerIn reports whether the clause names someone by an office no longer
// held ("former President", "первым президентом Казахстана").
func formerIn(c clause) bool {
	for j, h := range c.t.hits {
		if h.k == kRole && h.from >= c.from && h.from < c.to && formerRole(c.t.hits, j) {
			return true
		}
	}
	return false
}

// otherEventBefore reports whether a name at token i after the call phrase
// belongs to another event: "перед встречей с Зеленским"; before the phrase,
// one after which the call came: "после разговора с Путиным позвонил".
func otherEventBefore(c clause, i int) bool {
	if i < c.phrase.from {
		// Before the phrase only "after" marks another event: "Макрон после
		// разговора с ... Путиным позвонил ... Зеленскому".
		for _, h := range c.t.hits {
			if h.k == kNegGenre && h.from >= max(c.from, i-afterEventWindow) && h.from < i && wordIn(c.t.toks[h.from].Text, "после", "after") &&
				!punctBetween(c.t, h.from, i) {
				return true
			}
		}
		// "Prabowo ... met with outgoing United States President Joe Biden,
		// following which he published a call with ...": the one met. Not
		// "met with Ferdinand Marcos ... over the phone": met by phone.
		if byPhone(c.t, c.phrase) {
			return false
		}
		for j := max(c.from, i-metWindow); j+1 < i; j++ {
			met := wordIn(c.t.toks[j].Text, "met", "meets", "встретил*", "встречал*") || c.t.has(kNegGenre, j, j+1) && wordIn(c.t.toks[j].Text, "talks", "meeting", "переговор*", "встреч*")
			if met && wordIn(c.t.toks[j+1].Text, "with", "с", "со") && !punctBetween(c.t, j, i) {
				return true // "interrupted his Moscow talks with Russian Prime Minister Vladimir Putin and spoke on the phone with"
			}
		}
		return false
	}
	if i <= c.phrase.to {
		return false
	}
	// The office and country before a name, and a longer name around it,
	// are part of it: "встречи с президентом США Дональдом Трампом".
	for moved := true; moved; {
		moved = false
		for _, h := range c.t.hits {
			before := (h.k == kRole || h.k == kCountry) && h.to == i
			around := h.k == kPerson && h.from < i && h.to > i
			if (before || around) && h.from > c.phrase.to {
				i, moved = h.from, true
			}
		}
		// "Venezuela's acting President": a stand-in's title, and the
		// possessive before it
		if !moved && i-1 > c.phrase.to && wordIn(c.t.toks[i-1].Text, "acting", "interim", "outgoing") {
			i, moved = i-1, true
			if i-1 > c.phrase.to && c.t.toks[i-1].Text == "s" {
				i--
			}
		}
	}
	// A genre word right after the phrase is the call's own: "провел в
	// формате видеоконференции переговоры с Игорем Додоном".
	return c.t.has(kNegGenre, max(c.phrase.to+1, i-otherEventWindow), i) || laterCall(c, i) || subordinate(c, i)
}

// subordinate reports whether a subordinate clause of another event starts
// between the call phrase and the name at token i: "in a call Tuesday that
// focused on trade relations as US President Donald Trump prepares to
// announce ...", "while", "amid".
func subordinate(c clause, i int) bool {
	t := c.t
	for j := c.phrase.to; j < i; j++ {
		// the new clause's subject follows: "as US President", not
		// "described as friendly ..., in which Gordon Brown and Obama"
		if wordIn(t.toks[j].Text, "as", "while", "amid", "amidst", "whereas") && capitalised(t, j+1) {
			return true
		}
	}
	return false
}

// laterCall reports whether another call phrase stands between the
// clause's own and the name at token i, with its parties after it: "spoke
// via telephone with U.S. President Donald Trump ..., including a telephone
// conversation between Trump and Xi Jinping on Monday".
func laterCall(c clause, i int) bool {
	t := c.t
	for _, x := range t.hits {
		if x.k == kCall && x.from >= c.phrase.to+laterCallGap && x.to < i && wordIn(t.toks[x.to].Text, "between", "with", "между", "с", "со") {
			return true
		}
	}
	return false
}

// unknownNames resolves names no pattern knows: "разговор Александра
// Лукашенко с Нурсултаном Назарбаевым" (the data has most people in English
// only, or in another spelling). Without an office word nothing says it is
// a leader's: only a leader in office whose given name and surname both
// these are resolves it.
func (e *Extractor) unknownNames(c clause, on time.Time, resolved []party) []party {
	eachUnknownName(c, func(nf, nt int) bool {
		p := e.leaderNamed(on, c.t, nf, nt)
		if p == nil && nt-nf == 1 {
			p = e.leaderSurnamed(on, c.t, nf)
		}
		if p != nil {
			resolved = append(resolved, party{p: p, mention: c.t.span(nf, nt), from: nf})
		}
		return true
	})
	return resolved
}

// eachUnknownName calls fn with the bounds of every name in the clause that
// no pattern knows and that is no other event's party, until fn returns
// false.
func eachUnknownName(c clause, fn func(nf, nt int) bool) {
	for i := c.from; i < c.to; {
		nf, nt := unknownName(c.t, i, c.to)
		if nt > nf && !otherEventBefore(c, nf) && !fn(nf, nt) {
			return
		}
		i = max(nt, i+1)
	}
}

// namedOutOfOffice reports whether the clause names, by a given name and
// surname no pattern knows, a leader of the data who held no leader's office
// on the day: "Виктор Янукович ... говорил с президентом России Владимиром
// Путиным по телефону" a week after he was removed.
func (e *Extractor) namedOutOfOffice(c clause, on time.Time) bool {
	found := false
	eachUnknownName(c, func(nf, nt int) bool {
		if nt-nf < 2 {
			return true
		}
		p, ok := e.g.NamedPerson(gazetteer.NewWrittenName(nameWords(c.t, nf, nt)))
		found = ok && p.OfficeOn(on).Leader() && !p.InOffice(on) // not a minister
		return !found
	})
	return found
}

// byPhone reports whether the call phrase h says how the parties spoke,
// not what they held: "over the phone", "by telephone", "via video".
func byPhone(t *text, h hit) bool {
	return wordIn(t.toks[h.from].Text, "over", "by", "on", "via", "through", "по")
}

// skipWords returns the first token from i (before end) that is none of ws.
func skipWords(t *text, i, end int, ws ...string) int {
	for i < end && slices.Contains(ws, t.toks[i].Text) {
		i++
	}
	return i
}

// personIn reports whether a person is named in the clause starting at a
// token in [from, to).
func personIn(t *text, clauseFrom, from, to int) bool {
	for _, x := range t.hits {
		if x.k == kPerson && x.from >= from && x.from < to && x.from >= clauseFrom {
			return true
		}
	}
	return false
}

// ownLeader returns the leader who speaks through the publisher (see
// publishers.Publisher.Office), the country and the office kind, on the day.
func (e *Extractor) ownLeader(pub *publishers.Publisher, on time.Time) (*gazetteer.Person, string, string) {
	if pub == nil || !pub.Speaks() {
		return nil, "", ""
	}
	if pub.Person != "" {
		p, _ := e.g.ByID(pub.Person)
		return p, pub.Government, pub.Office
	}
	p, _ := e.g.Holder(pub.Government, pub.Office, on)
	return p, pub.Government, pub.Office
}

// setOwn sets the publisher's leader on the call's day. It reports false
// when the publisher is a former leader's own office: his call after his
// term is no leader call.
func (e *Extractor) setOwn(d *draft) bool {
	d.own, d.ownCountry, d.ownOffice = e.ownLeader(d.pub, d.st.PublishedAt)
	switch {
	case d.own == nil:
	case d.pub.Person != "":
		return d.own.LeadsOn(d.onDay)
	default:
		if p, ok := e.g.Holder(d.ownCountry, d.ownOffice, d.onDay); ok {
			d.own = p
		}
	}
	return true
}

func hasOther(ps []party, own *gazetteer.Person) bool {
	for _, p := range ps {
		if own == nil || p.p != own {
			return true
		}
	}
	return false
}

func (e *Extractor) initiator(clauses []clause, body *text, own *gazetteer.Person, ownCountry string, counter map[string]*gazetteer.Person, on time.Time) (string, string) {
	texts := make([]*text, 1, 4)
	texts[0] = body
	for _, c := range clauses {
		if c.isTitle {
			texts = append(texts, c.t)
		}
	}
	for _, t := range texts {
		for _, h := range t.hits {
			if h.k != kInitiative {
				continue
			}
			for _, x := range t.hits {
				if x.k != kCountry || x.from < h.from-4 || x.from > h.to+4 {
					continue
				}
				ev := t.span(min(x.from, h.from), max(x.to, h.to))
				if x.code == ownCountry && own != nil {
					return own.WikidataID, ev
				}
				for _, p := range counter {
					if p.OfficeOn(on).Country == x.code {
						return p.WikidataID, ev
					}
				}
				return "", ev
			}
		}
	}
	return "", ""
}

// participants finds the parties: the publisher's leader on the day, and
// the counterparts each clause names, resolved or not. It reports false
// when nobody is on the other end (a governor, a citizen, a minister).
func (e *Extractor) participants(d *draft) bool {
	if !e.setOwn(d) {
		return false
	}
	if d.titleCall && len(d.clauses) == 2 {
		r, u, m := e.counterparts(d.tc, d.ownCountry, d.onDay)
		if (m || d.tc.phrase.plural) && len(u) == 0 && !hasOther(r, d.own) {
			d.clauses = append(d.clauses, e.moreClauses(d.body, d.bc)...)
		} else if (len(u) > 0 || hasOther(r, d.own)) && d.own != nil {
			// The title names the other side: the body may name others. Without
			// a publisher's leader, the body's call sentence names the actor.
			d.clauses = d.clauses[:1]
		}
	}
	var resolved []party
	// Someone named is out of office, or no leader: a call with a former
	// leader is no leader call (testdata/eval/README.md, "Definition").
	former := false
	var formerKeys map[string]bool
	for i, c := range d.clauses {
		f := formerIn(c)
		former = former || f || nonLeaderCounterpart(c)
		r, u, m := e.counterparts(c, d.ownCountry, d.onDay)
		// A crown prince the data does not list as leading his country is
		// no leader: "с Наследным принцем Государства Кувейт".
		n := len(u)
		u = slices.DeleteFunc(u, func(p party) bool { return p.kind == gazetteer.KindCrownPrince })
		former = former || len(u) < n
		for _, p := range r {
			long := p.p.OutOfOfficeSince(d.onDay, longOutOfOffice) // named as what he is now
			// Elected, not yet in office: "Museveni has personally called
			// William Ruto to congratulate him upon election".
			long = long || p.p.StartsWithin(d.onDay, electedBefore)
			// Not yet in office while another held it: "вице-президентом США
			// Джо Байденом" in 2016, an opposition leader who leads later.
			long = long || e.g.BeforeFirstTerm(p.p, d.onDay)
			if !long && !(f && namedFormer(c, p.from)) {
				continue
			}
			former = former || long
			if formerKeys == nil {
				formerKeys = map[string]bool{}
			}
			formerKeys[p.p.Key()] = true
		}
		resolved = append(resolved, r...)
		if i == 0 || len(d.unresolved) == 0 {
			d.unresolved = append(d.unresolved, u...)
		}
		d.multi = d.multi || m
		if i == 0 {
			d.plural = c.phrase.plural
			d.splitFrom, d.splitUnres, d.splitAt = r, u, c.phrase.from
		}
	}
	// Someone named out of office in one clause ("с экс-канцлером ФРГ Ангелой
	// Меркель") is no party in another ("Путин и Меркель поговорили").
	if formerKeys != nil {
		resolved = slices.DeleteFunc(resolved, func(r party) bool { return formerKeys[r.p.Key()] })
	}
	resolved = dropSucceeded(resolved, d.onDay)
	resolved = dropGenericLeaders(resolved, d.onDay)
	d.counter = map[string]*gazetteer.Person{}
	for _, r := range resolved {
		if d.own == nil || r.p != d.own {
			d.counter[r.p.Key()] = r.p
		}
	}
	// An office named with a name in another spelling is the resolved
	// holder of that office: "Prime Minister Phankham Viphavanh" where the
	// headline's "Lao Prime Minister" is Phankham Viphavan.
	d.unresolved = slices.DeleteFunc(d.unresolved, func(u party) bool { return d.holdsOffice(u) })
	if len(d.counter) == 0 && len(d.unresolved) == 0 && !d.multi {
		// "The President will speak at the summit": without a phone word, a
		// future call needs its parties named, at least as "the presidents";
		// "Лавров проведет телефонный разговор с Блинкеном": nobody known
		// on either end.
		if !d.announced || !phoneWord(d.clauses) || d.own == nil {
			return false
		}
	}
	if !former && !d.multi && d.partyCount() < 2 {
		// Only now, as it costs: a counterpart named by a name no pattern
		// knows, out of office on the day.
		former = slices.ContainsFunc(d.clauses, func(c clause) bool { return nonLeaderNamedAfter(c) || e.namedOutOfOffice(c, d.onDay) })
	}
	if former && !d.multi && d.partyCount() < 2 {
		// A leader's call with someone out of office ("Former President
		// Buhari ... a phone call to President Tinubu") or no leader ("with
		// the Secretary of State") is no leader call.
		return false
	}
	if d.partyCount() == 1 && !d.multi && !e.laterCounterpart(d, formerKeys) && !e.quoteSpeaker(d) {
		if !e.storySubject(d, formerKeys) && d.partyCount() == 1 {
			// The one other person the lead names is out of office: "Путин
			// ... общался с бывшим главой Армении Робертом Кочаряном".
			return false
		}
	}
	for _, r := range resolved {
		d.partEv = append(d.partEv, model.Evidence{StatementID: d.st.ID, Kind: "participant", Text: r.mention})
	}
	seen := map[string]bool{}
	for _, u := range d.unresolved {
		if !seen[u.mention] {
			seen[u.mention] = true
			d.unresParties = append(d.unresParties, u)
		}
	}
	return true
}

// dropGenericLeaders removes a country's "leader" when another party of
// that country is named or named by office: "Лидеры Узбекистана и Индии"
// over "с Премьер-министром Индии Нарендрой Моди" is Modi, not India's
// president.
func dropGenericLeaders(rs []party, on time.Time) []party {
	return slices.DeleteFunc(rs, func(r party) bool {
		if !r.generic || r.p == nil {
			return false
		}
		country := r.p.OfficeOn(on).Country
		return slices.ContainsFunc(rs, func(q party) bool {
			return !q.generic && q.p != nil && q.p != r.p && q.p.InOffice(on) && q.p.OfficeOn(on).Country == country
		})
	})
}

// dropSucceeded removes a party out of office on the day whose office
// another party holds that day: "the interim president of Georgia ... the
// resignation of President Eduard Shevardnadze" three days before.
func dropSucceeded(rs []party, on time.Time) []party {
	return slices.DeleteFunc(rs, func(r party) bool {
		if r.p == nil || r.p.InOffice(on) {
			return false
		}
		last := r.p.OfficeOn(on) // the latest office before the day, if one ended
		if !last.EndedBy(on) {
			return false // not yet in office: "поздравил Турчина с назначением"
		}
		return slices.ContainsFunc(rs, func(q party) bool {
			if q.p == nil || q.p == r.p || !q.p.InOffice(on) {
				return false
			}
			o := q.p.OfficeOn(on)
			return o.Kind == last.Kind && o.Country == last.Country && o.Org == last.Org
		})
	})
}

// formerBefore reports whether a "former" title stands just before the
// name at token i, in its sentence: "The former president of Cambodia, Hun
// Sen".
func formerBefore(t *text, i int) bool {
	for _, x := range t.hits {
		if x.k != kFormer || x.to > i || i-x.to > formerNameGap || t.toks[x.from].Sent != t.toks[i].Sent {
			continue
		}
		// another name between is the former one ("Rishi" of "Rishi Sunak" is his)
		other := slices.ContainsFunc(t.hits, func(y hit) bool { return y.k == kPerson && y.from >= x.to && y.to <= i })
		if !other {
			return true
		}
	}
	return false
}

// withAfter reports whether a "with" or "с" follows the call phrase in its
// clause: the call's sentence says whom it was with.
func withAfter(c clause) bool {
	for i := c.phrase.to; i < c.to; i++ {
		if withWords[c.t.toks[i].Text] {
			return true
		}
	}
	return false
}

// findInitiator finds who placed the call, when the text says.
func (e *Extractor) findInitiator(d *draft) {
	d.initiator, d.initEv = e.initiator(d.clauses, d.body, d.own, d.ownCountry, d.counter, d.onDay)
}

// partyCount is the number of distinct parties found: the publisher's
// leader, the resolved counterparts and the unresolved ones.
func (d *draft) partyCount() int {
	n := len(d.counter)
	if d.own != nil {
		n++
	}
	for i, u := range d.unresolved {
		if !slices.ContainsFunc(d.unresolved[:i], func(v party) bool { return v.mention == u.mention }) {
			n++
		}
	}
	return n
}

// holdsOffice reports whether the unresolved party u, named with an office
// and country, is a resolved party (or the publisher's leader) holding that
// office on the day.
func (d *draft) holdsOffice(u party) bool {
	if u.kind == "" || u.country == "" {
		return false
	}
	held := func(p *gazetteer.Person) bool {
		if p == nil {
			return false
		}
		o := p.OfficeOn(d.onDay)
		return o.Kind == u.kind && (o.Country == u.country || o.Org == u.country)
	}
	if held(d.own) {
		return true
	}
	for _, p := range d.counter {
		if held(p) {
			return true
		}
	}
	return false
}
