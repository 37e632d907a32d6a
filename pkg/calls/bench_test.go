package calls

import (
	"fmt"
	"testing"
	"time"

	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// BenchmarkTrackerAdd merges a stream of reports like the processor's: one
// leader of each of two governments calling 40 counterparts over two years,
// each call reported by the Kremlin in two languages and by the White House
// about half the time, with eviction every 1024 reports.
func BenchmarkTrackerAdd(b *testing.B) {
	g, err := gazetteer.Default()
	if err != nil {
		b.Fatal(err)
	}
	var others []model.Participant
	for _, p := range g.People() {
		if p.WikidataID != putin.WikidataID && p.WikidataID != trump.WikidataID && len(others) < 40 {
			others = append(others, p.Participant(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
		}
	}
	var reports []*model.CallReport
	start := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 4000 {
		day := start.Add(time.Duration(i/6) * 24 * time.Hour)
		on := day.Format(time.DateOnly)
		pub := day.Format(time.RFC3339)
		other := others[i%len(others)]
		id := fmt.Sprint(70000 + i)
		ru := held("kremlin.ru/"+id, pub, on, putin, other)
		ru.Topics = []model.Topic{{ID: "ukraine", Label: "Ukraine", Triggers: []string{"Украина"}}}
		en := held("en.kremlin.ru/"+id, pub, on, putin, other)
		en.Topics = []model.Topic{{ID: "ukraine", Label: "Ukraine", Triggers: []string{"Ukraine"}}}
		reports = append(reports, ru, en)
		if i%2 == 0 {
			reports = append(reports, held("whitehouse.gov/readout-"+id, pub, on, trump, other))
		}
	}
	now := func() time.Time { return start.Add(3 * 365 * 24 * time.Hour) }
	k, err := NewKeyer(g)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		tr := NewTracker(Options{Keys: k, Now: now})
		for i, r := range reports {
			tr.Add(r, now())
			if i%1024 == 1023 {
				tr.Evict()
			}
		}
		n += len(reports)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "reports/s")
}
