package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/crawler"
)

// probeSources writes a sources file whose sources live on one local server:
// the real captured Kremlin feed honouring its ETag, the same feed ignoring
// it, a 500, an HTML page where a feed should be, and a Kremlin HTML listing
// with its article pages (the captured pages of testdata/fixtures);
// and one disabled source.
func probeSources(t *testing.T) (path, base string) {
	t.Helper()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	listing := fixture.Read(t, "kremlin-listing-page-1.html")
	article := fixture.Read(t, "kremlin-article-76857.html")
	const etag = `"2018-01-07"`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/feed" || p == "/feed-no-304":
			w.Header().Set("ETag", etag)
			if p == "/feed" && r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", "application/atom+xml")
			w.Write(feed)
		case p == "/events/president/news":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(listing)
		case strings.HasPrefix(p, "/events/president/news/"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(article)
		case p == "/html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!DOCTYPE html><html><body>Технические работы</body></html>"))
		default:
			http.Error(w, "oops", http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	yaml := "fetch: {user_agent: 'ReadoutTest/1 (+https://example.org/contact)', per_host_rate: -1}\nsources:\n" +
		"  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/feed', lang: en, publisher: kremlin.ru}\n" +
		"  - {id: no-304, kind: feed, url: '" + srv.URL + "/feed-no-304', lang: en, publisher: kremlin.ru}\n" +
		"  - {id: broken, kind: feed, url: '" + srv.URL + "/broken', lang: en, publisher: kremlin.ru}\n" +
		"  - {id: maintenance, kind: feed, url: '" + srv.URL + "/html', lang: ru, publisher: kremlin.ru}\n" +
		"  - id: kremlin-ru-html\n    kind: html\n    url: '" + srv.URL + "/events/president/news'\n    lang: ru\n" +
		"    publisher: kremlin.ru\n    zone: Europe/Moscow\n" +
		"    selectors: {item: div.hentry.h-entry.hentry_event, link: 'h3 > a[href]', item_time: 'time[datetime]'," +
		" title: h1.entry-title, time: time.read__published, body: div.read__internal_content}\n" +
		"  - {id: off, kind: feed, url: '" + srv.URL + "/broken', lang: en, publisher: kremlin.ru, disabled: true}\n"
	path = filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, srv.URL
}

// `crawler probe` prints one row per enabled source, a progress line per
// source on stderr, and fails (exit 1) because two sources yield nothing;
// probing only the good ones succeeds. The sources file comes from
// READOUT_SOURCES as for the other commands.
func TestProbeCommand(t *testing.T) {
	path, _ := probeSources(t)
	t.Setenv("READOUT_SOURCES", path)
	var stdout, stderr bytes.Buffer
	err := probe(nil, &stdout, &stderr)
	if err == nil || err.Error() != "probe: 2 of 5 sources yield nothing: broken, maintenance" {
		t.Fatalf("probe = %v, want the two failing sources", err)
	}
	out := stdout.String()
	t.Logf("stdout:\n%s\nstderr:\n%s", out, stderr.String())
	rows := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			rows[f[0]] = l
		}
	}
	for id, want := range map[string][]string{
		"SOURCE":          {"STATUS", "FORMAT", "ITEMS", "NEWEST", "CONDITIONAL", "RESULT"},
		"kremlin-en-all":  {" 200 ", " atom ", " 20 ", "2018-01-07T09:00:00+04:00", " 304 ", " ok"},
		"no-304":          {" 200 ", " atom ", " 20 ", "validators ignored (200)", " ok"},
		"broken":          {" 500 ", " not checked ", "FAIL: HTTP 500"},
		"maintenance":     {" 200 ", " html ", " 0 ", " no validators ", "FAIL: not a feed: got an HTML page"},
		"kremlin-ru-html": {" 200 ", " html listing ", " 3 ", "2025-05-06T17:45:00+03:00", " no validators ", " ok; 1 of 4 entries link a host the source does not allow"},
		"5":               {"5 sources: 3 ok, 2 yield nothing (broken, maintenance)"},
	} {
		for _, w := range want {
			if !strings.Contains(rows[id], w) {
				t.Errorf("row %s lacks %q: %q", id, w, rows[id])
			}
		}
	}
	if _, ok := rows["off"]; ok || len(rows) != 7 {
		t.Errorf("%d rows (the disabled source probed?)", len(rows))
	}
	progress := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(progress) != 5 || !strings.HasPrefix(progress[4], "probe [5/5] ") {
		t.Errorf("progress on stderr: %q, want a line per source", progress)
	}

	// Only the good sources, named by a repeated and a comma-listed --source: exit 0.
	stdout.Reset()
	if err := probe([]string{"--source", "kremlin-en-all", "--source", "no-304,kremlin-ru-html"}, &stdout, &stderr); err != nil {
		t.Fatalf("probe of the good sources = %v\n%s", err, stdout.String())
	}
	if !strings.Contains(stdout.String(), "3 sources: 3 ok\n") {
		t.Errorf("summary:\n%s", stdout.String())
	}
	if err := probe([]string{"--source", "nope"}, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), "unknown source: nope") {
		t.Errorf("unknown --source: %v", err)
	}
	if err := probe([]string{"--format", "yaml"}, &stdout, &stderr); err == nil {
		t.Error("--format yaml accepted")
	}
}

// --format json is one document: ok, the failed ids, a record per source.
// A disabled source named by --source is probed.
func TestProbeCommandJSON(t *testing.T) {
	path, base := probeSources(t)
	var stdout, stderr bytes.Buffer
	err := probe([]string{"--sources", path, "--format", "json", "--source", "kremlin-en-all,off"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 sources yield nothing: off") {
		t.Fatalf("probe = %v", err)
	}
	var rep crawler.ProbeReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	if rep.OK || strings.Join(rep.Failed, ",") != "off" || len(rep.Sources) != 2 {
		t.Fatalf("%s", stdout.String())
	}
	good, off := rep.Sources[0], rep.Sources[1]
	if !good.OK || good.Status != 200 || good.Format != "atom" || good.Items != 20 || good.Newest != "2018-01-07T09:00:00+04:00" ||
		good.Conditional != "304" || good.URL != base+"/feed" {
		t.Errorf("kremlin-en-all: %+v", good)
	}
	if off.OK || !off.Disabled || off.Status != 500 || off.Reason != "http_500" {
		t.Errorf("off: %+v", off)
	}
}

// --help lists every subcommand.
func TestUsageListsEveryCommand(t *testing.T) {
	var b bytes.Buffer
	usage(&b)
	for _, c := range commands {
		if !strings.Contains(b.String(), "  "+c.name+" ") {
			t.Errorf("usage lacks %s:\n%s", c.name, b.String())
		}
	}
	for _, name := range []string{"run", "once", "backfill", "probe"} {
		if !strings.Contains(b.String(), "  "+name+" ") {
			t.Errorf("usage lacks %s", name)
		}
	}
}
