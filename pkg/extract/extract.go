package extract

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // publisher zones must resolve on any host
	"unicode"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/gazetteer/textmatch"
	"github.com/readout/readout/pkg/model"
)

// ErrTaxonomy is returned for an invalid topic taxonomy.
var ErrTaxonomy = errors.New("extract: invalid taxonomy")

// Call is one leader call reported by a statement.
type Call struct {
	Status string // model.StatusHeld or model.StatusAnnounced
	// Participants are all parties incl. the publisher's leader: the resolved
	// ones sorted by key, then those named but not resolved (Unresolved).
	Participants []model.Participant
	Initiator    string    // Wikidata id of the initiating side when stated, else ""
	OccurredOn   string    // YYYY-MM-DD in the publisher's zone
	Zone         string    // that zone (IANA), "UTC" for a publisher not known
	OccurredAt   time.Time // UTC, best known
	Precision    string    // model.PrecisionDay or model.PrecisionMinute
	Topics       []model.Topic
	Confidence   float64
	Evidence     []model.Evidence
	// Unresolved lists counterparts named as leaders ("President of Belarus
	// Alexander Lukashenko") that the gazetteer could not resolve.
	Unresolved []string
}

// Limits of the clause analysis, in tokens.
const (
	maxBodyTokens     = 400 // only the lead of the body is searched for the call sentence
	roleCountryAfter  = 8   // "President Emmanuel Macron of France": country this far after the role
	roleNameAfter     = 7   // a name this close after a role belongs to it
	maxTriggers       = 5
	maxWeakFrom       = 60             // "spoke with" counts only in the lead of a body
	dateGenreWindow   = 6              // "talks held in Moscow on February 22": not the call's date
	softNameAfter     = 4              // "беседу Путина и Трампа": a leader this close after a soft call noun
	maxLeadSentences  = 4              // a call named only in the body must be named in its first sentences
	maxLeadLines      = 3              // ... or in its first lines
	negTitleSentences = 3              // under a headline of another genre, the call must open the body (after a dateline)
	negCallBefore     = 3              // "не было телефонного разговора": a negation this close before a call phrase
	negCallAfter      = 2              // "разговора не было": or this close after it
	negCallVerbAfter  = 8              // "звонка Путина и Трампа пока не было": a negated verb this close after it
	datelineTokens    = 12             // a dateline is in the first words of the body
	datelineLines     = 3              // ... on its first lines
	maxDatelineSkew   = 48 * time.Hour // ... and within two days of the publication
	otherEventBefore  = 3              // "встречей с Зеленским": a genre word this close before a name
	maxReportAge      = 72 * time.Hour // an untitled report names a call at most this long before it
	weekdayAfter      = 8              // "spoke by phone with X on Saturday": a held call's weekday this close after the call phrase
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

// Extractor finds leader calls. It is safe for concurrent use: all patterns
// are compiled by New, and the per-statement scratch memory comes from a pool.
type Extractor struct {
	g      *gazetteer.Gazetteer
	m      textmatch.Matcher[*item]
	names  textmatch.Matcher[*item] // people's names: matched only from capitalised words
	calls  textmatch.Matcher[bool]  // the kCall and kFutureCall patterns of m alone, for a quick rejection
	topics textmatch.Matcher[int]
	tax    *Taxonomy
	rules  topicRules
	pool   sync.Pool // of *scratch
}

// scratch is the memory one Extract call works in. Nothing in it outlives
// the call: the calls returned hold only substrings of the statement and
// newly built values.
type scratch struct {
	tz          textmatch.Tokenizer
	title, body text
	titleToks   []textmatch.Token
	bodyAll     []textmatch.Token // all tokens of the body, for topics; body.toks is its lead
	matches     []textmatch.Match[*item]
	topicHits   []textmatch.Match[int]
	topics      []topicAcc
	ruleHits    []textmatch.Match[int]
	countryHits []textmatch.Match[string]
	nameHits    []textmatch.Match[*item]
	merged      []textmatch.Match[*item] // the other buffer of appendNames's merge
	thits       []thit
	on          time.Time // the statement's publication: the day names are resolved on
}

// topicAcc collects the trigger words of one topic.
type topicAcc struct {
	n     int
	words [maxTriggers]string
}

func (e *Extractor) getScratch() *scratch {
	if s, ok := e.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{}
}

// maxScratchTokens bounds the token slices kept in the pool, so that one
// huge statement does not pin its memory for good.
const maxScratchTokens = 1 << 14

func (e *Extractor) putScratch(s *scratch) {
	if cap(s.bodyAll) > maxScratchTokens || cap(s.titleToks) > maxScratchTokens {
		return
	}
	// The slices keep their old contents, which reference the last
	// statement's text: the pool drops its items within two GC cycles.
	s.title.src, s.body.src = "", ""
	e.pool.Put(s)
}

// New returns an extractor over the gazetteer and the embedded taxonomy.
func New(g *gazetteer.Gazetteer) *Extractor {
	tax, err := DefaultTaxonomy()
	if err != nil {
		panic(err) // the embedded file is validated by the tests
	}
	e, err := NewWithTaxonomy(g, tax)
	if err != nil {
		panic(err)
	}
	return e
}

// NewWithTaxonomy returns an extractor with a custom taxonomy.
func NewWithTaxonomy(g *gazetteer.Gazetteer, tax *Taxonomy) (*Extractor, error) {
	e := &Extractor{g: g, tax: tax}
	add := func(v item, ps ...string) error {
		it := &v
		for _, p := range ps {
			if err := e.m.Add(p, it); err != nil {
				return err
			}
			if it.k == kCall || it.k == kFutureCall {
				if err := e.calls.Add(p, true); err != nil {
					return err
				}
			}
		}
		return nil
	}
	var errs []error
	ck := func(err error) { errs = append(errs, err) }
	ck(add(item{k: kCall}, "telephone conversation", "phone conversation", "telephone call", "phone call", "video call",
		"spoke by phone", "spoke by telephone", "spoke on the phone", "spoke over the phone", "talked by phone", "by phone", "by telephone",
		"call with", "had a call", "held a call", "phone talks", "telephone talks", "talks by phone", "talks by telephone",
		"talks over the phone", "spoke over the telephone", "spoke on the telephone", "over the telephone", "on the telephone", "spoke on telephone", "on telephone", "phone talk", "telephone talk",
		"over the phone", "on the phone", "call to", "calls to", "telephonic conversation", "telephonic talk*", "telephonic call", "phone chat", "telephone chat", "call from", "calls from",
		"phoned", "telephoned",
		"телефонн* разговор", "телефонного разговора", "телефонном разговоре", "телефонн* переговор*", "разговор* по телефону", "по телефону", "созвонил*", "телефонн* бесед*",
		"телефонн* звон*", "позвонил*", "звонок", "звонка", "звонке"))
	ck(add(item{k: kCall, plural: true}, "telephone conversations", "phone conversations", "telephone calls", "phone calls", "calls with",
		"телефонные разговоры", "телефонных разговоров", "телефонных разговорах"))
	ck(add(item{k: kSoftCall}, "conversation", "бесед*", "диалог*", "контакт*"))
	ck(add(item{k: kBackground}, "до этого", "до того", "ранее", "прежде", "в минувшем", "в прошлом", "на прошлой неделе", "в прошлый раз",
		"previously", "prior to this", "before that", "last week", "last month", "last year", "earlier this year", "earlier this month",
		"previous", "предыдущ*", "days ago", "weeks ago", "months ago", "years ago", "a week ago", "a month ago", "a year ago",
		"дня назад", "дней назад", "недел* назад", "месяц* назад", "год* назад", "лет назад"))
	ck(add(item{k: kWeakCall}, "spoke to", "speaks to", "speaks with", "spoke with", "spoke today with", "spoke yesterday with", "spoke again with", "spoke this morning with",
		"spoke this afternoon with", "spoke this evening with", "spoke earlier today with", "speak with", "talked with", "разговаривал*"))
	// A future call said without a phone word: "the presidents will speak
	// on Tuesday", "Путин и Трамп поговорят". Only with leaders named.
	ck(add(item{k: kFutureCall}, "will speak", "will talk", "will call", "will be speaking", "is expected to speak", "are expected to speak",
		"expected to speak", "scheduled to speak", "are to speak", "planned to speak", "plans to speak", "planning to speak", "would talk", "would speak", "поговорят", "поговорит", "позвонит", "созвонятся", "созвонится"))
	ck(add(item{k: kAnnounce}, "upcoming", "will hold", "will have", "may have", "may hold", "might have", "could have", "могут провести", "может провести", "plans to", "planning to", "planned to", "intends to", "looks forward to speaking", "arranging", "is arranging", "to arrange",
		"looked forward to speaking",
		"preparing for", "is preparing", "are preparing", "expected to", "is set to", "are set to",
		"предстоящ*", "состоится", "состоятся", "проведут", "проведет", "планиру*", "намерен*", "собирает*", "готовит*",
		"анонсир*", "может состояться", "ожидает*"))
	// Headlines put the future in the infinitive: "Putin, Macron to speak by phone on Sunday".
	// Before the call phrase only: "spoke by phone to discuss Syria" is past.
	ck(add(item{k: kAnnounceTitle}, "to speak", "to talk", "to hold", "to have", "to call", "to phone", "to discuss", "to congratulate"))
	ck(add(item{k: kNegGenre}, "meeting", "meetings", "talks", "greetings", "greeting", "condolences", "message", "letter", "interview",
		"visit", "congratulations", "press statements", "statements for the press", "news conference", "press conference", "remarks",
		"speech", "address", "summit", "videoconference", "video conference", "travel", "trip",
		"for immediate release", // the release's date, not the call's: "FOR IMMEDIATE RELEASE June 24, 2009"
		"встреч*", "переговор*", "беседа", "поздравлени*", "соболезновани*", "послание", "обращение", "интервью", "визит",
		"заявлени* для прессы", "пресс-конференци*", "саммит*", "видеоконференци*", "совещани*", "заседани*"))
	ck(add(item{k: kBoundary}, "of", "on", "following", "by", "about", "regarding", "readout", "statement", "briefing", "итог*", "о", "об", "комментари*", "брифинг*"))
	ck(add(item{k: kNonLeader}, "vice", "secretary", "advisor", "adviser", "administration", "official", "officials", "lady", "gentleman",
		"spokesperson", "spokesman", "spokeswoman", "ambassador", "envoy", "minister", "governor", "министр*", "помощник*", "вице*", "советник*", "секретар*", "пресс-секретар*", "посол*",
		"мид", "госдеп*", "foreign minister", "secretary of state"))
	ck(add(item{k: kVice}, "vice", "вице", "deputy", "заместител*"))
	ck(add(item{k: kLeaderWord}, "president", "президент*", "the president's"))
	ck(add(item{k: kNoCall}, "no plans", "no plan", "not planned", "no agreed", "not on the schedule", "wanted to have", "wanted to hold", "tried to", "not have a plan", "possibility of",
		"attempted to", "did not respond", "did not answer", "not aware", "no information", "не в курсе", "нет информации", "нет планов", "не планиру*", "не запланирован*", "пытал*", "не ответил*", "отказал*"))
	ck(add(item{k: kLeaders, role: gazetteer.KindPresident}, "presidents", "leaders", "the two leaders", "heads of state", "лидеры", "лидерами", "лидеров",
		"главы государств", "главами государств", "глав государств", "президенты", "президентами", "президентов"))
	ck(add(item{k: kLeaders, role: gazetteer.KindPrimeMinister}, "prime ministers", "премьер-министры", "главы правительств"))
	ck(add(item{k: kMulti}, "leaders of", "heads of", "глав* государств*", "лидер* стран*", "лидерами стран*", "глав* государств-член*"))
	ck(add(item{k: kInitiative}, "initiative", "initiated", "инициатив*"))
	// Office words come from the gazetteer, the one table every package
	// reads. A minister's office is a non-leader word: "Foreign Minister".
	for _, o := range g.Offices() {
		if o.Lead {
			ck(add(item{k: kRole, role: o.Kind, org: o.Org}, o.Words...))
		}
	}
	months := [][]string{
		{"january", "jan", "январ*"}, {"february", "feb", "феврал*"}, {"march", "марта", "март"}, {"april", "apr", "апрел*"},
		{"may", "мая", "май"}, {"june", "jun", "июн*"}, {"july", "jul", "июл*"}, {"august", "aug", "август*"},
		{"september", "sept", "sep", "сентябр*"}, {"october", "oct", "октябр*"}, {"november", "nov", "ноябр*"}, {"december", "dec", "декабр*"},
	}
	for i, ps := range months {
		ck(add(item{k: kMonth, n: i + 1}, ps...))
	}
	days := [][]string{{"sunday", "воскресень*"}, {"monday", "понедельник*"}, {"tuesday", "вторник*"}, {"wednesday", "среду", "среда"},
		{"thursday", "четверг*"}, {"friday", "пятниц*"}, {"saturday", "суббот*"}}
	for i, ps := range days {
		ck(add(item{k: kWeekday, n: i}, ps...))
	}
	ck(add(item{k: kRelDay, n: 0}, "today", "сегодня", "this morning", "this afternoon", "this evening"))
	ck(add(item{k: kRelDay, n: -1}, "yesterday", "вчера", "прошедш* накануне", "состоявш* накануне", "накануне вечером", "накануне днем"))
	ck(add(item{k: kRelDay, n: 1}, "tomorrow", "завтра"))
	for _, c := range g.Countries() {
		var ps []string
		for _, s := range c.EN {
			ps = append(ps, s, "the "+s)
		}
		ps = append(ps, c.Adj...)
		ps = append(ps, c.RU...)
		ck(add(item{k: kCountry, code: c.Code}, ps...))
	}
	names := g.Names()
	for i := range names {
		ck(e.names.Add(names[i].Pattern, &item{k: kPerson, names: &names[i]}))
	}
	// Topic triggers are found in the same pass as the rest; e.topics alone
	// serves the body past its lead. They come last, so that they do not
	// change the order of the other hits.
	for i, t := range tax.Topics {
		topic := &item{k: kTopic, n: i}
		for _, tr := range t.Triggers {
			if err := e.topics.Add(tr, i); err != nil {
				errs = append(errs, fmt.Errorf("topic %s: %w", t.ID, err))
				continue
			}
			if err := e.m.Add(tr, topic); err != nil {
				errs = append(errs, fmt.Errorf("topic %s: %w", t.ID, err))
			}
		}
	}
	for _, ps := range []struct {
		n  int
		ws []string
	}{{relNoun, relNouns}, {nuclearWord, nuclearWords}, {iranIssue, iranWords}} {
		pseudo := &item{k: kTopic, n: ps.n}
		for _, w := range ps.ws {
			ck(e.topics.Add(w, ps.n))
			ck(e.m.Add(w, pseudo))
		}
	}
	ck(e.compileRules())
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("extract: build patterns: %w", err)
	}
	return e, nil
}

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
	var first clause
	found := false
	strong := !isTitle && t.hasKind(kCall)
	for _, h := range t.hits {
		soft := h.k == kSoftCall && strong && !t.inside(kCall, h) && t.personWithin(h.to, h.to+softNameAfter)
		if h.k != kCall && h.k != kFutureCall && !soft && !(allowWeak && h.k == kWeakCall && h.from < maxWeakFrom) {
			continue
		}
		c, ok := e.clauseAt(t, h, isTitle)
		if !ok {
			continue
		}
		if c.negated || c.inPerson {
			continue // not a call at all: "звонка не будет", "did not speak by phone", "звонок ... на переговорах"
		}
		if isTitle || (!c.nonLeader && !c.background) {
			return c, true
		}
		if !found {
			first, found = c, true
		}
	}
	return first, found
}

// clauseAt builds the clause of the call phrase h.
func (e *Extractor) clauseAt(t *text, h hit, isTitle bool) (clause, bool) {
	{
		// A phrase inside a longer one ("call with" inside "phone call with") is skipped.
		c := clause{t: t, phrase: h, weak: h.k == kWeakCall || h.k == kSoftCall, isTitle: isTitle}
		sent := t.toks[h.from].Sent
		c.from, c.to = h.from, h.to
		for c.from > 0 && t.toks[c.from-1].Sent == sent {
			c.from--
		}
		for c.to < len(t.toks) && t.toks[c.to].Sent == sent {
			c.to++
		}
		// The actor: tokens after the last boundary word before the phrase.
		start := c.from
		for _, b := range t.hits {
			if b.k == kBoundary && b.to <= h.from && b.from >= c.from && b.to > start {
				start = b.to
			}
		}
		c.nonLeader = t.hasNonLeader(start, h.from)
		c.leaderSeen = t.has(kLeaderWord, c.from, c.to) || t.has(kLeaders, c.from, c.to)
		for _, x := range t.hits {
			if x.k == kPerson && x.from >= c.from && x.from < c.to {
				c.leaderSeen = true
			}
		}
		if !isTitle && h.from > c.from && t.hasNonLeader(c.from, h.from) && !t.has(kLeaderWord, start, h.from) {
			c.nonLeader = true
		}
		c.announced = h.k == kFutureCall || t.has(kAnnounce, c.from, h.to+2) || t.has(kFutureCall, c.from, h.to+2) ||
			(isTitle && t.has(kAnnounceTitle, c.from, h.from))
		c.background = !isTitle && t.has(kBackground, c.from, c.to)
		c.negated = negatedCall(t, h, c.from, c.to)
		c.inPerson = inPersonFrame(t, h, c.from, c.to)
		return c, true
	}
}

// negatedCall reports whether a negation stands just before the call phrase
// h or just after it, in its sentence [from, to): "не было телефонного
// разговора", "телефонного разговора не будет", "there was no phone call",
// "did not speak by phone".
func negatedCall(t *text, h hit, from, to int) bool {
	for i := max(from, h.from-negCallBefore); i < min(to, h.to+negCallAfter); i++ {
		if i >= h.from && i < h.to {
			continue
		}
		switch t.toks[i].Text {
		case "не", "нет", "ни", "not", "no", "never", "t", "ли", "whether":
			return true // "действительно ли состоялся телефонный разговор", "whether they spoke by phone"
		}
	}
	if t.has(kNoCall, from, min(to, h.to+negCallVerbAfter)) {
		return true // "There are currently no plans for Biden's phone call with Putin"
	}
	// Russian puts the negated verb last: "звонка Путина и Трампа пока не было".
	for i := h.to; i+1 < min(to, h.to+negCallVerbAfter); i++ {
		if t.toks[i].Text == "не" && wordIn(t.toks[i+1].Text, "было", "будет", "состоял*", "состоится", "планир*", "запланирован*", "ожида*", "значит*") {
			return true
		}
		if t.toks[i].Text == "нет" {
			return true // "в планах ... телефонного разговора с Макроном нет"
		}
	}
	return false
}

// inPersonFrame reports whether the clause places the call phrase h at an
// event of another genre: "a phone call interrupted Putin's speech at the
// talks", "во время переговоров ... телефонный звонок". A genre word next to
// the phrase is part of it ("переговоров по телефону").
func inPersonFrame(t *text, h hit, from, to int) bool {
	for _, g := range t.hits {
		if g.k != kNegGenre || g.from < from || g.from >= to || g.from <= h.from-1 && g.to >= h.from || g.from >= h.to && g.from <= h.to+1 {
			continue
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

// datelineDate returns the date of a news dateline opening the body ("TOKYO,
// February 2. /TASS/.", "Paris, February 8, 2012") when it is within a couple
// of days of the publication time.
func datelineDate(body *text, pub time.Time) (time.Time, bool) {
	// The dateline is in the first lines, before the text names a call:
	// "TOKYO, February 2. /TASS/.", "FOR IMMEDIATE RELEASE\nOctober 16, 2023".
	end := 0
	for end < len(body.toks) && end < datelineTokens && strings.Count(body.src[:body.toks[end].Start], "\n") < datelineLines {
		end++
	}
	for _, h := range body.hits {
		if (h.k == kCall || h.k == kWeakCall || h.k == kFutureCall) && h.from < end {
			end = h.from
		}
	}
	if end == 0 || !body.has(kMonth, 0, end) {
		return time.Time{}, false // a calendar date, not "yesterday"
	}
	c := clause{t: body, from: 0, to: end, phrase: hit{from: end, to: end}, dateline: true}
	d, _, ok := findDate(c, pub, false)
	if !ok {
		return time.Time{}, false
	}
	day := time.Date(pub.Year(), pub.Month(), pub.Day(), 0, 0, 0, 0, pub.Location())
	if diff := day.Sub(d); diff < -maxDatelineSkew || diff > maxDatelineSkew {
		return time.Time{}, false
	}
	return d, true
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

// hasNonLeader reports whether a non-leader word ("minister", "secretary")
// starts in [from, to) outside a leader's title ("Prime Minister",
// "Secretary-General").
func (t *text) hasNonLeader(from, to int) bool {
	for _, h := range t.hits {
		if h.k == kNonLeader && h.from >= from && h.from < to && !t.inside(kRole, h) {
			return true
		}
	}
	return false
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

type party struct {
	p       *gazetteer.Person
	mention string
	from    int
	// An unresolved party: the office kind, country and name as written,
	// where the text gives them.
	kind, country, name string
}

// counterparts resolves the leaders named in the clause.
func (e *Extractor) counterparts(c clause, own *gazetteer.Person, ownCountry string, on time.Time) (resolved []party, unresolved []party, multi bool) {
	t := c.t
	resolved = make([]party, 0, 4)
	after := c.phrase.from
	if c.isTitle {
		after = c.from // "Telephone conversation with X": everything in the title but the actor
		if c.phrase.from > c.from {
			after = c.phrase.from
		}
	}
	for _, h := range t.hits {
		// Every leader named in the clause, the actor too: "Си Цзиньпин
		// провел телефонный разговор с Трампом" from a news agency.
		// Not a leader of another event named after the call: "созвонился с
		// Путиным перед встречей с Зеленским", "ahead of his meeting with".
		if h.k == kPerson && h.from >= c.from && h.from < c.to && !(h.from > c.phrase.to && t.has(kNegGenre, max(c.phrase.to, h.from-otherEventBefore), h.from)) {
			if p := h.names.Resolve(on); p != nil && p.OfficeOn(on).Leader() {
				h.p = p
			}
			resolved = append(resolved, party{p: h.p, mention: t.span(h.from, h.to), from: h.from})
		}
		if h.k == kMulti && h.from >= after && h.from < c.to {
			multi = true
		}
	}
	for i, h := range t.hits {
		// Before the phrase is the actor: named by office only with its
		// country and name ("президент Армении Серж Саргсян провел ...").
		actor := h.from < after
		if h.k != kRole || h.from < c.from || h.from >= c.to {
			continue
		}
		// Skip a role inside a longer role match, one preceded by "vice",
		// or one that qualifies a non-leader ("пресс-секретарь президента").
		if i > 0 && (t.hits[i-1].k == kVice || t.hits[i-1].k == kNonLeader) && t.hits[i-1].to == h.from {
			continue
		}
		if longerRole(t.hits, i) {
			continue
		}
		country := h.org
		for _, x := range t.hits {
			if x.k != kCountry {
				continue
			}
			if (x.to == h.from || x.to == h.from-1) || (x.from >= h.to && x.from <= h.to+roleCountryAfter && x.from < c.to && !t.has(kRole, h.to, x.from+1) && !t.has(kRole, x.to, x.to+1)) {
				// After the office, no other office between or just after:
				// "Prime Minister and President of Rwanda" names Rwanda's
				// president, "President's call with UK Prime Minister" the
				// UK's prime minister.
				country = x.code
				break
			}
		}
		if personIn(t, c.from, h.to, min(h.to+roleNameAfter, c.to)) {
			continue
		}
		if country == ownCountry && ownCountry != "" {
			continue
		}
		if country == "" && h.from < c.phrase.from {
			continue // the actor: "President Biden spoke with ..."
		}
		if country != "" && describesNamed(resolved, country, h.role) {
			continue // "Angela Merkel, who completed her term as Federal Chancellor"
		}
		nf, nt := nameAfter(t, h.to, min(h.to+roleNameAfter, c.to))
		if c.isTitle && titleCased(t) {
			nf, nt = h.to, h.to // "Trump, Petro Discuss Drugs": capitals say nothing
		}
		if actor && nt == nf {
			continue
		}
		if p := e.holderNamed(country, h.role, on, t, nf, nt); p != nil {
			resolved = append(resolved, party{p: p, mention: t.span(h.from, min(max(h.to+3, nt), c.to)), from: h.from})
			continue
		}
		if country == "" && !nameFollows(t, h.to) {
			continue // "the President approved ...": no one in particular
		}
		end := min(h.to+roleNameAfter, c.to)
		if nt > nf {
			end = nt
		}
		unresolved = append(unresolved, party{mention: t.span(h.from, end), from: h.from, kind: h.role, country: country, name: t.span(nf, nt)})
	}
	// "разговор Александра Лукашенко с Нурсултаном Назарбаевым": a name no
	// pattern knows (the data has most people in English only, or in
	// another spelling). Without an office word nothing says it is a
	// leader's: only a leader in office whose given name and surname both
	// these are resolves it.
	for i := c.from; i < c.to; {
		nf, nt := unknownName(t, i, c.to)
		if nt > nf && !(nf > c.phrase.to && t.has(kNegGenre, max(c.phrase.to, nf-otherEventBefore), nf)) {
			p := e.leaderNamed(on, t, nf, nt)
			if p == nil && nt-nf == 1 {
				p = e.leaderSurnamed(on, t, nf)
			}
			if p != nil {
				resolved = append(resolved, party{p: p, mention: t.span(nf, nt), from: nf})
			}
		}
		i = max(nt, i+1)
	}
	// "Президенты России и Беларуси", "the leaders of Russia and China": the
	// holders of the office in every country listed.
	for _, h := range t.hits {
		// As the subject, or just after the phrase ("a call between the
		// presidents of ..."), not "his conversations with the leaders of
		// Ukraine and the United States" further on.
		if h.k != kLeaders || h.from < c.from || h.from >= c.to || h.from > c.phrase.to+2 {
			continue
		}
		// The countries follow at once ("of" and "the" aside), joined by
		// "and", "и" or commas: "the presidents will speak about Ukraine" names
		// no one.
		next := h.to
		for next < c.to && (t.toks[next].Text == "of" || t.toks[next].Text == "the") {
			next++
		}
		for _, x := range t.hits {
			if x.k != kCountry || x.from < next {
				continue
			}
			if x.from > next || x.from >= c.to {
				break
			}
			if x.code != ownCountry {
				if p, ok := e.g.Holder(x.code, h.role, on); ok {
					resolved = append(resolved, party{p: p, mention: t.span(h.from, x.to), from: h.from})
				}
			}
			next = x.to
			for next < c.to && (t.toks[next].Text == "and" || t.toks[next].Text == "и" || t.toks[next].Text == "the") {
				next++
			}
		}
	}
	_ = own
	return resolved, unresolved, multi
}

// personIn reports whether a person is named in the clause starting at a
// token in [from, to).
func personIn(t *text, clauseFrom, from, to int) bool {
	for _, x := range t.hits {
		if x.k == kPerson && x.from >= from && x.from < to && x.from >= clauseFrom {
			return true
		}
	}
	return false
}

var functionWords = map[string]bool{"of": true, "the": true, "and": true, "on": true, "to": true, "in": true, "for": true, "with": true, "s": true}

// nameFollows reports whether the token at i starts with a capital letter and
// is not a function word: "Crown Prince Mohamed ...", not "the President approved".
func nameFollows(t *text, i int) bool {
	for k := 0; k < 2 && i < len(t.toks) && (t.toks[i].Text == "of" || t.toks[i].Text == "the"); k++ {
		i++
	}
	// Russian titles put lower-case adjectives before the name or country:
	// "Президентом переходного периода Сирийской Арабской Республики".
	for k := 0; k < 2 && i+1 < len(t.toks) && isLowerCyrillic(t, i); k++ {
		i++
	}
	if i >= len(t.toks) || functionWords[t.toks[i].Text] {
		return false
	}
	r := []rune(t.src[t.toks[i].Start:min(t.toks[i].End, t.toks[i].Start+4)])
	return len(r) > 0 && unicode.IsUpper(r[0])
}

func isLowerCyrillic(t *text, i int) bool {
	r := []rune(t.src[t.toks[i].Start:min(t.toks[i].End, t.toks[i].Start+4)])
	return len(r) > 0 && unicode.Is(unicode.Cyrillic, r[0]) && unicode.IsLower(r[0])
}

// describesNamed reports whether a named person held the office the role names.
func describesNamed(named []party, country, kind string) bool {
	for _, n := range named {
		for _, o := range n.p.Offices {
			if (o.Country == country || o.Org == country) && o.Kind == kind {
				return true
			}
		}
	}
	return false
}

func longerRole(hits []hit, i int) bool {
	h := hits[i]
	for j, x := range hits {
		if j != i && x.k == kRole && x.from <= h.from && x.to >= h.to && (x.to-x.from) > (h.to-h.from) {
			return true
		}
	}
	return false
}

// ownLeader returns the leader who speaks through the publisher (the
// gazetteer's publishers), the country and the office kind, on the day.
func (e *Extractor) ownLeader(pub *gazetteer.Publisher, on time.Time) (*gazetteer.Person, string, string) {
	if pub == nil || pub.Country == "" {
		return nil, "", ""
	}
	p, _ := e.g.Holder(pub.Country, pub.Office, on)
	return p, pub.Country, pub.Office
}

// Extract returns the leader calls the statement reports, or nil.
func (e *Extractor) Extract(st *model.Statement) []Call {
	if st == nil {
		return nil
	}
	pub, _ := e.g.Publisher(st.Publisher)
	if pub == nil || pub.Country == "" {
		// A government's release copied to another site keeps its header.
		if p, ok := e.g.PublisherOfHeader(st.Text); ok {
			pub = p
		}
	}
	loc := time.UTC
	if pub != nil {
		loc = pub.Location()
	}
	sc := e.getScratch()
	defer e.putScratch(sc)
	sc.on = st.PublishedAt.In(loc)
	title, body := &sc.title, &sc.body

	e.scan(sc, title, st.Title, 0, &sc.titleToks)
	// A government's own headline "Prime Minister Justin Trudeau speaks with
	// President ..." names a call without a phone word.
	official := pub != nil && pub.Country != ""
	// "Readout: Prime Minister Carney speaks with ..." is a readout on any site.
	readout := len(title.toks) > 0 && title.toks[0].Text == "readout"
	tc, titleCall := e.findClause(title, true, official || readout)
	if titleCall && tc.nonLeader {
		return nil
	}
	// A headline naming another genre ("Meeting with ...", "Переговоры ...")
	// leaves a call only to the first sentences of the body: news agencies
	// head a call "Проведены переговоры глав ...".
	if !titleCall && (title.hasKind(kCall) || title.hasKind(kFutureCall)) {
		return nil // the headline names a call only to deny it or to place it at a meeting
	}
	negTitle := !titleCall && len(title.toks) > 0 && title.has(kNegGenre, 0, len(title.toks))
	var bodyStop int
	if titleCall {
		bodyStop = e.scan(sc, body, st.Text, maxBodyTokens, &sc.bodyAll)
	} else {
		// Most statements are not calls: without a call phrase in the lead
		// of the body, no need to look for anything else there.
		sc.bodyAll, bodyStop = sc.tz.Tokenize(st.Text, 0, maxBodyTokens, sc.bodyAll[:0])
		if !e.calls.Any(sc.bodyAll) && !(official && len(title.toks) == 0) {
			return nil
		}
		e.match(sc, body, st.Text, sc.bodyAll)
	}
	// A government's release without a headline reports a call as its
	// headline would: "The Prime Minister spoke to President ..." opens it.
	bc, bodyCall := e.findClause(body, false, titleCall || official && len(title.toks) == 0)
	if !titleCall {
		// Without a headline that says so, the call must be what the text
		// reports: in its lead, not a mention of an earlier call further on.
		if bodyCall && !bc.leaderSeen && !negTitle && inLead(body, bc.phrase.from) {
			// "Saturday's phone conversation came at the initiative of ...":
			// the leaders are named in the sentences before it.
			bc.from = 0
			bc.leaderSeen = body.has(kLeaderWord, 0, bc.to) || body.has(kLeaders, 0, bc.to) || body.has(kPerson, 0, bc.to)
		}
		if !bodyCall || bc.nonLeader || !bc.leaderSeen || bc.background || !inLead(body, bc.phrase.from) {
			return nil
		}
		if negTitle && (bc.weak || body.toks[bc.phrase.from].Sent >= negTitleSentences) {
			return nil
		}
	}
	pubLocal := st.PublishedAt.In(loc)
	if d, ok := datelineDate(body, pubLocal); ok {
		// "Paris, February 8, 2012": "this evening" is the dateline's day.
		pubLocal = time.Date(d.Year(), d.Month(), d.Day(), pubLocal.Hour(), pubLocal.Minute(), 0, 0, loc)
	}
	own, ownCountry, ownOffice := e.ownLeader(pub, st.PublishedAt)
	announced := (titleCall && (tc.announced || title.has(kAnnounce, 0, len(title.toks)))) ||
		(!titleCall && bodyCall && bc.announced)
	if titleCall && !tc.announced && bodyCall && bc.announced && !title.has(kAnnounce, 0, len(title.toks)) && len(body.toks) > 0 {
		// "Readout ..." titles report held calls even when the body says "will".
		announced = false
	}

	clauses := make([]clause, 0, 4)
	if titleCall {
		clauses = append(clauses, tc)
	}
	if bodyCall && !(bc.nonLeader && !titleCall) {
		clauses = append(clauses, bc)
	}

	// Date of the call.
	on := pubLocal
	var dateEv string
	precision := model.PrecisionDay
	at := st.PublishedAt.UTC()
	var timeFound bool
	for _, c := range clauses {
		if d, ev, ok := findDate(c, pubLocal, announced); ok {
			on, dateEv = d, ev
			break
		}
	}
	for _, c := range clauses {
		if h, m, ev, ok := findTime(c); ok {
			y, mo, d := on.Date()
			at = time.Date(y, mo, d, h, m, 0, 0, loc).UTC()
			precision = model.PrecisionMinute
			dateEv = strings.TrimSpace(dateEv + " " + ev)
			timeFound = true
			break
		}
	}
	onStr := on.Format("2006-01-02")
	if !titleCall && !announced {
		// A story that mentions a call of days ago is about something else:
		// "The first telephone conversation ... on January 28 received
		// positive responses" (published on February 2).
		whole := bc
		whole.phrase.from = whole.to                 // a date anywhere in the sentence
		opens := body.toks[bc.phrase.from].Sent == 0 // "7 октября состоялся телефонный разговор ..." a week later
		if d, _, ok := findDate(whole, pubLocal, false); ok && !opens && pubLocal.Sub(d) > maxReportAge {
			return nil
		}
	}
	if !timeFound && onStr != pubLocal.Format("2006-01-02") {
		y, mo, d := on.Date()
		at = time.Date(y, mo, d, 12, 0, 0, 0, loc).UTC()
	}
	onDay := time.Date(on.Year(), on.Month(), on.Day(), 12, 0, 0, 0, time.UTC)
	if own != nil {
		if p, ok := e.g.Holder(ownCountry, ownOffice, onDay); ok {
			own = p
		}
	}

	// Participants.
	ev := make([]model.Evidence, 0, 8)
	for _, c := range clauses {
		ev = append(ev, model.Evidence{StatementID: st.ID, Kind: "call", Text: c.t.span(c.phrase.from, c.phrase.to)})
	}
	var resolved, unresolved []party
	multi := false
	plural := false
	var splitFrom []party
	var splitUnres []party
	if titleCall && len(clauses) == 2 {
		r, u, m := e.counterparts(tc, own, ownCountry, onDay)
		if (m || tc.phrase.plural) && len(u) == 0 && !hasOther(r, own) {
			clauses = append(clauses, e.moreClauses(body, bc)...)
		} else if (len(u) > 0 || hasOther(r, own)) && own != nil {
			// The title names the other side: the body may name others. Without
			// a publisher's leader, the body's call sentence names the actor.
			clauses = clauses[:1]
		}
	}
	for i, c := range clauses {
		r, u, m := e.counterparts(c, own, ownCountry, onDay)
		resolved = append(resolved, r...)
		if i == 0 || len(unresolved) == 0 {
			unresolved = append(unresolved, u...)
		}
		multi = multi || m
		if i == 0 {
			plural = c.phrase.plural
			splitFrom, splitUnres = r, u
		}
	}
	// Counterparts: resolved persons other than the publisher's leader.
	counter := map[string]*gazetteer.Person{}
	for _, r := range resolved {
		if own != nil && r.p == own {
			continue
		}
		counter[r.p.Key()] = r.p
	}
	if len(counter) == 0 && len(unresolved) == 0 && !multi {
		if !announced {
			return nil // no leader on the other end: a governor, a citizen, a minister
		}
		// "The President will speak at the summit": without a phone word, a
		// future call needs its parties named, at least as "the presidents".
		if !phoneWord(clauses) || own == nil {
			return nil // nobody known on either end: "Лавров проведет телефонный разговор с Блинкеном"
		}
	}
	for _, r := range resolved {
		ev = append(ev, model.Evidence{StatementID: st.ID, Kind: "participant", Text: r.mention})
	}
	var unresParties []party
	seenU := map[string]bool{}
	for _, u := range unresolved {
		if !seenU[u.mention] {
			seenU[u.mention] = true
			unresParties = append(unresParties, u)
		}
	}
	if announced {
		ev = append(ev, model.Evidence{StatementID: st.ID, Kind: "announcement", Text: title.span(0, len(title.toks))})
	}
	if dateEv != "" {
		ev = append(ev, model.Evidence{StatementID: st.ID, Kind: "date", Text: dateEv})
	}

	// Initiator.
	initiator, initEv := e.initiator(clauses, body, own, ownCountry, counter, onDay)
	if initEv != "" {
		ev = append(ev, model.Evidence{StatementID: st.ID, Kind: "initiator", Text: initEv})
	}

	parties := make(map[string]bool, len(counter)+1)
	if ownCountry != "" {
		parties[ownCountry] = true
	}
	for _, p := range counter {
		o := p.OfficeOn(onDay)
		parties[o.Country+o.Org] = true
	}
	for _, u := range unresolved {
		// "President of Indonesia Joko Widodo": the country of an unresolved counterpart.
		for _, m := range e.rules.countries.AppendAll(nil, textmatch.Tokenize(u.mention, nil), 0) {
			if m.Val != ownCountry {
				parties[m.Val] = true
			}
		}
	}
	delete(parties, "")
	topics, topicEv := e.findTopics(sc, title, body, bodyStop, parties)
	for _, t := range topicEv {
		ev = append(ev, model.Evidence{StatementID: st.ID, Kind: "topic", Text: t})
	}

	conf := 0.5
	if titleCall {
		conf += 0.2
	}
	if bodyCall && !bc.weak {
		conf += 0.1
	}
	if len(counter) > 0 {
		conf += 0.15
	}
	if len(unresParties) > 0 && len(counter) == 0 {
		conf -= 0.1
	}
	if announced {
		conf -= 0.1
	}
	conf = min(max(conf, 0.05), 0.98)

	status := model.StatusHeld
	if announced {
		status = model.StatusAnnounced
	}
	base := Call{
		Status: status, Initiator: initiator, OccurredOn: onStr, Zone: loc.String(), OccurredAt: at, Precision: precision,
		Topics: topics, Confidence: conf, Evidence: ev,
	}
	// build returns one call; the last one built may keep base's evidence.
	build := func(ps map[string]*gazetteer.Person, unres []party, last bool) Call {
		c := base
		if !last {
			c.Evidence = slices.Clone(base.Evidence)
		}
		all := map[string]*gazetteer.Person{}
		for k, v := range ps {
			all[k] = v
		}
		if own != nil {
			all[own.Key()] = own
		}
		c.Participants = make([]model.Participant, 0, len(all)+len(unres))
		initiatorIn := false
		for _, p := range all {
			c.Participants = append(c.Participants, p.Participant(onDay))
			initiatorIn = initiatorIn || c.Initiator != "" && p.WikidataID == c.Initiator
		}
		slices.SortFunc(c.Participants, func(a, b model.Participant) int { return strings.Compare(a.Key(), b.Key()) })
		if !initiatorIn {
			c.Initiator = ""
		}
		for _, u := range unres {
			c.Unresolved = append(c.Unresolved, u.mention)
			c.Participants = append(c.Participants, e.unresolvedParticipant(u))
		}
		return c
	}
	// "Telephone conversations with A and B": one call each.
	if plural && !multi && len(splitFrom)+len(splitUnres) >= 2 {
		var out []Call
		seen := map[string]bool{}
		for _, r := range splitFrom {
			if (own != nil && r.p == own) || seen[r.p.Key()] {
				continue
			}
			seen[r.p.Key()] = true
			out = append(out, build(map[string]*gazetteer.Person{r.p.Key(): r.p}, nil, false))
		}
		for _, u := range splitUnres {
			out = append(out, build(nil, []party{u}, false))
		}
		if len(out) >= 2 {
			return out
		}
	}
	return []Call{build(counter, unresParties, true)}
}

func hasOther(ps []party, own *gazetteer.Person) bool {
	for _, p := range ps {
		if own == nil || p.p != own {
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

func findDate(c clause, pub time.Time, announced bool) (time.Time, string, bool) {
	t := c.t
	num := func(i int) (int, bool) {
		if i < c.from || i >= c.to {
			return 0, false
		}
		// "June 23rd": an ordinal suffix is part of the token.
		w := t.toks[i].Text
		for _, suf := range []string{"st", "nd", "rd", "th", "-го", "-е"} {
			if len(w) > len(suf) && strings.HasSuffix(w, suf) {
				w = strings.TrimSuffix(w, suf)
				break
			}
		}
		n, err := strconv.Atoi(w)
		return n, err == nil
	}
	for _, h := range t.hits {
		if h.from < c.from || h.from >= c.to {
			continue
		}
		switch h.k {
		case kMonth:
			// In the body a date after the call phrase is another event's
			// ("agreed to meet on March 5"); a headline dates the call:
			// "PM call with President Zelenskyy: 3 January 2023".
			if (h.from > c.phrase.from && !c.isTitle) || (!c.dateline && genreBefore(t, h.from)) {
				continue
			}
			day, ok := num(h.to)
			from, to := h.from, h.to+1
			if !ok || day < 1 || day > 31 {
				day, ok = num(h.from - 1)
				from, to = h.from-1, h.to
			}
			if !ok || day < 1 || day > 31 {
				continue
			}
			year := pub.Year()
			if y, ok := num(to); ok && y > 1990 && y < 2100 {
				year, to = y, to+1
			} else if y, ok := num(to + 1); ok && y > 1990 && y < 2100 && t.toks[to].Text == "of" {
				year = y
			}
			d := time.Date(year, time.Month(h.n), day, 0, 0, 0, 0, pub.Location())
			if d.Day() != day {
				continue
			}
			if !announced && d.After(pub.AddDate(0, 0, 1)) && year == pub.Year() {
				d = d.AddDate(-1, 0, 0)
			}
			return d, t.span(from, to), true
		case kRelDay:
			return pub.AddDate(0, 0, h.n), t.span(h.from, h.to), true
		case kWeekday:
			d := pub
			if announced {
				for i := 0; i < 7 && int(d.Weekday()) != h.n; i++ {
					d = d.AddDate(0, 0, 1)
				}
				return d, t.span(h.from, h.to), true
			}
			// A held call "spoke on the phone on Saturday": the last such day,
			// named just after the call phrase ("On Monday, before the
			// President spoke with ..." is another event).
			if h.from < c.phrase.to || h.from > c.phrase.to+weekdayAfter {
				continue
			}
			for i := 0; i < 7 && int(d.Weekday()) != h.n; i++ {
				d = d.AddDate(0, 0, -1)
			}
			return d, t.span(h.from, h.to), true
		}
	}
	return time.Time{}, "", false
}

func genreBefore(t *text, i int) bool {
	for _, h := range t.hits {
		if h.k == kNegGenre && h.from < i && h.from >= i-dateGenreWindow {
			return true
		}
	}
	return false
}

// findTime finds "at 10:30 a.m." / "в 10:30" in the clause.
func findTime(c clause) (int, int, string, bool) {
	t := c.t
	for i := c.from; i+1 < c.to; i++ {
		a, b := t.toks[i], t.toks[i+1]
		if b.Start != a.End+1 || t.src[a.End] != ':' || len(b.Text) != 2 {
			continue
		}
		h, err1 := strconv.Atoi(a.Text)
		m, err2 := strconv.Atoi(b.Text)
		if err1 != nil || err2 != nil || h > 23 || m > 59 {
			continue
		}
		if i == 0 || (t.toks[i-1].Text != "at" && t.toks[i-1].Text != "в") {
			continue
		}
		end := i + 2
		if end+1 < c.to && t.toks[end].Text == "p" && t.toks[end+1].Text == "m" && h < 12 {
			h += 12
			end += 2
		} else if end+1 < c.to && t.toks[end].Text == "a" && t.toks[end+1].Text == "m" {
			if h == 12 {
				h = 0
			}
			end += 2
		}
		return h, m, t.span(i-1, end), true
	}
	return 0, 0, "", false
}

func (e *Extractor) initiator(clauses []clause, body *text, own *gazetteer.Person, ownCountry string, counter map[string]*gazetteer.Person, on time.Time) (string, string) {
	texts := make([]*text, 1, 4)
	texts[0] = body
	for _, c := range clauses {
		if c.isTitle {
			texts = append(texts, c.t)
		}
	}
	for _, t := range texts {
		for _, h := range t.hits {
			if h.k != kInitiative {
				continue
			}
			for _, x := range t.hits {
				if x.k != kCountry || x.from < h.from-4 || x.from > h.to+4 {
					continue
				}
				ev := t.span(min(x.from, h.from), max(x.to, h.to))
				if x.code == ownCountry && own != nil {
					return own.WikidataID, ev
				}
				for _, p := range counter {
					if p.OfficeOn(on).Country == x.code {
						return p.WikidataID, ev
					}
				}
				return "", ev
			}
		}
	}
	return "", ""
}

// findTopics collects the topic triggers of the title and of the whole
// body, not only of its lead, that the topic rules keep (topicrules.go).
// parties holds the country codes of the call's parties.
func (e *Extractor) findTopics(sc *scratch, title, body *text, bodyStop int, parties map[string]bool) ([]model.Topic, []string) {
	if cap(sc.topics) < len(e.tax.Topics) {
		sc.topics = make([]topicAcc, len(e.tax.Topics))
	}
	found := sc.topics[:len(e.tax.Topics)]
	clear(found)
	var c *topicCtx
	add := func(n, from, to int) {
		f := &found[n]
		if f.n >= maxTriggers {
			return
		}
		w := c.src[c.toks[from].Start:c.toks[to-1].End]
		for _, x := range f.words[:f.n] {
			if textmatch.EqualFold(x, w) {
				return
			}
		}
		f.words[f.n] = w
		f.n++
	}
	sc.thits = sc.thits[:0]
	for _, h := range title.topics {
		sc.thits = append(sc.thits, thit{h.n, h.from, h.to})
	}
	c = &topicCtx{src: title.src, toks: title.toks, hits: sc.thits, parties: parties}
	e.keepTopics(sc, c, add)

	sc.thits = sc.thits[:0]
	toks := body.toks
	if len(body.toks) < maxBodyTokens {
		for _, h := range body.topics {
			sc.thits = append(sc.thits, thit{h.n, h.from, h.to})
		}
	} else {
		// The lead was cut: triggers that start near its end may run past
		// it. Keep those that cannot, and match again from there on the
		// whole body (body.toks stays a view of its lead).
		sc.bodyAll, _ = sc.tz.Tokenize(body.src, bodyStop, 0, sc.bodyAll)
		toks = sc.bodyAll
		cut := max(0, maxBodyTokens-(e.topics.MaxWords()-1))
		for _, h := range body.topics {
			if h.from < cut {
				sc.thits = append(sc.thits, thit{h.n, h.from, h.to})
			}
		}
		sc.topicHits = e.topics.AppendAll(sc.topicHits[:0], sc.bodyAll, cut)
		for _, m := range sc.topicHits {
			sc.thits = append(sc.thits, thit{m.Val, m.From, m.To})
		}
	}
	c = &topicCtx{src: body.src, toks: toks, hits: sc.thits, parties: parties}
	if len(toks) > 0 {
		_, lead := c.sentBounds(0)
		c.markEarlierCalls(lead) // the lead sentence reports the call itself
	}
	e.keepTopics(sc, c, add)

	var out []model.Topic
	var ev []string
	for i := range found {
		f := &found[i]
		if f.n == 0 {
			continue
		}
		d := e.tax.Topics[i]
		words := append([]string(nil), f.words[:f.n]...)
		out = append(out, model.Topic{ID: d.ID, Label: d.Label, IPTC: d.IPTC, Triggers: words})
		ev = append(ev, d.ID+": "+strings.Join(words, ", "))
	}
	clear(found) // drop references to the statement's text
	return out, ev
}
