package gazetteer

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // publisher zones must resolve on any host

	"gopkg.in/yaml.v3"

	"github.com/readout/readout/pkg/model"
)

// Office kinds (Office.Kind, the roleKind of Holder).
const (
	KindPresident           = "president"
	KindPrimeMinister       = "prime_minister"
	KindChancellor          = "chancellor"
	KindKing                = "king"
	KindEmir                = "emir"
	KindCrownPrince         = "crown_prince"
	KindPope                = "pope"
	KindSecretaryGeneral    = "secretary_general"
	KindCommissionPresident = "commission_president"
	KindCouncilPresident    = "council_president"
)

// Errors returned by Load.
var (
	ErrInvalid = errors.New("gazetteer: invalid data")
)

const dateLayout = "2006-01-02"

//go:embed leaders.yaml
var defaultData []byte

var qidRE = regexp.MustCompile(`^Q[1-9][0-9]*$`)

// Office is one term in one office.
type Office struct {
	Kind    string `yaml:"kind"`    // e.g. KindPresident
	Role    string `yaml:"role"`    // "President of France"
	RoleRU  string `yaml:"role_ru"` // "Президент Франции"
	Country string `yaml:"country"` // ISO 3166-1 alpha-2, "" for organisations
	Org     string `yaml:"org"`     // organisation code ("EU", "UN", "NATO") when not a country
	From    string `yaml:"from"`    // YYYY-MM-DD
	To      string `yaml:"to"`      // YYYY-MM-DD, exclusive; "" = current

	from, to time.Time
}

// Person is a leader.
type Person struct {
	WikidataID string   `yaml:"id"`
	NameEN     string   `yaml:"name_en"`
	NameRU     string   `yaml:"name_ru"`
	Aliases    []string `yaml:"aliases"` // EN and RU; a trailing * marks a stem
	Offices    []Office `yaml:"offices"`
}

// Country names a country (or an organisation) in texts.
type Country struct {
	Code string   `yaml:"code"`
	EN   []string `yaml:"en"`  // names: "France", "French Republic"
	Adj  []string `yaml:"adj"` // adjectives: "French"
	RU   []string `yaml:"ru"`  // Russian stems of names and adjectives: "франци*", "французск*"
	Org  bool     `yaml:"org"`
}

// Publisher is a site that speaks for a government (or reports from one
// place): its statements' "the President" is Office's holder, and its local
// dates are in Zone.
type Publisher struct {
	Host    string `yaml:"host"`    // "kremlin.ru"; subdomains ("en.kremlin.ru") match too
	Country string `yaml:"country"` // whose leader speaks, "" for a news agency
	Office  string `yaml:"office"`  // office kind of that leader, e.g. KindPrimeMinister
	Zone    string `yaml:"zone"`    // IANA zone of its dates, e.g. "Europe/Moscow"
	// Markers are release headers that name the publisher when a text is
	// copied elsewhere: a line "Office of the Press Secretary" opens a White
	// House release on any host. Matched case-insensitively against a whole line.
	Markers []string `yaml:"markers"`

	loc *time.Location
}

// Location returns the publisher's time zone.
func (p *Publisher) Location() *time.Location { return p.loc }

type file struct {
	Countries  []Country   `yaml:"countries"`
	Publishers []Publisher `yaml:"publishers"`
	People     []Person    `yaml:"people"`
}

// Gazetteer is a validated, read-only set of leaders, safe for concurrent use.
type Gazetteer struct {
	people    []*Person
	byID      map[string]*Person
	countries []Country
	offices   map[officeKey][]holding // Holder's index
	pubs      map[string]*Publisher   // by host
	markers   map[string]*Publisher   // by lower-case release header line
}

// officeKey is a country or organisation code and an office kind.
type officeKey struct{ place, kind string }

// holding is one term of one person, in Holder's order of preference.
type holding struct {
	p *Person
	o *Office
}

// Default loads the embedded data file.
func Default() (*Gazetteer, error) {
	return Load(bytes.NewReader(defaultData))
}

// Load reads and validates a gazetteer in the YAML format of leaders.yaml.
func Load(r io.Reader) (*Gazetteer, error) {
	var f file
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("gazetteer: decode: %w", err)
	}
	g := &Gazetteer{byID: map[string]*Person{}, countries: f.Countries}
	codes := map[string]bool{}
	for _, c := range f.Countries {
		if c.Code == "" || codes[c.Code] {
			return nil, fmt.Errorf("%w: country code %q empty or repeated", ErrInvalid, c.Code)
		}
		codes[c.Code] = true
	}
	g.pubs, g.markers = map[string]*Publisher{}, map[string]*Publisher{}
	for i := range f.Publishers {
		pb := &f.Publishers[i]
		if pb.Host == "" || g.pubs[pb.Host] != nil {
			return nil, fmt.Errorf("%w: publisher host %q empty or repeated", ErrInvalid, pb.Host)
		}
		if (pb.Country == "") != (pb.Office == "") || (pb.Country != "" && !codes[pb.Country]) {
			return nil, fmt.Errorf("%w: publisher %s: country %q and office %q must name a known country and an office kind together", ErrInvalid, pb.Host, pb.Country, pb.Office)
		}
		var err error
		if pb.loc, err = time.LoadLocation(pb.Zone); err != nil || pb.Zone == "" {
			return nil, fmt.Errorf("%w: publisher %s: zone %q: %v", ErrInvalid, pb.Host, pb.Zone, err)
		}
		g.pubs[pb.Host] = pb
		for _, m := range pb.Markers {
			k := strings.ToLower(strings.TrimSpace(m))
			if k == "" || g.markers[k] != nil && g.markers[k].Country != pb.Country {
				return nil, fmt.Errorf("%w: publisher %s: marker %q empty or naming another country's publisher", ErrInvalid, pb.Host, m)
			}
			g.markers[k] = pb
		}
	}
	for i := range f.People {
		p := &f.People[i]
		if !qidRE.MatchString(p.WikidataID) {
			return nil, fmt.Errorf("%w: person %d (%s): bad wikidata id %q", ErrInvalid, i, p.NameEN, p.WikidataID)
		}
		if g.byID[p.WikidataID] != nil {
			return nil, fmt.Errorf("%w: %s listed twice", ErrInvalid, p.WikidataID)
		}
		if p.NameEN == "" || p.NameRU == "" {
			return nil, fmt.Errorf("%w: %s: name_en and name_ru are required", ErrInvalid, p.WikidataID)
		}
		if len(p.Offices) == 0 {
			return nil, fmt.Errorf("%w: %s: no offices", ErrInvalid, p.WikidataID)
		}
		for j := range p.Offices {
			o := &p.Offices[j]
			if o.Kind == "" || o.Role == "" {
				return nil, fmt.Errorf("%w: %s office %d: kind and role are required", ErrInvalid, p.WikidataID, j)
			}
			if (o.Country == "") == (o.Org == "") {
				return nil, fmt.Errorf("%w: %s office %d: exactly one of country and org", ErrInvalid, p.WikidataID, j)
			}
			if !codes[o.Country+o.Org] {
				return nil, fmt.Errorf("%w: %s office %d: unknown country %q", ErrInvalid, p.WikidataID, j, o.Country+o.Org)
			}
			var err error
			if o.from, err = time.Parse(dateLayout, o.From); err != nil {
				return nil, fmt.Errorf("%w: %s office %d: from: %v", ErrInvalid, p.WikidataID, j, err)
			}
			if o.To != "" {
				if o.to, err = time.Parse(dateLayout, o.To); err != nil {
					return nil, fmt.Errorf("%w: %s office %d: to: %v", ErrInvalid, p.WikidataID, j, err)
				}
				if !o.to.After(o.from) {
					return nil, fmt.Errorf("%w: %s office %d: ends before it starts", ErrInvalid, p.WikidataID, j)
				}
			}
		}
		g.byID[p.WikidataID] = p
		g.people = append(g.people, p)
	}
	sort.Slice(g.people, func(a, b int) bool { return g.people[a].WikidataID < g.people[b].WikidataID })
	g.offices = map[officeKey][]holding{}
	for _, p := range g.people {
		for i := range p.Offices {
			o := &p.Offices[i]
			// Exactly one of Country and Org is set; like the other, the
			// empty one matches a Holder call for "".
			for _, place := range []string{o.Country, o.Org} {
				k := officeKey{place, o.Kind}
				g.offices[k] = append(g.offices[k], holding{p, o})
			}
		}
	}
	return g, nil
}

// Publisher returns the publisher of host or of its nearest parent domain
// listed ("en.kremlin.ru" → kremlin.ru, "www.gov.uk" → gov.uk).
func (g *Gazetteer) Publisher(host string) (*Publisher, bool) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for host != "" {
		if p, ok := g.pubs[host]; ok {
			return p, true
		}
		i := strings.IndexByte(host, '.')
		if i < 0 {
			break
		}
		host = host[i+1:]
	}
	return nil, false
}

// PublisherOfHeader returns the publisher whose release header line opens
// text (within its first lines): the White House's "Office of the Press
// Secretary" on a mirror of its readout.
func (g *Gazetteer) PublisherOfHeader(text string) (*Publisher, bool) {
	for i := 0; i < maxHeaderLines && text != ""; i++ {
		line, rest, _ := strings.Cut(text, "\n")
		if p, ok := g.markers[strings.ToLower(strings.TrimSpace(line))]; ok {
			return p, true
		}
		text = rest
	}
	return nil, false
}

// maxHeaderLines is how far into a text PublisherOfHeader looks.
const maxHeaderLines = 4

// People returns all persons, sorted by Wikidata id.
func (g *Gazetteer) People() []*Person { return g.people }

// Countries returns the countries and organisations the data names.
func (g *Gazetteer) Countries() []Country { return g.countries }

// ByID returns the person with Wikidata id qid.
func (g *Gazetteer) ByID(qid string) (*Person, bool) {
	p, ok := g.byID[qid]
	return p, ok
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// held reports whether o was held on the given day.
func (o *Office) held(on time.Time) bool { return o.heldOnDay(day(on)) }

// heldOnDay is held for a day as returned by day.
func (o *Office) heldOnDay(on time.Time) bool {
	return !on.Before(o.from) && (o.to.IsZero() || on.Before(o.to))
}

// Holder returns who held the office of kind roleKind in country (an ISO code
// or an organisation code such as "EU") on the given day. On a hand-over day
// the incoming holder wins.
func (g *Gazetteer) Holder(country, roleKind string, on time.Time) (*Person, bool) {
	hs := g.offices[officeKey{country, roleKind}]
	if len(hs) == 0 {
		return nil, false
	}
	on = day(on)
	for _, h := range hs {
		if h.o.heldOnDay(on) {
			return h.p, true
		}
	}
	return nil, false
}

// OfficeOn returns the office p held on the given day, or the latest one before
// it, or the first one.
func (p *Person) OfficeOn(on time.Time) Office {
	best := -1
	for i := range p.Offices {
		o := &p.Offices[i]
		if o.held(on) {
			return *o
		}
		if !day(on).Before(o.from) && (best < 0 || o.from.After(p.Offices[best].from)) {
			best = i
		}
	}
	if best < 0 {
		best = 0
	}
	return p.Offices[best]
}

// Participant returns p as a model.Participant with the office held on the day.
func (p *Person) Participant(on time.Time) model.Participant {
	o := p.OfficeOn(on)
	return model.Participant{WikidataID: p.WikidataID, NameEN: p.NameEN, NameRU: p.NameRU, Role: o.Role, Country: o.Country}
}

// Names returns the patterns that name p: English and Russian names and aliases.
func (p *Person) Names() []string {
	out := []string{p.NameEN, p.NameRU}
	return append(out, p.Aliases...)
}
