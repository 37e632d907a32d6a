package gazgen

import (
	"cmp"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/readout/readout/internal/gazgen/countries"
	"github.com/readout/readout/pkg/gazetteer"
)

// fbRow is one holder of the Factbook table.
type fbRow struct {
	place, kind, name, since string
	lastSeen                 string // the last Factbook version naming them so
	exact                    bool
}

// readFactbook adds the holders the World Factbook names (mostly after the
// Wikidata exports end, and countries those lack) as terms: from their
// "since" date to the next holder's. A holder whose name is a known
// person's (Wikidata or the overrides) gets that person's id; one whose
// name is nobody's is kept with an empty id. A holder the data already has
// in that office around that date adds nothing.
func (b *builder) readFactbook(r io.Reader) error {
	rows, err := readCSV(r, "factbook", fbCols.country, fbCols.office, fbCols.title, fbCols.name, fbCols.since)
	if err != nil {
		return err
	}
	groups := map[[2]string][]fbRow{}
	for _, row := range rows {
		if isTrue(row[fbCols.deputy]) || row[fbCols.primary] != "" && !isTrue(row[fbCols.primary]) {
			continue // a deputy, or someone a text names beside its holder
		}
		place, ok := countries.CodeOfName(row[fbCols.country])
		if !ok {
			b.rep.SkippedRows["factbook: not an ISO country ("+row[fbCols.country]+")"]++
			continue
		}
		kind, ok := classifyTitle(row[fbCols.title], row[fbCols.office])
		if !ok {
			b.rep.SkippedRows["factbook: office not a leader's ("+row[fbCols.title]+")"]++
			continue
		}
		since, exact, ok := normDate(row[fbCols.since], false)
		if !ok || since == "" {
			b.rep.SkippedRows["factbook: no since date"]++
			continue
		}
		k := [2]string{place, kind}
		groups[k] = append(groups[k], fbRow{place: place, kind: kind, name: row[fbCols.name], since: since, exact: exact,
			lastSeen: row[fbCols.lastSeen]})
	}
	keys := make([][2]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, c [2]string) int { return cmp.Or(cmp.Compare(a[0], c[0]), cmp.Compare(a[1], c[1])) })
	for _, k := range keys {
		rs := groups[k]
		slices.SortFunc(rs, func(a, c fbRow) int {
			return cmp.Or(cmp.Compare(a.since, c.since), cmp.Compare(c.lastSeen, a.lastSeen), cmp.Compare(a.name, c.name))
		})
		rs = dedupeHolders(rs)
		for i, row := range rs {
			to := ""
			if i+1 < len(rs) {
				to = rs[i+1].since
			}
			if b.covered(row) {
				continue
			}
			p := b.matchHolder(row)
			if b.hasTerm(p, row.place, row.kind, row.since) {
				continue
			}
			if to != "" && to <= row.since {
				continue
			}
			b.terms = append(b.terms, &term{person: p, kind: row.kind, place: row.place, from: row.since, to: to,
				fromExact: row.exact, toExact: to != "", src: "factbook"})
			if !slices.Contains(p.src, "factbook") {
				p.src = append(p.src, "factbook")
			}
			b.rep.FactbookTerms++
			if p.id != "" {
				b.rep.FactbookMatched++
			}
		}
	}
	return nil
}

// dedupeHolders drops, from one office's rows sorted by since and then by
// last seen (latest first), a row whose holder an earlier row names: the
// same name just before it, or a name sharing a word since the same day (the Factbook
// corrected "Bola Tinbu" to "Bola Ahmed Adekunle Tinubu"; the name seen last
// is kept). Togo's president and its president of the council of ministers
// since 2025-05-03 share no word: two people.
func dedupeHolders(rs []fbRow) []fbRow {
	out := rs[:0]
	for _, r := range rs {
		if len(out) > 0 && foldName(out[len(out)-1].name) == foldName(r.name) {
			continue // still in office (a holder who returns after another is kept)
		}
		if slices.ContainsFunc(out, func(k fbRow) bool { return k.since == r.since && sharedWords(k.name, r.name) > 0 }) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// fbCols are the columns of factbook-holders.csv the generator reads.
var fbCols = struct{ country, office, title, name, since, deputy, primary, lastSeen string }{
	country: "country", office: "office", title: "title", name: "name", since: "since", deputy: "deputy", primary: "primary",
	lastSeen: "last_seen",
}

func isTrue(s string) bool { return s == "true" || s == "1" || s == "yes" }

// matchHolder finds the known person a Factbook holder is: the one person
// of that name, or of several the one who held an office of the place; a
// new person without an id when nobody has the name.
func (b *builder) matchHolder(r fbRow) *person {
	cands := b.byName[foldName(r.name)]
	if len(cands) > 1 {
		var inPlace []*person
		for _, c := range cands {
			if slices.ContainsFunc(b.terms, func(t *term) bool { return t.person == c && t.place == r.place }) {
				inPlace = append(inPlace, c)
			}
		}
		cands = inPlace
	}
	if len(cands) == 1 {
		return cands[0]
	}
	// A known holder of an office of the place, or a holder the
	// world-leaders table lists for it, whose name shares words ("Yoon Suk
	// Yeol", "Yoon Suk-yeol"; "Mohammed bin Salman bin Abdulaziz Al Saud",
	// "Mohammed bin Salman"; "Gustavo Francisco Petro Urrego", "Gustavo
	// Petro"): two shared words.
	var near *person
	ambiguous := false
	consider := func(q *person) {
		if q.id == "" || sharedWords(q.name, r.name) < 2 || q == near {
			return
		}
		if near != nil {
			ambiguous = true
		}
		near = q
	}
	for _, t := range b.terms {
		if t.place == r.place {
			consider(t.person)
		}
	}
	for _, q := range b.wlByPlace[r.place] {
		consider(q)
	}
	if ambiguous {
		near = nil
	}
	if near != nil {
		return near
	}
	k := foldName(r.name) + "|" + r.place
	if p := b.noID[k]; p != nil {
		return p
	}
	p := &person{name: r.name}
	b.noID[k] = p
	return p
}

// exportEnd is when the Wikidata exports end: before it, they are the
// better source for an office they hold.
const exportEnd = "2022-06-01"

// covered reports whether the data already has the Factbook holder's term:
// a term of the office around the day whose holder shares a name word of
// four letters or more ("Willem-Alexander of the Netherlands"), or any term
// of it before the exports end.
func (b *builder) covered(r fbRow) bool {
	day, err := time.Parse("2006-01-02", r.since)
	if err != nil {
		return false
	}
	lo, hi := day.AddDate(0, 0, -90).Format("2006-01-02"), day.AddDate(0, 0, 90).Format("2006-01-02")
	return slices.ContainsFunc(b.terms, func(t *term) bool {
		if t.src == "factbook" || t.place != r.place || t.kind != r.kind || t.from > hi || t.to != "" && t.to < lo {
			return false
		}
		return r.since < exportEnd || sameHolder(t.person.name, r.name)
	})
}

// sameHolder reports whether two names of an office's holders may be one
// person's: they share a word of four letters or more that is not the
// first word of both ("Willem-Alexander of the Netherlands" and
// "Willem-Alexander"; not "Nikos Anastasiades" and "Nikos Christodoulidis",
// whose shared word is a given name).
func sameHolder(a, c string) bool {
	if sharedWords(a, c) >= 2 {
		return true
	}
	aw, cw := strings.Fields(foldName(a)), strings.Fields(foldName(c))
	for i, w := range aw {
		j := slices.Index(cw, w)
		if len([]rune(w)) >= 4 && j >= 0 && (i > 0 || j > 0 || len(aw) == 1 || len(cw) == 1) {
			return true
		}
	}
	return false
}

// sharedWords counts the words of three letters or more two names share.
// A long word spelt with one letter changed is the same word: the Factbook
// writes "Christodoulidis" for "Christodoulides".
func sharedWords(a, c string) int {
	ws := strings.Fields(foldName(c))
	n := 0
	for _, w := range strings.Fields(foldName(a)) {
		if len([]rune(w)) >= 3 && !commonWords[w] && slices.ContainsFunc(ws, func(x string) bool { return sameWord(w, x) }) {
			n++
		}
	}
	return n
}

// sameWord reports whether two folded words are equal, or of eight letters
// or more and one letter apart (the same length).
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) || len(ra) < 8 {
		return false
	}
	diff := 0
	for i := range ra {
		if ra[i] != rb[i] {
			diff++
		}
	}
	return diff == 1
}

// hasTerm reports whether p already holds the office around the day (within
// 90 days: the Factbook's dates and Wikidata's differ by days at times).
func (b *builder) hasTerm(p *person, place, kind, since string) bool {
	day, err := time.Parse("2006-01-02", since)
	if err != nil {
		return false
	}
	lo, hi := day.AddDate(0, 0, -90).Format("2006-01-02"), day.AddDate(0, 0, 90).Format("2006-01-02")
	return slices.ContainsFunc(b.terms, func(t *term) bool {
		return t.person == p && t.place == place && t.kind == kind && t.from <= hi && (t.to == "" || t.to >= lo)
	})
}

// classifyTitle maps a Factbook title ("President", "Prime Minister",
// "King", "Federal Chancellor") to an office kind. A head of government
// titled "Sultan and Prime Minister" is the prime minister; one with no
// title too.
func classifyTitle(title, office string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(title))
	if i := strings.LastIndex(t, "("); i >= 0 && strings.HasSuffix(t, ")") {
		t = t[i+1 : len(t)-1] // "Taoiseach (Prime Minister)"
	}
	if office == "head_of_government" && (t == "" || strings.Contains(t, "prime minister")) {
		return gazetteer.KindPrimeMinister, true
	}
	for _, w := range []string{"acting ", "interim ", "transitional ", "transition ", "caretaker ", "federal "} {
		t = strings.TrimPrefix(t, w)
	}
	if strings.Contains(t, "governor") {
		return "", false
	}
	return titleKind(t)
}
