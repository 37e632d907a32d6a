package extract

import (
	"slices"
	"strings"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// clause is where a call is reported: a piece of text and the call phrase in it.
type clause struct {
	t          *text
	from, to   int // sentence bounds (tokens)
	phrase     hit
	weak       bool
	isTitle    bool
	nonLeader  bool
	announced  bool
	leaderSeen bool
	background bool // the sentence is about an earlier call
	negated    bool // "телефонного разговора не было", "there was no call"
	inPerson   bool // "a phone call interrupted the talks": the frame is a meeting
	dateline   bool // a pseudo-clause over a dateline: any date in it counts
}

// findClause returns the first call phrase in t that is reported by a leader.
// In the body, a phrase in reported speech of an aide ("the press secretary
// said that ... during the telephone conversation") or in a sentence about an
// earlier call ("до этого ... общались по телефону") is passed over for the
// next one; when no phrase qualifies, the first is returned (flagged). A soft
// call noun ("беседа Путина и Трампа", "conversation") counts in the body when
// a leader is named within a few words after it and a strong call phrase
// occurs in the text (the context is a call).
func (e *Extractor) findClause(t *text, isTitle bool, allowWeak bool) (clause, bool) {
	var first, unnamed clause
	found, haveUnnamed := false, false
	strong := !isTitle && t.hasKind(kCall)
	for _, h := range t.hits {
		// "после разговора с Путиным": a soft noun after "after" is the
		// earlier call, not this one.
		soft := h.k == kSoftCall && strong && !t.inside(kCall, h) && t.personWithin(h.to, h.to+softNameAfter) &&
			(h.from == 0 || !wordIn(t.toks[h.from-1].Text, "после", "after", "following"))
		weak := h.k == kWeakCall && h.from < maxWeakFrom && (allowWeak || !isTitle && leadersAround(t, h)) && !calledOn(t, h)
		if h.k != kCall && h.k != kFutureCall && !soft && !weak {
			continue
		}
		c, ok := e.clauseAt(t, h, isTitle)
		if !ok {
			continue
		}
		if c.negated || c.inPerson {
			continue // not a call at all: "звонка не будет", "did not speak by phone", "звонок ... на переговорах"
		}
		if isTitle || (!c.nonLeader && !c.background && leaderSoFar(t, c) && !leadersOnly(t, c)) {
			return c, true
		}
		if !c.nonLeader && !c.background && !haveUnnamed {
			// No leader named yet: a later call sentence may name them
			// ("В ходе телефонной беседы главы двух государств также
			// обсудили ..." before "Алиев ... позвонил ... Путину").
			unnamed, haveUnnamed = c, true
		}
		if !found {
			first, found = c, true
		}
	}
	if haveUnnamed {
		return unnamed, true
	}
	return first, found
}

// clauseAt builds the clause of the call phrase h.
func (e *Extractor) clauseAt(t *text, h hit, isTitle bool) (clause, bool) {
	// A phrase inside a longer one ("call with" inside "phone call with") is skipped.
	c := clause{t: t, phrase: h, weak: h.k == kWeakCall || h.k == kSoftCall, isTitle: isTitle}
	c.from, c.to = t.sentence(h)
	// The actor: tokens after the last boundary word before the phrase.
	start := c.from
	for _, b := range t.hits {
		if b.k == kBoundary && b.to <= h.from && b.from >= c.from && b.to > start {
			start = b.to
		}
	}
	// The actor stands on the phrase's line: a heading without a full stop
	// above it ("Statement by Ambassador Antonio O. Garza") is not it.
	line := lineStart(t, h.from)
	start = max(start, line)
	c.nonLeader = t.hasNonLeader(start, h.from) || partyChiefActor(t, start, h.from) || viceActor(t, max(c.from, line), h.from)
	c.leaderSeen = leaderNamed(t, c.from, c.to)
	if !isTitle && h.from > c.from && t.hasNonLeader(max(c.from, line), h.from) && !actorLeaderWord(t, start, h.from) {
		c.nonLeader = true
	}
	if c.nonLeader && betweenLeaders(t, h, c.to) {
		// "Spokesman Dmitry Peskov announced that a phone call is planned
		// for between Russian President ...": the one before reports it.
		c.nonLeader = false
	}
	c.announced = h.k == kFutureCall || announceBefore(t, c.from, h.to+2) || t.has(kFutureCall, c.from, h.to+2) ||
		(isTitle && t.has(kAnnounceTitle, c.from, h.from)) || futureVerbLast(t, h, c.to)
	c.background = !isTitle && backgroundIn(t, c.from, c.to, h)
	c.negated = negatedCall(t, h, c.from, c.to)
	c.inPerson = inPersonFrame(t, h, c.from, c.to)
	return c, true
}

// lineStart returns the first token of the line token i is on.
func lineStart(t *text, i int) int {
	for ; i > 0; i-- {
		if strings.IndexByte(t.src[t.toks[i-1].End:t.toks[i].Start], '\n') >= 0 {
			break
		}
	}
	return i
}

// backgroundIn reports whether the sentence [from, to) is about an earlier
// call: a background word ("last month", "ранее") outside a relative clause
// about one of the parties before the phrase h ("Erdogan, who was elected to
// his third term last month, congratulated Mitsotakis in a phone call"), and
// not "the previous day".
func backgroundIn(t *text, from, to int, h hit) bool {
	for _, b := range t.hits {
		if b.k != kBackground || b.from < from || b.from >= to || b.to <= h.from && inRelativeClause(t, from, b.from, h.from) {
			continue
		}
		if b.to < len(t.toks) && t.toks[b.from].Text == "previous" && wordIn(t.toks[b.to].Text, "day", "evening", "night", "morning") {
			continue // "the previous day": a day, the call's own ("had taken place the previous day")
		}
		if b.from > h.to && eventAfterPhrase(t, h.to, b.from) {
			continue // "will hold a phone call ..., after Israeli interventions ... last week"
		}
		return true
	}
	return false
}

// eventAfterPhrase reports whether "after", "following", "amid" or "since"
// stands in [from, i) with no comma between it and the token before i: the
// words up to i are about the event it names ("for the first time since
// taking office last week"). So does "held" or "hosted" after an event
// noun: another event's ("his video message for the World Environment Day
// event held in Islamabad last week"), where "the conversation between
// ... held last week" is the call's.
func eventAfterPhrase(t *text, from, i int) bool {
	for j := commaBefore(t, from, i-1); j < i; j++ {
		if wordIn(t.toks[j].Text, "after", "following", "amid", "since", "после") ||
			j > from && wordIn(t.toks[j].Text, "held", "hosted") && eventNoun(t.toks[j-1].Text) {
			return true
		}
	}
	return false
}

// eventNoun reports whether w names an event other than a call: "the
// summit held last week" ("the conversation ... held last week" is the
// call's).
func eventNoun(w string) bool {
	return wordIn(w, "event", "events", "summit", "meeting", "meetings", "conference", "forum", "ceremony", "session",
		"festival", "celebration", "celebrations", "games", "election", "elections", "referendum", "exercise", "exercises", "visit")
}

// commaBefore returns where the stretch of [from, i] that ends at token i
// without a comma, semicolon or colon starts: from, or the first token
// after the last such stop.
func commaBefore(t *text, from, i int) int {
	for j := i; j > from; j-- {
		if punctBetween(t, j-1, j) {
			return j
		}
	}
	return from
}

// inRelativeClause reports whether token i stands in a clause that opens
// with a comma and "who" ("который") after from and closes with a comma
// before end.
func inRelativeClause(t *text, from, i, end int) bool {
	open := commaBefore(t, from, i)
	if open == from || !wordIn(t.toks[open].Text, "who", "которы*") {
		return false
	}
	return end > i+1 && commaBefore(t, i, end-1) > i
}

// leaderNamed reports whether [from, to) names a leader: a leader's word,
// "the leaders", a known person, or an office with its country.
func leaderNamed(t *text, from, to int) bool {
	return t.has(kLeaderWord, from, to) || t.has(kLeaders, from, to) || t.has(kPerson, from, to) ||
		slices.ContainsFunc(t.hits, func(x hit) bool { return x.k == kRole && x.from >= from && x.from < to && officeNamed(t, x) })
}

// officeNamed reports whether the leader's office r is named in full: an
// organisation's ("the UN Secretary-General") or one with its country next to
// it ("Премьер-министр Киргизии", "the Prime Minister of Tajikistan",
// "Kyrgyz Prime Minister"). Its holder on the day is a leader even when the
// name after it is not known.
func officeNamed(t *text, r hit) bool {
	if r.org != "" {
		return true
	}
	if nf, nt := nameAfter(t, r.to, min(len(t.toks), r.to+roleNameAfter)); nf == r.to && nt-nf >= 2 {
		return true // a given name and surname just after it: "Премьер-министр Николае Чукэ"
	}
	return slices.ContainsFunc(t.hits, func(x hit) bool {
		return x.k == kCountry && (x.to == r.from || x.from == r.to || x.from > r.to && countryOf(t, r.to, x.to))
	})
}

// negatedCall reports whether a negation stands just before the call phrase
// h or just after it, in its sentence [from, to): "не было телефонного
// разговора", "телефонного разговора не будет", "there was no phone call",
// "did not speak by phone".
func negatedCall(t *text, h hit, from, to int) bool {
	for i := max(from, h.from-negCallFarBefore); i < min(to, h.to+negCallAfter); i++ {
		if i >= h.from && i < h.to {
			continue
		}
		if i < h.from-negCallBefore && punctBetween(t, i, h.from) {
			continue // "Putin had not offered to hold a telephone conversation", not "who has not visited Kyiv, held a call"
		}
		switch t.toks[i].Text {
		case "не", "нет", "ни", "not", "no", "never", "t", "ли", "whether":
			return true // "действительно ли состоялся телефонный разговор", "whether they spoke by phone"
		}
	}
	if t.has(kNoCall, from, min(to, h.to+negCallVerbAfter)) {
		return true // "There are currently no plans for Biden's phone call with Putin"
	}
	// Russian puts the negated verb last: "звонка Путина и Трампа пока не
	// было", "Телефонный разговор ... между Москвой и Киевом в ближайшие дни
	// пока не запланирован": anywhere in the phrase's clause (to a comma).
	comma := false
	for i := h.to; i < min(to, h.to+noCallClauseAfter); i++ {
		if i > h.to && punctBetween(t, i-1, i) {
			break
		}
		if t.has(kNoCallClause, i, i+1) {
			return true // "... does not look like it will take place"
		}
	}
	for i := h.to; i+1 < min(to, h.to+negCallClauseAfter); i++ {
		comma = comma || i > h.to && punctBetween(t, i-1, i)
		if comma && i-h.to >= negCallVerbAfter {
			break
		}
		if t.toks[i].Text == "не" && wordIn(t.toks[i+1].Text, "было", "будет", "состоял*", "состоится", "планир*", "запланирован*", "ожида*", "значит*") {
			return true
		}
		if t.toks[i].Text == "нет" {
			return true // "в планах ... телефонного разговора с Макроном нет"
		}
	}
	return false
}

// futureVerbLast reports whether a future verb follows the call's parties,
// in the phrase's clause (to a comma): "Сегодняшний телефонный разговор
// Президента Украины ... и Президента Российской Федерации ... состоится
// по инициативе российской стороны", "A telephone conversation between
// ... Suga and ... Putin is being arranged for September 29", "... will take
// place on Thursday".
func futureVerbLast(t *text, h hit, to int) bool {
	for i := h.to; i < min(to, h.to+noCallClauseAfter); i++ {
		if i > h.to && punctBetween(t, i-1, i) {
			return false
		}
		w := t.toks[i].Text
		if wordIn(w, "состоится", "состоятся") ||
			i+1 < len(t.toks) && (w == "being" && wordIn(t.toks[i+1].Text, "arranged", "prepared", "planned") ||
				w == "will" && wordIn(t.toks[i+1].Text, "take", "be") && i+2 < len(t.toks) && wordIn(t.toks[i+2].Text, "place", "held") ||
				wordIn(w, "is", "are") && t.toks[i+1].Text == "scheduled") {
			return true
		}
	}
	return false
}

// punctBetween reports whether a comma, semicolon or colon stands between
// the tokens i and j (i < j).
func punctBetween(t *text, i, j int) bool {
	return strings.ContainsAny(t.src[t.toks[i].End:t.toks[j].Start], ",;:")
}

// inPersonFrame reports whether the clause places the call phrase h at an
// event of another genre: "a phone call interrupted Putin's speech at the
// talks", "во время переговоров ... телефонный звонок". A genre word next to
// the phrase is part of it ("переговоров по телефону").
func inPersonFrame(t *text, h hit, from, to int) bool {
	for _, g := range t.hits {
		if g.k != kNegGenre || g.from < from || g.from >= to || g.from <= h.from-1 && g.to >= h.from || g.from >= h.to && g.from <= h.to+1 ||
			g.from > h.to+inPersonAfter {
			continue // far after the phrase, another event: "по телефону сообщила ..., что её страна готова выступить посредником на переговорах"
		}
		if g.from > from && wordIn(t.toks[g.from-1].Text, "на", "время", "ходе", "during", "at", "amid") {
			return true
		}
		if g.from > from+1 && t.toks[g.from-1].Text == "the" && wordIn(t.toks[g.from-2].Text, "during", "at", "amid") {
			return true
		}
	}
	return false
}

// phoneWord reports whether a clause names a call by a call phrase, or a
// future one with the parties ("the presidents will speak").
func phoneWord(cs []clause) bool {
	for _, c := range cs {
		if c.phrase.k != kFutureCall || c.t.has(kLeaders, c.from, c.to) {
			return true
		}
	}
	return false
}

// moreClauses returns the later body sentences with a call phrase, for
// statements reporting several calls.
func (e *Extractor) moreClauses(t *text, first clause) []clause {
	var out []clause
	last := first.to
	for _, h := range t.hits {
		if h.k != kCall || h.from < last {
			continue
		}
		c := clause{t: t, phrase: h, from: h.from, to: h.to}
		sent := t.toks[h.from].Sent
		for c.from > 0 && t.toks[c.from-1].Sent == sent {
			c.from--
		}
		for c.to < len(t.toks) && t.toks[c.to].Sent == sent {
			c.to++
		}
		last = c.to
		out = append(out, c)
	}
	return out
}

// clauses finds where the statement names a call: a clause of the headline,
// of the body's lead, or both. It reports false when the statement names no
// call of its own (another genre, a mention of an earlier call, an aide's).
func (e *Extractor) clauses(d *draft) bool {
	sc, st, title, body := d.sc, d.st, d.title, d.body
	e.scan(sc, title, st.Title, 0, &sc.titleToks)
	// A government's own headline "Prime Minister Justin Trudeau speaks with
	// President ..." names a call without a phone word; "Readout: Prime
	// Minister Carney speaks with ..." is a readout on any site.
	readout := len(title.toks) > 0 && title.toks[0].Text == "readout"
	d.tc, d.titleCall = e.findClause(title, true, d.official || readout)
	if d.titleCall && d.tc.nonLeader {
		return false
	}
	// A headline naming another genre ("Meeting with ...", "Переговоры ...")
	// leaves a call only to the first sentences of the body: news agencies
	// head a call "Проведены переговоры глав ...".
	if !d.titleCall && (title.hasKind(kCall) || title.hasKind(kFutureCall)) || e.denyTitle.Any(title.toks) {
		// The headline names a call only to deny it ("Mexico says
		// congratulatory phone call to Trump didn’t happen") or to place it
		// at a meeting.
		return false
	}
	negTitle := !d.titleCall && len(title.toks) > 0 && genreTitle(title)
	if d.titleCall {
		d.bodyStop = e.scan(sc, body, st.Text, maxBodyTokens, &sc.bodyAll)
	} else {
		// Most statements are not calls: without a call phrase in the lead
		// of the body, no need to look for anything else there.
		sc.bodyAll, d.bodyStop = sc.tz.Tokenize(st.Text, 0, maxBodyTokens, sc.bodyAll[:0])
		if !e.calls.Any(sc.bodyAll) && !(d.official && len(title.toks) == 0) {
			return false
		}
		e.match(sc, body, st.Text, sc.bodyAll)
	}
	// A government's release without a headline reports a call as its
	// headline would: "The Prime Minister spoke to President ..." opens it.
	if !d.titleCall && e.leadDenies(body) {
		return false
	}
	d.bc, d.bodyCall = e.findClause(body, false, d.titleCall || d.official && len(title.toks) == 0)
	if d.titleCall && d.bodyCall && d.bc.nonLeader && !d.bc.background && inLead(body, d.bc.phrase.from) && !titleActor(title, d.tc) {
		// A headline that names no caller before its phrase ("Лавров по
		// телефону обсудил с Отунбаевой", a name the data does not hold) is
		// the lead's call, whose caller is no leader ("Глава МИД Сергей
		// Лавров по поручению президента ... провел телефонный разговор").
		return false
	}
	if !d.titleCall && !bodyReportsCall(body, &d.bc, d.bodyCall, negTitle) && !titlePartiesCall(title, body, d.bc, d.bodyCall) {
		return false
	}
	d.clauses = make([]clause, 0, 4)
	if d.titleCall {
		d.clauses = append(d.clauses, d.tc)
	}
	if d.bodyCall && !(d.bc.nonLeader && !d.titleCall) {
		d.clauses = append(d.clauses, d.bc)
	}
	for _, c := range d.clauses {
		d.callEv = append(d.callEv, model.Evidence{StatementID: st.ID, Kind: "call", Text: c.t.span(c.phrase.from, c.phrase.to)})
	}
	return true
}

// titleActor reports whether the headline's clause c names its caller: a
// leader's word or office, a known person or a country before its call
// phrase, or just after a phrase that is a noun ("phone conversation
// between Chancellor ...", "Телефонный разговор Путина с ...").
func titleActor(t *text, c clause) bool {
	to := min(c.phrase.to+1, c.to)
	if j := betweenAt(t, c.phrase, min(c.phrase.to+3, c.to)); j >= 0 { // "on the phone conversation between"
		to = min(j+2, c.to)
	}
	for _, k := range []kind{kLeaderWord, kRole, kPerson, kLeaders, kCountry} {
		if t.has(k, c.from, c.phrase.from) || t.has(k, c.phrase.to, to) {
			return true
		}
	}
	return false
}

// titlePartiesCall reports whether a phone call deeper in the body is the
// story's: the headline names two leaders and the call's sentence names them
// both ("Sheinbaum and Carney Pledge to Keep the Mexico-Canada Trade
// Relationship" ... "During a phone call on Tuesday, Carney told
// Sheinbaum ...").
func titlePartiesCall(title, body *text, c clause, ok bool) bool {
	if !ok || c.phrase.k != kCall || c.nonLeader || c.background || c.negated || c.announced || c.inPerson ||
		body.toks[c.phrase.from].Sent >= maxTitlePartiesSentence {
		return false
	}
	var ps []*gazetteer.Person
	for _, h := range title.hits {
		if h.k == kPerson && h.p != nil && !slices.Contains(ps, h.p) {
			ps = append(ps, h.p)
		}
	}
	if len(ps) != 2 {
		return false
	}
	for _, p := range ps {
		if !slices.ContainsFunc(body.hits, func(h hit) bool { return h.k == kPerson && h.p == p && h.from >= c.from && h.from < c.to }) {
			return false
		}
	}
	return true
}

// genreTitle reports whether a headline names another genre (a meeting,
// talks, a message). "Talks" after a leader and before "with" is the verb:
// "UK PM Talks With Zelenskyy" says nothing of the genre.
func genreTitle(t *text) bool {
	for _, h := range t.hits {
		if h.k != kNegGenre {
			continue
		}
		verb := t.toks[h.from].Text == "talks" && h.to < len(t.toks) && t.toks[h.to].Text == "with" &&
			slices.ContainsFunc(t.hits, func(x hit) bool { return (x.k == kRole || x.k == kPerson) && x.to == h.from })
		if !verb {
			return true
		}
	}
	return false
}

// leadDenies reports whether the body opens by denying a call: its first
// call phrase, in its first sentences, is negated ("Путин ... пока не
// планирует телефонный разговор с ... Трампом"). A call the story reports
// further on is background to the denial ("... в связи с информацией, что
// Трамп поговорил по телефону с Зеленским").
func (e *Extractor) leadDenies(body *text) bool {
	for _, h := range body.hits {
		if h.k != kCall && h.k != kFutureCall {
			continue
		}
		if body.toks[h.from].Sent > leadDenialSentences {
			return false
		}
		c, _ := e.clauseAt(body, h, false)
		return c.negated
	}
	return false
}

// leadersAround reports whether a weak call phrase has a leader named just
// before it and another by office just after it, as a readout copied
// without its header puts them: "President Joseph R. Biden, Jr. spoke with
// President Volodymyr Zelenskyy of Ukraine today".
func leadersAround(t *text, h hit) bool {
	before, after := false, false
	// The object starts right after the phrase, or after "the".
	obj := h.to
	if obj < len(t.toks) && wordIn(t.toks[obj].Text, "the", "с", "со", "his", "her", "своим", "своей") {
		obj++
	}
	obj = skipWords(t, obj, min(obj+2, len(t.toks)), "newly", "appointed", "elected", "new") // "called newly appointed Malaysian Prime Minister"
	for i, x := range t.hits {
		switch {
		case x.k == kPerson && x.p != nil && x.to <= h.from && (h.from-x.to <= 3 || saidHe(t, x.to, h.from) || countryOf(t, x.to, h.from) ||
			dayOnly(t, x.to, h.from)):
			before = true // "President Donald J. Trump of the United States spoke with"
		case x.k == kRole && !qualifiedRole(t, i) && (x.to == h.from || countryOf(t, x.to, h.from)):
			before = true // "The Prime Minister (of Israel) spoke to President Zelenskyy"
		case (x.k == kRole || x.k == kPerson && x.p != nil) && x.from == obj:
			after = true // "spoke with President ...", "spoke with the President of Ghana", "spoke with Putin"
		case x.k == kCountry && x.from == obj && (t.has(kRole, x.to, x.to+1) || t.has(kCounterpart, x.to, x.to+1)):
			after = true // "spoke with Russian President Vladimir Putin", "with his Russian counterpart"
		case x.k == kCounterpart && x.from == obj:
			after = true // "spoke Sunday with his counterpart in the United Kingdom"
		}
	}
	return (before || firstPersonQuoted(t, h)) && after
}

// calledOn reports whether the weak phrase h is "called" in another sense:
// "called on Uruguay ... to impose sanctions" (urged), "called for",
// "called off".
func calledOn(t *text, h hit) bool {
	return t.toks[h.to-1].Text == "called" && h.to < len(t.toks) && wordIn(t.toks[h.to].Text, "on", "upon", "for", "off", "out")
}

// dayOnly reports whether the tokens [from, to) only date what follows:
// "Зеленский в четверг, 27 ноября, (провел разговор с ...)".
func dayOnly(t *text, from, to int) bool {
	if to-from > dayOnlyWords {
		return false
	}
	for i := from; i < to; i++ {
		w := t.toks[i].Text
		if wordIn(w, "в", "on", "this", "last", "evening", "morning", "afternoon", "night", "вечером", "утром", "днем") ||
			hebrewMonth(w) || w[0] >= '0' && w[0] <= '9' ||
			slices.ContainsFunc(t.hits, func(x hit) bool {
				return (x.k == kWeekday || x.k == kMonth || x.k == kRelDay) && x.from <= i && i < x.to
			}) {
			continue
		}
		return false
	}
	return true
}

// hebrewMonth reports whether w names a month of the Hebrew calendar, as
// the Israeli Prime Minister's Office dates its releases ("on Wednesday
// evening 28 Tishrei").
func hebrewMonth(w string) bool {
	return wordIn(w, "tishrei", "cheshvan", "heshvan", "kislev", "tevet", "shevat", "adar", "nisan", "iyar", "sivan", "tammuz", "av", "elul")
}

// saidHe reports whether the tokens [from, to) report the speaker's own
// words about himself: "(Trump) said Tuesday that he (had a great talk
// with ...)".
func saidHe(t *text, from, to int) bool {
	if to-from > 2 && wordIn(t.toks[to-1].Text, "had", "has") {
		to-- // "announced on Saturday night that he had (spoken with ...)"
	}
	if to-from > 2 && wordIn(t.toks[from].Text, "has", "had") {
		from++ // "has revealed he has (spoken to ...)"
	}
	if to-from < 2 || to-from > saidHeWords || !wordIn(t.toks[from].Text, sayWords...) && !wordIn(t.toks[from].Text, "announced", "confirmed", "revealed", "disclosed") {
		return false
	}
	return wordIn(t.toks[to-1].Text, "he", "she")
}

// countryOf reports whether the tokens [from, to) are "of" and a country:
// "of Israel", "of the United Kingdom".
func countryOf(t *text, from, to int) bool {
	i := skipWords(t, from, to, "of")
	if i == from {
		return false
	}
	i = skipWords(t, i, to, "the")
	for _, x := range t.hits {
		if x.k == kCountry && x.from == i && x.to == to {
			return true
		}
	}
	return false
}

// leadersOnly reports whether the clause's leaders are only "the leaders"
// and no one named so far says who they are: "Телефонный разговор лидеров
// двух мировых держав состоялся ..." before "... разговора Владимира Путина
// с Дональдом Трампом".
// "Премьер-министры двух стран поговорили по телефону" is such a clause too,
// though the office in plural is also an office's pattern.
func leadersOnly(t *text, c clause) bool {
	if !t.has(kLeaders, c.from, c.to) || t.has(kPerson, 0, c.to) || t.has(kCountry, c.from, c.to) {
		return false
	}
	for _, h := range t.hits {
		if h.k == kRole && h.from < c.to && !slices.ContainsFunc(t.hits, func(x hit) bool { return x.k == kLeaders && x.from == h.from && x.to == h.to }) {
			return false
		}
	}
	return true
}

// leaderSoFar reports whether a leader is named in the clause or before it.
func leaderSoFar(t *text, c clause) bool {
	return c.leaderSeen || t.has(kLeaderWord, 0, c.to) || t.has(kLeaders, 0, c.to) || t.has(kPerson, 0, c.to)
}

// nonLeaderCalled reports whether a call verb before token end has a
// non-leader actor in its sentence: "Iraqi Parliament Speaker ... called".
func nonLeaderCalled(t *text, end int) bool {
	for _, h := range t.hits {
		if h.k != kWeakCall && h.k != kCall || h.from >= end {
			continue
		}
		from, _ := t.sentence(h)
		if t.hasNonLeader(from, h.from) && !actorLeaderWord(t, from, h.from) {
			return true
		}
	}
	return false
}

// betweenLeaders reports whether "between" follows the call phrase h
// closely and leaders follow it: the call's parties, whoever the sentence
// names before it ("a phone call is planned for between Russian President
// ... and Turkish President ..."), and not "between ... security officials".
func betweenLeaders(t *text, h hit, to int) bool {
	j := betweenAt(t, h, min(h.to+betweenAfter, to))
	if j < 0 {
		return false
	}
	end := min(j+1+betweenAfter, to)
	return !t.hasNonLeader(j+1, end) && (t.has(kLeaderWord, j+1, end) || t.has(kPerson, j+1, end))
}

// betweenAt returns the token of "between" ("между") after the phrase h,
// before token end, or -1.
func betweenAt(t *text, h hit, end int) int {
	for j := h.to; j < end; j++ {
		if wordIn(t.toks[j].Text, "between", "между") {
			return j
		}
	}
	return -1
}

// actorLeaderWord reports whether a leader word ("president") stands in
// [from, to) other than as the object of "with": in "Зампред Совета
// Безопасности Дмитрий Медведев поговорил с президентом Белоруссии ... по
// телефону" the president is the one called, and the actor no leader.
func actorLeaderWord(t *text, from, to int) bool {
	for _, h := range t.hits {
		if h.k == kLeaderWord && h.from >= from && h.from < to && (h.from == 0 || !wordIn(t.toks[h.from-1].Text, "с", "со", "with")) {
			return true
		}
	}
	return false
}

// bodyReportsCall decides, for a statement whose headline names no call,
// whether the body's clause bc is the call the text reports: in its lead,
// not a mention of an earlier call further on.
func bodyReportsCall(body *text, bc *clause, bodyCall, negTitle bool) bool {
	// "the first phone call between the two leaders in months, and since
	// fighting has intensified in the Middle East as Israel ...": the
	// countries named are no parties when "the two leaders" are.
	unnamed := !bc.leaderSeen || !body.has(kPerson, bc.from, bc.to) && !body.has(kRole, bc.from, bc.to) &&
		(!body.has(kCountry, bc.from, bc.to) || body.has(kLeaders, bc.from, bc.to))
	if bodyCall && unnamed && !negTitle && inLead(body, bc.phrase.from) {
		// "Saturday's phone conversation came at the initiative of ...",
		// "The two leaders spoke by telephone": the leaders are named in
		// the sentences before it.
		bc.from = 0
		bc.leaderSeen = leaderNamed(body, 0, bc.to)
		// Those sentences may say who called: "Iraqi Parliament Speaker
		// ... called Saudi Crown Prince ...", someone who is no leader.
		bc.nonLeader = bc.nonLeader || nonLeaderCalled(body, bc.phrase.from)
	}
	if !bodyCall || bc.nonLeader || !bc.leaderSeen || bc.background || !inLead(body, bc.phrase.from) {
		return false
	}
	return !negTitle || (!bc.weak || callNext(body, bc)) && body.toks[bc.phrase.from].Sent < negTitleSentences
}

// callNext reports whether the sentence after the clause's names a call by a
// phone word: "Modi spoke with his new British counterpart ... This is their
// first phone call since ..." makes "spoke with" a call under a headline of
// condolences.
func callNext(t *text, c *clause) bool {
	if c.to >= len(t.toks) {
		return false
	}
	next := t.toks[c.to].Sent
	for _, h := range t.hits {
		if h.k == kCall && h.from >= c.to && t.toks[h.from].Sent == next && !negatedCall(t, h, c.to, len(t.toks)) {
			return true
		}
	}
	return false
}
