package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// sourcesFile writes a sources file with a feed source whose second entry
// has neither id nor link (a dead letter) and a source answering HTML (one
// more); every request's User-Agent is recorded in ua.
func sourcesFile(t *testing.T, fetchSection string, ua *userAgents) string {
	t.Helper()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	for _, cut := range []string{"<id>http://en.kremlin.ru/events/president/news/56624</id>",
		`<link href="http://en.kremlin.ru/events/president/news/56624" hreflang="en" rel="alternate" type="text/html" />`} {
		if !bytes.Contains(feed, []byte(cut)) {
			t.Fatalf("fixture lacks %s", cut)
		}
		feed = bytes.Replace(feed, []byte(cut), nil, 1)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua.add(r.UserAgent())
		if r.URL.Path == "/html" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!DOCTYPE html><html><body>Технические работы</body></html>"))
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(feed)
	}))
	t.Cleanup(srv.Close)
	path := filepath.Join(t.TempDir(), "sources.yaml")
	yaml := fetchSection + "sources:\n" +
		"  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/feed', lang: en, publisher: kremlin.ru}\n" +
		"  - {id: maintenance, kind: feed, url: '" + srv.URL + "/html', lang: ru, publisher: kremlin.ru}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// userAgents records the User-Agent of each request (the sources are polled concurrently).
type userAgents struct {
	mu sync.Mutex
	ua []string
}

func (u *userAgents) add(s string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.ua = append(u.ua, s)
}

func (u *userAgents) all() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.ua...)
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// B8: --out holds only readout.raw.v1 values; dead letters go to --dlq, or
// are only logged and counted without it.
func TestOnceKeepsDeadLettersOutOfTheItems(t *testing.T) {
	var ua userAgents
	srcFile := sourcesFile(t, "fetch: {user_agent: 'ReadoutTest/1 (+https://example.org/contact)', per_host_rate: -1}\n", &ua)
	dir := t.TempDir()
	out, dlq := filepath.Join(dir, "raw.jsonl"), filepath.Join(dir, "dlq.jsonl")
	err := once([]string{"--sources", srcFile, "--out", out, "--dlq", dlq, "--log-level", "error"})
	if err == nil || !strings.Contains(err.Error(), "not a feed") {
		t.Fatalf("once = %v, want the HTML source's error", err)
	}
	raw := lines(t, out)
	if len(raw) != 19 {
		t.Fatalf("%d raw lines, want the 19 valid items", len(raw))
	}
	for _, l := range raw {
		var fields map[string]any
		var it model.RawItem
		if json.Unmarshal([]byte(l), &fields) != nil || json.Unmarshal([]byte(l), &it) != nil ||
			fields["reason"] != nil || it.Source != "kremlin-en-all" || it.Validate() != "" {
			t.Fatalf("not a raw item: %.200s", l)
		}
	}
	reasons := map[string]int{}
	for _, l := range lines(t, dlq) {
		var dl model.DeadLetter
		if err := json.Unmarshal([]byte(l), &dl); err != nil || dl.Reason == "" || dl.Source == "" {
			t.Fatalf("not a dead letter: %.200s", l)
		}
		reasons[dl.Source+"/"+dl.Reason]++
	}
	if len(reasons) != 2 || reasons["kremlin-en-all/invalid_item"] != 1 || reasons["maintenance/not_a_feed"] != 1 {
		t.Errorf("dead letters %v", reasons)
	}
	for _, u := range ua.all() {
		if u != "ReadoutTest/1 (+https://example.org/contact)" {
			t.Fatalf("User-Agent %q, want the sources file's", u)
		}
	}
	// Without --dlq: the same items, no dead-letter file.
	out2 := filepath.Join(dir, "raw2.jsonl")
	_ = once([]string{"--sources", srcFile, "--out", out2, "--log-level", "error", "--user-agent", "FlagUA/2"})
	if n := len(lines(t, out2)); n != 19 {
		t.Errorf("%d raw lines without --dlq", n)
	}
	if all := ua.all(); all[len(all)-1] != "FlagUA/2" {
		u := all[len(all)-1]
		t.Errorf("User-Agent %q, want the flag's", u)
	}
}

// B12: the fetch: section of the sources file sets the HTTP limits; a flag
// that is set wins over it; neither set leaves pkg/fetch's default.
func TestFetchOptionsFromFileAndFlags(t *testing.T) {
	cfg, err := sources.ParseConfig([]byte("fetch: {timeout: 12s, max_body_bytes: 1048576, per_host_rate: 0.5, per_host_concurrency: 3}\n" +
		"sources:\n  - {id: a, kind: feed, url: 'http://kremlin.ru/feed', publisher: kremlin.ru}\n"))
	if err != nil {
		t.Fatal(err)
	}
	parse := func(args ...string) fetch.Options {
		t.Helper()
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		c := addCommon(fs, "console")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		opts, err := c.fetch.options(cfg.Fetch)
		if err != nil {
			t.Fatal(err)
		}
		return opts
	}
	o := parse()
	if o.Timeout != 12*time.Second || o.MaxBodyBytes != 1<<20 || o.PerHostRate != 0.5 || o.PerHostConcurrency != 3 || o.ConnectTimeout != 0 || o.UserAgent != "" {
		t.Errorf("from the file: %+v", o)
	}
	o = parse("--fetch-timeout", "3s", "--max-body-bytes", "4096", "--per-host-rate", "-1", "--connect-timeout", "2s", "--max-redirects", "-1")
	if o.Timeout != 3*time.Second || o.MaxBodyBytes != 4096 || o.PerHostRate != -1 || o.PerHostConcurrency != 3 || o.ConnectTimeout != 2*time.Second || o.MaxRedirects != -1 {
		t.Errorf("flags over the file: %+v", o)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c := addCommon(fs, "console")
	_ = fs.Parse([]string{"--per-host-rate", "fast"})
	if _, err := c.fetch.options(cfg.Fetch); err == nil {
		t.Error("--per-host-rate fast accepted")
	}
}

// `crawler once` with the default --out - writes to stdout, and stdout is a
// pipe (`crawler once | jq`): the run succeeds and --state is saved, so a
// second run sends a conditional request and writes nothing (a pipe cannot
// be synced, which used to fail every publish and exit 1 with no state).
func TestOnceToStdoutPipe(t *testing.T) {
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	var mu sync.Mutex
	var inm []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inm = append(inm, r.Header.Get("If-None-Match"))
		mu.Unlock()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Header().Set("ETag", `"v1"`)
		w.Write(feed)
	}))
	defer srv.Close()
	dir := t.TempDir()
	srcFile := filepath.Join(dir, "sources.yaml")
	yaml := "fetch: {per_host_rate: -1}\nsources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/feed', lang: en, publisher: kremlin.ru}\n"
	if err := os.WriteFile(srcFile, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	runPiped := func() []string {
		t.Helper()
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout := os.Stdout
		os.Stdout = w
		defer func() { os.Stdout = stdout }()
		out := make(chan []byte, 1)
		go func() {
			b, _ := io.ReadAll(r)
			out <- b
		}()
		err = once([]string{"--sources", srcFile, "--state", filepath.Join(dir, "state"), "--log-level", "error"})
		w.Close()
		b := <-out
		r.Close()
		if err != nil {
			t.Fatalf("once to a pipe: %v", err)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			return nil
		}
		return strings.Split(strings.TrimSpace(string(b)), "\n")
	}
	if got := runPiped(); len(got) != 20 {
		t.Fatalf("first run wrote %d lines, want the feed's 20 items", len(got))
	}
	if got := runPiped(); len(got) != 0 {
		t.Errorf("second run wrote %d lines, want none", len(got))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(inm) != 2 || inm[1] != `"v1"` {
		t.Errorf("If-None-Match of the two runs: %q", inm)
	}
}

// Backfill dates are days of the source's zone: kremlin.ru's 5 January
// starts at 21:00 UTC on the 4th (they were read as UTC days).
func TestBackfillRangeInSourceZone(t *testing.T) {
	srcs, err := sources.Parse([]byte("sources:\n" +
		"  - {id: msk, kind: feed, url: 'http://kremlin.ru/feed', publisher: kremlin.ru, zone: Europe/Moscow}\n" +
		"  - {id: ny, kind: feed, url: 'https://www.whitehouse.gov/feed', publisher: whitehouse.gov, zone: America/New_York}\n" +
		"  - {id: utc, kind: feed, url: 'http://example.org/feed', publisher: example.org}\n"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		src, from, to      string
		wantFrom, wantLast string // RFC 3339 in UTC; wantLast is the last second of the range
	}{
		{"msk", "2018-01-05", "2018-01-05", "2018-01-04T21:00:00Z", "2018-01-05T20:59:59Z"},
		{"utc", "2018-01-05", "2018-01-05", "2018-01-05T00:00:00Z", "2018-01-05T23:59:59Z"},
		// The day the clocks go forward is 23 hours long.
		{"ny", "2026-03-08", "2026-03-08", "2026-03-08T05:00:00Z", "2026-03-09T03:59:59Z"},
		{"msk", "2026-11-30", "", "2026-11-29T21:00:00Z", "2026-12-01T12:00:00Z"},
	}
	for i, tt := range tests {
		f, to, err := backfillRange(srcs[map[string]int{"msk": 0, "ny": 1, "utc": 2}[tt.src]], tt.from, tt.to, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.UTC().Format(time.RFC3339); got != tt.wantFrom {
			t.Errorf("%d: from %s, want %s", i, got, tt.wantFrom)
		}
		if got := to.UTC().Truncate(time.Second).Format(time.RFC3339); got != tt.wantLast {
			t.Errorf("%d: to %s, want %s", i, got, tt.wantLast)
		}
	}
	if _, _, err := backfillRange(srcs[0], "2018-01-06", "2018-01-05", now); err == nil {
		t.Error("--to before --from accepted")
	}
	if _, _, err := backfillRange(srcs[0], "05.01.2018", "", now); err == nil {
		t.Error("a date not YYYY-MM-DD accepted")
	}
}

// `crawler backfill --from D --to D` takes the items published on day D in
// the source's zone: an item of 01:30 Moscow time on 5 January (22:30 UTC on
// the 4th) is in, one of 23:55 on the 4th is out.
func TestBackfillCommandUsesSourceZone(t *testing.T) {
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	for _, edit := range [][2]string{
		{`<link href="http://en.kremlin.ru/events/all/feed/page/2" rel="next" />`, ""}, // one page only
		{"<published>2018-01-03T16:50:00+04:00", "<published>2018-01-05T01:30:00+03:00"},
		{"<published>2018-01-02T11:50:00+04:00", "<published>2018-01-04T23:55:00+03:00"},
	} {
		if !bytes.Contains(feed, []byte(edit[0])) {
			t.Fatalf("fixture lacks %s", edit[0])
		}
		feed = bytes.Replace(feed, []byte(edit[0]), []byte(edit[1]), 1)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(feed)
	}))
	defer srv.Close()
	dir := t.TempDir()
	srcFile, out := filepath.Join(dir, "sources.yaml"), filepath.Join(dir, "raw.jsonl")
	yaml := "fetch: {per_host_rate: -1}\nsources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL +
		"/feed', lang: en, publisher: kremlin.ru, zone: Europe/Moscow, archive: {kind: feed, max_pages: 3}}\n"
	if err := os.WriteFile(srcFile, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := backfill([]string{"--sources", srcFile, "--source", "kremlin-en-all", "--from", "2018-01-05", "--to", "2018-01-05",
		"--out", out, "--log-level", "error"}); err != nil {
		t.Fatal(err)
	}
	got := lines(t, out)
	var it model.RawItem
	if len(got) != 1 || json.Unmarshal([]byte(got[0]), &it) != nil || it.PublishedAt != "2018-01-05T01:30:00+03:00" {
		t.Fatalf("backfilled %d items (%.120s), want the one of 5 January in Moscow", len(got), got)
	}
	if err := backfill([]string{"--sources", srcFile, "--source", "nope", "--from", "2018-01-05", "--out", out}); err == nil {
		t.Error("unknown source accepted")
	}
}
