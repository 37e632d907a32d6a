package extract

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

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
	// dayOf reads the date whose month is the hit h: "23 June", "June 23rd, 2009".
	dayOf := func(h hit) (time.Time, int, int, bool) {
		day, ok := num(h.to)
		from, to := h.from, h.to+1
		if !ok || day < 1 || day > 31 {
			day, ok = num(h.from - 1)
			from, to = h.from-1, h.to
		}
		if !ok || day < 1 || day > 31 {
			return time.Time{}, 0, 0, false
		}
		year := pub.Year()
		if y, ok := num(to); ok && y > 1990 && y < 2100 {
			year, to = y, to+1
		} else if y, ok := num(to + 1); ok && y > 1990 && y < 2100 && t.toks[to].Text == "of" {
			year = y
		}
		d := time.Date(year, time.Month(h.n), day, 0, 0, 0, 0, pub.Location())
		if d.Day() != day {
			return time.Time{}, 0, 0, false
		}
		if !announced && d.After(pub.AddDate(0, 0, 1)) && year == pub.Year() {
			d = d.AddDate(-1, 0, 0)
		}
		return d, from, to, true
	}
	var subjectDay time.Time
	var subjectEv string
	haveSubject := false
	for _, h := range t.hits {
		if h.from < c.from || h.from >= c.to {
			continue
		}
		switch h.k {
		case kMonth:
			// In the body a date after the call phrase is another event's
			// ("agreed to meet on March 5"); a headline dates the call:
			// "PM call with President Zelenskyy: 3 January 2023".
			if (h.from > c.phrase.from && !c.isTitle && !dateOfPhrase(c, h.from)) || (!c.dateline && genreBefore(t, h.from)) {
				continue
			}
			if !c.dateline && !c.isTitle && (atDateline(t, h) || inOpeningBracket(t, h)) {
				continue // the report's day: "MOSCOW, April 15 (Xinhua) -- ... on Wednesday evening"
			}
			if d, from, to, ok := dayOf(h); ok {
				return d, t.span(from, to), true
			}
		case kRelDay:
			// "today [16 February]": the date in brackets is the day (GOV.UK
			// readouts are published the day after).
			if m, ok := bracketedMonth(t, h.to); ok {
				if d, _, to, ok := dayOf(m); ok {
					return d, t.span(h.from, to), true
				}
			}
			return pub.AddDate(0, 0, h.n), t.span(h.from, h.to), true
		case kWeekday:
			d, ok, subject := weekdayDate(c, h, pub, announced)
			switch {
			case ok && !subject:
				return d, t.span(h.from, h.to), true
			case ok && !haveSubject:
				subjectDay, subjectEv, haveSubject = d, t.span(h.from, h.to), true
			}
		}
	}
	if haveSubject {
		return subjectDay, subjectEv, true // only when no other day is stated
	}
	return time.Time{}, "", false
}

// atDateline reports whether the month hit h is the date of a dateline
// opening t: "MOSCOW, April 15 (Xinhua) --", "БИШКЕК, 30 июл.". Only a
// place of one to three capitalised words and a comma stands before it.
func atDateline(t *text, h hit) bool {
	start := h.from
	if start > 0 {
		if _, err := strconv.Atoi(t.toks[start-1].Text); err == nil {
			start-- // "30 июл."
		}
	}
	if start == 0 || start > 3 {
		return false
	}
	place, ok := strings.CutSuffix(strings.TrimSpace(t.src[:t.toks[start].Start]), ",")
	if !ok {
		return false
	}
	words := strings.Fields(place)
	for _, w := range words {
		if r := []rune(w); !unicode.IsUpper(r[0]) {
			return false
		}
	}
	return len(words) >= 1 && len(words) <= 3
}

// inOpeningBracket reports whether the month hit h is inside a bracket
// that opens the text: a syndicated copy's day, "(UrduPoint / Pakistan
// Point News / WAM - 14th Aug, 2020) ABU DHABI, 13th August 2020 (WAM)".
func inOpeningBracket(t *text, h hit) bool {
	before := strings.TrimSpace(t.src[:t.toks[h.from].Start])
	return strings.HasPrefix(before, "(") && !strings.Contains(before, ")") && h.from < openingBracketWords
}

// bracketedMonth returns the month hit of a date in brackets or after a
// comma that starts at token i: "today [16 February]", "today (16
// February)", "yesterday, November 24".
func bracketedMonth(t *text, i int) (hit, bool) {
	if i <= 0 || i >= len(t.toks) || !strings.ContainsAny(t.src[t.toks[i-1].End:t.toks[i].Start], "[(,") {
		return hit{}, false
	}
	for _, m := range t.hits {
		if m.k == kMonth && (m.from == i || m.from == i+1) {
			return m, true
		}
	}
	return hit{}, false
}

// weekdayDate dates a call by the weekday hit h: an announced call's next
// such day; a held call's last such day, named just after the call phrase,
// or before it after "on" or "в", next to it ("провели в понедельник
// телефонный разговор") or after the subject ("President Marcos on Friday
// congratulated ... in a telephone call"); "On Monday, before the President
// spoke with ..." is another event.
func weekdayDate(c clause, h hit, pub time.Time, announced bool) (day time.Time, ok, subject bool) {
	t := c.t
	d := pub
	step := -1
	if announced {
		step = 1
	} else {
		// After the phrase, or inside it: "spoke on Monday with".
		after := h.from >= c.phrase.to && h.from <= c.phrase.to+weekdayAfter || h.from > c.phrase.from && h.to < c.phrase.to ||
			h.from > c.phrase.to && dateOfPhrase(c, h.from) // "the phone conversation between ... Guterres and President ... Tinubu on Thursday evening"
		on := h.from > c.from && wordIn(t.toks[h.from-1].Text, "on", "в", "во")
		next := on && h.to <= c.phrase.from && c.phrase.from-h.to <= weekdayBefore ||
			h.to+1 == c.phrase.from && t.toks[h.to].Text == "s" || // "Sunday's phone talks"
			h.to == c.phrase.from && subjectEndsAt(t, h.from) // "Lacalle Pou Tuesday spoke with"
		next = next || on && openingWeekday(c, h)
		subject = on && h.to <= c.phrase.from && !next && subjectEndsAt(t, h.from-1)
		if !after && !next && !subject {
			return time.Time{}, false, false
		}
		subject = subject && !after
	}
	return toWeekday(d, h.n, step), true, subject
}

// openingWeekday reports whether the weekday h after "on" opens the call's
// sentence, a comma and the caller after it: "Late on Thursday, Kadhimi
// received a phone call from ..." (not "On Monday, before the President
// spoke with ...").
func openingWeekday(c clause, h hit) bool {
	t := c.t
	start := h.from - 1 // "on"
	if start > c.from && wordIn(t.toks[start-1].Text, "late", "early") {
		start--
	}
	if start != c.from || h.to >= c.phrase.from || c.phrase.from-h.to > weekdayOpening ||
		!strings.Contains(t.src[t.toks[h.to-1].End:t.toks[h.to].Start], ",") || !partyWord(t, h.to) {
		return false
	}
	for j := h.to; j < c.phrase.from; j++ {
		if wordIn(t.toks[j].Text, "before", "after", "during", "following") || t.has(kNegGenre, j, j+1) {
			return false
		}
	}
	return true
}

// toWeekday steps from d a day at a time (step -1 back, 1 forward) to the
// first day that is weekday wd, d itself if it is.
func toWeekday(d time.Time, wd, step int) time.Time {
	for i := 0; i < 7 && int(d.Weekday()) != wd; i++ {
		d = d.AddDate(0, 0, step)
	}
	return d
}

// dateOfPhrase reports whether the date whose month is at token i follows
// the call phrase with only words that place the call between them:
// "Телефонный разговор ... состоялся 11 августа", "during a telephone
// conversation late at night on 8 October" (not "agreed to meet on 5
// March").
func dateOfPhrase(c clause, i int) bool {
	t := c.t
	if i >= c.phrase.to+2 && i-c.phrase.to <= dateAfterSubject && wordIn(t.toks[i-2].Text, "состоялся", "состоялась", "состоялось") &&
		isNumber(t.toks[i-1].Text) {
		return true // the call "... состоялся 11 августа", its parties named in between (not "выборах, которые состоялись 20 ноября")
	}
	// "had a telephone conversation with his Indian counterpart H.E.
	// Narendra Modi, in the evening of June 10": the parties' words count
	// as placing words, within dateAfterSubject.
	placing := 0
	for j := c.phrase.to; j < i; j++ {
		w := t.toks[j].Text
		switch {
		case wordIn(w, "on", "late", "at", "night", "in", "the", "evening", "morning", "afternoon", "of", "took", "place", "was",
			"held", "состоял*", "в", "ночь", "на", "вечером", "утром", "днем", "поздно") || isNumber(w):
			placing++
		case j-c.phrase.to < dateAfterSubject && (wordIn(w, "with", "his", "her", "new", "newly", "appointed", "elected", "between", "and") ||
			len(w) == 1 || partyWord(t, j) || capitalised(t, j)):
		default:
			return false
		}
	}
	return placing <= dateAfterPhrase
}

// partyWord reports whether token j is part of a name, an office, a country
// or a counterpart.
func partyWord(t *text, j int) bool {
	for _, h := range t.hits {
		if h.from <= j && j < h.to && (h.k == kPerson || h.k == kRole || h.k == kCountry || h.k == kCounterpart) {
			return true
		}
	}
	return false
}

func isNumber(w string) bool {
	_, err := strconv.Atoi(w)
	return err == nil
}

// subjectEndsAt reports whether a leader's name or country ends just
// before token i: "President Alpha Conde of Guinea | on Friday called". An
// office does not: "since he became US President on Tuesday".
func subjectEndsAt(t *text, i int) bool {
	for _, h := range t.hits {
		if h.to == i && (h.k == kPerson || h.k == kCountry) {
			return true
		}
	}
	return false
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

// dates dates the call: the day its clauses give (or the publication's, on
// a dateline's day) and a time (d.at, precision minute) only when they
// state one. It reports false for an untitled story that mentions a call
// of days before it.
func (d *draft) dates() bool {
	pubLocal := d.st.PublishedAt.In(d.loc)
	d.dateBasis = model.DatePublished
	if dl, ok := datelineDate(d.body, pubLocal); ok {
		// "Paris, February 8, 2012": "this evening" is the dateline's day.
		// Alone it is the report's day, like a publication's, not the call's.
		pubLocal = time.Date(dl.Year(), dl.Month(), dl.Day(), pubLocal.Hour(), pubLocal.Minute(), 0, 0, d.loc)
	}
	d.pubLocal, d.on = pubLocal, pubLocal
	d.precision, d.at = model.PrecisionDay, time.Time{}
	found := false
	for _, c := range d.clauses {
		if day, ev, ok := findDate(c, pubLocal, d.announced); ok {
			d.on, d.dateEv, found = day, ev, true
			break
		}
	}
	if !found && !d.announced {
		if day, ev, ok := d.leadDate(); ok {
			d.on, d.dateEv, found = day, ev, true
		} else if day, ev, ok := d.reportDay(); ok {
			d.on, d.dateEv = day, ev // the report's day: the call's is no later, like a publication's
		}
	}
	if found {
		d.dateBasis = model.DateStated
	}
	for _, c := range d.clauses {
		if d.pub == nil {
			break // a time in a zone nobody knows is no time: "commencing at 11:00 am" on an unlisted site
		}
		if h, m, ev, ok := findTime(c); ok {
			y, mo, day := d.on.Date()
			d.at = time.Date(y, mo, day, h, m, 0, 0, d.loc).UTC()
			d.precision = model.PrecisionMinute
			d.dateEv = strings.TrimSpace(d.dateEv + " " + ev)
			break
		}
	}
	d.onStr = d.on.Format("2006-01-02")
	if !d.titleCall && !d.announced && d.mentionsOldCall() {
		return false
	}
	d.onDay = time.Date(d.on.Year(), d.on.Month(), d.on.Day(), 12, 0, 0, 0, time.UTC)
	return true
}

// mentionsOldCall reports whether the body's call sentence dates its call
// days before the publication: the story is about something else ("The
// first telephone conversation ... on January 28 received positive
// responses", published on February 2).
func (d *draft) mentionsOldCall() bool {
	whole := d.bc
	whole.phrase.from = whole.to                     // a date anywhere in the sentence
	opens := d.body.toks[d.bc.phrase.from].Sent == 0 // "7 октября состоялся телефонный разговор ..." a week later
	// "Merkel has congratulated Akufo-Addo on his re-election. The two world
	// leaders spoke on phone last Thursday": the call of "the two leaders"
	// the first sentence names is the story's.
	opens = opens || d.bc.from == 0 && personsIn(d.body, 0) >= 2
	day, _, ok := findDate(whole, d.pubLocal, false)
	return ok && !opens && d.pubLocal.Sub(day) > maxReportAge
}

// personsIn counts the people sentence sent of t names, each once.
func personsIn(t *text, sent int) int {
	var seen []*gazetteer.NamePattern
	for _, h := range t.hits {
		if h.k == kPerson && t.toks[h.from].Sent == sent && !slices.Contains(seen, h.names) {
			seen = append(seen, h.names)
		}
	}
	return len(seen)
}

// leadDate dates a held call whose clauses give no day by another sentence
// of the body's lead that names a call: "The White House has confirmed that
// ... Trump spoke on telephone with ... Buhari. The Press Secretary ... told
// journalists ... that the two leaders had a telephone conversation on
// Monday." A sentence about an earlier call, a denied, announced or other
// one ("Macron also spoke by phone with Zelenskyy on Sunday", "agreed to
// hold another phone call on Friday"), one with a calendar date or one whose
// subject is no leader ("members of the Biden administration, who talked
// over the phone ... yesterday") does not.
func (d *draft) leadDate() (time.Time, string, bool) {
	body := d.body
	for _, h := range body.hits {
		if h.k != kCall && h.k != kWeakCall || !inLead(body, h.from) || d.bodyCall && body.toks[h.from].Sent == body.toks[d.bc.phrase.from].Sent {
			continue
		}
		c := clause{t: body, phrase: h}
		c.from, c.to = body.sentence(h)
		// Only a weekday or "yesterday": a calendar date there is often
		// another event's ("a follow-up on the December 7 videoconference
		// talks ... and the December 30 telephone conversation").
		if body.has(kBackground, c.from, c.to) || body.has(kMonth, c.from, c.to) || negatedCall(body, h, c.from, c.to) ||
			body.has(kAnnounce, c.from, c.to) || body.has(kFutureCall, c.from, c.to) || otherCallWord(body, c.from, c.to) ||
			body.hasNonLeader(max(c.from, h.from-leadDateSubject), h.from) {
			continue
		}
		if day, ev, ok := findDate(c, d.pubLocal, false); ok {
			return day, ev, true
		}
	}
	return time.Time{}, "", false
}

// reportDay dates a held call that no sentence dates by the day its report
// was given, when that is before the publication's: "Ramallah, July 2 ...
// held a phone conversation ... said the report on Saturday" (July 1). The
// call was no later than its report.
func (d *draft) reportDay() (time.Time, string, bool) {
	body := d.body
	for _, h := range body.hits {
		// "said on Saturday", or "released Friday" without "on" (news style).
		if h.k != kWeekday || !inLead(body, h.from) || h.from < 2 || body.toks[h.from-1].Text != "on" && !reportWord(body.toks[h.from-1].Text) {
			continue
		}
		said := false
		for i := max(0, h.from-reportWordBefore); i < h.from; i++ {
			said = said || reportWord(body.toks[i].Text)
		}
		if !said {
			continue
		}
		day := toWeekday(d.pubLocal, h.n, -1)
		// The first report's day only: "the Kremlin said on Wednesday" is the
		// call's report, "Lavrov said on Tuesday" after it another's.
		return day, body.span(h.from-1, h.to), day.Before(d.pubLocal)
	}
	return time.Time{}, "", false
}

// reportWord reports whether w tells of a report: "said", "statement".
func reportWord(w string) bool {
	return wordIn(w, "said", "says", "report", "reported", "reports", "announced", "statement", "released", "stated", "confirmed")
}

// otherCallWord reports whether [from, to) says its call is another one:
// "also", "another", "next", "again", "тоже", "также", "ещё", "следующ*".
func otherCallWord(t *text, from, to int) bool {
	for i := from; i < to; i++ {
		if wordIn(t.toks[i].Text, "also", "another", "next", "again", "тоже", "также", "еще", "следующ*") {
			return true
		}
	}
	return false
}
