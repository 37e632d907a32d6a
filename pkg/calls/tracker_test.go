package calls

import (
	"testing"
	"time"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/model"
)

var (
	putin = model.Participant{WikidataID: "Q7747", NameEN: "Vladimir Putin", Country: "RU"}
	trump = model.Participant{WikidataID: "Q22686", NameEN: "Donald Trump", Country: "US"}
	modi  = model.Participant{WikidataID: "Q1058", NameEN: "Narendra Modi", Country: "IN"}
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func stmt(id, publisher, published string) *model.Statement {
	return &model.Statement{ID: id, URL: "https://" + id, Publisher: publisher, Lang: "en", PublishedAt: at(published), Title: id}
}

func call(status, on, atTime string, ps ...model.Participant) extract.Call {
	return extract.Call{Status: status, Participants: ps, OccurredOn: on, OccurredAt: at(atTime), Precision: model.PrecisionDay, Confidence: 0.9}
}

func TestMergeAcrossGovernmentsAndDays(t *testing.T) {
	tr := NewTracker(0, 0)
	now := at("2025-03-19T00:00:00Z")
	// The Kremlin reports a call on 18 March (Moscow), the White House the same call on 18 March (Washington).
	a := tr.Add(stmt("kremlin.ru/76477", "kremlin.ru", "2025-03-18T20:15:00+03:00"), call(model.StatusHeld, "2025-03-18", "2025-03-18T17:15:00Z", putin, trump), now)
	b := tr.Add(stmt("whitehouse.gov/readout", "whitehouse.gov", "2025-03-18T16:30:00-04:00"), call(model.StatusHeld, "2025-03-18", "2025-03-18T20:30:00Z", trump, putin), now)
	if len(a) != 1 || len(b) != 1 || a[0].ID != b[0].ID || b[0].Version != 2 || len(b[0].Sources) != 2 {
		t.Fatalf("one call, two governments: %+v / %+v", a, b)
	}
	// A late-evening Washington readout dated the day before Moscow's report is still the same call.
	c := tr.Add(stmt("kremlin.ru/1", "kremlin.ru", "2025-04-02T01:10:00+03:00"), call(model.StatusHeld, "2025-04-02", "2025-04-01T22:10:00Z", putin, trump), now)
	d := tr.Add(stmt("whitehouse.gov/2", "whitehouse.gov", "2025-04-01T19:00:00-04:00"), call(model.StatusHeld, "2025-04-01", "2025-04-01T23:00:00Z", putin, trump), now)
	if c[0].ID != d[0].ID {
		t.Errorf("dates across zones split one call: %s vs %s", c[0].ID, d[0].ID)
	}
	// The same government on another day is another call, even within the window.
	e := tr.Add(stmt("kremlin.ru/2", "kremlin.ru", "2025-04-03T00:30:00+03:00"), call(model.StatusHeld, "2025-04-03", "2025-04-02T21:30:00Z", putin, trump), now)
	if e[0].ID == c[0].ID {
		t.Errorf("two Kremlin reports on different days merged")
	}
	// Another pair of leaders the same day is another call.
	f := tr.Add(stmt("kremlin.ru/3", "kremlin.ru", "2025-03-18T21:00:00+03:00"), call(model.StatusHeld, "2025-03-18", "2025-03-18T18:00:00Z", putin, modi), now)
	if f[0].ID == a[0].ID {
		t.Errorf("different participants merged")
	}
	// A repeat of a known report changes nothing and emits nothing.
	if g := tr.Add(stmt("kremlin.ru/76477", "kremlin.ru", "2025-03-18T20:15:00+03:00"), call(model.StatusHeld, "2025-03-18", "2025-03-18T17:15:00Z", putin, trump), now); len(g) != 0 {
		t.Errorf("repeat emitted %d events", len(g))
	}
}

func TestAnnouncementLinkedToHeldCall(t *testing.T) {
	tr := NewTracker(0, 0)
	now := at("2025-03-20T00:00:00Z")
	ann := tr.Add(stmt("whitehouse.gov/briefing", "whitehouse.gov", "2025-03-17T12:00:00-04:00"), call(model.StatusAnnounced, "2025-03-18", "2025-03-18T14:00:00Z", trump, putin), now)
	if len(ann) != 1 || ann[0].Status != model.StatusAnnounced {
		t.Fatalf("announcement: %+v", ann)
	}
	held := tr.Add(stmt("kremlin.ru/76477", "kremlin.ru", "2025-03-18T20:15:00+03:00"), call(model.StatusHeld, "2025-03-18", "2025-03-18T17:15:00Z", putin, trump), now)
	if len(held) != 2 {
		t.Fatalf("held call: %d events, want the held one and the updated announcement", len(held))
	}
	if held[0].Status != model.StatusHeld || held[0].ID == ann[0].ID || len(held[0].AnnouncedBy) != 1 {
		t.Errorf("held event %+v", held[0])
	}
	if held[1].ID != ann[0].ID || held[1].HeldEventID != held[0].ID {
		t.Errorf("announcement not linked: %+v", held[1])
	}
}

func TestEvictAndRestore(t *testing.T) {
	tr := NewTracker(0, 14*24*time.Hour)
	now := at("2025-06-01T00:00:00Z")
	old := tr.Add(stmt("kremlin.ru/1", "kremlin.ru", "2025-03-01T12:00:00+03:00"), call(model.StatusHeld, "2025-03-01", "2025-03-01T09:00:00Z", putin, trump), now)
	tr.Add(stmt("kremlin.ru/2", "kremlin.ru", "2025-05-30T12:00:00+03:00"), call(model.StatusHeld, "2025-05-30", "2025-05-30T09:00:00Z", putin, modi), now)
	if n := tr.Evict(); n != 1 || tr.Len() != 1 {
		t.Fatalf("evicted %d, holding %d", n, tr.Len())
	}
	// A new tracker restored from the topic answers as the old one did.
	tr2 := NewTracker(0, 0)
	tr2.Restore(old[0])
	again := tr2.Add(stmt("whitehouse.gov/x", "whitehouse.gov", "2025-03-01T10:00:00-05:00"), call(model.StatusHeld, "2025-03-01", "2025-03-01T15:00:00Z", trump, putin), now)
	if len(again) != 1 || again[0].ID != old[0].ID || again[0].Version != old[0].Version+1 {
		t.Fatalf("restored tracker: %+v", again)
	}
}

func TestUnresolvedCounterpartsStayApart(t *testing.T) {
	tr := NewTracker(0, 0)
	now := at("2025-03-20T00:00:00Z")
	a := tr.Add(stmt("kremlin.ru/1", "kremlin.ru", "2025-03-18T12:00:00+03:00"),
		extract.Call{Status: model.StatusHeld, Participants: []model.Participant{putin}, Unresolved: []string{"Sauli Niinisto"}, OccurredOn: "2025-03-18", OccurredAt: at("2025-03-18T09:00:00Z")}, now)
	b := tr.Add(stmt("kremlin.ru/2", "kremlin.ru", "2025-03-18T15:00:00+03:00"),
		extract.Call{Status: model.StatusHeld, Participants: []model.Participant{putin}, Unresolved: []string{"Alexander Stubb"}, OccurredOn: "2025-03-18", OccurredAt: at("2025-03-18T12:00:00Z")}, now)
	if a[0].ID == b[0].ID {
		t.Fatal("calls with two different unknown leaders merged")
	}
}
