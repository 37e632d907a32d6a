package feedout

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs"
)

// idFormat is a throw-away output format: the event's id and version,
// indented over several lines; it skips announced calls and fails on
// events without topics.
type idFormat struct{}

func (idFormat) Spec() outputs.Spec {
	return outputs.Spec{Key: "ids", Name: "ids", Topic: "readout.ids.v1", Schema: "ids/1", Feed: "/events.ids.jsonl"}
}

func (idFormat) Encode(ev *model.LeaderCall) ([]byte, error) {
	switch {
	case ev.Status != model.StatusHeld:
		return nil, outputs.ErrSkip
	case len(ev.Topics) == 0:
		return nil, errors.New("ids: no topics")
	}
	return []byte("{\n  \"id\": \"" + ev.ID + "\"\n}"), nil
}

// The JSON Lines feed serves any format: one compacted line per event it
// encodes, newest update first, the events it skips or fails on left out,
// and an ETag of its own.
func TestJSONLinesHandlerServesAnyFormat(t *testing.T) {
	hub := New(Options{})
	srv := httptest.NewServer(hub.JSONLinesHandler(idFormat{}))
	defer srv.Close()
	trump, modi := load(t, "putin-trump-2017-01-28.json"), load(t, "putin-modi-2018-01-03.json")
	announced := load(t, "putin-modi-2018-01-03.json")
	announced.ID, announced.Status = "call-2018-01-10-Q1058-Q7747", model.StatusAnnounced
	untopical := load(t, "putin-trump-2017-01-28.json")
	untopical.ID, untopical.Topics = "call-2017-02-01-Q22686-Q7747", nil
	for _, ev := range []*model.LeaderCall{trump, modi, announced, untopical} {
		hub.Publish(ev)
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	want := `{"id":"` + modi.ID + `"}` + "\n" + `{"id":"` + trump.ID + `"}` + "\n"
	if string(body) != want || resp.Header.Get("Content-Type") != JSONLinesContentType || resp.Header.Get("ETag") != `"ids-4"` {
		t.Errorf("feed %q %q %q, want %q", resp.Header.Get("Content-Type"), resp.Header.Get("ETag"), body, want)
	}
}
