package calls

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/textmatch"
)

// Keyer names the parties of a call, so that reports of one call agree on
// them whatever their language and however much of them the gazetteer knew:
//   - a merge key: the Wikidata ids of the resolved participants and, for a
//     counterpart the gazetteer did not resolve, its country and office
//     ("?FI:president": one person on a given day) when the mention names
//     them, else its text;
//   - a partition key: the places (countries or organisations) of all
//     parties, "?" for an unresolved one of unknown place. Reports of one
//     call share it even when one language resolves a counterpart and the
//     other does not, which is what routes them to one partition.
//
// A nil *Keyer keys unresolved counterparts by text and knows only the
// countries on the participants. A Keyer is read-only and safe for concurrent use.
type Keyer struct {
	g         *gazetteer.Gazetteer
	countries textmatch.Matcher[string] // country or organisation names → code
	offices   textmatch.Matcher[string] // office words → gazetteer office kind
}

// NewKeyer returns a Keyer that reads countries and organisations with the
// names g gives them (English names with and without "the", adjectives,
// Russian stems) and places organisation leaders by their offices in g.
func NewKeyer(g *gazetteer.Gazetteer) (*Keyer, error) {
	k := &Keyer{g: g}
	for _, c := range g.Countries() {
		var ps []string
		for _, s := range c.EN {
			ps = append(ps, s, "the "+s)
		}
		ps = append(append(ps, c.Adj...), c.RU...)
		for _, p := range ps {
			if err := k.countries.Add(p, c.Code); err != nil {
				return nil, err
			}
		}
	}
	for _, o := range g.Offices() {
		if o.Kind == gazetteer.KindLeader {
			continue // "the Finnish leader" names a place, no office: "?FI"
		}
		for _, w := range o.Words {
			if err := k.offices.Add(w, o.Kind); err != nil {
				return nil, err
			}
		}
	}
	return k, nil
}

// MergeKey is the merge key of a call with these parties: sorted, "+"-joined.
func (k *Keyer) MergeKey(ps []model.Participant, unresolved []string) string {
	ids := make([]string, 0, len(ps)+len(unresolved))
	for _, p := range ps {
		switch {
		case p.Unresolved:
			// named in unresolved
		case p.WikidataID != "":
			ids = append(ids, p.WikidataID)
		default:
			// A person known without a Wikidata id: their office, as an
			// unresolved mention of it would be keyed.
			ids = append(ids, k.unresolvedKey(p.Role+" "+p.Country))
		}
	}
	for _, u := range unresolved {
		ids = append(ids, k.unresolvedKey(u))
	}
	slices.Sort(ids)
	return strings.Join(slices.Compact(ids), "+")
}

// PartitionKey is the partition key of a call with these parties: the
// sorted, "+"-joined places of its parties.
func (k *Keyer) PartitionKey(ps []model.Participant, unresolved []string) string {
	places := k.places(ps, unresolved)
	return strings.Join(places, "+")
}

// places returns the sorted, distinct places of the parties.
func (k *Keyer) places(ps []model.Participant, unresolved []string) []string {
	out := make([]string, 0, len(ps)+len(unresolved))
	for _, p := range ps {
		if !p.Unresolved {
			out = append(out, k.participantPlace(p))
		}
	}
	for _, u := range unresolved {
		place, _ := k.office(u)
		if place == "" {
			place = "?"
		}
		out = append(out, place)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// participantPlace is a resolved participant's country, or the organisation
// of an organisation's leader, or its Wikidata id when neither is known.
func (k *Keyer) participantPlace(p model.Participant) string {
	if p.Country != "" {
		return p.Country
	}
	if k != nil && k.g != nil {
		if person, ok := k.g.ByID(p.WikidataID); ok {
			// The office the participant held then (its role), else any organisation's.
			org := ""
			for _, o := range person.Offices {
				if o.Role == p.Role && o.Org+o.Country != "" {
					return o.Org + o.Country
				}
				if org == "" {
					org = o.Org
				}
			}
			if org != "" {
				return org
			}
		}
	}
	if p.WikidataID == "" {
		if place, _ := k.office(p.Role); place != "" {
			return place
		}
		return "?"
	}
	return p.WikidataID
}

// unresolvedKey is "?" + place + ":" + office kind of a mention that names
// them ("?FI:president", "?NATO:secretary_general", "?FI" without an
// office), else "?" + its folded, space-collapsed text.
func (k *Keyer) unresolvedKey(mention string) string {
	if place, kind := k.office(mention); place != "" {
		if kind == "" {
			return "?" + place
		}
		return "?" + place + ":" + kind
	}
	return "?" + strings.Join(strings.Fields(textmatch.Fold(mention)), " ")
}

// office finds the place and office kind a mention names ("President of
// Finland Sauli Niinisto", "Президентом Финляндии Саули Ниинистё": FI,
// president): the first match of each, the longest at one position.
func (k *Keyer) office(mention string) (place, kind string) {
	if k == nil {
		return "", ""
	}
	toks := textmatch.Tokenize(mention, nil)
	return firstMatch(k.countries.AppendAll(nil, toks, 0)), firstMatch(k.offices.AppendAll(nil, toks, 0))
}

func firstMatch(ms []textmatch.Match[string]) string {
	best := -1
	for i, m := range ms {
		if best < 0 || m.From < ms[best].From || m.From == ms[best].From && m.To > ms[best].To {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return ms[best].Val
}

// eventID is the id of a new event: its first report's date and a hash of
// the places of its parties (the partition key), that date and the status;
// n > 0 tells apart a different call that would have the same id. The
// places, not the merge key, because the reports of one call agree on them
// where one language resolved a counterpart and the other did not: the
// reports of a call whose publishers give the same date then give the
// same id, whichever of them comes first. Once emitted an id never changes.
func eventID(places, on, status string, n int) string {
	s := places + "|" + on + "|" + status
	if n > 0 {
		s += "|" + strconv.Itoa(n)
	}
	h := sha256.Sum256([]byte(s))
	return "lc-" + on + "-" + hex.EncodeToString(h[:6])
}
