package gazetteer

import (
	"slices"
	"strings"
	"time"

	"github.com/readout/readout/pkg/textmatch"
)

// NamePattern is a pattern that names people, with everyone it names.
// Several people may share a pattern (two Aleksandar Dimitrovs, the
// surname Kim): Resolve picks one by the day.
type NamePattern struct {
	Pattern string
	People  []*Person
	// Context marks a surname: it names its people only as a capitalised
	// word, and only someone in office on the day.
	Context bool
}

// Names returns the name patterns of all people: their names and aliases,
// then their surnames, each pattern once.
func (g *Gazetteer) Names() []NamePattern { return g.names }

func buildNames(people []*Person) []NamePattern {
	type key struct {
		pat     string
		context bool
	}
	idx := map[key]int{}
	var out []NamePattern
	add := func(pat string, p *Person, context bool) {
		k := key{foldPattern(pat), context}
		if k.pat == "" {
			return
		}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, NamePattern{Pattern: pat, Context: context})
		}
		if !slices.Contains(out[i].People, p) {
			out[i].People = append(out[i].People, p)
		}
	}
	for _, p := range people {
		for _, n := range p.Names() {
			add(n, p, false)
		}
	}
	for _, p := range people {
		for _, n := range p.Surnames {
			// A surname that is also someone's full name or alias is left
			// to that entry.
			if _, ok := idx[key{foldPattern(n), false}]; ok {
				continue
			}
			add(n, p, true)
		}
	}
	return out
}

// foldPattern is the pattern's words as the matcher sees them.
func foldPattern(p string) string {
	var b strings.Builder
	for _, f := range strings.Fields(p) {
		star := strings.HasSuffix(f, "*")
		for _, t := range textmatch.Tokenize(strings.TrimSuffix(f, "*"), nil) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t.Text)
		}
		if star {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// Resolve picks the person a name pattern means on the day: its only person
// (a name, not a surname), else the only one of them in office on the day,
// else nobody.
func (np *NamePattern) Resolve(on time.Time) *Person {
	if len(np.People) == 1 && !np.Context {
		return np.People[0]
	}
	var found *Person
	d := day(on)
	for _, p := range np.People {
		if p.inOfficeOnDay(d) {
			if found != nil {
				return nil
			}
			found = p
		}
	}
	return found
}
