package extract

import (
	"strings"

	"github.com/readout/readout/pkg/model"
)

// firstPersonWords say a call in the speaker's own words: "I spoke to
// Giorgia Meloni today", "у меня будет контакт с президентом Трампом".
var firstPersonWords = []string{"i", "me", "my", "я", "меня", "мне", "мной"}

// sayWords introduce or close a quote: "Zelensky said", "– заявил он".
var sayWords = []string{"said", "says", "told", "added", "wrote", "stated", "tweeted", "posted",
	"заявил*", "сказал*", "отметил*", "написал*", "подчеркнул*", "добавил*", "сообщил*"}

// firstPerson reports whether the body clause c tells the call in the first
// person.
func firstPerson(c clause) bool {
	if c.isTitle {
		return false
	}
	for _, tk := range c.t.toks[c.from:c.to] {
		if wordIn(tk.Text, firstPersonWords...) {
			return true
		}
	}
	return false
}

// quoteSpeaker completes a call told in the first person with one party by
// the leader who says it: the first leader in office named next to a verb
// of saying in the call's sentence, the one before it or the two after
// ("«Сегодня у меня будет контакт с президентом Трампом», – заявил он ...
// Зеленский отметил ..."). It reports whether it found one.
func (e *Extractor) quoteSpeaker(d *draft) bool {
	for _, c := range d.clauses {
		if !firstPerson(c) {
			continue
		}
		t := c.t
		s := t.toks[c.phrase.from].Sent
		for _, h := range t.hits {
			if h.k != kPerson || t.toks[h.from].Sent < s-1 || t.toks[h.from].Sent > s+2 || !saidBy(t, h) {
				continue
			}
			p := h.names.Resolve(d.onDay)
			if p == nil || p == d.own || d.counter[p.Key()] != nil || !p.OfficeOn(d.onDay).Leader() {
				continue
			}
			d.counter[p.Key()] = p
			d.partEv = append(d.partEv, model.Evidence{StatementID: d.st.ID, Kind: "participant", Text: t.span(h.from, h.to)})
			return true
		}
	}
	return false
}

// saidBy reports whether the name h stands next to a verb of saying, with
// its office and country before it: "Zelensky said", "said Ukrainian
// President Volodymyr Zelensky", "Зеленский отметил".
func saidBy(t *text, h hit) bool {
	say := func(i int) bool { return i >= 0 && i < len(t.toks) && wordIn(t.toks[i].Text, sayWords...) }
	return say(h.to) || say(titledFrom(t, h.from)-1)
}

// titledFrom returns where the name at token i starts with the office and
// country written before it: "Ukrainian President Volodymyr Zelensky".
func titledFrom(t *text, i int) int {
	for moved := true; moved; {
		moved = false
		for _, x := range t.hits {
			if (x.k == kRole || x.k == kCountry) && x.to == i && x.from < i {
				i, moved = x.from, true
			}
		}
	}
	return i
}

// laterCounterpart finds the other party of a call whose sentence names
// only its actor ("Lukashenko revealed the details of telephone
// conversations with foreign leaders") in the lead's next call sentence that
// names one: "I have just had a telephone conversation with your president
// [Tajikistan President Emomali Rahmon]".
func (e *Extractor) laterCounterpart(d *draft, former map[string]bool) bool {
	if !d.bodyCall {
		return false
	}
	body := d.body
	for _, h := range body.hits {
		if h.k != kCall || h.from < d.bc.to || !inLead(body, h.from) {
			continue
		}
		c, ok := e.clauseAt(body, h, false)
		// Not another call ("He will also hold a telephone conversation
		// with ...").
		if !ok || c.nonLeader || c.background || c.negated || c.inPerson || c.announced != d.announced ||
			otherCallWord(body, c.from, c.to) || body.has(kFutureCall, c.from, c.to) || body.has(kAnnounce, c.from, c.to) {
			continue
		}
		r, _, _ := e.counterparts(c, d.ownCountry, d.onDay)
		found := false
		for _, p := range r {
			// In office on the day, and not named as out of it.
			if p.p == d.own || d.counter[p.p.Key()] != nil || former[p.p.Key()] || !p.p.LeadsOn(d.onDay) || namedFormer(c, p.from) {
				continue
			}
			d.counter[p.p.Key()] = p.p
			d.partEv = append(d.partEv, model.Evidence{StatementID: d.st.ID, Kind: "participant", Text: p.mention})
			found = true
		}
		return found // the next call sentence only
	}
	return false
}

// firstPersonQuoted reports whether the weak phrase h is a leader's own
// words: "I spoke with" in a quote the same sentence gives to a leader named
// after it ("\"I spoke with Russian President Vladimir Putin this morning,\"
// Jair Bolsonaro said in a tweet").
func firstPersonQuoted(t *text, h hit) bool {
	if h.from == 0 || t.toks[h.from-1].Text != "i" {
		return false
	}
	// The quote closes after the phrase; the first name after it, in the
	// sentence, is the speaker's when "said" follows it.
	q := -1
	for i := h.to; i < len(t.toks) && t.toks[i].Sent == t.toks[h.from].Sent; i++ {
		if strings.ContainsAny(t.src[t.toks[i-1].End:t.toks[i].Start], "\"”»") {
			q = i
			break
		}
	}
	if q < 0 {
		return false
	}
	for _, x := range t.hits {
		if x.k != kPerson || x.from < q || t.toks[x.from].Sent != t.toks[h.from].Sent {
			continue
		}
		// The first name after the quote: its own, or nobody's.
		return x.p != nil && x.from <= q+speakerAfterQuote && x.to < len(t.toks) && wordIn(t.toks[x.to].Text, sayWords...)
	}
	return false
}

// speakerAfterQuote is how far after a closing quote its speaker's name
// starts: "," Brazilian President Jair Bolsonaro said".
const speakerAfterQuote = 4
