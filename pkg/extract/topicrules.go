package extract

import (
	"strings"

	"github.com/readout/readout/pkg/textmatch"
)

// Pseudo-triggers: words that are not topic triggers by themselves but start
// a structural rule (kTopic items with a negative n).
const (
	relNoun     = -1 // "relations", "partnership", "сотрудничество": bilateral when two parties' countries qualify it
	nuclearWord = -2 // "nuclear", "ядерный": Iran's nuclear programme when Iran is named close by
	iranIssue   = -3 // "Iran" as an issue discussed ("priorities, including Iran"), not a party to the call
)

var relNouns = []string{"relations", "relationship", "cooperation", "partnership", "interaction", "agenda", "ties", "alliance",
	"summit", "dialogue", "отношени*", "сотрудничеств*", "партнерств*", "взаимодейств*", "связ*", "повестк*", "саммит*", "диалог*", "союз*"}

var nuclearWords = []string{"nuclear", "ядерн*"}

// iranWords name Iran as a country (not "Iranian"): as an issue between other
// countries it stands for its nuclear programme ("regional security issues,
// including Iran").
var iranWords = []string{"iran", "ирану", "ираном", "иране", "иран"}

// Windows of the topic rules, in tokens.
const (
	negWindow     = 14 // a negated verb this far after a trigger in its clause
	negBack       = 6  // "did not discuss" this far before a trigger
	notAfterBack  = 6  // a not_after phrase this far before a trigger
	futureBack    = 10 // "stay in contact on ..." this far before a trigger
	headSkip      = 4  // modifiers skipped to find the head noun of an adjective trigger
	relQualifier  = 6  // "Russian-Serbian strategic partnership": the country compound this far before the noun
	relBetween    = 9  // "partnership between the United States and the United Arab Emirates": the countries this far after the noun
	fieldAfter    = 4  // "cooperation in trade": another topic's trigger this far after "in"
	nuclearWindow = 10 // "the nuclear ... threat posed by Iran"
	listWindow    = 4  // "Russia, Turkey and Iran": the list around a country word
)

// topicRules are the compiled not_before / not_after / not_with rules.
type topicRules struct {
	notBefore [][]string // per topic: head words, "*" suffix = stem
	notAfter  textmatch.Matcher[int]
	notWith   [][]int
	countries textmatch.Matcher[string]
	bilateral int // index of the bilateral topic, or -1
	iran      int // index of the iran_nuclear topic, or -1
}

func (e *Extractor) compileRules() error {
	r := &e.rules
	r.bilateral, r.iran = -1, -1
	idx := map[string]int{}
	for i, t := range e.tax.Topics {
		idx[t.ID] = i
	}
	r.notBefore = make([][]string, len(e.tax.Topics))
	r.notWith = make([][]int, len(e.tax.Topics))
	for i, t := range e.tax.Topics {
		for _, w := range t.NotBefore {
			r.notBefore[i] = append(r.notBefore[i], textmatch.Fold(w))
		}
		for _, p := range t.NotAfter {
			if err := r.notAfter.Add(p, i); err != nil {
				return err
			}
		}
		for _, w := range t.NotWith {
			r.notWith[i] = append(r.notWith[i], idx[w])
		}
	}
	if i, ok := idx["bilateral"]; ok {
		r.bilateral = i
	}
	if i, ok := idx["iran_nuclear"]; ok {
		r.iran = i
	}
	for _, c := range e.g.Countries() {
		var ps []string
		ps = append(ps, c.EN...)
		ps = append(ps, c.Adj...)
		ps = append(ps, c.RU...)
		for _, p := range ps {
			if err := r.countries.Add(p, c.Code); err != nil {
				return err
			}
		}
	}
	return nil
}

// wordIs matches a folded token against a word or stem ("помощ*").
func wordIs(tok, w string) bool {
	if stem, ok := strings.CutSuffix(w, "*"); ok {
		return strings.HasPrefix(tok, stem)
	}
	return tok == w
}

func wordIn(tok string, ws ...string) bool {
	for _, w := range ws {
		if wordIs(tok, w) {
			return true
		}
	}
	return false
}

// thit is a topic trigger (n >= 0) or pseudo-trigger (n < 0) at tokens [from, to).
type thit struct{ n, from, to int }

// topicCtx is one tokenized text (title or body) and its topic hits.
type topicCtx struct {
	src     string
	toks    []textmatch.Token
	hits    []thit
	parties map[string]bool // country codes of the call's parties
	skip    []bool          // per token: in a paragraph about an earlier call
}

// sentBounds returns the sentence of token i as [from, to).
func (c *topicCtx) sentBounds(i int) (int, int) {
	s := c.toks[i].Sent
	from, to := i, i+1
	for from > 0 && c.toks[from-1].Sent == s {
		from--
	}
	for to < len(c.toks) && c.toks[to].Sent == s {
		to++
	}
	return from, to
}

// clauseBreak reports whether punctuation separates tokens i and i+1.
func (c *topicCtx) clauseBreak(i int) bool {
	gap := c.src[c.toks[i].End:c.toks[i+1].Start]
	return strings.ContainsAny(gap, ",;:()—–")
}

// dashBetween reports whether tokens i and i+1 form a hyphenated compound
// ("Russian-Serbian", "U.S.-Egypt", "российско-иранского").
func (c *topicCtx) dashBetween(i int) bool {
	gap := c.src[c.toks[i].End:c.toks[i+1].Start]
	gap = strings.TrimLeft(gap, ".")
	return gap == "-" || gap == "‒" || gap == "–" || gap == "—" || gap == "‐"
}

// paragraphBreak reports whether a new paragraph starts at token i+1.
func (c *topicCtx) paragraphBreak(i int) bool {
	return strings.Contains(c.src[c.toks[i].End:c.toks[i+1].Start], "\n")
}

var (
	bgStart   = []string{"до", "ранее", "прежде", "previously", "earlier", "before", "тогда"}
	callWords = []string{"звонк*", "звонок", "телефон*", "разговор*", "общал*", "call", "calls", "phone", "telephone", "conversation"}
)

// markEarlierCalls sets skip for the paragraph rest from a sentence that
// opens by placing a call in the past: "До этого звонка Путин и Трамп
// общались по телефону в ноябре ... Тогда подчеркивалась ...".
func (c *topicCtx) markEarlierCalls(from int) {
	for i := from; i < len(c.toks); {
		_, end := c.sentBounds(i)
		bg := false
		for k := i; k < min(i+3, end); k++ {
			if wordIn(c.toks[k].Text, bgStart...) {
				bg = true
				break
			}
		}
		if bg {
			call := false
			for k := i; k < end; k++ {
				if wordIn(c.toks[k].Text, callWords...) {
					call = true
					break
				}
			}
			if call {
				if c.skip == nil {
					c.skip = make([]bool, len(c.toks))
				}
				k := i
				for ; k < len(c.toks); k++ {
					c.skip[k] = true
					if k+1 < len(c.toks) && c.paragraphBreak(k) {
						break
					}
				}
				i = k + 1
				continue
			}
		}
		i = end
	}
}

// negated reports whether the trigger [from, to) is in a clause that says the
// subject was not discussed: "вопрос отмены санкций ... не поднимался",
// "sanctions were not discussed", "did not discuss sanctions".
func (c *topicCtx) negated(from, to int) bool {
	sFrom, sTo := c.sentBounds(from)
	for i := to; i < min(sTo, to+negWindow); i++ {
		if i > to && c.clauseBreak(i-1) {
			break
		}
		if negAt(c.toks, i, sTo) {
			return true
		}
	}
	for i := from - 1; i >= max(sFrom, from-negBack); i-- {
		if c.clauseBreak(i) {
			break
		}
		if negAt(c.toks, i, sTo) {
			return true
		}
	}
	return false
}

var negVerbs = []string{"поднима*", "поднял*", "обсужда*", "обсуждал*", "затрагива*", "затронут*", "рассматрива*", "касал*",
	"discuss*", "raised", "raise", "addressed", "touched", "mentioned", "brought", "come", "came", "on"}

func negAt(toks []textmatch.Token, i, end int) bool {
	t := toks[i].Text
	if t != "не" && t != "not" && t != "t" && t != "never" {
		return false
	}
	for k := i + 1; k < min(end, i+3); k++ {
		if wordIn(toks[k].Text, negVerbs...) {
			return true
		}
		if toks[k].Text != "be" && toks[k].Text != "been" && toks[k].Text != "был" && toks[k].Text != "была" && toks[k].Text != "было" {
			break
		}
	}
	return false
}

var futureVerbs = []string{"stay", "keep", "maintain", "remain", "поддержива*", "продолж*", "сохран*"}

// futureChannel reports whether the trigger only names a channel of future
// contact: "agreed to stay in contact on ... the bilateral agenda".
func (c *topicCtx) futureChannel(from int) bool {
	sFrom, _ := c.sentBounds(from)
	for i := from - 1; i >= max(sFrom, from-futureBack); i-- {
		t := c.toks[i].Text
		if t != "contact" && t != "touch" && t != "contacts" && !wordIs(t, "контакт*") {
			continue
		}
		for k := i - 1; k >= max(sFrom, i-3); k-- {
			if wordIn(c.toks[k].Text, futureVerbs...) {
				return true
			}
		}
	}
	return false
}

var headModifiers = []string{"and", "or", "other", "и", "или", "иные", "иных", "других", "другие", "strong", "swift", "severe", "new", "further", "additional"}

func isModifier(t string) bool {
	if wordIn(t, headModifiers...) {
		return true
	}
	for _, suf := range []string{"al", "ic", "ary", "ive", "ian", "ful"} {
		if len(t) > 4 && strings.HasSuffix(t, suf) {
			return true
		}
	}
	for _, suf := range []string{"ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ого", "его", "ому", "ему", "ую", "юю", "ым", "им", "ыми", "ими"} {
		if len(t) > 6 && strings.HasSuffix(t, suf) {
			return true
		}
	}
	return false
}

// badHead reports whether the noun phrase an adjective trigger modifies has a
// head that cancels it: "military, economic, and humanitarian assistance".
func (e *Extractor) badHead(c *topicCtx, n, to int) bool {
	ws := e.rules.notBefore[n]
	if len(ws) == 0 {
		return false
	}
	_, sTo := c.sentBounds(to - 1)
	for i := to; i < min(sTo, to+headSkip+1); i++ {
		if wordIn(c.toks[i].Text, ws...) {
			return true
		}
		if !isModifier(c.toks[i].Text) {
			return false
		}
	}
	return false
}

// afterCancel reports whether a not_after phrase of topic n ends just before from.
func (e *Extractor) afterCancel(sc *scratch, c *topicCtx, n, from int) bool {
	if e.rules.notAfter.Len() == 0 {
		return false
	}
	sFrom, _ := c.sentBounds(from)
	lo := max(sFrom, from-notAfterBack)
	sc.ruleHits = e.rules.notAfter.AppendAll(sc.ruleHits[:0], c.toks[lo:from], 0)
	for _, m := range sc.ruleHits {
		if m.Val == n {
			return true
		}
	}
	return false
}

// withCancel reports whether a topic of n's not_with list has a trigger in
// the sentence of token from.
func (e *Extractor) withCancel(c *topicCtx, n, from int) bool {
	ws := e.rules.notWith[n]
	if len(ws) == 0 {
		return false
	}
	s := c.toks[from].Sent
	for _, h := range c.hits {
		if h.n >= 0 && h.from < len(c.toks) && c.toks[h.from].Sent == s {
			for _, w := range ws {
				if h.n == w {
					return true
				}
			}
		}
	}
	return false
}

// countryAt returns the country code of a country name ending at token end
// (exclusive) and starting at or after lo, and where it starts.
func (e *Extractor) countryEnding(sc *scratch, c *topicCtx, lo, end int) (string, int) {
	if end <= lo {
		return "", -1
	}
	sc.countryHits = e.rules.countries.AppendAll(sc.countryHits[:0], c.toks[lo:end], 0)
	best, start := "", -1
	for _, m := range sc.countryHits {
		if lo+m.To == end && (start < 0 || lo+m.From < start) {
			best, start = m.Val, lo+m.From
		}
	}
	return best, start
}

// relationQualified reports whether the relation noun at [from, to) is the
// relationship of the call's parties: "Russian-Serbian (strategic)
// partnership", "U.S.-Egypt partnership", "российско-иранского сотрудничества",
// "partnership between Russia and Serbia". One side must be a party's country
// and the other a party's country or no known country.
func (e *Extractor) relationQualified(sc *scratch, c *topicCtx, from, to int) bool {
	sFrom, sTo := c.sentBounds(from)
	// "cooperation in trade and the economy": one field, that field's topic.
	if to+1 < sTo && wordIn(c.toks[to].Text, "in", "в", "on") {
		for _, h := range c.hits {
			if h.n >= 0 && h.n != e.rules.bilateral && h.from > to && h.from <= to+fieldAfter {
				return false
			}
		}
	}
	ok := func(a, b string) bool {
		return (c.parties[a] && (b == "" || c.parties[b])) || (c.parties[b] && a == "")
	}
	// A compound before the noun, adjectives allowed in between.
	end := from
	for k := 0; k < 3 && end > sFrom; k++ {
		i := end - 1 // the word just before: the compound's second part?
		if i > sFrom && c.dashBetween(i-1) {
			a, _ := e.countryEnding(sc, c, max(sFrom, i-4), i)
			b, _ := e.countryEnding(sc, c, i, i+1)
			if a != "" || b != "" {
				return ok(a, b) && (a != b)
			}
		}
		// "U.S.-EU": the second part may itself be a multi-word name.
		if b, bs := e.countryEnding(sc, c, max(sFrom, end-3), end); b != "" && bs > sFrom && c.dashBetween(bs-1) {
			a, _ := e.countryEnding(sc, c, max(sFrom, bs-4), bs)
			return a != b && ok(a, b)
		}
		if !isModifier(c.toks[i].Text) {
			break
		}
		end = i
	}
	// "between Russia and Serbia", "между Россией и Сербией".
	if to < sTo && wordIn(c.toks[to].Text, "between", "между") {
		var seen []string
		for i := to + 1; i < min(sTo, to+1+relBetween); i++ {
			if code, _ := e.countryEnding(sc, c, to+1, i+1); code != "" && (len(seen) == 0 || seen[len(seen)-1] != code) {
				seen = append(seen, code)
			}
		}
		if len(seen) >= 2 && c.parties[seen[0]] && c.parties[seen[1]] && seen[0] != seen[1] {
			return true
		}
		// "between our two countries", "между нашими странами".
		for i := to + 1; i < min(sTo, to+4); i++ {
			if wordIn(c.toks[i].Text, "countries", "nations", "стран*", "государств*") {
				return true
			}
		}
	}
	return false
}

// iranNear reports whether Iran is named within a few words of the
// "nuclear" at from, in its sentence: "the nuclear and regional dimensions of
// the threat posed by Iran".
func (c *topicCtx) iranNear(from int) bool {
	sFrom, sTo := c.sentBounds(from)
	for i := max(sFrom, from-nuclearWindow); i < min(sTo, from+nuclearWindow); i++ {
		if wordIn(c.toks[i].Text, "iran", "iran's", "iranian", "иран*") {
			return true
		}
	}
	return false
}

// issueListed reports whether the word at i is an object of discussion, not a
// title, a place or an actor: "including Iran", "on Iran", "China, Iran, and
// Russia", not "President of Iran", "in Iran" or "Iran's forces".
func (c *topicCtx) issueListed(i int) bool {
	if i == 0 || i+1 < len(c.toks) && c.toks[i+1].Text == "s" && !c.clauseBreak(i) {
		return false
	}
	prev := c.toks[i-1].Text
	switch prev {
	case "including", "on", "regarding", "about", "as", "and", "включая", "по", "о", "об", "и":
		return true
	}
	return c.clauseBreak(i-1) && !wordIn(prev, "of", "in", "from", "to", "with")
}

// listsParty reports whether the country word at i stands in a list of
// countries that names a party to the call: "the guarantor states: Russia,
// Turkey and Iran", "Syria, Iran and Russia say ..." are actors, not issues.
func (e *Extractor) listsParty(sc *scratch, c *topicCtx, i int) bool {
	sFrom, sTo := c.sentBounds(i)
	lo, hi := max(sFrom, i-listWindow), min(sTo, i+listWindow+1)
	sc.countryHits = e.rules.countries.AppendAll(sc.countryHits[:0], c.toks[lo:hi], 0)
	for _, m := range sc.countryHits {
		if c.parties[m.Val] {
			return true
		}
	}
	return false
}

// keepTopics calls add for every topic hit of c that the rules keep, with
// the topic index (pseudo-triggers resolved to their topic).
func (e *Extractor) keepTopics(sc *scratch, c *topicCtx, add func(n, from, to int)) {
	for _, h := range c.hits {
		if h.from >= len(c.toks) || h.to > len(c.toks) {
			continue
		}
		if c.skip != nil && c.skip[h.from] {
			continue
		}
		n := h.n
		switch n {
		case relNoun:
			if e.rules.bilateral < 0 || !e.relationQualified(sc, c, h.from, h.to) {
				continue
			}
			n = e.rules.bilateral
		case nuclearWord:
			if e.rules.iran < 0 || !c.iranNear(h.from) {
				continue
			}
			n = e.rules.iran
		case iranIssue:
			if e.rules.iran < 0 || c.parties["IR"] || !c.issueListed(h.from) || e.listsParty(sc, c, h.from) {
				continue
			}
			n = e.rules.iran
		}
		if n < 0 {
			continue
		}
		if c.negated(h.from, h.to) || c.futureChannel(h.from) || e.badHead(c, n, h.to) ||
			e.afterCancel(sc, c, n, h.from) || e.withCancel(c, n, h.from) {
			continue
		}
		add(n, h.from, h.to)
	}
}
