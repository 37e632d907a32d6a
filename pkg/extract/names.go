package extract

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/textmatch"
)

// Limits of name reading, in tokens.
const (
	maxNameWords = 4 // "Andrés Manuel López Obrador"
)

// person resolves a name hit on the statement's day: false drops it (a
// surname in lower case, or a name nobody bore in office then). A person who
// is not a leader on the day (a foreign minister) becomes a non-leader word,
// as "Foreign Minister" is.
func (e *Extractor) person(sc *scratch, t *text, h *hit) bool {
	np := h.names
	if np.Context && !capitalised(t, h.from) {
		return false
	}
	p := np.Resolve(sc.on)
	if p == nil {
		return false
	}
	if o := p.OfficeOn(sc.on); !o.Leader() {
		h.item = nonLeaderPerson
		return true
	}
	h.p = p
	return true
}

// capitalised reports whether token i starts with an upper-case letter.
func capitalised(t *text, i int) bool {
	if i < 0 || i >= len(t.toks) {
		return false
	}
	s := t.src[t.toks[i].Start:]
	if s == "" {
		return false
	}
	switch c := s[0]; {
	case c < utf8.RuneSelf:
		return 'A' <= c && c <= 'Z'
	case c == 0xD0 && len(s) > 1:
		// Cyrillic Ѐ-Я (U+0400-U+042F), the common case in Russian
		// texts, without the Unicode tables
		return s[1] >= 0x80 && s[1] <= 0xAF
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// titleWords are capitalised words of a country's or a person's title that
// are not a name: "President of the Slovak Republic", "Президентом
// Республики Беларусь", "Sheikh".
var titleWords = map[string]bool{
	"republic": true, "kingdom": true, "state": true, "states": true, "federal": true, "federation": true, "islamic": true,
	"arab": true, "democratic": true, "united": true, "sultanate": true, "commonwealth": true, "grand": true, "duchy": true,
	"principality": true, "socialist": true, "people": true, "peoples": true, "hashemite": true, "bolivarian": true,
	"plurinational": true, "his": true, "her": true, "majesty": true, "highness": true, "excellency": true, "sheikh": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "government": true, "council": true, "ministers": true, "minister": true,
	"prime": true, "president": true, "i": true, "chairman": true, "chairwoman": true, "chair": true,
}

// titleStems are the Russian title words, as stems.
var titleStems = []string{"республик", "королевств", "государств", "федераци", "исламск", "арабск", "демократическ", "объединенн",
	"султанат", "содружеств", "велик", "герцогств", "княжеств", "социалистическ", "народн", "боливарианск", "многонациональн",
	"шейх", "господин", "правительств", "совет", "министр", "президент", "премьер", "переходн", "соединенн", "его", "ее"}

func isTitleWord(tok string) bool {
	if titleWords[tok] {
		return true
	}
	for _, s := range titleStems {
		if len(tok) >= len(s) && tok[:len(s)] == s {
			return true
		}
	}
	return false
}

// covered reports whether token i lies inside a pattern hit.
func (t *text) covered(i int) bool {
	for _, h := range t.hits {
		if h.from <= i && i < h.to {
			return true
		}
	}
	return false
}

// nameAfter returns the tokens [from, to) of the name written after an office
// word that ends at token i, before token end: "Prime Minister of the Slovak
// Republic Eduard Heger", "Премьер-министром Словакии Эдуардом Хегером". The
// country, title words and function words before the name are passed over;
// another lower-case word ends the search ("the president made to ABC
// News"): from == to when no name follows.
func nameAfter(t *text, i, end int) (int, int) {
	start := i
	for ; i < end; i++ {
		if i > 0 && t.toks[i].Sent != t.toks[max(start-1, 0)].Sent {
			return i, i // the office ends its sentence: "с бразильским президентом. «Нет, ...»"
		}
		tok := t.toks[i].Text
		if officeWords[tok] || i == start && tok == "s" {
			return i, i // "the Prime Minister's Office", "the Prime Minister of Japan, the Ministry of External Affairs"
		}
		if functionWords[tok] || t.covered(i) || isTitleWord(tok) {
			continue
		}
		if !capitalised(t, i) {
			return i, i // "the president made to ABC News": a verb ends the office
		}
		break
	}
	if i < end && initialism(t.src[t.toks[i].Start:t.toks[i].End]) {
		return i, i // "президента РУз": an abbreviation names a country, not a person
	}
	from := i
	for i < end && i-from < maxNameWords && capitalised(t, i) && !t.covered(i) && !isTitleWord(t.toks[i].Text) &&
		t.toks[i].Sent == t.toks[from].Sent {
		i++
	}
	return from, i
}

// officeWords name an institution: after an office word they end the search
// for its holder's name.
var officeWords = map[string]bool{"office": true, "ministry": true, "administration": true, "press": true,
	"service": true, "secretariat": true, "department": true, "spokesperson": true, "spokesman": true,
	"spokeswoman": true, "aide": true, "aides": true, "cabinet": true, "аппарат": true, "пресс": true,
	"министерство": true, "администрация": true, "канцелярия": true}

// withWords introduce the other party: "обсудил с Чавесом по телефону".
var withWords = map[string]bool{"with": true, "с": true, "со": true}

// greetingWords are capitalised after "с" in greetings, not surnames: "с
// Новым годом" is no leader Nova.
var greetingWords = map[string]bool{"новым": true, "днем": true, "рождеством": true, "праздником": true, "пасхой": true}

// leaderSurnamed resolves a surname alone, written just after "with" in a
// call's clause ("обсудил с Чавесом по телефону"), to the one leader in
// office on the day of that surname.
func (e *Extractor) leaderSurnamed(on time.Time, t *text, i int) *gazetteer.Person {
	if i <= 0 || !withWords[t.toks[i-1].Text] || abbreviation(t.src[t.toks[i].Start:t.toks[i].End]) || greetingWords[t.toks[i].Text] {
		return nil
	}
	p, _ := e.g.SurnamedLeader(gazetteer.NewWrittenName(nameWords(t, i, i+1)), on)
	return p
}

// unknownName returns the first run of capitalised words from token i on,
// before end, that no pattern covers and that are not title words: a name
// the data may know in another form. from == to when there is none.
func unknownName(t *text, i, end int) (int, int) {
	for i < end && !(capitalised(t, i) && !t.covered(i) && !isTitleWord(t.toks[i].Text) && !functionWords[t.toks[i].Text]) {
		i++
	}
	if i < end && initialism(t.src[t.toks[i].Start:t.toks[i].End]) {
		return i, i // "президента РУз": an abbreviation names a country, not a person
	}
	from := i
	for i < end && i-from < maxNameWords && capitalised(t, i) && !t.covered(i) && !isTitleWord(t.toks[i].Text) &&
		t.toks[i].Sent == t.toks[from].Sent {
		i++
	}
	return from, i
}

// holderNamed resolves an office word: the holder of the office in the
// country on the day; when the text names someone else after the office
// word ("Премьер-министр Словакии Роберт Фицо" where the data has his
// predecessor that day), a holder of the office within two years whose name
// that is. Without a country, only a name can tell: the one holder of an
// office of the kind on the day whose name it is ("Prime Minister Heger").
// The name is never the only evidence: an office and a day come with it.
func (e *Extractor) holderNamed(country, kind string, on time.Time, t *text, nf, nt int) *gazetteer.Person {
	name := gazetteer.NewWrittenName(nameWords(t, nf, nt))
	if kind == leaderKind {
		return e.leaderHolder(country, on, name)
	}
	if country == "" {
		p, _ := e.g.NamedHolder(name, kind, on)
		return p
	}
	p, ok := e.g.Holder(country, kind, on)
	if name.Empty() || ok && (name.Surname(p) || name.Given(p)) {
		return p
	}
	// The text names someone else: a holder of the office near the day (the
	// data's dates are off), else at any time (a former holder: "бывший
	// премьер-министр Италии Сильвио Берлускони"), else nobody the data knows.
	for _, span := range []int{2, 100} {
		for _, q := range e.g.Holders(country, kind, on.AddDate(-span, 0, 0), on.AddDate(span, 0, 0)) {
			if q != p && name.Surname(q) {
				return q
			}
		}
	}
	if name.Scripted() {
		return nil
	}
	return p
}

// leaderKinds are the offices a country's "leader" may hold, the first
// held on the day first: a president before a prime minister ("the Russian
// leader"), a prime minister before a monarch ("the British leader").
var leaderKinds = []string{"president", "prime_minister", "chancellor", "supreme_leader", "emir", "sultan", "king", "grand_duke", "prince"}

// leaderHolder resolves a country's "leader": the holder of its first
// leading office on the day, or, with a name, the holder of any of them
// whose name it is; a name nobody of them has is someone the data lacks.
func (e *Extractor) leaderHolder(country string, on time.Time, name gazetteer.WrittenName) *gazetteer.Person {
	if country == "" {
		return nil
	}
	for _, k := range leaderKinds {
		p, ok := e.g.Holder(country, k, on)
		// A name in full must match in full: a surname alone matches by
		// sound too easily ("Тчиани" and "Zeine").
		if ok && (name.Empty() || name.Full(p) || name.Words() == 1 && name.Surname(p)) {
			return p
		}
	}
	return nil
}

// leaderNamed resolves a name no pattern knows (a Russian form of a name the
// gazetteer has only in English) to the one leader in office on the day
// whose given name and surname both it is.
func (e *Extractor) leaderNamed(on time.Time, t *text, nf, nt int) *gazetteer.Person {
	p, _ := e.g.NamedLeader(gazetteer.NewWrittenName(nameWords(t, nf, nt)), on)
	return p
}

// nameWords returns the words of tokens [from, to) as written.
func nameWords(t *text, from, to int) []string {
	if from >= to {
		return nil
	}
	out := make([]string, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, t.src[t.toks[i].Start:t.toks[i].End])
	}
	return out
}

// unresolvedParticipant is a party the text names that the gazetteer does
// not know: the name as written (in the field of its script), and the
// office and country when the text gives them.
func (e *Extractor) unresolvedParticipant(u party) model.Participant {
	p := model.Participant{Country: u.country, Mention: u.mention, Unresolved: true}
	if u.name != "" {
		if gazetteer.IsCyrillic(u.name) {
			p.NameRU = u.name
		} else {
			p.NameEN = u.name
		}
	}
	if u.kind != "" {
		p.Role = e.roleTitle(u.kind, u.country)
	}
	if o, ok := e.g.OfficeKind(u.kind); ok && o.Org != "" && p.Country == "" {
		p.Role = e.roleTitle(u.kind, o.Org)
	}
	return p
}

// roleTitle is the English title of an office in a country: "Prime Minister
// of Slovakia", or the office's title alone when the country is unknown.
func (e *Extractor) roleTitle(kind, place string) string {
	o, ok := e.g.OfficeKind(kind)
	if !ok {
		return ""
	}
	c, ok := e.g.Country(place)
	if !ok || len(c.EN) == 0 {
		return o.TitleEN
	}
	return o.TitleEN + " of " + c.EN[0]
}

// appendNames merges into sc.matches, in token order, the people's names in
// t: a name starts with a capital letter, so only capitalised words are
// looked up (the names are most of the patterns, and most words are not
// capitalised). At one token a name comes after the other patterns, as it
// would in one matcher.
func (e *Extractor) appendNames(sc *scratch, t *text) []textmatch.Match[*item] {
	sc.nameHits = sc.nameHits[:0]
	for i := range t.toks {
		if capitalised(t, i) {
			sc.nameHits = e.names.AppendAt(sc.nameHits, t.toks, i)
		}
	}
	if len(sc.nameHits) == 0 {
		return sc.matches
	}
	n := len(sc.matches)
	out := append(sc.matches, sc.nameHits...)
	// Merge the two runs, each in token order, stably: at one token the
	// other patterns first.
	merged := sc.merged[:0]
	a, b := out[:n], out[n:]
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || len(a) > 0 && a[0].From <= b[0].From {
			merged, a = append(merged, a[0]), a[1:]
		} else {
			merged, b = append(merged, b[0]), b[1:]
		}
	}
	sc.merged = out[:0]
	return merged
}

// titleCased reports whether t is written in title case, as some
// headlines are ("Trump, Petro Discuss Drugs, Bilateral Ties"): nearly all
// of its words that no pattern knows (not names, offices or countries)
// start with a capital letter.
func titleCased(t *text) bool { return titleCasedRange(t, 0, len(t.toks)) }

// titleCasedRange is titleCased over tokens [from, to).
func titleCasedRange(t *text, from, to int) bool {
	words, caps := 0, 0
	for i := from; i < to; i++ {
		tok := t.toks[i]
		if len(tok.Text) < 3 || t.covered(i) || tok.Text[0] >= '0' && tok.Text[0] <= '9' {
			continue
		}
		words++
		if capitalised(t, i) {
			caps++
		}
	}
	return words >= 4 && caps*10 >= words*8
}

// abbreviation reports whether a word as written is an abbreviation ("RF",
// "USA", "ФРГ"), not a surname: all capitals, or under three letters.
func abbreviation(w string) bool {
	return utf8.RuneCountInString(w) < 3 || strings.ToUpper(w) == w
}

// initialism reports whether a short word has two capitals or more: "РУз",
// "РФ", "ABC" name countries and institutions, not people.
func initialism(w string) bool {
	if utf8.RuneCountInString(w) > 5 {
		return false
	}
	n := 0
	for _, r := range w {
		if unicode.IsUpper(r) {
			n++
		}
	}
	return n >= 2
}
