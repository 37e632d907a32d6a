package normalize_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/pkg/normalize"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestPublishedUTC(t *testing.T) {
	tests := []struct {
		name, publisher, in, want string
	}{
		// The Kremlin +04:00 quirk: a 2018 feed item is Moscow wall-clock time, UTC+3.
		{"kremlin 2018 quirk", "kremlin.ru", "2018-01-03T16:50:00+04:00", "2018-01-03T13:50:00Z"},
		{"en.kremlin 2018 quirk", "en.kremlin.ru", "2018-01-07T09:00:00+04:00", "2018-01-07T06:00:00Z"},
		{"kremlin 2026 quirk", "kremlin.ru", "2026-09-08T20:15:00+04:00", "2026-09-08T17:15:00Z"},
		{"kremlin publisher as URL", "http://www.kremlin.ru/events", "2018-01-03T16:50:00+04:00", "2018-01-03T13:50:00Z"},
		// 2012: Moscow really was UTC+4, the label is right and stays.
		{"kremlin 2012 stays +04", "kremlin.ru", "2012-05-07T12:00:00+04:00", "2012-05-07T08:00:00Z"},
		// Moscow offset changes: 27 Mar 2011 02:00 +03 -> +04 (no DST back), 26 Oct 2014 02:00 +04 -> +03.
		{"kremlin day before 2011 switch", "kremlin.ru", "2011-03-26T12:00:00+04:00", "2011-03-26T09:00:00Z"},
		{"kremlin day after 2011 switch", "kremlin.ru", "2011-03-28T12:00:00+04:00", "2011-03-28T08:00:00Z"},
		{"kremlin day before 2014 switch", "kremlin.ru", "2014-10-25T12:00:00+04:00", "2014-10-25T08:00:00Z"},
		{"kremlin day after 2014 switch", "kremlin.ru", "2014-10-27T12:00:00+04:00", "2014-10-27T09:00:00Z"},
		{"kremlin 2010 summer time", "kremlin.ru", "2010-07-01T12:00:00+04:00", "2010-07-01T08:00:00Z"},
		{"kremlin 2010 winter time", "kremlin.ru", "2010-01-15T12:00:00+04:00", "2010-01-15T09:00:00Z"},
		{"kremlin correct +03 kept", "kremlin.ru", "2022-06-15T17:45:00+03:00", "2022-06-15T14:45:00Z"},
		{"kremlin zoneless is Moscow", "kremlin.ru", "2025-05-06 17:45", "2025-05-06T14:45:00Z"},
		{"kremlin MSK", "kremlin.ru", "Tue, 6 May 2025 17:45:00 MSK", "2025-05-06T14:45:00Z"},
		{"kremlin russian date", "kremlin.ru", "6 мая 2025 года, 17:45", "2025-05-06T14:45:00Z"},
		{"kremlin russian date only", "kremlin.ru", "12 февраля 2022 года", "2022-02-11T21:00:00Z"},
		// +04:00 from other publishers is a real offset.
		{"other +04 kept", "example.org", "2018-01-03T16:50:00+04:00", "2018-01-03T12:50:00Z"},
		// White House: New York time, DST edges.
		{"wh rfc1123z", "whitehouse.gov", "Fri, 21 Aug 2026 16:00:54 -0400", "2026-08-21T20:00:54Z"},
		{"wh rfc1123 EDT", "whitehouse.gov", "Fri, 21 Aug 2026 16:00:54 EDT", "2026-08-21T20:00:54Z"},
		{"wh rfc1123 EST", "whitehouse.gov", "Tue, 26 Jan 2021 14:26:27 EST", "2021-01-26T19:26:27Z"},
		{"wh readout front matter", "whitehouse.gov", "2021-01-26 14:26:27-05:00", "2021-01-26T19:26:27Z"},
		{"wh zoneless winter", "whitehouse.gov", "2024-01-04 12:00", "2024-01-04T17:00:00Z"},
		{"wh zoneless summer", "whitehouse.gov", "2024-07-04T12:00:00", "2024-07-04T16:00:00Z"},
		{"wh zoneless before spring forward", "whitehouse.gov", "2024-03-10 01:59", "2024-03-10T06:59:00Z"},
		{"wh zoneless after spring forward", "whitehouse.gov", "2024-03-10 03:00", "2024-03-10T07:00:00Z"},
		{"wh zoneless after fall back", "whitehouse.gov", "2024-11-03 02:00", "2024-11-03T07:00:00Z"},
		{"wh date only", "www.whitehouse.gov", "July 28, 2026", "2026-07-28T04:00:00Z"},
		{"wh archives", "bidenwhitehouse.archives.gov", "2022-02-12 13:00", "2022-02-12T18:00:00Z"},
		// Generic formats, UTC default.
		{"rfc3339 Z", "", "2026-08-22T13:30:25Z", "2026-08-22T13:30:25Z"},
		{"rfc3339 fraction", "", "2026-08-22T13:30:25.123+02:00", "2026-08-22T11:30:25.123Z"},
		{"rfc1123 GMT", "", "Sat, 22 Aug 2026 13:30:25 GMT", "2026-08-22T13:30:25Z"},
		{"rfc1123z one digit day", "", "Sat, 1 Aug 2026 13:30:25 +0000", "2026-08-01T13:30:25Z"},
		{"comment after zone", "", "Sat, 22 Aug 2026 13:30:25 +0000 (UTC)", "2026-08-22T13:30:25Z"},
		{"padded", "", "\n   Fri, 21 Aug 2026 16:00:54 -0400\n  ", "2026-08-21T20:00:54Z"},
		{"zoneless default UTC", "", "2026-08-22 13:30", "2026-08-22T13:30:00Z"},
		{"unix seconds", "", "1767225600", "2026-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normalize.PublishedUTC(tt.publisher, tt.in)
			if err != nil {
				t.Fatalf("PublishedUTC(%q, %q): %v", tt.publisher, tt.in, err)
			}
			if want := mustTime(t, tt.want); !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("PublishedUTC(%q, %q) = %v, want %v", tt.publisher, tt.in, got, want)
			}
		})
	}
}

func TestPublishedUTCErrors(t *testing.T) {
	for _, in := range []string{"", "   ", "yesterday", "2026-13-45T99:00:00Z", "31 февраля 2025 года", strings.Repeat("9", 100), "Mon, 32 Jan 2026 10:00:00 +0000", "0001-01-01T00:00:00Z", "2999-01-01T00:00:00Z"} {
		if got, err := normalize.PublishedUTC("kremlin.ru", in); !errors.Is(err, normalize.ErrBadTime) {
			t.Errorf("PublishedUTC(%q) = %v, %v; want ErrBadTime", in, got, err)
		}
	}
}

// Every entry of the real Kremlin feed parses; the entries also in
// statements-dev get the dataset's corrected time (+03:00).
func TestPublishedUTCKremlinFeed(t *testing.T) {
	dev := map[string]devStatement{}
	for _, s := range devStatements(t) {
		dev[s.URL] = s
	}
	checked := 0
	for _, e := range kremlinFeed(t) {
		got, err := normalize.PublishedUTC("en.kremlin.ru", e.Published)
		if err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
		labelled, _ := time.Parse(time.RFC3339, e.Published)
		if d := labelled.Sub(got); d != -time.Hour {
			t.Errorf("%s: corrected %v is %v from the label %v, want +1h", e.ID, got, -d, labelled)
		}
		if s, ok := dev[e.ID]; ok {
			checked++
			if want := mustTime(t, s.Date); !got.Equal(want) {
				t.Errorf("%s: got %v, dataset says %v", e.ID, got, want)
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d feed entries checked against the dataset", checked)
	}
}

func TestPublishedUTCWhiteHouse(t *testing.T) {
	for _, it := range whiteHouseItems(t) {
		got, err := normalize.PublishedUTC("whitehouse.gov", it.PubDate)
		if err != nil {
			t.Errorf("%q: %v", it.PubDate, err)
			continue
		}
		want, err := time.Parse(time.RFC1123Z, strings.TrimSpace(it.PubDate))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Errorf("%q: got %v, want %v", it.PubDate, got, want)
		}
	}
	for _, r := range readouts(t) {
		if _, err := normalize.PublishedUTC("whitehouse.gov", r.Published); err != nil {
			t.Errorf("readout %s: %v", r.URL, err)
		}
	}
}

func TestZone(t *testing.T) {
	tests := []struct{ publisher, want string }{
		{"kremlin.ru", "Europe/Moscow"},
		{"en.kremlin.ru", "Europe/Moscow"},
		{"http://WWW.Kremlin.ru/events/president/news/1", "Europe/Moscow"},
		{"whitehouse.gov", "America/New_York"},
		{"https://www.whitehouse.gov/briefing-room/", "America/New_York"},
		{"bidenwhitehouse.archives.gov", "America/New_York"},
		{"notkremlin.ru", "UTC"},
		{"example.org", "UTC"},
		{"", "UTC"},
	}
	for _, tt := range tests {
		if got := normalize.Zone(tt.publisher).String(); got != tt.want {
			t.Errorf("Zone(%q) = %s, want %s", tt.publisher, got, tt.want)
		}
	}
}

// Every date of statements-dev parses with its source as publisher and
// keeps its instant (they are already corrected, none is labelled +04:00);
// the two date-only Kremlin dates are Moscow midnight.
func TestPublishedUTCStatementsDev(t *testing.T) {
	for _, s := range devStatements(t) {
		got, err := normalize.PublishedUTC(s.Source, s.Date)
		if err != nil {
			t.Errorf("%s: %v", s.ID, err)
			continue
		}
		want, err := time.Parse(time.RFC3339, s.Date)
		if err != nil {
			want, err = time.ParseInLocation(time.DateOnly, s.Date, normalize.Zone(s.Source))
			if err != nil {
				t.Fatalf("%s: %v", s.ID, err)
			}
		}
		if !got.Equal(want) {
			t.Errorf("%s: %q -> %v, want %v", s.ID, s.Date, got, want)
		}
	}
}
