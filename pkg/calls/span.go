package calls

import (
	"sync"
	"time"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/publishers"
)

// minuteSlack widens a time stated to the minute: reports give the start,
// the end or a rounded time of the same call.
const minuteSlack = time.Hour

// span is the UTC interval [from, to) in which a call took place as far as
// its reports tell: a local day of the reporting publisher, or a stated time
// with minuteSlack either side. A Washington date and a Moscow date are the
// same call only if their days overlap in UTC; that also means a Washington
// date is never later than the Moscow date of the same moment.
type span struct{ from, to time.Time }

func (s span) empty() bool { return !s.from.Before(s.to) }

func (s span) intersect(o span) span {
	if o.from.After(s.from) {
		s.from = o.from
	}
	if o.to.Before(s.to) {
		s.to = o.to
	}
	return s
}

func (s span) overlaps(o span) bool { return !s.intersect(o).empty() }

// zones caches the locations reports name (time.LoadLocation reads the
// zone database every time).
var zones sync.Map // IANA name → *time.Location

// zoneOf is the zone a report's date is in: the one the extractor dated it
// in, else, for reports written before they carried it, the publisher's.
func zoneOf(ref model.SourceRef) *time.Location {
	if ref.Zone == "" {
		return publisherZone(ref.Publisher)
	}
	if l, ok := zones.Load(ref.Zone); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(ref.Zone)
	if err != nil {
		return publisherZone(ref.Publisher)
	}
	zones.Store(ref.Zone, l)
	return l
}

// sourceSpan is the span one report gives: its stated time, else its local
// date in its publisher's zone. A report without a usable date gives an
// empty span.
func sourceSpan(ref model.SourceRef) span {
	if !ref.OccurredAt.IsZero() {
		at := ref.OccurredAt.UTC()
		return span{at.Add(-minuteSlack), at.Add(minuteSlack)}
	}
	if !zoneKnown(ref) {
		// A news site the registry does not list dates in a zone nobody
		// knows, and a day it took from its own publication is not the
		// call's: its day is that day anywhere from UTC+12 to UTC-12, so
		// that Washington's 27 January and Tokyo's 28 January of one call
		// reported by two such sites meet, and days two apart never do.
		d, err := time.Parse(time.DateOnly, ref.OccurredOn)
		if err != nil {
			return span{}
		}
		return span{d.Add(-earliestZone), d.Add(24*time.Hour + latestZone)}
	}
	loc := zoneOf(ref)
	d, err := time.ParseInLocation(time.DateOnly, ref.OccurredOn, loc)
	if err != nil {
		return span{}
	}
	y, m, day := d.Date()
	return span{d.UTC(), time.Date(y, m, day+1, 0, 0, 0, 0, loc).UTC()}
}

// How far ahead of UTC and behind it an unlisted site's zone may be
// (Auckland and Fiji are UTC+12, Baker Island UTC-12).
const (
	earliestZone = 12 * time.Hour
	latestZone   = 12 * time.Hour
)

// zoneKnown reports whether a report's day is a day in a known zone: its
// publisher's from the registry, or, for a site the registry does not list,
// the one the extractor found (a government release copied with its
// header, the site's country domain), when the text states the day. An
// unlisted site's "UTC" is no zone, and the day it published a story
// without a date ("Japarov and Rahmon talked over the phone") is no day of
// the call's: a news report is often published the day after the readout.
//
// A listed publisher's day stays a day in its zone even when it is its
// publication's: governments publish their readouts the day of the call,
// and the listed agencies (TASS, RIA, Xinhua) report within hours. Sources
// written before reports carried DateBasis have none and are read as before.
func zoneKnown(ref model.SourceRef) bool {
	if ref.Zone != "" && ref.Zone != "UTC" && ref.DateBasis != model.DatePublished {
		return true // the common case, without a registry lookup
	}
	_, ok := publishers.Default().Lookup(ref.Publisher)
	return ok
}

// eventSpan is the span every source of ev agrees on; when they contradict
// each other (an edit moved one report's date), the best-dated source's.
func eventSpan(ev *model.LeaderCall) span {
	var s span
	for i, src := range ev.Sources {
		if i == 0 {
			s = sourceSpan(src)
			continue
		}
		s = s.intersect(sourceSpan(src))
	}
	if s.empty() && len(ev.Sources) > 0 {
		return sourceSpan(ev.Sources[bestSource(ev.Sources)])
	}
	return s
}

// hullSpan is the smallest span holding every source's span: every time
// some report allows. It only grows as sources arrive.
func hullSpan(ev *model.LeaderCall) span {
	var h span
	for i, src := range ev.Sources {
		s := sourceSpan(src)
		if s.empty() {
			continue
		}
		if i == 0 || h.empty() {
			h = s
			continue
		}
		if s.from.Before(h.from) {
			h.from = s.from
		}
		if s.to.After(h.to) {
			h.to = s.to
		}
	}
	return h
}

// bestSource is the index of the best-dated source: one that states the
// time, then the earliest published, then the smallest statement id.
func bestSource(srcs []model.SourceRef) int {
	best := 0
	for i := 1; i < len(srcs); i++ {
		if betterDated(srcs[i], srcs[best]) {
			best = i
		}
	}
	return best
}

func betterDated(a, b model.SourceRef) bool {
	am, bm := !a.OccurredAt.IsZero(), !b.OccurredAt.IsZero()
	// A day the text states beats one taken from a publication.
	ap, bp := a.DateBasis == model.DatePublished, b.DateBasis == model.DatePublished
	switch {
	case am != bm:
		return am
	case ap != bp:
		return bp
	case !a.PublishedAt.Equal(b.PublishedAt):
		return a.PublishedAt.Before(b.PublishedAt)
	}
	return a.StatementID < b.StatementID
}

func (s span) equal(o span) bool { return s.from.Equal(o.from) && s.to.Equal(o.to) }

// publisherZone is the registry's zone of a publisher, UTC for one it does not list.
func publisherZone(publisher string) *time.Location {
	if p, ok := publishers.Default().Lookup(publisher); ok {
		return p.Location()
	}
	return time.UTC
}
