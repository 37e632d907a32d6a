package extract

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/publishers"
	"github.com/readout/readout/pkg/textmatch"
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
	Zone         string    // that zone (IANA): the publisher's; for a site the registry does not list, its country domain's one zone, else "UTC"
	DateBasis    string    // model.DateStated, or model.DatePublished when the text gives no day
	OccurredAt   time.Time // the time the text states (UTC); zero unless Precision is minute
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
	maxBodyTokens           = 400 // only the lead of the body is searched for the call sentence
	roleCountryAfter        = 8   // "President Emmanuel Macron of France": country this far after the role
	roleNameAfter           = 7   // a name this close after a role belongs to it
	formerTitleAfter        = 12  // a name this close after an office no longer held, no "and" or "with" between, is its holder's: "National Leader of the Turkmen people, Chairman of the Halk Maslahaty of Turkmenistan Gurbanguly Berdimuhamedov"
	maxTriggers             = 5
	maxWeakFrom             = 60                       // "spoke with" counts only in the lead of a body
	dateGenreWindow         = 6                        // "talks held in Moscow on February 22": not the call's date
	softNameAfter           = 4                        // "беседу Путина и Трампа": a leader this close after a soft call noun
	maxLeadSentences        = 4                        // a call named only in the body must be named in its first sentences
	nameCountryAfter        = 7                        // "King Abdullah bin Abdulaziz of the Kingdom of Saudi Arabia": a country this close after a name is his
	reportWordBefore        = 4                        // "said the report on Saturday": a reporting word this close before the weekday
	inPersonAfter           = 6                        // "a phone call interrupted Putin's speech at the talks": a meeting this close after the phrase frames it
	metWindow               = 8                        // "met with outgoing United States President Joe Biden": a name this close after "met with" is the one met
	maxTitlePartiesSentence = 10                       // ... or, when it names the headline's two leaders, in these
	maxLeadLines            = 3                        // ... or in its first lines
	negTitleSentences       = 3                        // under a headline of another genre, the call must open the body (after a dateline)
	negCallBefore           = 3                        // "не было телефонного разговора": a negation this close before a call phrase
	negCallFarBefore        = 5                        // ... or this close, with no punctuation between ("had not offered to hold a telephone conversation")
	negCallAfter            = 2                        // "разговора не было": or this close after it
	negCallVerbAfter        = 8                        // "звонка Путина и Трампа пока не было": a negated verb this close after it
	negCallClauseAfter      = 20                       // ... or farther, in its clause (no comma before it)
	noCallClauseAfter       = 24                       // "The phone call that was reportedly scheduled ... does not look like it will take place": to a comma
	leadDenialSentences     = 1                        // a call denied in the body's first sentences (from 0) denies the story's call
	datelineTokens          = 12                       // a dateline is in the first words of the body
	datelineLines           = 3                        // ... on its first lines
	maxDatelineSkew         = 48 * time.Hour           // ... and within two days of the publication
	otherEventWindow        = 3                        // "встречей с Зеленским": a genre word this close before a name
	formerNameGap           = 8                        // "former prime minister of the United Kingdom, Rishi Sunak": a name this close after "former", no other between, is a former leader's
	dayOnlyWords            = 6                        // a day this long between a leader and a weak call phrase leaves him its actor
	saidHeWords             = 6                        // "said Tuesday that he": at most this many words between a speaker and his call phrase
	laterCallGap            = 3                        // "..., including a telephone conversation between Trump and Xi": another call this far after the clause's
	afterEventWindow        = 6                        // "после разговора с российским диктатором Владимиром Путиным позвонил": before the phrase, this close
	maxReportAge            = 72 * time.Hour           // an untitled report names a call at most this long before it
	longOutOfOffice         = 2 * 365 * 24 * time.Hour // a leader named this long after leaving office is no party
	electedBefore           = 120 * 24 * time.Hour     // ... nor one named this close before his first term (elected, not yet in office)
	announceNear            = 3                        // an announcing word this close to a news lead's call phrase makes its headline's call planned
	secondOfficeGap         = 3                        // a minister's word this close after "<leader's office> and" is the leader's second office
	betweenAfter            = 4                        // "between" this close after a call phrase, its leaders this close after it: the parties
	weekdayAfter            = 8                        // "spoke by phone with X on Saturday": a held call's weekday this close after the call phrase
	openingBracketWords     = 16                       // "(UrduPoint / Pakistan Point News / WAM - 14th Aug, 2020)": a date this early in a bracket opening the text is a syndicated copy's
	weekdayOpening          = 8                        // "Late on Thursday, Kadhimi received a phone call": a weekday opening the sentence this close before the phrase, the caller after its comma
	weekdayBefore           = 1                        // "провели в понедельник телефонный разговор": or this close before it, after "on"/"в"
	dateAfterPhrase         = 6                        // "разговор ... состоялся 11 августа": a date this close after a call phrase, with only placing words between
	dateAfterSubject        = 14                       // "Телефонный разговор <the parties> состоялся 11 августа": this far after the phrase
	leadDateSubject         = 6                        // the words before a lead sentence's call phrase that say whose call it is
	aideTitleWords          = 3                        // "President's National Security Advisor": a non-leader's word this close after a possessive office is his aide's title
	nonLeaderAfter          = 5                        // "with the United States Secretary of State": a non-leader's office this close after a call phrase is the counterpart
)

// Extractor finds leader calls. It is safe for concurrent use: all patterns
// are compiled by New, and the per-statement scratch memory comes from a pool.
type Extractor struct {
	g     *gazetteer.Gazetteer
	m     textmatch.Matcher[*item]
	names textmatch.Matcher[*item] // people's names: matched only from capitalised words
	calls textmatch.Matcher[bool]  // the call patterns of m alone (kCall, kFutureCall, kWeakCall), for a quick rejection
	// denyTitle holds the phrases of a headline that denies a call ("has
	// not spoken to"): only headlines are matched against them.
	denyTitle textmatch.Matcher[bool]
	topics    textmatch.Matcher[int]
	tax       *Taxonomy
	rules     topicRules
	pool      sync.Pool // of *scratch
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
			if it.k == kDenyTitle {
				// Headlines only: matched apart, on the title's tokens.
				if err := e.denyTitle.Add(p, true); err != nil {
					return err
				}
				continue
			}
			if err := e.m.Add(p, it); err != nil {
				return err
			}
			if it.k == kCall || it.k == kFutureCall || it.k == kWeakCall {
				if err := e.calls.Add(p, true); err != nil {
					return err
				}
			}
		}
		return nil
	}
	pt, err := loadPhrases(phrasesYAML)
	if err != nil {
		return nil, err
	}
	errs := pt.addPhrases(add)
	ck := func(err error) { errs = append(errs, err) }
	// Office words come from the gazetteer, the one table every package
	// reads. A minister's office is a non-leader word: "Foreign Minister".
	for _, o := range g.Offices() {
		if o.Lead {
			ck(add(item{k: kRole, role: o.Kind, org: o.Org}, o.Words...))
		}
	}
	errs = append(errs, pt.addCalendar(add)...)
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

// Extract returns the leader calls the statement reports, or nil. It runs
// the stages on a draft of the statement: clauses (where a call is named),
// status, dates, participants, initiator, topics, confidence; a stage that
// finds no call ends it.
func (e *Extractor) Extract(st *model.Statement) []Call {
	if st == nil {
		return nil
	}
	sc := e.getScratch()
	defer e.putScratch(sc)
	d := &draft{st: st, sc: sc, title: &sc.title, body: &sc.body}
	e.publisher(d)
	if !e.clauses(d) {
		return nil
	}
	d.status()
	if !d.dates() || !e.participants(d) {
		return nil
	}
	e.findInitiator(d)
	e.topicsOf(d)
	d.confidence()
	return e.build(d)
}

// draft is a statement on its way through the stages of Extract: each
// stage reads what the ones before it found and adds its own.
type draft struct {
	st          *model.Statement
	sc          *scratch
	title, body *text
	bodyStop    int // where the body's tokens stop (topics read that far)

	// publisher
	pub      *publishers.Publisher
	loc      *time.Location
	official bool // a leader speaks through the publisher

	// clauses
	tc, bc              clause
	titleCall, bodyCall bool
	clauses             []clause
	callEv              []model.Evidence

	announced bool // status

	// dates
	pubLocal  time.Time // the publication, local, on a dateline's day
	on, onDay time.Time // the call's day, local and at noon UTC (people are resolved on it)
	onStr     string
	dateBasis string // model.DateStated or model.DatePublished
	at        time.Time
	precision string
	dateEv    string

	// participants
	own                   *gazetteer.Person
	ownCountry, ownOffice string
	counter               map[string]*gazetteer.Person // resolved parties but own, by key
	unresolved            []party                      // parties named but not resolved
	unresParties          []party                      // the same, one per mention
	multi, plural         bool
	splitFrom, splitUnres []party // the first clause's parties: one call each for "calls with A and B"
	splitAt               int     // where the first clause's call phrase starts: its actors come before
	partEv                []model.Evidence

	initiator, initEv string
	topics            []model.Topic
	topicEv           []string
	conf              float64
	ev                []model.Evidence // all of it, once built
}

// publisher finds who speaks and in which zone: the statement's publisher,
// or that of a government release copied to another site with its header.
func (e *Extractor) publisher(d *draft) {
	pubs := publishers.Default()
	pub, _ := pubs.Lookup(d.st.Publisher)
	if pub == nil || !pub.Speaks() {
		if p, ok := pubs.OfHeader(d.st.Text); ok {
			pub = p
		} else if p, ok := pubs.OfTitle(d.st.Title); ok {
			pub = p
		}
	}
	d.pub, d.loc = pub, time.UTC
	if pub != nil {
		d.loc = pub.Location()
	} else if loc, ok := pubs.DomainZone(d.st.Publisher); ok {
		d.loc = loc // "сегодня" on 24.kg is a day in Bishkek
	}
	d.official = pub != nil && pub.Speaks()
	d.sc.on = d.st.PublishedAt.In(d.loc)
}

// status decides whether the call is announced or held.
func (d *draft) status() {
	title, tc, bc := d.title, d.tc, d.bc
	d.announced = (d.titleCall && (tc.announced || title.has(kAnnounce, 0, len(title.toks)))) ||
		(!d.titleCall && d.bodyCall && bc.announced)
	// A government's "Readout ..." titles report held calls even when the
	// body says "will"; a news headline's "Phone call between Putin,
	// Erdogan this evening" is what its lead says next to its phrase: "a
	// phone call is planned" (not "discussed upcoming talks ... in his call").
	if d.titleCall && !d.official && d.bodyCall && bc.announced {
		t, from, to := d.body, max(bc.phrase.from-announceNear, bc.from), min(bc.phrase.to+announceNear, bc.to)
		d.announced = d.announced || bc.phrase.k == kFutureCall || t.has(kAnnounce, from, to) || t.has(kFutureCall, from, to)
	}
}

// announceBefore reports whether [from, to) announces a call: an announcing
// word, but not "upcoming" or "предстоящий" as what was discussed
// ("discussed upcoming high-level contacts ... by telephone").
func announceBefore(t *text, from, to int) bool {
	for _, h := range t.hits {
		if h.k != kAnnounce || h.from < from || h.from >= to {
			continue
		}
		if h.to-h.from == 1 && wordIn(t.toks[h.from].Text, "upcoming", "предстоящ*") && h.from > 0 &&
			wordIn(t.toks[h.from-1].Text, "discussed", "discuss", "discusses", "on", "about", "обсудил*", "обсуждал*", "о", "об") {
			continue
		}
		return true
	}
	return false
}

// confidence scores how sure the draft is: a call named in the headline
// and the body, with a resolved counterpart, held, is surest.
func (d *draft) confidence() {
	conf := 0.5
	if d.titleCall {
		conf += 0.2
	}
	if d.bodyCall && !d.bc.weak {
		conf += 0.1
	}
	if len(d.counter) > 0 {
		conf += 0.15
	}
	if len(d.unresParties) > 0 && len(d.counter) == 0 {
		conf -= 0.1
	}
	if d.announced {
		conf -= 0.1
	}
	d.conf = min(max(conf, 0.05), 0.98)
}
