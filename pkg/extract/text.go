package extract

import (
	"slices"
	"strings"
	"unicode"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/textmatch"
)

type kind uint8

const (
	kCall kind = iota + 1
	kWeakCall
	kAnnounce
	kNegGenre
	kBoundary
	kNonLeader
	kLeaderWord
	kRole
	kVice
	kMulti
	kInitiative
	kMonth
	kWeekday
	kRelDay
	kCountry
	kPerson
	kTopic         // a topic trigger; n is the topic's index in the taxonomy
	kSoftCall      // "беседа", "диалог", "conversation": a call only with the leaders named after it
	kBackground    // "до этого", "previously": the sentence reports an earlier call
	kAnnounceTitle // "to speak": a future call, in a headline only
	kFutureCall    // "will speak": an announced call without a phone word
	kLeaders       // "the presidents", "лидеры": the parties, unnamed
	kNoCall        // "no plans for", "did not respond": the call did not or will not happen
	kFormer        // "former", "бывший", "первым президентом": the office is no longer held
	kDenyTitle     // "has not spoken to", "опровергли": a headline that denies a call
	kNoCallClause  // "does not look like it will take place": anywhere in the call's clause
	kCounterpart   // "counterpart", "коллега": a leader of the actor's office in another country
	kPartyChief    // "генеральный секретарь ЦК": a party's chief, no leader's office
)

type item struct {
	k      kind
	plural bool
	role   string // office kind for kRole
	org    string // organisation code for organisation roles
	n      int    // month, weekday or relative day
	code   string // country code
	names  *gazetteer.NamePattern
}

// nonLeaderPerson is the item of a named person who is not a leader on the
// day (a foreign minister): a minister's word, as "Foreign Minister" is.
var nonLeaderPerson = &item{k: kNonLeader}

type hit struct {
	*item
	from, to int
	p        *gazetteer.Person // for kPerson: who the name means on the day
}

// text is one tokenized piece (title or body) with its pattern hits.
type text struct {
	src    string
	toks   []textmatch.Token
	hits   []hit // all but topic triggers
	topics []hit // topic triggers
}

// scan tokenizes src into t (at most limit tokens when limit > 0) and finds
// the patterns in it. It returns the offset where tokenizing stopped.
func (e *Extractor) scan(sc *scratch, t *text, src string, limit int, buf *[]textmatch.Token) int {
	var stop int
	*buf, stop = sc.tz.Tokenize(src, 0, limit, (*buf)[:0])
	e.match(sc, t, src, *buf)
	return stop
}

// match sets t to the tokens of src and their pattern hits.
func (e *Extractor) match(sc *scratch, t *text, src string, toks []textmatch.Token) {
	t.src, t.toks = src, toks
	sc.matches = e.m.AppendAll(sc.matches[:0], t.toks, 0)
	sc.matches = e.appendNames(sc, t)
	t.hits, t.topics = t.hits[:0], t.topics[:0]
	for _, m := range sc.matches {
		if m.Val.k == kTopic {
			t.topics = append(t.topics, hit{item: m.Val, from: m.From, to: m.To})
		} else {
			h := hit{item: m.Val, from: m.From, to: m.To}
			if m.Val.k == kPerson && !e.person(sc, t, &h) {
				continue
			}
			t.hits = append(t.hits, h)
		}
	}
	t.hits = slices.DeleteFunc(t.hits, t.partOfLeadersName)
	t.hits = slices.DeleteFunc(t.hits, t.othersSurname)
	if t != &sc.title { // "Trump Holds Phone Call with Putin"
		var memo map[int]bool
		t.hits = slices.DeleteFunc(t.hits, func(h hit) bool { return t.othersGivenName(h, &memo) })
	}
	t.hits = slices.DeleteFunc(t.hits, t.pastModal)
	t.hits = slices.DeleteFunc(t.hits, t.clockPM)
	t.surnamesAgain()
}

// pastModal reports whether h is a modal of the past, no announcement: "in
// what may have been an awkward phone call" ("may have a call" announces
// one).
func (t *text) pastModal(h hit) bool {
	return h.k == kAnnounce && h.to < len(t.toks) && t.toks[h.to].Text == "been" && t.toks[h.to-1].Text == "have"
}

// clockPM reports whether h is the "pm" of a time, no prime minister:
// "starting at 5:30 pm".
func (t *text) clockPM(h hit) bool {
	return h.k == kRole && h.to-h.from == 1 && h.from > 0 && t.toks[h.from].Text == "pm" && isNumber(t.toks[h.from-1].Text)
}

// othersSurname reports whether h is a surname alone that follows another
// person's given name: "Vice President Kamala Harris" is not Simon Harris,
// whose surname is a pattern in context only.
func (t *text) othersSurname(h hit) bool {
	if h.k != kPerson || h.p == nil || !h.names.Context || h.from == 0 {
		return false
	}
	prev := h.from - 1
	if t.toks[prev].Sent != t.toks[h.from].Sent || !capitalised(t, prev) || isTitleWord(t.toks[prev].Text) {
		return false
	}
	for _, x := range t.hits {
		if x.from <= prev && prev < x.to && x.k != kPerson {
			return false // "Irish Harris", "Taoiseach Harris": a country or an office
		}
	}
	return !h.p.NameWord(t.toks[prev].Text) // not his own given name
}

// othersGivenName reports whether h is a surname alone, in Latin letters,
// that opens another person's name: "his younger brother Abbas Sharif" is
// not Mahmoud Abbas. Russian writes the surname first ("Путин Владимир"),
// and headlines capitalise words ("Trump Holds Phone Call"): neither counts
// (the caller skips headlines).
func (t *text) othersGivenName(h hit, memo *map[int]bool) bool {
	if h.k != kPerson || h.p == nil || h.to >= len(t.toks) || h.to-h.from != 1 ||
		!h.names.Context && !slices.ContainsFunc(h.p.Surnames, func(s string) bool { return textmatch.EqualFold(s, t.toks[h.from].Text) }) {
		return false // not a surname alone ("Abbas" is a curated alias too)
	}
	next := h.to
	w := t.toks[next].Text
	if t.toks[next].Sent != t.toks[h.from].Sent || t.toks[next].Start != t.toks[h.from].End+1 || !capitalised(t, next) ||
		isTitleWord(w) || gazetteer.IsCyrillic(w) || abbreviation(t.src[t.toks[next].Start:t.toks[next].End]) {
		return false
	}
	for _, x := range t.hits {
		if x.from <= next && next < x.to && (x.k != kPerson || x.p == h.p) {
			return false // "Abbas Tuesday", "Kishida Japan": a day or a country
		}
		// Two leaders side by side: "the Trump Putin call", "Presidents
		// Biden Zelensky".
		if x.k == kPerson && x.p != nil && x.from == next && leaderPair(t, h.from, x.to) {
			return false
		}
	}
	return !h.p.NameWord(w) && !lineTitleCased(t, h.from, memo)
}

// leaderPair reports whether the names at [from, to) stand as a pair of
// leaders: after "the" or a plural office, or before a call or meeting
// word.
func leaderPair(t *text, from, to int) bool {
	if from > 0 && (t.toks[from-1].Text == "the" || t.has(kLeaders, from-1, from)) {
		return true
	}
	return to < len(t.toks) && (wordIn(t.toks[to].Text, "call", "calls", "talks", "summit", "meeting", "conversation", "phone") ||
		t.has(kCall, to, to+1) || t.has(kSoftCall, to, to+1) || t.has(kNegGenre, to, to+1))
}

// lineTitleCased reports whether the line holding token i is written in
// title case (a deck: "Erdogan Discusses Grain Deal In Call With Putin"),
// once per line: memo, allocated on first use, holds each line's answer by
// its first token.
func lineTitleCased(t *text, i int, memo *map[int]bool) bool {
	a := lineStart(t, i)
	if v, ok := (*memo)[a]; ok {
		return v
	}
	b := i + 1
	for b < len(t.toks) && !strings.Contains(t.src[t.toks[b-1].End:t.toks[b].Start], "\n") {
		b++
	}
	v := titleCasedRange(t, a, b)
	if *memo == nil {
		*memo = map[int]bool{}
	}
	(*memo)[a] = v
	return v
}

// surnamesAgain adds a name hit for a capitalised word that no pattern
// knows but that is the surname of a leader the text names in full, Russian
// case endings aside: "Prime Minister John Key says ... Mr Key said he had
// spoken to ..." ("Key" alone names nobody), "Путин и Жапаров провели
// телефонный разговор" over "Киргизии Садыр Жапаров" (two Japarovs share
// the surname, so it has no pattern of its own).
func (t *text) surnamesAgain() {
	var full [4]hit // the leaders named in full (a few at most)
	named := full[:0]
	for _, x := range t.hits {
		if x.k == kPerson && x.p != nil && x.to-x.from >= 2 && len(named) < len(full) {
			named = append(named, x)
		}
	}
	if len(named) == 0 {
		return
	}
	for i := range t.toks {
		if !capitalised(t, i) {
			continue
		}
		for _, x := range named {
			if i >= x.from && i < x.to || !sameSurname(t.toks[x.to-1].Text, t.toks[i].Text) || t.covered(i) {
				continue
			}
			t.hits = append(t.hits, hit{item: x.item, from: i, to: i + 1, p: x.p})
			break
		}
	}
}

// sameSurname reports whether two folded words are one surname, Russian
// case endings aside ("жапаров", "жапарова", "жапаровым"): a Cyrillic word
// of five letters or more and the same with up to two letters more. It
// compares bytes (a Cyrillic letter is two): it runs on capitalised words.
func sameSurname(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 10 || len(b)-len(a) > 4 || !(a[0] == 0xD0 && a[1] >= 0xB0 || a[0] == 0xD1 && a[1] <= 0x8F) {
		return false
	}
	return strings.HasPrefix(b, a)
}

// partOfLeadersName reports whether h is a non-leader's name inside a
// leader's longer one: "Joseph" (a minister's surname) in "Joseph R. Biden".
func (t *text) partOfLeadersName(h hit) bool {
	if h.item != nonLeaderPerson {
		return false
	}
	for _, x := range t.hits {
		if x.k == kPerson && x.p != nil && x.from <= h.from && h.to <= x.to && x.to-x.from > h.to-h.from {
			return true
		}
	}
	return false
}

func (t *text) span(from, to int) string {
	if from >= to || from < 0 || to > len(t.toks) {
		return ""
	}
	return squeezeSpace(t.src[t.toks[from].Start:t.toks[to-1].End])
}

// squeezeSpace is strings.Join(strings.Fields(s), " "), without allocating
// when s has no other white space than single blanks between words.
func squeezeSpace(s string) string {
	prevSpace := true // a leading blank needs trimming too
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = true
		case r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' || r >= 0x80 && unicode.IsSpace(r):
			return strings.Join(strings.Fields(s), " ")
		default:
			prevSpace = false
		}
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

func (t *text) has(k kind, from, to int) bool {
	for _, h := range t.hits {
		if h.k == k && h.from >= from && h.from < to {
			return true
		}
	}
	return false
}

// hasNonLeader reports whether a non-leader word ("minister", "secretary")
// starts in [from, to) outside a leader's title ("Prime Minister",
// "Secretary-General").
func (t *text) hasNonLeader(from, to int) bool {
	for _, h := range t.hits {
		if h.k == kNonLeader && h.from >= from && h.from < to && !t.inside(kRole, h) && !t.secondOffice(h) {
			return true
		}
	}
	return false
}

// secondOffice reports whether the non-leader's word h is a leader's second
// office, after his first and "and": "Prime Minister and Defense Minister
// Gen. Prayut Chan-o-cha".
func (t *text) secondOffice(h hit) bool {
	for j := h.from - 1; j >= max(1, h.from-secondOfficeGap); j-- {
		if !wordIn(t.toks[j].Text, "and", "и") {
			continue
		}
		return slices.ContainsFunc(t.hits, func(x hit) bool {
			return x.k == kRole && x.to == j && x.role != gazetteer.KindForeignMinister
		})
	}
	return false
}

// sentence returns the bounds [from, to) of the sentence hit h is in.
func (t *text) sentence(h hit) (from, to int) {
	sent := t.toks[h.from].Sent
	from, to = h.from, h.to
	for from > 0 && t.toks[from-1].Sent == sent {
		from--
	}
	for to < len(t.toks) && t.toks[to].Sent == sent {
		to++
	}
	return from, to
}

// hasKind reports whether t has a hit of kind k.
func (t *text) hasKind(k kind) bool {
	for _, h := range t.hits {
		if h.k == k {
			return true
		}
	}
	return false
}

// inside reports whether h lies within a hit of kind k ("conversation" in
// "telephone conversation").
func (t *text) inside(k kind, h hit) bool {
	for _, x := range t.hits {
		if x.k == k && x.from <= h.from && x.to >= h.to {
			return true
		}
	}
	return false
}

// personWithin reports whether a known person is named in [from, to) of the
// sentence of token from-1.
func (t *text) personWithin(from, to int) bool {
	if from <= 0 || from >= len(t.toks) {
		return false
	}
	sent := t.toks[from-1].Sent
	for _, x := range t.hits {
		if x.k == kPerson && x.from >= from && x.from < to && t.toks[x.from].Sent == sent {
			return true
		}
	}
	return false
}

// inLead reports whether token i is in the lead of t: its first sentences or
// its first lines or paragraphs (sentence splitting miscounts quotes and
// abbreviations).
func inLead(t *text, i int) bool {
	if t.toks[i].Sent < maxLeadSentences {
		return true
	}
	lines := 0
	pre := t.src[:t.toks[i].Start]
	for j := 0; j < len(pre); j++ {
		if pre[j] == '\n' && (j == 0 || pre[j-1] != '\n') {
			if lines++; lines >= maxLeadLines {
				return false
			}
		}
	}
	return true
}
