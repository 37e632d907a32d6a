package ninjs

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/model"
)

func loadEvent(t *testing.T) *model.LeaderCall {
	t.Helper()
	raw := fixture.Read(t, "putin-trump-2017-01-28.json")
	var ev model.LeaderCall
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	return &ev
}

func TestFromLeaderCallPutinTrump(t *testing.T) {
	ev := loadEvent(t)
	doc, err := FromLeaderCall(ev)
	if err != nil {
		t.Fatalf("FromLeaderCall: %v", err)
	}
	if err := Validate(doc); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	var got map[string]any
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{
		"uri":            "urn:readout:leader-call:call-2017-01-28-Q22686-Q7747",
		"type":           "text",
		"version":        "2",
		"language":       "en",
		"pubStatus":      "usable",
		"firstCreated":   "2017-01-28T19:33:00Z",
		"versionCreated": "2017-01-28T22:15:00Z",
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}
	if _, ok := got["contentCreated"]; ok {
		t.Error("contentCreated set for a day-precision event")
	}
	item, err := NewItem(ev)
	if err != nil {
		t.Fatal(err)
	}
	if h := item.Headlines[0].Value; h != "Telephone conversation: Vladimir Putin and Donald Trump" {
		t.Errorf("headline = %q", h)
	}
	body := item.Bodies[0].Value
	for _, want := range []string{
		"Vladimir Putin (President of Russia) and Donald Trump (President of the United States) held a telephone conversation on 28 January 2017.",
		"Topics discussed: Terrorism, Syria, Middle East, Ukraine, Iran nuclear programme, Korean peninsula, Trade and economy.",
		"Reported by kremlin.ru and whitehouse.gov.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body %q lacks %q", body, want)
		}
	}
	subjects := map[string]string{}
	for _, s := range item.Subjects {
		subjects[s.URI] = s.Name
	}
	for _, uri := range []string{
		"http://cv.iptc.org/newscodes/mediatopic/20000639",
		"http://cv.iptc.org/newscodes/mediatopic/20000565", // terrorism
		"http://cv.iptc.org/newscodes/mediatopic/04000000", // economy, business and finance
	} {
		if _, ok := subjects[uri]; !ok {
			t.Errorf("no subject %s in %v", uri, subjects)
		}
	}
	if subjects["http://cv.iptc.org/newscodes/mediatopic/20000639"] != "diplomacy" {
		t.Errorf("diplomacy subject missing: %v", subjects)
	}
	wantPeople := []Concept{
		{Name: "Vladimir Putin", Rel: "participant", URI: "http://www.wikidata.org/entity/Q7747", Literal: "Q7747"},
		{Name: "Donald Trump", Rel: "participant", URI: "http://www.wikidata.org/entity/Q22686", Literal: "Q22686"},
	}
	if len(item.People) != len(wantPeople) {
		t.Fatalf("people = %+v", item.People)
	}
	for i, p := range wantPeople {
		if item.People[i] != p {
			t.Errorf("people[%d] = %+v, want %+v", i, item.People[i], p)
		}
	}
	if len(item.Places) != 2 || item.Places[0].URI != "http://www.wikidata.org/entity/Q159" || item.Places[1].URI != "http://www.wikidata.org/entity/Q30" {
		t.Errorf("places = %+v", item.Places)
	}
	if len(item.Associations) != 2 || item.Associations[0].URI != "http://en.kremlin.ru/events/president/news/53787" {
		t.Errorf("associations = %+v", item.Associations)
	}
}

func TestFromLeaderCallVariants(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*model.LeaderCall)
		headline string
		bodyHas  string
		err      error
	}{
		{name: "nil", err: ErrNilEvent},
		{name: "no id", edit: func(e *model.LeaderCall) { e.ID = "" }, err: ErrNoID},
		{name: "no participants", edit: func(e *model.LeaderCall) { e.Participants = nil }, err: ErrNoParticipants},
		{
			name:     "announced",
			edit:     func(e *model.LeaderCall) { e.Status = model.StatusAnnounced },
			headline: "Telephone conversation announced: Vladimir Putin and Donald Trump",
			bodyHas:  "A telephone conversation between Vladimir Putin (President of Russia) and Donald Trump (President of the United States) was announced on 28 January 2017.",
		},
		{
			name:     "initiator and minute precision",
			edit:     func(e *model.LeaderCall) { e.Initiator = "Q22686"; e.Precision = model.PrecisionMinute },
			headline: "Telephone conversation: Vladimir Putin and Donald Trump",
			bodyHas:  "at the initiative of Donald Trump.",
		},
		{
			name: "three participants, unknown country, id needing escape",
			edit: func(e *model.LeaderCall) {
				e.ID = "call 2025/01/12"
				e.Participants = append(e.Participants, model.Participant{WikidataID: "Q999", NameEN: "Some Leader", Country: "XX"})
				e.Topics = nil
			},
			headline: "Telephone conversation: Vladimir Putin, Donald Trump and Some Leader",
			bodyHas:  "on 28 January 2017. Reported by",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ev *model.LeaderCall
			if tt.name != "nil" {
				ev = loadEvent(t)
			}
			if tt.edit != nil {
				tt.edit(ev)
			}
			doc, err := FromLeaderCall(ev)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("FromLeaderCall: %v", err)
			}
			var item Item
			if err := json.Unmarshal(doc, &item); err != nil {
				t.Fatal(err)
			}
			if item.Headlines[0].Value != tt.headline {
				t.Errorf("headline = %q, want %q", item.Headlines[0].Value, tt.headline)
			}
			if !strings.Contains(item.Bodies[0].Value, tt.bodyHas) {
				t.Errorf("body = %q, want it to contain %q", item.Bodies[0].Value, tt.bodyHas)
			}
		})
	}
}

func TestValidateRejects(t *testing.T) {
	ev := loadEvent(t)
	good, err := FromLeaderCall(ev)
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name string
		doc  []byte
	}{
		{"not json", []byte(`{"uri":`)},
		{"missing uri", mutate(func(m map[string]any) { delete(m, "uri") })},
		{"unknown property (ninjs 1.x spelling)", mutate(func(m map[string]any) { m["versioncreated"] = "2017-01-28T22:15:00Z" })},
		{"bad type enum", mutate(func(m map[string]any) { m["type"] = "article" })},
		{"bad date-time", mutate(func(m map[string]any) { m["versionCreated"] = "28 Jan 2017" })},
		{"headline without value", mutate(func(m map[string]any) { m["headlines"] = []any{map[string]any{"role": "main"}} })},
		{"subject confidence out of range", mutate(func(m map[string]any) {
			m["subjects"] = []any{map[string]any{"name": "diplomacy", "confidence": 150}}
		})},
		{"version not a string", mutate(func(m map[string]any) { m["version"] = 2 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Validate(tt.doc); !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid", err)
			}
		})
	}
}

func FuzzFromLeaderCall(f *testing.F) {
	f.Add(fixture.Read(f, "putin-trump-2017-01-28.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ev model.LeaderCall
		if json.Unmarshal(data, &ev) != nil {
			return
		}
		doc, err := FromLeaderCall(&ev)
		if err != nil {
			return
		}
		if err := Validate(doc); err != nil {
			t.Fatalf("FromLeaderCall returned an invalid document: %v", err)
		}
	})
}

func BenchmarkFromLeaderCall(b *testing.B) {
	raw := fixture.Read(b, "putin-trump-2017-01-28.json")
	var ev model.LeaderCall
	if err := json.Unmarshal(raw, &ev); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := FromLeaderCall(&ev); err != nil {
			b.Fatal(err)
		}
	}
}

// The events the newsroom outputs are tested with carry the topics the
// extractor emits: ids, labels and IPTC codes of pkg/extract/topics.yaml.
func TestFixtureTopicsAreTheTaxonomy(t *testing.T) {
	tax, err := extract.DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string]extract.TopicDef{}
	for _, d := range tax.Topics {
		defs[d.ID] = d
	}
	files, err := filepath.Glob(filepath.Join(fixture.Path(t, "."), "putin-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ev model.LeaderCall
		if err := json.Unmarshal(raw, &ev); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, tp := range ev.Topics {
			n++
			d, ok := defs[tp.ID]
			switch {
			case !ok:
				t.Errorf("%s: topic %q is not in the taxonomy", f, tp.ID)
			case tp.Label != d.Label || tp.IPTC != d.IPTC:
				t.Errorf("%s: topic %s has label %q and IPTC %q; the taxonomy says %q and %q", f, tp.ID, tp.Label, tp.IPTC, d.Label, d.IPTC)
			}
		}
	}
	if len(files) < 2 || n < 8 {
		t.Errorf("checked %d topics in %d fixtures: is the glob right?", n, len(files))
	}
}
