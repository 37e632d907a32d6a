package feedout

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/mmcdole/gofeed/atom"

	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/processor"
)

func atomEntries(t *testing.T, hub *Hub) []*atom.Entry {
	t.Helper()
	srv := httptest.NewServer(hub.AtomHandler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	feed, err := (&atom.Parser{}).Parse(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return feed.Entries
}

// An entry links each source by the URL its publisher published (http, the
// National Archives' host, the trailing slash), not by the canonical form,
// which may not resolve.
func TestAtomLinksThePublishedURL(t *testing.T) {
	g, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := processor.New(processor.Config{Extractor: extract.New(g)})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../processor/testdata/raw-sample.jsonl") // the Biden–Putin call of 2021-12-30, Kremlin then White House
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	hub := New(Options{})
	for range 2 {
		if !sc.Scan() {
			t.Fatal("raw-sample.jsonl has fewer than 2 items")
		}
		for _, ev := range p.Handle(processor.Input{Value: sc.Bytes()}).Events {
			hub.Publish(ev)
		}
	}
	entries := atomEntries(t, hub)
	if len(entries) != 1 {
		t.Fatalf("%d entries, want 1", len(entries))
	}
	want := []string{
		"http://en.kremlin.ru/events/president/news/67487",
		"https://bidenwhitehouse.archives.gov/briefing-room/press-briefings/2021/12/30/background-press-call-on-president-bidens-call-with-president-putin-of-the-russian-federation/",
	}
	links := entries[0].Links
	if len(links) != len(want) {
		t.Fatalf("links %+v, want %v", links, want)
	}
	for i, l := range links {
		if l.Href != want[i] {
			t.Errorf("link %d (%s): %s, want %s", i, l.Rel, l.Href, want[i])
		}
	}
}

// A source without a URL (a statement known by a GUID that is none) gets no
// link; the next source is the alternate one.
func TestAtomSkipsSourcesWithoutURL(t *testing.T) {
	ev := load(t, "putin-trump-2017-01-28.json")
	ev.Sources[0].URL = ""
	hub := New(Options{})
	hub.Publish(ev)
	entries := atomEntries(t, hub)
	if len(entries) != 1 {
		t.Fatalf("%d entries", len(entries))
	}
	if l := entries[0].Links; len(l) != 1 || l[0].Rel != "alternate" || l[0].Href != ev.Sources[1].URL {
		t.Errorf("links %+v, want only the alternate %s", l, ev.Sources[1].URL)
	}
}
