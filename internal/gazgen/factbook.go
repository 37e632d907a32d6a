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
	firstSeen, lastSeen      string // the first and last Factbook versions naming them so
	exact, acting            bool
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
			firstSeen: row[fbCols.firstSeen], lastSeen: row[fbCols.lastSeen], acting: isTrue(row[fbCols.acting])})
	}
	keys := make([][2]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, c [2]string) int { return cmp.Or(cmp.Compare(a[0], c[0]), cmp.Compare(a[1], c[1])) })
	for _, k := range keys {
		rs := groups[k]
		fixSinceTypos(rs)
		slices.SortFunc(rs, func(a, c fbRow) int {
			return cmp.Or(cmp.Compare(a.since, c.since), cmp.Compare(c.lastSeen, a.lastSeen), cmp.Compare(a.name, c.name))
		})
		rs = dedupeHolders(rs)
		for i, row := range rs {
			to, toExact := "", false
			if i+1 < len(rs) {
				to, toExact = rs[i+1].since, true
			}
			if row.acting && i > 0 && rs[i-1].lastSeen > row.lastSeen && (to == "" || row.lastSeen < to) {
				// A stand-in who left while the holder before was listed
				// again: the holder is back (El Salvador's acting president
				// while Bukele campaigned). The day is the last version's.
				to, toExact = row.lastSeen, false
			}
			if b.covered(row) {
				b.otherName(row, rs)
				continue
			}
			p := b.matchHolder(row)
			// After another holder's row, only a term on the day itself
			// counts: the holder is back (Prayut after Prawit's acting term).
			after := i > 0 && sharedWords(rs[i-1].name, row.name) == 0
			if b.hasTerm(p, row.place, row.kind, row.since, after) {
				continue
			}
			if to != "" && to <= row.since {
				continue
			}
			b.terms = append(b.terms, &term{person: p, kind: row.kind, place: row.place, from: row.since, to: to,
				fromExact: row.exact, toExact: toExact, src: "factbook", acting: row.acting})
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

// fixSinceTypos corrects a start the Factbook mistyped: one years before
// the start of a holder it listed earlier, and years before it was itself
// first listed ("Ilie Bolojan, since 2005-06-23", first listed in 2025
// after an interim prime minister since 2025-05-06), becomes the day it
// was first listed.
func fixSinceTypos(rs []fbRow) {
	yearBefore := func(a, c string) bool { // a is more than a year before c
		ta, e1 := time.Parse("2006-01-02", a)
		tc, e2 := time.Parse("2006-01-02", c)
		return e1 == nil && e2 == nil && ta.AddDate(1, 0, 0).Before(tc)
	}
	for i := range rs {
		r := &rs[i]
		if !yearBefore(r.since, r.firstSeen) {
			continue
		}
		for _, o := range rs {
			if o.firstSeen != "" && o.firstSeen < r.firstSeen && yearBefore(r.since, o.since) {
				r.since, r.exact = r.firstSeen, false
				break
			}
		}
	}
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
var fbCols = struct{ country, office, title, name, since, acting, deputy, primary, firstSeen, lastSeen string }{
	country: "country", office: "office", title: "title", name: "name", since: "since", acting: "acting", deputy: "deputy",
	primary: "primary", firstSeen: "first_seen", lastSeen: "last_seen",
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
	// Petro"): two shared words. Failing that, a holder the world-leaders
	// table lists whose surname of five letters or more it is ("Mohamed
	// al-Menfi", "Mohammed Al Menfi": the given name is too common to count).
	pick := func(match func(q *person) bool, wl bool) *person {
		var near *person
		for _, t := range b.terms {
			if q := t.person; !wl && t.place == r.place && q.id != "" && q != near && match(q) {
				if near != nil {
					return nil // ambiguous
				}
				near = q
			}
		}
		for _, q := range b.wlByPlace[r.place] {
			if q.id != "" && q != near && match(q) {
				if near != nil {
					return nil
				}
				near = q
			}
		}
		return near
	}
	if near := pick(func(q *person) bool { return sharedWords(q.name, r.name) >= 2 }, false); near != nil {
		return near
	}
	if near := pick(func(q *person) bool { return sameSurname(q.name, r.name) }, true); near != nil {
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
		// Not a predecessor's term that ends as the holder's starts
		// (Sagasti's, curated, before Castillo's).
		predecessor := t.to != "" && t.to <= r.since && !sameHolder(t.person.name, r.name)
		return r.since < exportEnd && !predecessor || sameHolder(t.person.name, r.name)
	})
}

// otherName records the Factbook's name for a holder the data has under
// another one, when a term of the office starts on the Factbook's day and
// no other holder's starts near it: Wikidata names Tonga's prime minister
// from 2021-12-27 by his chiefly title, Hu'akavameiliku, the Factbook and
// the news Siaosi Sovaleni. Not a row the Factbook itself corrected, by a
// later spelling for the same day or a later day for the name (the next
// holder's name under the last one's day).
func (b *builder) otherName(r fbRow, group []fbRow) {
	if !r.exact || slices.ContainsFunc(group, func(x fbRow) bool {
		return x.since == r.since && x.lastSeen > r.lastSeen || x.since > r.since && sameHolder(x.name, r.name)
	}) {
		return
	}
	day, _ := time.Parse("2006-01-02", r.since)
	lo, hi := day.AddDate(0, 0, -90).Format("2006-01-02"), day.AddDate(0, 0, 90).Format("2006-01-02")
	var holder *person
	for _, t := range b.terms {
		if t.src == "factbook" || t.place != r.place || t.kind != r.kind || t.from < lo || t.from > hi {
			continue
		}
		if t.from != r.since || holder != nil && holder != t.person {
			return // another holder's term starts near the day
		}
		holder = t.person
	}
	if holder == nil || holder.id == "" || sameHolder(holder.name, r.name) || slices.Contains(holder.also, r.name) {
		return
	}
	holder.also = append(holder.also, r.name)
	b.rep.FactbookNames++
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
	ws := nameWords(c)
	n := 0
	for _, w := range nameWords(a) {
		if len([]rune(w)) >= 3 && !commonWords[w] && slices.ContainsFunc(ws, func(x string) bool { return sameWord(w, x) }) {
			n++
		}
	}
	return n
}

// sameSurname reports whether two names end in the same word of five
// letters or more.
func sameSurname(a, c string) bool {
	aw, cw := nameWords(a), nameWords(c)
	if len(aw) < 2 || len(cw) < 2 {
		return false
	}
	x, y := aw[len(aw)-1], cw[len(cw)-1]
	return len([]rune(x)) >= 5 && sameWord(x, y)
}

// nameWords returns the folded words of a name for comparison: a hyphen
// splits ("al-Menfi"), a doubled letter counts once ("Mohammed", "Mohamed").
func nameWords(name string) []string {
	ws := strings.FieldsFunc(foldName(name), func(r rune) bool { return r == ' ' || r == '-' })
	for i, w := range ws {
		var b strings.Builder
		var last rune
		for _, r := range w {
			if r != last {
				b.WriteRune(r)
			}
			last = r
		}
		ws[i] = b.String()
	}
	return ws
}

// sameWord reports whether two folded words are equal, or one letter apart
// (the same length): of eight letters or more, or of five or more where
// the letters are two transliterations of one sound ("Miqati", "Mikati").
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) || len(ra) < 5 {
		return false
	}
	diff, at := 0, -1
	for i := range ra {
		if ra[i] != rb[i] {
			diff, at = diff+1, i
		}
	}
	return diff == 1 && (len(ra) >= 8 || translitPair(ra[at], rb[at]))
}

// translitPair reports whether two letters render one sound in different
// transliterations: q and k (Arabic qāf), y and i.
func translitPair(x, y rune) bool {
	p := string([]rune{min(x, y), max(x, y)})
	return p == "kq" || p == "iy"
}

// hasTerm reports whether p already holds the office around the day (within
// 90 days: the Factbook's dates and Wikidata's differ by days at times), or
// on the day itself when exact.
func (b *builder) hasTerm(p *person, place, kind, since string, exact bool) bool {
	day, err := time.Parse("2006-01-02", since)
	if err != nil {
		return false
	}
	lo, hi := day.AddDate(0, 0, -90).Format("2006-01-02"), day.AddDate(0, 0, 90).Format("2006-01-02")
	if exact {
		lo, hi = since, since
	}
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
		if k, ok := classifyTitle(t[i+1:len(t)-1], office); ok {
			return k, true // "Taoiseach (Prime Minister)"
		}
		t = strings.TrimSpace(t[:i]) // "President of the National Council for the Safeguard of the Homeland (CNSP)"
	}
	if office == "head_of_government" && (t == "" || strings.Contains(t, "prime minister") || t == "minister of state" ||
		strings.Contains(t, "of council of ministers") || strings.Contains(t, "of the council of ministers") ||
		strings.Contains(t, "of the cabinet of ministers")) {
		// Monaco's Minister of State, Togo's President of Council of
		// Ministers, Kyrgyzstan's Chairman of the Cabinet of Ministers
		return gazetteer.KindPrimeMinister, true
	}
	if office == "chief_of_state" && strings.HasSuffix(t, "council chairperson") {
		return gazetteer.KindPresident, true // Yemen's Presidential Leadership Council Chairperson
	}
	for _, w := range []string{"acting ", "interim ", "transitional ", "transition ", "caretaker ", "federal "} {
		t = strings.TrimPrefix(t, w)
	}
	if strings.Contains(t, "governor") {
		return "", false
	}
	return titleKind(t)
}
