package calls

import (
	"testing"
	"time"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
)

// extracted is the one call st reports, as the processor hands it to the
// tracker.
func extracted(t *testing.T, x *extract.Extractor, st *model.Statement) *model.CallReport {
	t.Helper()
	cs := x.Extract(st)
	if len(cs) != 1 {
		t.Fatalf("%s: %d calls, want 1", st.ID, len(cs))
	}
	c := cs[0]
	return &model.CallReport{
		Source: model.SourceRef{StatementID: st.ID, URL: "https://" + st.ID, Publisher: st.Publisher, Lang: st.Lang,
			PublishedAt: st.PublishedAt, Title: st.Title, Zone: c.Zone, DateBasis: c.DateBasis},
		Status: c.Status, Participants: c.Participants, Unresolved: c.Unresolved, OccurredOn: c.OccurredOn,
		OccurredAt: c.OccurredAt, Precision: c.Precision, Topics: c.Topics, Confidence: c.Confidence, Evidence: c.Evidence,
	}
}

// TestCountryDomainKeepsConsecutiveDaysApart (holdout40): Japarov and
// Rahmon spoke on 30 April 2021 and again on 1 May. Two Kyrgyz sites the
// registry does not list reported each call "today"; their days, each
// anywhere from UTC-12 to UTC+12, met, and both calls became one event. A
// .kg site's stated day is a day in Bishkek. A report that states no day is
// dated by its publication, often the day after the call, and still meets
// the other side's readout of the day before.
func TestCountryDomainKeepsConsecutiveDaysApart(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	x := extract.New(g)
	first := extracted(t, x, &model.Statement{ID: "kant.kg/2021-04-30/call", Publisher: "kant.kg", Lang: "ru",
		PublishedAt: time.Date(2021, 4, 30, 6, 0, 0, 0, time.UTC),
		Text: "Сегодня, 30 апреля, состоялся телефонный разговор Президента Кыргызской Республики Садыра Жапарова " +
			"с Президентом Республики Таджикистан Эмомали Рахмоном."})
	second := extracted(t, x, &model.Statement{ID: "24.kg/english/192500", Publisher: "24.kg", Lang: "en",
		PublishedAt: time.Date(2021, 5, 1, 11, 41, 0, 0, time.UTC),
		Title:       "Sadyr Japarov and Emomali Rahmon talk over the phone again",
		Text:        "President of Kyrgyzstan Sadyr Japarov and President of Tajikistan Emomali Rahmon held a telephone conversation today."})
	for _, r := range []*model.CallReport{first, second} {
		if r.Source.Zone != "Asia/Bishkek" || r.Source.DateBasis != model.DateStated {
			t.Fatalf("%s: dated %s in %q (%s), want a stated day in Asia/Bishkek", r.Source.StatementID, r.OccurredOn, r.Source.Zone, r.Source.DateBasis)
		}
	}
	tr := newTracker(t)
	a := one(t, adds(tr.Add(first, clock)))
	b := one(t, adds(tr.Add(second, clock)))
	if a.ID == b.ID {
		t.Fatalf("30 April and 1 May merged into %s", a.ID)
	}

	// The same story without "today": its day is its publication's, which
	// says nothing about the call's, so it may still be 30 April's call.
	undated := extracted(t, x, &model.Statement{ID: "24.kg/english/192499", Publisher: "24.kg", Lang: "en",
		PublishedAt: time.Date(2021, 5, 1, 9, 0, 0, 0, time.UTC),
		Title:       "Sadyr Japarov and Emomali Rahmon talk over the phone",
		Text:        "President of Kyrgyzstan Sadyr Japarov and President of Tajikistan Emomali Rahmon held a telephone conversation."})
	if undated.Source.DateBasis != model.DatePublished {
		t.Fatalf("undated story: basis %q, want %q", undated.Source.DateBasis, model.DatePublished)
	}
	tr = newTracker(t)
	a = one(t, adds(tr.Add(first, clock)))
	if c := one(t, adds(tr.Add(undated, clock))); c.ID != a.ID {
		t.Errorf("an undated report published the next day opened %s, want it merged into %s", c.ID, a.ID)
	}

	// The event's day is the one a report states, not the day an
	// earlier-published report took from its publication.
	stated := extracted(t, x, &model.Statement{ID: "kant.kg/2021-05-02/call", Publisher: "kant.kg", Lang: "ru",
		PublishedAt: time.Date(2021, 5, 2, 6, 0, 0, 0, time.UTC),
		Text: "Сегодня, 2 мая, состоялся телефонный разговор Президента Кыргызской Республики Садыра Жапарова " +
			"с Президентом Республики Таджикистан Эмомали Рахмоном."})
	tr = newTracker(t)
	one(t, adds(tr.Add(undated, clock)))
	ev := one(t, adds(tr.Add(stated, clock)))
	if len(ev.Sources) != 2 || ev.OccurredOn != "2021-05-02" {
		t.Errorf("event of %d sources dated %s, want both sources and the stated 2021-05-02", len(ev.Sources), ev.OccurredOn)
	}
}
