package normalize_test

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/readout/readout/internal/fixture"
)

// atomEntry is one entry of the Kremlin Atom feed fixture.
type atomEntry struct {
	ID        string `xml:"id"`
	Title     string `xml:"title"`
	Published string `xml:"published"`
	Updated   string `xml:"updated"`
	Summary   string `xml:"summary"`
	Content   string `xml:"content"`
}

func kremlinFeed(t testing.TB) []atomEntry {
	t.Helper()
	var feed struct {
		Entries []atomEntry `xml:"entry"`
	}
	readXML(t, "kremlin-en-events-all-2018-01-07.atom.xml", &feed)
	if len(feed.Entries) != 20 {
		t.Fatalf("feed has %d entries, want 20", len(feed.Entries))
	}
	return feed.Entries
}

// rssItem is one item of the White House RSS fixtures.
type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        string   `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description"`
	Categories  []string `xml:"category"`
}

func whiteHouseItems(t testing.TB) []rssItem {
	t.Helper()
	var items []rssItem
	for _, name := range []string{"whitehouse-briefings-rss-2026-08-22.xml", "whitehouse-briefings-rss-2026-08-21.xml"} {
		var rss struct {
			Items []rssItem `xml:"channel>item"`
		}
		readXML(t, name, &rss)
		items = append(items, rss.Items...)
	}
	if len(items) != 40 {
		t.Fatalf("RSS fixtures have %d items, want 40", len(items))
	}
	return items
}

func readXML(t testing.TB, name string, v any) {
	t.Helper()
	if err := xml.Unmarshal(fixture.Read(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// devStatement is one line of statements-dev.jsonl.
type devStatement struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	URL    string `json:"url"`
	Lang   string `json:"lang"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	Text   string `json:"text"`
	Kind   string `json:"kind"`
	Origin string `json:"origin"`
}

func devStatements(t testing.TB) []devStatement {
	t.Helper()
	f, err := os.Open(fixture.File(t, "testdata/eval/statements-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []devStatement
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<22)
	for sc.Scan() {
		var s devStatement
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("statements-dev.jsonl line %d: %v", len(out)+1, err)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) != 452 {
		t.Fatalf("statements-dev.jsonl has %d lines, want 452", len(out))
	}
	return out
}

// ruPageSample is one flattened kremlin.ru page of ru-page-text-samples.txt.
type ruPageSample struct {
	URL  string
	Text string
}

func ruPageSamples(t testing.TB) []ruPageSample {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ru-page-text-samples.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []ruPageSample
	for _, block := range strings.Split(string(b), "### ")[1:] {
		head, text, _ := strings.Cut(block, "\n")
		url, _, _ := strings.Cut(head, " ")
		out = append(out, ruPageSample{URL: url, Text: strings.TrimSpace(text)})
	}
	if len(out) != 3 {
		t.Fatalf("ru-page-text-samples.txt has %d samples, want 3", len(out))
	}
	return out
}

// readout is a White House readout fixture: YAML-ish front matter and a body.
type readout struct {
	Published string
	URL       string
	Body      string
}

func readouts(t testing.TB) []readout {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(fixture.Path(t, "readouts"), "*.md"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("readouts: %v (%d files)", err, len(paths))
	}
	var out []readout
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.SplitN(string(b), "---\n", 3)
		if len(parts) != 3 {
			t.Fatalf("%s: no front matter", p)
		}
		var r readout
		for _, l := range strings.Split(parts[1], "\n") {
			k, v, _ := strings.Cut(l, ": ")
			switch k {
			case "published_time":
				r.Published = v
			case "source_url":
				r.URL = v
			}
		}
		r.Body = parts[2]
		out = append(out, r)
	}
	return out
}

// squash collapses all whitespace to single spaces.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
