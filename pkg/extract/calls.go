package extract

import (
	"slices"
	"strings"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// build returns the calls of a finished draft: one, or one per counterpart
// for "telephone conversations with A and B".
func (e *Extractor) build(d *draft) []Call {
	if d.plural && !d.multi && len(d.splitFrom)+len(d.splitUnres) >= 2 {
		// The actors before the phrase are in every call ("Erdogan and
		// Trump held telephone conversations" is one call of the two).
		actors := map[string]*gazetteer.Person{}
		for _, r := range d.splitFrom {
			if r.from < d.splitAt && r.p != d.own {
				actors[r.p.Key()] = r.p
			}
		}
		var out []Call
		seen := map[string]bool{}
		for _, r := range d.splitFrom {
			if (d.own != nil && r.p == d.own) || seen[r.p.Key()] || actors[r.p.Key()] != nil {
				continue
			}
			seen[r.p.Key()] = true
			ps := map[string]*gazetteer.Person{r.p.Key(): r.p}
			for k, a := range actors {
				ps[k] = a
			}
			out = append(out, e.call(d, ps, nil, false))
		}
		for _, u := range d.splitUnres {
			out = append(out, e.call(d, actors, []party{u}, false))
		}
		if len(out) >= 2 {
			return out
		}
	}
	return []Call{e.call(d, d.counter, d.unresParties, true)}
}

// call is the call of the draft with the counterparts ps and unres and the
// publisher's leader; the last one built may keep the draft's evidence.
func (e *Extractor) call(d *draft, ps map[string]*gazetteer.Person, unres []party, last bool) Call {
	if d.ev == nil {
		d.ev = d.evidence()
	}
	c := Call{Status: model.StatusHeld, Initiator: d.initiator, OccurredOn: d.onStr, Zone: d.loc.String(), DateBasis: d.dateBasis, OccurredAt: d.at,
		Precision: d.precision, Topics: d.topics, Confidence: d.conf, Evidence: d.ev}
	if d.announced {
		c.Status = model.StatusAnnounced
	}
	if !last {
		c.Evidence = slices.Clone(d.ev)
	}
	all := map[string]*gazetteer.Person{}
	for k, v := range ps {
		all[k] = v
	}
	if d.own != nil {
		all[d.own.Key()] = d.own
	}
	c.Participants = make([]model.Participant, 0, len(all)+len(unres))
	initiatorIn := false
	for _, p := range all {
		c.Participants = append(c.Participants, p.Participant(d.onDay))
		initiatorIn = initiatorIn || c.Initiator != "" && p.WikidataID == c.Initiator
	}
	slices.SortFunc(c.Participants, func(a, b model.Participant) int { return strings.Compare(a.Key(), b.Key()) })
	if !initiatorIn {
		c.Initiator = ""
	}
	for _, u := range unres {
		c.Unresolved = append(c.Unresolved, u.mention)
		c.Participants = append(c.Participants, e.unresolvedParticipant(u))
	}
	return c
}

// evidence is what the stages saw, in their order: the call phrases, the
// parties, the announcement, the date, the initiator, the topics.
func (d *draft) evidence() []model.Evidence {
	ev := make([]model.Evidence, 0, len(d.callEv)+len(d.partEv)+3+len(d.topicEv))
	ev = append(ev, d.callEv...)
	ev = append(ev, d.partEv...)
	id := d.st.ID
	if d.announced {
		ev = append(ev, model.Evidence{StatementID: id, Kind: "announcement", Text: d.title.span(0, len(d.title.toks))})
	}
	if d.dateEv != "" {
		ev = append(ev, model.Evidence{StatementID: id, Kind: "date", Text: d.dateEv})
	}
	if d.initEv != "" {
		ev = append(ev, model.Evidence{StatementID: id, Kind: "initiator", Text: d.initEv})
	}
	for _, t := range d.topicEv {
		ev = append(ev, model.Evidence{StatementID: id, Kind: "topic", Text: t})
	}
	return ev
}
