package eval

import (
	"strings"
	"testing"
)

// Events cite a source by the URL as published (an archived White House
// page) and match it by its canonical form; events of earlier versions had
// only the canonical url. Both map to the statement whose canonical URL it is.
func TestFromEventsMatchesCanonicalURL(t *testing.T) {
	sts := []Statement{
		{ID: "wh", URL: "https://whitehouse.gov/briefing-room/statements-releases/2021/12/30/statement"},
		{ID: "old", URL: "https://whitehouse.gov/briefing-room/statements-releases/2021/12/31/statement"},
	}
	events := `{"id":"lc-1","version":1,"status":"held","occurred_on":"2021-12-30","participants":[{"wikidata_id":"Q6279"}],` +
		`"sources":[{"statement_id":"wh","url":"https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2021/12/30/statement/",` +
		`"canonical_url":"https://whitehouse.gov/briefing-room/statements-releases/2021/12/30/statement"}]}
{"id":"lc-2","version":1,"status":"held","occurred_on":"2021-12-31","participants":[{"wikidata_id":"Q6279"}],` +
		`"sources":[{"statement_id":"old","url":"https://whitehouse.gov/briefing-room/statements-releases/2021/12/31/statement"}]}`
	preds, err := FromEvents(strings.NewReader(events), sts)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"wh", "old"} {
		if p := preds[id]; !p.IsCall {
			t.Errorf("statement %s: no call found (predictions %+v)", id, preds)
		}
	}
}
