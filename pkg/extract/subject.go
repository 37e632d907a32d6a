package extract

import (
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// storySubject completes a call with one party found in its clauses by the
// leader the story is about: "In his call with Prime Minister Rudd, the
// President congratulated ..." under "Obama calls rivals Rudd, Gillard" and
// a lead "US President Barack Obama on Monday called ...". That leader is
// the one other leader in office on the day that the headline names, else
// the body's first sentence or the sentences up to the call's. It reports
// false when the only other person named there is out of office (the call
// is a former leader's).
func (e *Extractor) storySubject(d *draft, former map[string]bool) bool {
	// In the body: its first sentence, or every sentence up to the call's
	// ("Пезешкиан ... обсудил этот вопрос с президентом России Владимиром
	// Путиным. В телефонном разговоре, который состоялся вчера, ...").
	last, callLast := 0, 0 // callLast: the call's own sentence; last may be the next
	if len(d.body.toks) > 0 {
		last = d.body.toks[0].Sent
		if d.bodyCall && d.bc.phrase.from < len(d.body.toks) {
			last = max(last, d.body.toks[d.bc.phrase.from].Sent)
		}
		callLast = last
		if d.bodyCall && !withAfter(d.bc) {
			// "Erdoğan discussed ... over the phone on Tuesday. Erdoğan
			// told Meloni that ...": the call's sentence names no one it
			// was with; the next may.
			last++
		}
	}
	// The one leader the sentences before the call's name is its subject,
	// whoever else the call's sentence names: "Ismail Sabri Yaakob has
	// continued to receive messages ... Today, he received a telephone call
	// from ... Morrison and a letter from Chinese Premier Li Keqiang."
	if p, mention := e.subjectBefore(d, callLast, former); p != nil {
		d.addSubject(p, mention)
		return true
	}
	if p, mention := e.bareOfficeActor(d); p != nil {
		d.addSubject(p, mention)
		return true
	}
	outOnly := false // someone else is named, only out of office
	for _, t := range []*text{d.title, d.body} {
		var found *gazetteer.Person
		var mention string
		for _, h := range t.hits {
			if h.k == kFormer && (t == d.title || t.toks[h.from].Sent <= callLast) &&
				(t.has(kRole, h.to, h.to+3) || t.has(kCountry, h.to, h.to+3) || t.has(kPerson, h.to, h.to+3) || unknownAfter(t, h.to)) {
				outOnly = true // "с бывшим главой Армении Робертом Кочаряном", "President-elect Daniel Noboa"
			}
			if h.k != kPerson || t == d.body && t.toks[h.from].Sent > last || formerBefore(t, h.from) {
				continue // "The former president of Cambodia, Hun Sen posted ..."
			}
			p := h.names.Resolve(d.onDay)
			if p != nil && p != d.own && d.counter[p.Key()] == nil && (former[p.Key()] || p.OutOfOfficeSince(d.onDay, longOutOfOffice)) {
				outOnly = outOnly || t == d.title || t.toks[h.from].Sent <= callLast
				continue
			}
			if p == nil || !p.OfficeOn(d.onDay).Leader() || p == d.own || d.counter[p.Key()] != nil || former[p.Key()] {
				continue
			}
			if found != nil && found != p {
				return true // two others: the story's subject is not plain
			}
			found, mention = p, t.span(h.from, h.to)
		}
		if found == nil {
			lim := last
			if t == d.title {
				lim = 1 << 30
			}
			found, mention = e.officeLeader(d, t, lim, former)
		}
		if found != nil {
			d.addSubject(found, mention)
			return true
		}
	}
	return !outOnly
}

// addSubject makes p, named by mention, a party of the call: the story's
// subject.
func (d *draft) addSubject(p *gazetteer.Person, mention string) {
	d.counter[p.Key()] = p
	d.partEv = append(d.partEv, model.Evidence{StatementID: d.st.ID, Kind: "participant", Text: mention})
}

// subjectBefore returns the one leader in office that the body's sentences
// before sentence callSent name by name, other than the parties found, with
// the words naming him; nil when none or several.
func (e *Extractor) subjectBefore(d *draft, callSent int, former map[string]bool) (*gazetteer.Person, string) {
	t := d.body
	var found *gazetteer.Person
	var mention string
	for _, h := range t.hits {
		if h.k != kPerson || t.toks[h.from].Sent >= callSent || formerBefore(t, h.from) {
			continue
		}
		p := h.names.Resolve(d.onDay)
		if p == nil || p == d.own || d.counter[p.Key()] != nil || former[p.Key()] || !p.InOffice(d.onDay) || !p.OfficeOn(d.onDay).Leader() {
			continue
		}
		if found != nil && found != p {
			return nil, ""
		}
		found, mention = p, t.span(h.from, h.to)
	}
	return found, mention
}

// officeLeader returns the one other leader that t names by office and
// country up to sentence last ("UK PM Talks With Zelenskyy", "Ethiopian
// Prime Minister Abiy Ahmed ... said that he spoke to ..."), with the words
// naming him: the holder on the day, or the one whose name follows.
func (e *Extractor) officeLeader(d *draft, t *text, last int, former map[string]bool) (*gazetteer.Person, string) {
	c := clause{t: t, to: len(t.toks), isTitle: t == d.title}
	var found *gazetteer.Person
	var mention string
	for i, h := range t.hits {
		if h.k != kRole || qualifiedRole(t, i) || t.toks[h.from].Sent > last {
			continue
		}
		country := roleCountry(c, h)
		if country == "" || country == d.ownCountry {
			continue
		}
		nf, nt := nameAfter(t, h.to, min(h.to+roleNameAfter, len(t.toks)))
		if c.isTitle && titleCased(t) {
			nf, nt = h.to, h.to
		}
		p := e.holderNamed(country, h.role, d.onDay, t, nf, nt)
		if p == nil || p == d.own || d.counter[p.Key()] != nil || former[p.Key()] || !p.OfficeOn(d.onDay).Leader() {
			continue
		}
		if found != nil && found != p {
			return nil, "" // two others: the story's subject is not plain
		}
		from := h.from
		for _, x := range t.hits {
			if x.k == kCountry && x.to == h.from {
				from = x.from // "UK PM"
			}
		}
		found, mention = p, t.span(from, max(h.to, nt))
	}
	return found, mention
}

// unknownAfter reports whether a name no pattern knows starts at token i:
// "Ecuador's President-elect Daniel Noboa".
func unknownAfter(t *text, i int) bool {
	from, to := unknownName(t, i, min(i+1, len(t.toks)))
	return to > from
}

// bareOfficeActor resolves a caller named by office alone ("Prime Minister
// received a telephone call today from ... the Prime Minister of Nepal", a
// government's release copied to another site) to the holder of that office
// in the one country the lead names besides the counterpart's ("the People
// of India").
func (e *Extractor) bareOfficeActor(d *draft) (*gazetteer.Person, string) {
	if d.own != nil || !d.bodyCall || len(d.counter) != 1 || len(d.unresolved) > 0 {
		return nil, ""
	}
	t, c := d.body, d.bc
	var actor hit
	found := false
	for i, h := range t.hits {
		if h.k == kRole && h.from >= c.from && h.to <= c.phrase.from && !qualifiedRole(t, i) && h.role != leaderKind &&
			roleCountry(c, h) == "" && !t.has(kPerson, h.to, c.phrase.from) {
			actor, found = h, true
			break
		}
	}
	if !found {
		return nil, ""
	}
	var other *gazetteer.Person
	for _, p := range d.counter {
		other = p
	}
	theirs := other.OfficeOn(d.onDay).Country
	country := ""
	for _, h := range t.hits {
		if h.k != kCountry || h.code == theirs || !inLead(t, h.from) {
			continue
		}
		if c, ok := e.g.Country(h.code); ok && c.Org {
			continue // "the UN Security Council"
		}
		if country != "" && country != h.code {
			return nil, "" // two other countries: whose office it is is not plain
		}
		country = h.code
	}
	if country == "" {
		return nil, ""
	}
	p, ok := e.g.Holder(country, actor.role, d.onDay)
	if !ok || p == other || !p.OfficeOn(d.onDay).Leader() {
		return nil, ""
	}
	return p, t.span(actor.from, actor.to)
}
