// Package gazgen builds the gazetteer's data from the tables in data/leaders:
// Wikidata-derived office terms, Factbook-derived later holders and the
// curated overrides. cmd/gazgen runs it; a test checks that the committed
// pkg/gazetteer/leaders.json is what it produces.
package gazgen

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/readout/readout/internal/gazgen/countries"
	"github.com/readout/readout/pkg/gazetteer"
)

// ErrInput is returned for an input table that cannot be read.
var ErrInput = errors.New("gazgen: bad input")

// Inputs are the tables the gazetteer is built from.
type Inputs struct {
	Officeholders io.Reader // officeholders-2000-2022.csv (Wikidata, CC0)
	WorldLeaders  io.Reader // world-leaders-2021-2022.csv (Wikidata, CC0): names ↔ ids of late-2022 holders
	Factbook      io.Reader // factbook-holders.csv (World Factbook, public domain); may be nil
	Overrides     io.Reader // overrides.yaml (curated)
}

// Report counts what Build did, for the generator's output and the README.
type Report struct {
	People, WithID, Leaders, Ministers, Terms int
	Countries                                 int
	SkippedRows                               map[string]int // reason → rows
	Trimmed, Dropped                          int            // overlapping terms cut short, or dropped
	FactbookTerms, FactbookMatched            int            // Factbook terms added; of them, holders matched to an id
	FactbookNames                             int            // other names the Factbook gives a holder the data has
}

// term is one office term on its way into the data.
type term struct {
	person      *person
	kind, place string
	from, to    string // YYYY-MM-DD; to "" = open
	fromExact   bool   // the source gave the day
	toExact     bool
	curated     bool
	acting      bool // a stand-in (the Factbook's "acting", "interim")
	src         string
}

// person is one person on its way into the data.
type person struct {
	id, name string
	also     []string // other names of the person: the Factbook's for the same term
	src      []string
	p        *gazetteer.Person // curated entry, when the overrides have one
}

type builder struct {
	rep      Report
	byID     map[string]*person
	byName   map[string][]*person // folded English name → people
	noID     map[string]*person   // folded name + place → Factbook-only people
	terms    []*term
	over     overrides
	country  map[string]gazetteer.Country
	officeOf map[string]gazetteer.OfficeWords
	// placeWord holds the folded words of country names and adjectives: no
	// surname ("Harald V of Norway" has none).
	placeWord map[string]bool
	// wlByPlace holds the world-leaders table's people by country: late-2022
	// holders with ids but no day-precise terms, for the Factbook's fuller
	// names of them ("Gustavo Francisco Petro Urrego").
	wlByPlace map[string][]*person
}

type overrides struct {
	gazetteer.File `yaml:",inline"`
	Drop           []string `yaml:"drop"`
}

// Build reads the inputs and returns the gazetteer data.
func Build(in Inputs) (*gazetteer.File, Report, error) {
	b := &builder{byID: map[string]*person{}, byName: map[string][]*person{}, noID: map[string]*person{},
		country: map[string]gazetteer.Country{}, officeOf: map[string]gazetteer.OfficeWords{}}
	b.rep.SkippedRows = map[string]int{}
	dec := yaml.NewDecoder(in.Overrides)
	dec.KnownFields(true)
	if err := dec.Decode(&b.over); err != nil {
		return nil, b.rep, fmt.Errorf("%w: overrides: %v", ErrInput, err)
	}
	for _, o := range b.over.Offices {
		b.officeOf[o.Kind] = o
	}
	b.buildCountries()
	if err := b.readOfficeholders(in.Officeholders); err != nil {
		return nil, b.rep, err
	}
	if err := b.readWorldLeaders(in.WorldLeaders); err != nil {
		return nil, b.rep, err
	}
	b.applyPeople()
	if in.Factbook != nil {
		if err := b.readFactbook(in.Factbook); err != nil {
			return nil, b.rep, err
		}
	}
	for _, d := range b.over.Drop {
		b.terms = slices.DeleteFunc(b.terms, func(t *term) bool {
			return t.person.id == d || t.person.name+"@"+t.from == d || t.person.name+"@"+t.from+"@"+t.kind == d
		})
	}
	b.settleTerms()
	f := b.file()
	if _, err := gazetteer.New(f); err != nil {
		return nil, b.rep, fmt.Errorf("gazgen: the data built does not load: %w", err)
	}
	// New keeps f's slices; a fresh copy for the caller is not needed: the
	// validation above only indexed them.
	return f, b.rep, nil
}

// buildCountries takes every country of the world from CLDR (package
// countries) and lets the overrides replace or add entries by code.
func (b *builder) buildCountries() {
	for _, c := range countries.All() {
		b.country[c.Code] = gazetteer.Country{Code: c.Code, EN: c.EN, Adj: c.Adj, RU: c.RU}
	}
	for _, c := range b.over.Countries {
		b.country[c.Code] = c
	}
	b.placeWord = map[string]bool{}
	for _, c := range b.country {
		for _, n := range append(slices.Clone(c.EN), c.Adj...) {
			for _, w := range strings.Fields(foldName(n)) {
				b.placeWord[w] = true
			}
		}
	}
	for code, c := range b.country {
		if c.GenRU == "" && !c.Org {
			c.GenRU = ruGenitive(code)
			b.country[code] = c
		}
	}
}

func (b *builder) readOfficeholders(r io.Reader) error {
	rows, err := readCSV(r, "officeholders", "repo", "position", "kind", "person", "personQ", "start", "end")
	if err != nil {
		return err
	}
	for _, row := range rows {
		place, ok := countries.CodeOfRepo(row["repo"])
		if !ok {
			place, ok = b.addedPlace(row["repo"])
		}
		if !ok {
			b.rep.SkippedRows["not an ISO country ("+row["repo"]+")"]++
			continue
		}
		kind, ok := classify(row["position"], row["kind"], row["repo"])
		if strings.EqualFold(row["position"], "French Co-Prince") {
			// Andorra's French co-prince is the President of France, ex
			// officio: the export's only rows of France's presidents.
			place, kind, ok = "FR", gazetteer.KindPresident, true
		}
		if !ok {
			b.rep.SkippedRows["office not a leader's or a foreign minister's ("+row["position"]+")"]++
			continue
		}
		from, fromExact, ok1 := normDate(row["start"], false)
		to, toExact, ok2 := normDate(row["end"], true)
		if !ok1 || !ok2 {
			b.rep.SkippedRows["bad date"]++
			continue
		}
		if to != "" && to <= from {
			b.rep.SkippedRows["ends before it starts"]++
			continue
		}
		p := b.personByID(row["personQ"], row["person"], "wikidata")
		b.terms = append(b.terms, &term{person: p, kind: kind, place: place, from: from, to: to, fromExact: fromExact, toExact: toExact, src: "wikidata"})
	}
	return nil
}

// addedPlace returns the code of a place that overrides.yaml adds beyond
// CLDR's countries (a state without an ISO code, as Abkhazia) when the
// officeholders repository repo is named after one of its English names
// ("abkhazia-ministers", "south-ossetia").
func (b *builder) addedPlace(repo string) (string, bool) {
	slug := strings.ToLower(repo[strings.LastIndex(repo, "/")+1:])
	slug = strings.TrimSuffix(strings.TrimSuffix(slug, "-cabinet"), "-ministers")
	slug = foldName(strings.ReplaceAll(slug, "-", " "))
	for _, c := range b.over.Countries {
		if c.Org || slices.Contains(countries.Codes(), c.Code) {
			continue
		}
		for _, n := range c.EN {
			if foldName(n) == slug {
				return c.Code, true
			}
		}
	}
	return "", false
}

// readWorldLeaders learns the ids of holders named only there (late 2022):
// their names, to match the Factbook's holders.
func (b *builder) readWorldLeaders(r io.Reader) error {
	rows, err := readCSV(r, "world-leaders", "officeholder", "officeholderLabel")
	if err != nil {
		return err
	}
	if b.wlByPlace == nil {
		b.wlByPlace = map[string][]*person{}
	}
	for _, row := range rows {
		id, name := row["officeholder"], row["officeholderLabel"]
		if id == "" || name == "" {
			continue
		}
		p := b.personOf(id, name)
		if place, ok := countries.CodeOfName(row["country"]); ok && !slices.Contains(b.wlByPlace[place], p) {
			b.wlByPlace[place] = append(b.wlByPlace[place], p)
		}
	}
	return nil
}

// personByID is the person of that id, made and indexed on first sight,
// with src among their sources.
func (b *builder) personByID(id, name, src string) *person {
	p := b.personOf(id, name)
	if !slices.Contains(p.src, src) {
		p.src = append(p.src, src)
	}
	return p
}

// personOf is the person of that id, made and indexed by name on first
// sight.
func (b *builder) personOf(id, name string) *person {
	p := b.byID[id]
	if p == nil {
		p = &person{id: id, name: name}
		b.byID[id] = p
		k := foldName(name)
		b.byName[k] = append(b.byName[k], p)
	}
	return p
}

// applyPeople lays the curated people over the generated ones: their names,
// and their offices in place of the generated terms of the same office.
func (b *builder) applyPeople() {
	for i := range b.over.People {
		cp := &b.over.People[i]
		var p *person
		if cp.WikidataID != "" {
			p = b.byID[cp.WikidataID]
		}
		if p == nil {
			p = &person{id: cp.WikidataID, name: cp.NameEN}
			if p.id != "" {
				b.byID[p.id] = p
			}
		}
		p.p, p.name = cp, cp.NameEN
		if !slices.Contains(p.src, "overrides") {
			p.src = append(p.src, "overrides")
		}
		for _, n := range append([]string{cp.NameEN}, cp.Aliases...) {
			if k := foldName(n); k != "" && !slices.Contains(b.byName[k], p) {
				b.byName[k] = append(b.byName[k], p)
			}
		}
		for _, o := range cp.Offices {
			place := o.Country + o.Org
			b.terms = slices.DeleteFunc(b.terms, func(t *term) bool {
				return t.person == p && t.place == place && t.kind == o.Kind && !t.curated
			})
		}
		for _, o := range cp.Offices {
			b.terms = append(b.terms, &term{person: p, kind: o.Kind, place: o.Country + o.Org, from: o.From, to: o.To,
				fromExact: true, toExact: true, curated: true, src: "overrides"})
		}
	}
}

// settleTerms fixes imprecise dates from the neighbouring terms and cuts
// overlaps, so that one person holds an office on a day: a curated term
// wins, else the later start (the incoming holder).
func (b *builder) settleTerms() {
	groups := map[[2]string][]*term{}
	for _, t := range b.terms {
		k := [2]string{t.place, t.kind}
		groups[k] = append(groups[k], t)
	}
	var out []*term
	for _, ts := range groups {
		slices.SortStableFunc(ts, func(a, c *term) int {
			return cmp.Or(cmp.Compare(a.from, c.from), cmp.Compare(a.person.name, c.person.name))
		})
		fixImpreciseDates(ts)
		out = append(out, b.settleOffice(ts)...)
	}
	b.terms = out
}

// fixImpreciseDates takes a year-only start or end from the neighbouring
// term's exact date in the same year.
func fixImpreciseDates(ts []*term) {
	for i := 1; i < len(ts); i++ {
		prev, t := ts[i-1], ts[i]
		if !t.fromExact && prev.to != "" && prev.toExact && prev.to[:4] == t.from[:4] {
			t.from = prev.to
		}
		if !prev.toExact && prev.to != "" && t.fromExact && prev.to[:4] == t.from[:4] {
			prev.to = t.from
		}
	}
}

// settleOffice settles the sorted terms of one office: the curated terms
// are fixed; the others give way to them and to each other.
func (b *builder) settleOffice(ts []*term) []*term {
	var kept []*term
	for _, t := range ts {
		if t.curated {
			kept = append(kept, t)
		}
	}
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if t.curated {
			continue
		}
		var merged bool
		if ts, merged = b.giveWayToNext(ts, i); merged {
			continue
		}
		b.giveWayToCurated(t, kept)
		if t.to != "" && t.to <= t.from {
			b.rep.Dropped++
			continue
		}
		kept = append(kept, t)
	}
	return kept
}

// giveWayToNext settles term i with the next one: the same person's next
// row continues it (merged), another person's start ends it. It returns
// the terms, with a term's continuation after an interruption inserted.
func (b *builder) giveWayToNext(ts []*term, i int) ([]*term, bool) {
	if i+1 >= len(ts) {
		return ts, false
	}
	t, next := ts[i], ts[i+1]
	if next.person == t.person && !next.curated && (t.to == "" || t.to >= next.from) {
		// One term in two rows (exports of different days): the later
		// row's end, from the earlier start.
		next.from, next.fromExact = t.from, t.fromExact
		b.rep.Dropped++
		return ts, true
	}
	if next.person != t.person && (t.to == "" || t.to > next.from) {
		if next.to != "" && (t.to == "" || next.to < t.to) && !next.curated {
			// An interruption (Venezuela's two days of April 2002): the
			// term goes on after it.
			rest := *t
			rest.from, rest.fromExact = next.to, next.toExact
			at, _ := slices.BinarySearchFunc(ts[i+1:], &rest, func(a, c *term) int { return cmp.Compare(a.from, c.from) })
			ts = slices.Insert(ts, i+1+at, &rest)
		}
		t.to = next.from
		b.rep.Trimmed++
	}
	return ts, false
}

// giveWayToCurated cuts t where it overlaps another person's curated term.
// A curated term without an end ends where a later holder the Factbook
// names starts, unless that one is a stand-in who left again: the curated
// sources are older (Venezuela's interim president from 2026-01-05 after
// Maduro).
func (b *builder) giveWayToCurated(t *term, kept []*term) {
	for _, c := range kept {
		if !c.curated || c.person == t.person || !overlaps(t, c) {
			continue
		}
		if c.to == "" && t.src == "factbook" && (!t.acting || t.to == "") && t.from > c.from && t.from >= exportEnd {
			c.to, c.toExact = t.from, t.fromExact
			b.rep.Trimmed++
			continue
		}
		switch {
		case t.from < c.from:
			t.to = c.from
		case c.to != "":
			t.from = c.to
		default:
			t.to = t.from
		}
		b.rep.Trimmed++
	}
}

func overlaps(a, c *term) bool {
	return (c.to == "" || a.from < c.to) && (a.to == "" || c.from < a.to)
}

// file assembles the data: every person with their terms, sorted.
func (b *builder) file() *gazetteer.File {
	f := &gazetteer.File{Offices: b.over.Offices}
	for _, c := range b.country {
		f.Countries = append(f.Countries, c)
	}
	slices.SortFunc(f.Countries, func(a, c gazetteer.Country) int { return cmp.Compare(a.Code, c.Code) })
	b.rep.Countries = len(f.Countries)
	byPerson := map[*person][]*term{}
	for _, t := range b.terms {
		byPerson[t.person] = append(byPerson[t.person], t)
	}
	titled := map[int][]string{} // index in f.People → its titled surnames
	for p, ts := range byPerson {
		slices.SortFunc(ts, func(a, c *term) int {
			return cmp.Or(cmp.Compare(a.from, c.from), cmp.Compare(a.place, c.place), cmp.Compare(a.kind, c.kind))
		})
		gp := gazetteer.Person{WikidataID: p.id, NameEN: p.name, Source: strings.Join(p.src, "+")}
		if p.p != nil {
			gp.NameRU, gp.Aliases, gp.Surnames = p.p.NameRU, p.p.Aliases, p.p.Surnames
		}
		// Everyone's surname is a context pattern, curated people's too: a
		// surname two people in office share then names neither.
		var places []string
		for _, t := range ts {
			places = append(places, t.place)
		}
		surnames := []string{surname(p.name, places), givenNameInUse(p.name, places)}
		for _, n := range p.also {
			if n != gp.NameEN && !slices.Contains(gp.Aliases, n) {
				gp.Aliases = append(gp.Aliases, n)
			}
			surnames = append(surnames, surname(n, places))
		}
		// The Factbook writes a Spanish name in full, ending in the mother's
		// surname: "Daniel Noboa Azin" is Noboa. (Wikidata's labels are the
		// names in use, and "Juan Carlos Varela" has one surname.)
		if ws := strings.Fields(p.name); p.id == "" && len(ws) >= 3 && slices.ContainsFunc(ts, func(t *term) bool { return spanishNames[t.place] }) {
			surnames = append(surnames, surname(strings.Join(ws[:len(ws)-1], " "), nil))
		}
		for _, s := range surnames {
			if s != "" && !b.placeWord[foldName(s)] && !slices.Contains(gp.Surnames, s) {
				gp.Surnames = append(gp.Surnames, s)
			}
		}
		// A surname that is a common word ("Bush", "Key", "Lee") is no
		// pattern alone; with an office title before it, it names the
		// holder: "President Bush", "Prime Minister Key", "PM Lee".
		ta := b.titledSurnames(p.name, ts, places, gp.Aliases)
		gp.Aliases = append(gp.Aliases, ta...)
		leader := false
		for _, t := range ts {
			o := gazetteer.Office{Kind: t.kind, From: t.from, To: t.to}
			if c, ok := b.country[t.place]; ok && c.Org {
				o.Org = t.place
			} else {
				o.Country = t.place
			}
			o.Role, o.RoleRU = b.role(t.kind, t.place)
			if t.curated && p.p != nil {
				for _, co := range p.p.Offices {
					if co.Kind == t.kind && co.Country+co.Org == t.place && co.From == t.from {
						o.Role, o.RoleRU = co.Role, cmp.Or(co.RoleRU, o.RoleRU)
					}
				}
			}
			gp.Offices = append(gp.Offices, o)
			leader = leader || t.kind != gazetteer.KindForeignMinister
		}
		if leader {
			b.rep.Leaders++
		} else {
			b.rep.Ministers++
		}
		if p.id != "" {
			b.rep.WithID++
		}
		b.rep.Terms += len(gp.Offices)
		if len(ta) > 0 {
			titled[len(f.People)] = ta
		}
		f.People = append(f.People, gp)
	}
	dropSharedTitles(f.People, titled)
	slices.SortFunc(f.People, func(a, c gazetteer.Person) int {
		return cmp.Or(cmp.Compare(noID(a), noID(c)), cmp.Compare(len(a.WikidataID), len(c.WikidataID)),
			cmp.Compare(a.WikidataID, c.WikidataID), cmp.Compare(a.NameEN, c.NameEN), cmp.Compare(a.Offices[0].From, c.Offices[0].From))
	})
	b.rep.People = len(f.People)
	return f
}

// role is the English and Russian title of an office in a place: "Prime
// Minister of Slovakia", "Премьер-министр Словакии".
func (b *builder) role(kind, place string) (string, string) {
	o := b.officeOf[kind]
	c := b.country[place]
	en, ru := o.TitleEN, o.TitleRU
	if c.Org {
		if strings.Contains(en, " of ") {
			return en, ru
		}
		return en + " of " + orgName(c), ru
	}
	if len(c.EN) > 0 {
		name := c.EN[0]
		for _, n := range c.EN {
			if !strings.Contains(n, " - ") {
				name = n // "Democratic Republic of the Congo", not CLDR's "Congo - Kinshasa"
				break
			}
		}
		if theCountries[place] {
			name = "the " + name
		}
		en += " of " + name
	}
	if c.GenRU != "" && ru != "" {
		ru += " " + c.GenRU
	}
	return en, ru
}

func orgName(c gazetteer.Country) string {
	if c.Code == "UN" {
		return "the United Nations"
	}
	if len(c.EN) > 0 {
		return c.EN[0]
	}
	return c.Code
}

// theCountries take "the" in a title: "President of the Philippines".
var theCountries = map[string]bool{"GB": true, "US": true, "NL": true, "PH": true, "BS": true, "GM": true, "MV": true, "CF": true,
	"CD": true, "DO": true, "MH": true, "SB": true, "AE": true, "KM": true, "SC": true, "VA": true}

// classify maps a position of the officeholders table to an office kind;
// false for an office the gazetteer does not hold (governors-general, San
// Marino's pair of Captains Regent, Switzerland's staff chancellor, Austria's
// upper-house chair, party posts, Hong Kong's chief executive).
func classify(position, kind, repo string) (string, bool) {
	p := strings.ToLower(position)
	if kind == "FM" || strings.Contains(p, "foreign") {
		return gazetteer.KindForeignMinister, true
	}
	// "Chairman of the Cabinet of Ministers (Prime Minister)", "Druk Gyalpo
	// (King)": the source's gloss names the office.
	if i := strings.LastIndex(p, "("); i >= 0 && strings.HasSuffix(p, ")") {
		p = p[i+1 : len(p)-1]
	}
	p = strings.TrimPrefix(p, "federal ")
	switch {
	case strings.HasPrefix(p, "chairman of the presidency"), strings.HasPrefix(p, "chairman of the sovereignty council"):
		return gazetteer.KindPresident, true
	case strings.Contains(p, "co-prince"):
		return "", false // Andorra's: France's president and the Bishop of Urgell, ex officio
	case strings.Contains(p, "governor"), strings.HasPrefix(p, "captain regent"), strings.HasPrefix(p, "general secretary"),
		strings.HasPrefix(p, "chief executive"):
		return "", false
	case strings.HasPrefix(p, "chancellor") && strings.HasPrefix(repo, "swiss"):
		return "", false
	case strings.HasPrefix(p, "president of the federal council") && strings.HasPrefix(repo, "austria"):
		return "", false // the Bundesrat's chair, the upper house's, rotating each half-year
	}
	return titleKind(p)
}

// titleKind maps a lower-case title that starts with the office's name
// ("prime minister of ...", "king", "emir") to its office kind.
func titleKind(p string) (string, bool) {
	switch {
	case strings.HasPrefix(p, "chancellor"):
		return gazetteer.KindChancellor, true
	case strings.HasPrefix(p, "prime minister"), strings.HasPrefix(p, "premier"), p == "taoiseach",
		strings.HasPrefix(p, "president of the government"), strings.HasPrefix(p, "president of the council of ministers"),
		strings.HasPrefix(p, "chairman of the council of ministers"), strings.HasPrefix(p, "head of government"):
		return gazetteer.KindPrimeMinister, true
	case strings.HasPrefix(p, "vice"), strings.HasPrefix(p, "deputy"):
		return "", false
	case strings.HasPrefix(p, "president"):
		return gazetteer.KindPresident, true
	case p == "monarch", strings.HasPrefix(p, "king"), strings.HasPrefix(p, "queen"), strings.HasPrefix(p, "yang di"):
		return gazetteer.KindKing, true
	case strings.HasPrefix(p, "emperor"):
		return gazetteer.KindEmperor, true
	case strings.HasPrefix(p, "grand duke"):
		return gazetteer.KindGrandDuke, true
	case strings.HasPrefix(p, "prince"):
		return gazetteer.KindPrince, true
	case strings.HasPrefix(p, "sultan"):
		return gazetteer.KindSultan, true
	case strings.HasPrefix(p, "emir"), strings.HasPrefix(p, "amir"):
		return gazetteer.KindEmir, true
	case strings.HasPrefix(p, "supreme leader"):
		return gazetteer.KindSupremeLeader, true
	}
	return "", false
}

// normDate turns a date of day, month or year precision into YYYY-MM-DD:
// the first day of its month or year for a start, likewise for an end (the
// neighbouring terms refine both in settleTerms). exact says whether the
// day was given.
func normDate(s string, end bool) (string, bool, bool) {
	s = strings.TrimSpace(s)
	switch len(s) {
	case 0:
		return "", true, end
	case 4:
		if _, err := time.Parse("2006", s); err != nil {
			return "", false, false
		}
		return s + "-01-01", false, true
	case 7:
		if _, err := time.Parse("2006-01", s); err != nil {
			return "", false, false
		}
		return s + "-01", false, true
	case 10:
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return "", false, false
		}
		return s, true, true
	}
	return "", false, false
}

// readCSV reads a CSV table with a header line into maps by column name,
// checking that the named columns exist.
func readCSV(r io.Reader, name string, need ...string) ([]map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInput, name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%w: %s: empty", ErrInput, name)
	}
	head := recs[0]
	for _, n := range need {
		if !slices.Contains(head, n) {
			return nil, fmt.Errorf("%w: %s: no column %q (header %v)", ErrInput, name, n, head)
		}
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for i, rec := range recs[1:] {
		if len(rec) != len(head) {
			return nil, fmt.Errorf("%w: %s line %d: %d fields, header has %d", ErrInput, name, i+2, len(rec), len(head))
		}
		m := make(map[string]string, len(head))
		for j, h := range head {
			m[h] = rec[j]
		}
		out = append(out, m)
	}
	return out, nil
}

func noID(p gazetteer.Person) int {
	if p.WikidataID == "" {
		return 1
	}
	return 0
}
