package calls

import (
	"testing"
	"time"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// TestSourceSpanInPublisherZone: a report's day is read back in the zone the
// extractor dated it in, the publisher's. It was read in normalize.Zone,
// which knows only the Kremlin and the White House: gov.uk's days were UTC
// days, an hour off in summer.
func TestSourceSpanInPublisherZone(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	st := &model.Statement{ID: "gov.uk/pm-call", Publisher: "www.gov.uk", Lang: "en",
		PublishedAt: time.Date(2022, 5, 20, 23, 30, 0, 0, time.UTC), // 00:30 on 21 May in London
		Title:       "PM call with President Erdoğan of Turkey: 21 May 2022",
		Text:        "The Prime Minister spoke to Turkish President Recep Tayyip Erdoğan today to discuss UK-Turkey cooperation."}
	cs := extract.New(g).Extract(st)
	if len(cs) != 1 {
		t.Fatalf("calls = %+v", cs)
	}
	c := cs[0]
	if c.Zone != "Europe/London" || c.OccurredOn != "2022-05-21" {
		t.Fatalf("call dated %s in %q, want 2022-05-21 in Europe/London", c.OccurredOn, c.Zone)
	}
	got := sourceSpan(model.SourceRef{Publisher: st.Publisher, OccurredOn: c.OccurredOn, Zone: c.Zone})
	want := span{time.Date(2022, 5, 20, 23, 0, 0, 0, time.UTC), time.Date(2022, 5, 21, 23, 0, 0, 0, time.UTC)}
	if !got.from.Equal(want.from) || !got.to.Equal(want.to) {
		t.Errorf("span %s..%s, want %s..%s (London's day)", got.from, got.to, want.from, want.to)
	}
}

// TestLegacySourceSpanInPublisherZone: a report written before reports
// carried their zone is read in its publisher's zone from the registry; it
// was read in UTC for every publisher but the Kremlin and the White House.
func TestLegacySourceSpanInPublisherZone(t *testing.T) {
	for _, c := range []struct {
		publisher string
		from      time.Time // midnight of 2022-05-21 there, in UTC
	}{
		{"www.gov.uk", time.Date(2022, 5, 20, 23, 0, 0, 0, time.UTC)},
		{"pm.gc.ca", time.Date(2022, 5, 21, 4, 0, 0, 0, time.UTC)},
		{"japan.kantei.go.jp", time.Date(2022, 5, 20, 15, 0, 0, 0, time.UTC)},
		{"en.kremlin.ru", time.Date(2022, 5, 20, 21, 0, 0, 0, time.UTC)},
	} {
		got := sourceSpan(model.SourceRef{Publisher: c.publisher, OccurredOn: "2022-05-21"})
		if !got.from.Equal(c.from) || !got.to.Equal(c.from.Add(24*time.Hour)) {
			t.Errorf("%s: span %s..%s, want the day from %s", c.publisher, got.from, got.to, c.from)
		}
	}
}

// TestUnknownZoneSpan: a site the registry does not list dates in a zone
// nobody knows, so its day is that day anywhere from UTC+12 to UTC-12. Two
// such reports of one call a day apart (Washington's and Tokyo's dates)
// meet; two days apart they do not.
func TestUnknownZoneSpan(t *testing.T) {
	for _, zone := range []string{"", "UTC"} {
		got := sourceSpan(model.SourceRef{Publisher: "unknown.example", OccurredOn: "2022-05-21", Zone: zone})
		want := span{time.Date(2022, 5, 20, 12, 0, 0, 0, time.UTC), time.Date(2022, 5, 22, 12, 0, 0, 0, time.UTC)}
		if !got.equal(want) {
			t.Errorf("zone %q: span %s..%s, want %s..%s", zone, got.from, got.to, want.from, want.to)
		}
	}
	// A copied release the extractor dated in its government's zone keeps it.
	got := sourceSpan(model.SourceRef{Publisher: "unknown.example", OccurredOn: "2022-05-21", Zone: "Europe/Moscow"})
	if want := time.Date(2022, 5, 20, 21, 0, 0, 0, time.UTC); !got.from.Equal(want) || !got.to.Equal(want.Add(24*time.Hour)) {
		t.Errorf("Moscow: span %s..%s, want Moscow's day", got.from, got.to)
	}
	day := func(d string) span {
		return sourceSpan(model.SourceRef{Publisher: "news.example", OccurredOn: d, Zone: "UTC"})
	}
	if !day("2021-01-27").overlaps(day("2021-01-28")) {
		t.Error("27 and 28 January from unlisted sites do not meet")
	}
	if day("2021-01-27").overlaps(day("2021-01-29")) {
		t.Error("27 and 29 January from unlisted sites meet")
	}
}

// TestUnknownZoneSpanIsIndexedByDay: an unlisted site's two-day span is
// still filed by day, not in the per-key list every query scans.
func TestUnknownZoneSpanIsIndexedByDay(t *testing.T) {
	x := newDayIndex(spanDayLen)
	s := sourceSpan(model.SourceRef{Publisher: "news.example", OccurredOn: "2021-01-27", Zone: "UTC"})
	x.add([]string{"Q1+Q2"}, s, &entry{})
	if len(x.long["Q1+Q2"]) != 0 {
		t.Errorf("span %s..%s listed as long (%d), want filed by day", s.from, s.to, len(x.long["Q1+Q2"]))
	}
	held := newDayIndex(hullDayLen)
	h := span{s.from, sourceSpan(model.SourceRef{Publisher: "news.example", OccurredOn: "2021-01-28", Zone: "UTC"}).to}
	held.add([]string{"Q1+Q2"}, h, &entry{})
	if len(held.long["Q1+Q2"]) != 0 {
		t.Errorf("hull of two unlisted days listed as long")
	}
}
