package normalize

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones must resolve in scratch images without /usr/share/zoneinfo

	"github.com/readout/readout/pkg/publishers"
)

// moscow is the zone of the Kremlin's time quirk and of "MSK" times.
var moscow = mustZone("Europe/Moscow")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("normalize: time zone %s: %v", name, err)) // unreachable with time/tzdata
	}
	return loc
}

// kremlinQuirkOffset is the offset kremlin.ru feeds put on Moscow wall-clock
// times, correct only from 27 March 2011 to 26 October 2014.
const kremlinQuirkOffset = 4 * 60 * 60

// publisherKind is what normalize applies to a publisher's items, from the
// publisher registry: its page-chrome and time rules and its zone.
type publisherKind struct {
	known bool
	rules string // publishers.RulesKremlin, publishers.RulesWhiteHouse or ""
	loc   *time.Location
}

func kindOf(publisher string) publisherKind {
	if p, ok := publishers.Default().Lookup(publisher); ok {
		return publisherKind{known: true, rules: p.Rules, loc: p.Location()}
	}
	return publisherKind{loc: time.UTC}
}

// Zone returns the time zone of a publisher (a host such as "en.kremlin.ru"
// or a URL) in the publisher registry, UTC for one it does not list.
func Zone(publisher string) *time.Location {
	return kindOf(publisher).loc
}

// Layouts that carry an offset.
var zonedLayouts = []string{
	time.RFC3339, // also accepts fractional seconds
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02T15:04:05 -0700",
	"2006-01-02 15:04:05 -0700",
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 02 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"02 Jan 2006 15:04:05 -0700",
	"Monday, 02-Jan-06 15:04:05 -0700",
	"Mon, 2 January 2006 15:04:05 -0700",
	time.RubyDate,
}

// Layouts without an offset: the wall clock is read in the publisher's zone.
var localLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 02 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"Mon, 2 Jan 2006",
	"2 Jan 2006",
	"January 2, 2006 15:04",
	"January 2, 2006 3:04 PM",
	"January 2, 2006 3:04PM",
	"January 2, 2006",
	"Jan 2, 2006",
	"2 January 2006",
	"02.01.2006 15:04",
	"02.01.2006",
	"2006/01/02 15:04:05",
	"2006/01/02",
	time.ANSIC,
}

// zoneAbbrev maps the zone abbreviations feeds use to numeric offsets. MSK is
// handled as Moscow wall-clock time (its offset changed over the years).
var zoneAbbrev = map[string]string{
	"UT": "+0000", "UTC": "+0000", "GMT": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"CET": "+0100", "CEST": "+0200", "MSD": "+0400",
}

var ruMonths = map[string]time.Month{
	"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
	"июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}

// PublishedUTC parses a publication time as published and returns it in UTC.
// It accepts RFC 3339, RFC 1123 (with numeric offsets or common zone
// abbreviations), the zone-less ISO forms, "January 2, 2006" style dates,
// Russian dates ("6 мая 2025 года 17:45") and Unix seconds. A time without a
// zone is read in the publisher's zone (see Zone); a date alone is midnight
// there.
//
// Kremlin quirk: kremlin.ru and en.kremlin.ru label Moscow wall-clock time
// "+04:00" even after Moscow moved to UTC+3 on 26 October 2014. For those
// publishers a "+04:00" time is read as Europe/Moscow wall-clock time, which
// keeps 2011-2014 times (when Moscow was UTC+4) unchanged.
func PublishedUTC(publisher, published string) (time.Time, error) {
	t, err := parsePublished(kindOf(publisher), published)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// Plausible publication years; anything outside (the zero time
// "0001-01-01T00:00:00Z" that buggy feeds emit, typos like 20018) is refused.
const (
	minYear = 1900
	maxYear = 2200
)

// errImplausible is a publication time that was read but is out of range:
// an item with one is refused (Statement), not given its update or fetch
// time instead.
var errImplausible = fmt.Errorf("%w: implausible", ErrBadTime)

func parsePublished(kind publisherKind, s string) (time.Time, error) {
	t, err := parseAny(kind, s)
	if err != nil {
		return t, err
	}
	if y := t.UTC().Year(); y < minYear || y > maxYear {
		return time.Time{}, fmt.Errorf("%w year %d in %q", errImplausible, y, s)
	}
	return t, nil
}

func parseAny(kind publisherKind, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("%w: empty", ErrBadTime)
	}
	if len(s) > 64 {
		return time.Time{}, fmt.Errorf("%w: %q...", ErrBadTime, s[:32])
	}
	loc := kind.loc
	t, ok := parseZoned(s)
	if ok {
		if kind.rules == publishers.RulesKremlin {
			if _, off := t.Zone(); off == kremlinQuirkOffset {
				t = wallClockIn(t, moscow)
			}
		}
		return t, nil
	}
	// Trailing zone abbreviation or a parenthesised comment: "... GMT", "... +0000 (UTC)".
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		head, last := s[:i], s[i+1:]
		if strings.HasPrefix(last, "(") && strings.HasSuffix(last, ")") {
			return parseAny(kind, head)
		}
		switch up := strings.ToUpper(last); {
		case up == "MSK":
			if t, ok := parseLocal(head, moscow); ok {
				return t, nil
			}
		case zoneAbbrev[up] != "":
			if t, ok := parseZoned(head + " " + zoneAbbrev[up]); ok {
				return t, nil
			}
		}
	}
	if t, ok := parseLocal(s, loc); ok {
		return t, nil
	}
	if t, ok := parseRussian(s, loc); ok {
		return t, nil
	}
	if len(s) == 10 && s[0] >= '1' && s[0] <= '2' {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: unrecognised %q", ErrBadTime, s)
}

func parseZoned(s string) (time.Time, bool) {
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func parseLocal(s string, loc *time.Location) (time.Time, bool) {
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseRussian reads "6 мая 2025 года 17:45", "6 мая 2025 года, 17:45" and "6 мая 2025".
func parseRussian(s string, loc *time.Location) (time.Time, bool) {
	f := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if len(f) < 3 {
		return time.Time{}, false
	}
	day, err1 := strconv.Atoi(f[0])
	month, okM := ruMonths[strings.ToLower(f[1])]
	year, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || !okM || day < 1 || day > 31 || year < 1000 {
		return time.Time{}, false
	}
	rest := f[3:]
	if len(rest) > 0 && (rest[0] == "года" || rest[0] == "г." || rest[0] == "г") {
		rest = rest[1:]
	}
	hour, minute := 0, 0
	switch len(rest) {
	case 0:
	case 1:
		hm, err := time.Parse("15:04", rest[0])
		if err != nil {
			return time.Time{}, false
		}
		hour, minute = hm.Hour(), hm.Minute()
	default:
		return time.Time{}, false
	}
	t := time.Date(year, month, day, hour, minute, 0, 0, loc)
	if t.Day() != day {
		return time.Time{}, false // 31 February and the like
	}
	return t, true
}

// wallClockIn reads t's wall clock as a time in loc. For a wall clock that
// occurs twice (DST fall-back) Go picks one of the two; for one that does not
// exist (spring-forward gap) it is normalised forward.
func wallClockIn(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}
