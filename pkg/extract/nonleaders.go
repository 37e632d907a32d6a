package extract

import (
	"slices"
	"strings"

	"github.com/readout/readout/pkg/gazetteer"
)

// Non-leaders: who on a call is no leader. A clause whose caller or
// counterpart is an aide, a minister, a deputy, a party's chief or an
// organisation's officer reports no leader call; an office that only
// qualifies an aide's title names no party.

// nonLeaderCounterpart reports whether the clause names a counterpart who
// is no leader just after the call phrase: "held a telephone conversation
// with the United States Secretary of State Marco Rubio".
func nonLeaderCounterpart(c clause) bool {
	t := c.t
	after := nonLeaderAfter
	if c.phrase.to < len(t.toks) && wordIn(t.toks[c.phrase.to].Text, "between", "между") || wordIn(t.toks[c.phrase.to-1].Text, "between") {
		after *= 2 // "a phone call between top U.S and Russian security officials"
	}
	end := min(c.to, c.phrase.to+after)
	for i := c.phrase.to; i < end; i++ {
		if i > 0 && punctBetween(t, i-1, i) {
			return false // "will speak about Ukraine, the Press Secretary said", "телефонный разговор, сообщил пресс-секретарь"
		}
		if t.hasNonLeader(i, i+1) || t.has(kPartyChief, i, i+1) {
			return true
		}
	}
	// The counterpart after "с", "with" further on, past the actor: "в ходе
	// телефонного разговора Президента ... Мирзиёева с Вице-президентом ОАЭ".
	for i := c.phrase.to; i+1 < c.to; i++ {
		if withWords[t.toks[i].Text] {
			j := skipWords(t, i+1, c.to, "the")
			return t.hasNonLeader(j, j+1) || t.has(kVice, j, j+1) || t.has(kPartyChief, j, j+1) || aideAt(t, j, c.to)
		}
	}
	return false
}

// aideAt reports whether the name at token j is a leader's aide, named by
// his leader's office in the possessive, its country before it: "with U.S.
// President's National Security Advisor Robert O'Brien", "with the Prime
// Minister's spokesman".
func aideAt(t *text, j, end int) bool {
	k := j
	for _, h := range t.hits {
		if h.k == kCountry && h.from == j {
			k = max(k, h.to)
		}
	}
	for _, h := range t.hits {
		if h.k == kRole && h.from == k && possessive(t, h.to) {
			return t.hasNonLeader(h.to+1, min(end, h.to+1+aideTitleWords))
		}
	}
	return false
}

// possessive reports whether token i is the "s" of a possessive: "President's".
func possessive(t *text, i int) bool {
	if i <= 0 || i >= len(t.toks) || t.toks[i].Text != "s" {
		return false
	}
	gap := t.src[t.toks[i-1].End:t.toks[i].Start]
	return gap == "'" || gap == "’"
}

// orgOffice reports whether the office word at token i follows an
// organisation's initials that name no country: "BCCI president".
func orgOffice(t *text, i int) bool {
	if i == 0 || !initialism(t.src[t.toks[i-1].Start:t.toks[i-1].End]) {
		return false
	}
	return !slices.ContainsFunc(t.hits, func(x hit) bool { return x.k == kCountry && x.to == i })
}

// nonLeaderNamedAfter reports whether the first title after "with" in the
// call's sentence is a non-leader's or an organisation's: "had a virtual
// meeting with the Rt. Hon. Lord (Zac) Goldsmith, the United Kingdom (UK)
// Minister for the Pacific". Asked only when the call has fewer than two
// parties.
func nonLeaderNamedAfter(c clause) bool {
	t := c.t
	sent := t.toks[c.phrase.to-1].Sent
	with := false // the counterpart's slot, not an attribution: "разговор, заявил пресс-секретарь"
	// "with" may come before the phrase: "speaks with BCCI president Sourav
	// Ganguly over the phone".
	start := c.phrase.from
	for start > c.from && t.toks[start-1].Sent == sent {
		start--
	}
	for i := start; i < len(t.toks) && t.toks[i].Sent == sent; i++ {
		with = with || withWords[t.toks[i].Text]
		if i >= c.phrase.from && i < c.phrase.to || !with {
			continue
		}
		if t.has(kRole, i, i+1) && orgOffice(t, i) || t.hasNonLeader(i, i+1) {
			return true // "with BCCI president Sourav Ganguly"
		}
		if t.has(kRole, i, i+1) || t.has(kLeaderWord, i, i+1) || t.has(kCounterpart, i, i+1) || t.has(kLeaders, i, i+1) {
			return false
		}
	}
	return false
}

// viceActor reports whether the actor in [from, to) is named by a deputy's
// office and no leader's: "Deputy Prime Minister and Commander of the
// National Guard Crown Prince Abdullah bin Abdulaziz received a telephone
// call".
func viceActor(t *text, from, to int) bool {
	vice := false
	for i, x := range t.hits {
		if x.from < from || x.from >= to {
			continue
		}
		switch {
		case x.k == kVice:
			vice = true
		case x.k == kRole && x.role != gazetteer.KindCrownPrince && !qualifiedRole(t, i), x.k == kPerson:
			return false
		}
	}
	return vice
}

// partyChiefActor reports whether the actor in [from, to) is a party's
// chief with no leader's office named beside it: "Генеральный секретарь
// Центрального комитета (ЦК) ... Нгуен Фу Чонг в телефонном разговоре с
// президентом РФ" (not "General Secretary ... and President Xi Jinping").
func partyChiefActor(t *text, from, to int) bool {
	for _, pc := range t.hits {
		if pc.k != kPartyChief || pc.from < from || pc.from >= to {
			continue
		}
		return !slices.ContainsFunc(t.hits, func(x hit) bool {
			outside := x.from >= from && x.from < to && (x.to <= pc.from || x.from >= pc.to)
			return outside && (x.k == kPerson && x.p != nil || x.k == kRole || x.k == kLeaderWord)
		})
	}
	return false
}

// genitiveAfterAide reports whether the role h, in the genitive, closes a
// non-leader's title a few words before it: "с советником по национальной
// безопасности премьер-министра Великобритании".
func genitiveAfterAide(t *text, h hit) bool {
	last := t.toks[h.to-1].Text
	if !strings.HasSuffix(last, "а") && !strings.HasSuffix(last, "я") && !strings.HasSuffix(last, "ы") {
		return false
	}
	for _, x := range t.hits {
		if x.k != kNonLeader || x.to > h.from || h.from-x.to > aideTitleWords || x.to == h.from ||
			t.toks[x.from].Sent != t.toks[h.from].Sent || punctBetween(t, x.from, h.from) {
			continue
		}
		if !t.has(kPerson, x.to, h.from) && !t.has(kRole, x.to, h.from) && !t.has(kCountry, x.to, h.from) {
			return true
		}
	}
	return false
}

// aideTo reports whether the role h closes an aide's title with "to":
// "Deputy Assistant to the United States President", "Adviser to the Prime
// Minister".
func aideTo(t *text, h hit) bool {
	i := h.from
	for {
		j := slices.IndexFunc(t.hits, func(x hit) bool { return x.k == kCountry && x.to == i && x.from < i })
		if j < 0 {
			break
		}
		i = t.hits[j].from // "the United States"
	}
	i = skipBack(t, i, "the")
	if i < 2 || t.toks[i-1].Text != "to" {
		return false
	}
	return t.hasNonLeader(i-2, i-1) && !punctBetween(t, i-2, i-1)
}
