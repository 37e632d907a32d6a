package gazetteer

import (
	"testing"
	"time"
)

// holderScan is Holder without the index: the first office in people order
// that matches.
func holderScan(g *Gazetteer, country, roleKind string, on time.Time) (*Person, bool) {
	for _, p := range g.people {
		for i := range p.Offices {
			o := &p.Offices[i]
			if o.Kind == roleKind && (o.Country == country || o.Org == country) && o.held(on) {
				return p, true
			}
		}
	}
	return nil, false
}

// TestHolderIndex compares the indexed Holder with a scan of every person on
// every office boundary of the data, for every place and office kind.
func TestHolderIndex(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	places := map[string]bool{"": true, "ZZ": true}
	kinds := map[string]bool{"no_such_office": true}
	var days []time.Time
	for _, p := range g.People() {
		for _, o := range p.Offices {
			places[o.Country+o.Org] = true
			kinds[o.Kind] = true
			for _, d := range []time.Time{o.from, o.to} {
				if !d.IsZero() {
					days = append(days, d.AddDate(0, 0, -1), d, d.Add(18*time.Hour))
				}
			}
		}
	}
	checked := 0
	for place := range places {
		for kind := range kinds {
			for _, d := range days {
				gp, gok := g.Holder(place, kind, d)
				wp, wok := holderScan(g, place, kind, d)
				if gp != wp || gok != wok {
					t.Fatalf("Holder(%q, %q, %s) = %v, %v; scan gives %v, %v", place, kind, d.Format(dateLayout), gp, gok, wp, wok)
				}
				if gok {
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no holder found at all")
	}
}
