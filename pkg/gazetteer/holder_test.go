package gazetteer

import (
	"testing"
	"time"
)

// holderScan is Holder without the index: of the terms that cover the day,
// the one that started last (the incoming holder on a hand-over day).
func holderScan(g *Gazetteer, country, roleKind string, on time.Time) (*Person, bool) {
	var best *Person
	var from time.Time
	for _, p := range g.people {
		for i := range p.Offices {
			o := &p.Offices[i]
			if o.Kind == roleKind && (o.Country == country || o.Org == country) && o.held(on) && (best == nil || o.from.After(from)) {
				best, from = p, o.from
			}
		}
	}
	return best, best != nil
}

// TestHolderIndex compares the indexed Holder with a scan of every person on
// every office boundary of the data, for every place and office kind.
func TestHolderIndex(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	// Every office on every boundary of its terms, and two offices that
	// do not exist.
	days := map[officeKey][]time.Time{{"", KindPresident}: {date("2020-01-01")}, {"ZZ", "no_such_office"}: {date("2020-01-01")}}
	for _, p := range g.People() {
		for _, o := range p.Offices {
			for _, place := range []string{o.Country, o.Org} {
				k := officeKey{place, o.Kind}
				for _, d := range []time.Time{o.from, o.to} {
					if !d.IsZero() {
						days[k] = append(days[k], d.AddDate(0, 0, -1), d, d.Add(18*time.Hour))
					}
				}
			}
		}
	}
	checked := 0
	for k, ds := range days {
		for _, d := range ds {
			gp, gok := g.Holder(k.place, k.kind, d)
			wp, wok := holderScan(g, k.place, k.kind, d)
			if gp != wp || gok != wok {
				t.Fatalf("Holder(%q, %q, %s) = %v, %v; scan gives %v, %v", k.place, k.kind, d.Format(dateLayout), gp, gok, wp, wok)
			}
			if gok {
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no holder found at all")
	}
}

// TestOutOfOfficeSince: out of office more than the gap before the day, and
// no term covering it; a term that starts later says nothing of the day.
func TestOutOfOfficeSince(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	twoYears := 2 * 365 * 24 * time.Hour
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, c := range []struct {
		id, on string
		want   bool
	}{
		{"Q57394", "2021-12-01", true},  // Nazarbayev, out since March 2019
		{"Q57394", "2020-01-10", false}, // ... under two years
		{"Q57394", "2015-01-01", false}, // in office
		{"Q22686", "2024-07-19", true},  // Trump between his terms (out since January 2021)
		{"Q22686", "2025-06-01", false}, // his second term
		{"Q7747", "2024-01-01", false},  // Putin, in office
	} {
		p, ok := g.ByID(c.id)
		if !ok {
			t.Fatalf("%s not in the gazetteer", c.id)
		}
		if got := p.OutOfOfficeSince(day(c.on), twoYears); got != c.want {
			t.Errorf("%s on %s: %v, want %v", p.NameEN, c.on, got, c.want)
		}
	}
}

// TestStartsWithin: a leader-elect's first term starts within the gap after
// the day; a second term, or a first one far off, is not "elected".
func TestStartsWithin(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	gap := 120 * 24 * time.Hour
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, c := range []struct {
		id, on string
		want   bool
	}{
		{"Q195725", "2022-08-15", true},    // Ruto, elected, sworn in 2022-09-13
		{"Q195725", "2022-10-01", false},   // in office
		{"Q195725", "2021-01-01", false},   // more than the gap before
		{"Q22686", "2024-11-10", true},     // Trump, president-elect again: his first term long behind him
		{"Q22686", "2020-11-10", false},    // in office
		{"Q15071069", "2020-11-16", true},  // Sandu, president-elect, prime minister until November 2019
		{"Q15071069", "2019-09-01", false}, // prime minister
	} {
		p, ok := g.ByID(c.id)
		if !ok {
			t.Fatalf("%s not in the gazetteer", c.id)
		}
		if got := p.StartsWithin(day(c.on), gap); got != c.want {
			t.Errorf("%s on %s: %v, want %v", p.NameEN, c.on, got, c.want)
		}
	}
	if o := g.People()[0].Offices[0]; o.To != "" && !o.EndedBy(day(o.To)) {
		t.Errorf("%s's term to %s has not ended by that day", g.People()[0].NameEN, o.To)
	}
}

// TestBeforeFirstTerm: named before a first leader's term while someone
// else held the office, not in a gap of the data.
func TestBeforeFirstTerm(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, on string
		want   bool
	}{
		{"Q6279", "2016-11-17", true},    // Biden, vice president: Obama was president
		{"Q6279", "2021-01-20", false},   // his first day in office
		{"Q22686", "2024-07-19", false},  // Trump between his terms: a first term behind him
		{"Q7747", "2024-01-01", false},   // Putin, in office
		{"Q567", "2004-01-01", true},     // Merkel while Schröder was chancellor
		{"Q187413", "2001-06-01", false}, // Uribe: the data has nobody as Colombia's president before him
		{"Q57379", "2008-06-01", true},   // Grybauskaitė before her presidency (Adamkus)
	} {
		p, ok := g.ByID(c.id)
		if !ok {
			t.Fatalf("%s not in the gazetteer", c.id)
		}
		if got := g.BeforeFirstTerm(p, date(c.on)); got != c.want {
			t.Errorf("%s on %s: %v, want %v", p.NameEN, c.on, got, c.want)
		}
	}
}

// TestWrittenNameRussian: a name cut short before its last words ends in no
// particle ("Аль"), and a final h after a vowel is silent in Russian
// ("Абдаллой" is Abdullah).
func TestWrittenNameRussian(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	abdullah, _ := g.ByID("Q57298")
	salman, _ := g.ByID("Q367825")
	if abdullah == nil || salman == nil {
		t.Fatal("Abdullah (Q57298) or Salman (Q367825) not in the data")
	}
	if !NewWrittenName([]string{"Абдаллой", "Бен", "Абдельазизом", "Аль"}).Given(abdullah) {
		t.Error("Абдаллой does not match Abdullah of Saudi Arabia")
	}
	if p, ok := g.NamedPerson(NewWrittenName([]string{"Виктор", "Янукович"})); !ok || p.WikidataID != "Q1459658" {
		t.Errorf("NamedPerson(Виктор Янукович) = %v, want Viktor Yanukovych (Q1459658)", p)
	}
	if p, ok := g.NamedPerson(NewWrittenName([]string{"Янукович"})); ok {
		t.Errorf("NamedPerson(Янукович) = %v, want nobody: a surname alone is not enough", p)
	}
	// Written in English with the h the data's spelling lacks.
	if p, ok := g.NamedLeader(NewWrittenName([]string{"Abdullah", "Hamdouk"}), date("2020-11-04")); !ok || p.WikidataID != "Q27654948" {
		t.Errorf("NamedLeader(Abdullah Hamdouk) = %v, want Abdalla Hamdok (Q27654948)", p)
	}
	if p, ok := g.NamedLeader(NewWrittenName([]string{"Николае", "Тимофти"}), date("2016-01-23")); !ok || p.WikidataID != "Q57478" {
		t.Errorf("NamedLeader(Николае Тимофти) = %v, want Nicolae Timofti (Q57478)", p)
	}
	// The export starts his term a year late (2007-05-20); the override has 2006-05-20.
	if p, ok := g.Holder("IQ", "prime_minister", date("2007-05-07")); !ok || p.WikidataID != "Q57673" {
		t.Errorf("Holder(IQ, prime minister, 2007-05-07) = %v, want Nouri al-Maliki (Q57673)", p)
	}
	if NewWrittenName([]string{"Хамадом", "Аль"}).Surname(salman) {
		t.Error("a name ending in Аль matches Salman bin Abdulaziz Al Saud by the particle")
	}
}

// TestSurnamedLeader: a surname alone in Latin letters names a leader whose
// Latin surname it is but for one letter; sounding alike is not enough.
func TestSurnamedLeader(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	on := date("2022-08-16")
	if p, ok := g.SurnamedLeader(NewWrittenName([]string{"Ruto"}), on); ok {
		t.Errorf("SurnamedLeader(Ruto) = %s, want nobody (Ruto was not yet in office; Rutte only sounds alike)", p.NameEN)
	}
	for _, w := range []string{"Rutte", "Rute", "Рютте", "Рюттом"} {
		if p, ok := g.SurnamedLeader(NewWrittenName([]string{w}), on); !ok || p.WikidataID != "Q57792" {
			t.Errorf("SurnamedLeader(%s) = %v, want Mark Rutte (Q57792)", w, p)
		}
	}
	if p, ok := g.SurnamedLeader(NewWrittenName([]string{"Zelenskiy"}), on); !ok || p.WikidataID != "Q3874799" {
		t.Errorf("SurnamedLeader(Zelenskiy) = %v, want Volodymyr Zelenskyy (Q3874799)", p)
	}
}

// TestNameWord: a person's name words, folded as tokens are, in English and
// Russian; another person's given name is none of them.
func TestNameWord(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	p, ok := g.Holder("US", KindPresident, time.Date(2003, 6, 1, 0, 0, 0, 0, time.UTC))
	if !ok {
		t.Fatal("no US president in 2003")
	}
	for w, want := range map[string]bool{"george": true, "bush": true, "kamala": false, "w": false} {
		if got := p.NameWord(w); got != want {
			t.Errorf("%s.NameWord(%q) = %v, want %v", p.NameEN, w, got, want)
		}
	}
}
