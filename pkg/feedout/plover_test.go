package feedout

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/plover"
)

func TestPLOVERExport(t *testing.T) {
	hub := New(Options{})
	srv := httptest.NewServer(hub.JSONLinesHandler(plover.Format))
	defer srv.Close()
	get := func(etag string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get("")
	if resp.StatusCode != http.StatusOK || len(body) != 0 || resp.Header.Get("Content-Type") != JSONLinesContentType {
		t.Fatalf("empty hub: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	trump, modi := load(t, "putin-trump-2017-01-28.json"), load(t, "putin-modi-2018-01-03.json")
	announced := load(t, "putin-modi-2018-01-03.json")
	announced.ID, announced.Status = "call-2018-01-10-Q1058-Q7747", model.StatusAnnounced
	for _, ev := range []*model.LeaderCall{trump, modi, announced} {
		hub.Publish(ev)
	}
	resp, body = get("")
	var recs []plover.Record
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		var r plover.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	// Held calls only, newest update first, each exactly as pkg/plover codes it.
	if len(recs) != 2 || recs[0].ID != modi.ID || recs[1].ID != trump.ID {
		t.Fatalf("records %+v", recs)
	}
	want, _ := plover.FromLeaderCall(modi)
	if recs[0].EventType != plover.EventTypeConsult || recs[0].Mode != plover.ModePhone || recs[0].Actors[0].WikidataID != "Q1058" ||
		recs[0].Actors[0].Role != plover.RoleSource || recs[0].EventDate != want.EventDate || len(recs[0].TopicsIPTC) != 1 {
		t.Errorf("modi record %+v", recs[0])
	}
	etag := resp.Header.Get("ETag")
	if resp, _ := get(etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the current ETag: %d", resp.StatusCode)
	}
	// An update changes the export: the new version replaces the old one.
	modi.Version = 2
	hub.Publish(modi)
	resp, body = get(etag)
	if resp.StatusCode != http.StatusOK || strings.Count(string(body), `"id":"`+modi.ID+`"`) != 1 || !strings.Contains(string(body), `"version":2`) {
		t.Errorf("after an update: %d %s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v %v", resp.StatusCode, err)
	}
}
