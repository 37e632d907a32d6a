package extract

import (
	"testing"
	"time"

	"github.com/readout/readout/pkg/model"
)

// hasPersonHit reports whether t holds a hit naming the person with key.
func hasPersonHit(t *text, key string) bool {
	for _, h := range t.hits {
		if h.k == kPerson && h.p != nil && h.p.Key() == key {
			return true
		}
	}
	return false
}

// TestOthersGivenNameGuards: a leader's surname alone that opens another
// name is dropped ("his brother Abbas Karzai"), but not when two leaders
// stand side by side, on a title-case line, in a headline or in Cyrillic.
func TestOthersGivenNameGuards(t *testing.T) {
	at := time.Date(2019, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, title, body, key string
		want                   bool
	}{
		{"another's given name", "", "He expressed condolences over the death of his younger brother Abbas Karzai.", "Q127998", false},
		{"two leaders before call", "", "Analysts said the Trump Putin call went well for both sides.", "Q22686", true},
		{"two leaders after plural office", "", "Aides of Presidents Trump Putin met in Helsinki on Monday.", "Q22686", true},
		{"title-case deck line", "", "Abbas Sharif Welcomes New Envoys At Palace\nThe talks were held in a friendly atmosphere.", "Q127998", true},
		{"headline", "Abbas Sharif welcomes new envoys to the palace", "The talks were held in a friendly atmosphere.", "Q127998", true},
		{"Cyrillic, surname first", "", "Сегодня Аббас Махмуд провел телефонный разговор.", "Q127998", true},
	} {
		st := &model.Statement{ID: "s", Publisher: "news.example", Lang: "en", Title: c.title, Text: c.body, PublishedAt: at}
		e := stageExtractor(t)
		sc := e.getScratch()
		d := &draft{st: st, sc: sc, title: &sc.title, body: &sc.body}
		e.publisher(d)
		e.scan(sc, d.title, st.Title, 0, &sc.titleToks)
		e.scan(sc, d.body, st.Text, 0, &sc.bodyAll)
		tx := d.body
		if c.title != "" {
			tx = d.title
		}
		if got := hasPersonHit(tx, c.key); got != c.want {
			t.Errorf("%s: %s named = %v, want %v", c.name, c.key, got, c.want)
		}
		e.putScratch(sc)
	}
}

// TestStageDateBasis: a day the text states is stated; a report's day
// ("said on Saturday") and a dateline's, like a publication's, are no
// call's day.
func TestStageDateBasis(t *testing.T) {
	at := time.Date(2024, 7, 2, 9, 0, 0, 0, time.UTC) // a Tuesday
	for _, c := range []struct {
		name, text, basis string
	}{
		{"weekday", "President Mahmoud Abbas held a phone conversation with President Recep Tayyip Erdogan on Monday.", model.DateStated},
		{"none", "President Mahmoud Abbas held a phone conversation with President Recep Tayyip Erdogan.", model.DatePublished},
		{"dateline only", "Ramallah, July 2 - President Mahmoud Abbas held a phone conversation with President Recep Tayyip Erdogan.", model.DatePublished},
		{"report's day", "President Mahmoud Abbas held a phone conversation with President Recep Tayyip Erdogan, the presidency said on Saturday.", model.DatePublished},
	} {
		st := &model.Statement{ID: "s", Publisher: "news.example", Lang: "en", Text: c.text, PublishedAt: at}
		d, ok := draftThrough(t, st, "dates")
		if !ok {
			t.Errorf("%s: no call", c.name)
			continue
		}
		if d.dateBasis != c.basis {
			t.Errorf("%s: basis %q (day %s), want %q", c.name, d.dateBasis, d.onStr, c.basis)
		}
	}
}
