package crawler

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

const allFeed = "/events/all/feed"

// feedArchive serves the real captured feed of http://en.kremlin.ru/events/all/feed
// (testdata/fixtures/kremlin-en-events-all-2018-01-07.atom.xml) as its page 1 and, as
// pages 2..n, variants built from it: every time moved back 10 days per page,
// numeric ids lowered by 1000 per page (the page's ids span 56521-56626),
// rel="next" to the page after (none on the last). Every host is answered
// (see transport).
type feedArchive struct {
	mu    sync.Mutex
	pages map[string][]byte // path -> feed
	hits  map[string]int
	srv   *httptest.Server
}

var (
	feedTimeRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d`)
	feedIDRE   = regexp.MustCompile(`(en\.kremlin\.ru/[a-z/]+/)(\d{5})\b`)
)

func newFeedArchive(t *testing.T, n int) *feedArchive {
	t.Helper()
	orig := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	a := &feedArchive{pages: map[string][]byte{allFeed: orig}, hits: map[string]int{}}
	for k := 2; k <= n; k++ {
		p := shiftEntry(t, orig, -10*(k-1), -1000*(k-1))
		next := `<link href="http://en.kremlin.ru/events/all/feed/page/2" rel="next" />`
		repl := fmt.Sprintf(`<link href="http://en.kremlin.ru/events/all/feed/page/%d" rel="next" />`, k+1)
		if k == n {
			repl = ""
		}
		p = replaceOnce(t, p, next, repl)
		p = replaceOnce(t, p, `<link href="http://en.kremlin.ru/events/all/feed" rel="self" />`,
			fmt.Sprintf(`<link href="http://en.kremlin.ru/events/all/feed/page/%d" rel="self" />`, k))
		a.pages[fmt.Sprintf("%s/page/%d", allFeed, k)] = p
	}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.hits[r.URL.Path]++
		body, ok := a.pages[r.URL.Path]
		a.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(body))
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Write(body)
	}))
	t.Cleanup(a.srv.Close)
	return a
}

// transport sends every request, whatever its host, to the archive server.
func (a *feedArchive) transport() http.RoundTripper {
	addr := a.srv.Listener.Addr().String()
	return &http.Transport{DisableCompression: true, DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
}

func (a *feedArchive) page(t *testing.T, path string) []byte {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.pages[path]
}

func (a *feedArchive) set(path string, body []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pages[path] = body
}

func (a *feedArchive) hitsOf(path string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.hits[path]
}

func archiveSource(t *testing.T) sources.Source {
	t.Helper()
	srcs, err := sources.Parse([]byte(`
sources:
  - id: kremlin-en-all
    kind: feed
    url: http://en.kremlin.ru/events/all/feed
    lang: en
    publisher: kremlin.ru
    zone: Europe/Moscow
    fetch_article: true
    external_id_pattern: '/(\d+)/?$'
    archive: {kind: feed, max_pages: 50}
`))
	if err != nil {
		t.Fatal(err)
	}
	return srcs[0]
}

// inWindow counts the items of a feed page published in [from, to].
func inWindow(t *testing.T, src sources.Source, page []byte, from, to time.Time) int {
	t.Helper()
	items, err := feeds.Parse(src, page, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range items {
		p, err := time.Parse(time.RFC3339, it.PublishedAt)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Before(from) && !p.After(to) {
			n++
		}
	}
	return n
}

// B4: backfill of a Kremlin feed walks the feed's own pages (rel="next"),
// not the HTML archive that answers 403 to robots, and stops at the first
// page older than --from.
func TestBackfillWalksFeedPages(t *testing.T) {
	ctx := context.Background()
	a := newFeedArchive(t, 4)
	src := archiveSource(t)
	h := newHarness(t, []sources.Source{src}, fetch.Options{Transport: a.transport()})
	from := time.Date(2017, 12, 20, 0, 0, 0, 0, time.UTC)
	to := time.Date(2018, 1, 5, 23, 59, 59, 0, time.UTC)
	var progress bytes.Buffer
	if err := h.c.Backfill(ctx, src.ID, from, to, &progress); err != nil {
		t.Fatalf("Backfill: %v\n%s", err, progress.String())
	}
	want1 := inWindow(t, src, a.page(t, allFeed), from, to)
	want2 := inWindow(t, src, a.page(t, allFeed+"/page/2"), from, to)
	if want1 != 19 || want2 != 8 {
		t.Fatalf("fixture pages hold %d and %d items in the window", want1, want2)
	}
	if n := len(h.sink.Items()); n != want1+want2 {
		t.Errorf("published %d, want %d\n%s", n, want1+want2, progress.String())
	}
	// Page 2 reaches back past from: the walk ends there; page 3 is never asked for.
	if a.hitsOf(allFeed) != 1 || a.hitsOf(allFeed+"/page/2") != 1 || a.hitsOf(allFeed+"/page/3") != 0 {
		t.Errorf("page requests %v", a.hits)
	}
	out := progress.String()
	for _, s := range []string{"kremlin-en-all page 1: 20 listed, 19 in range, 19 published", "[1/~3 pages",
		"page 2: 20 listed, 8 in range, 8 published", "backfill done: 27 items published, 2 pages"} {
		if !strings.Contains(out, s) {
			t.Errorf("progress lacks %q:\n%s", s, out)
		}
	}
	for _, it := range h.sink.Items() {
		if it.Validate() != "" || it.Source != src.ID || it.ExternalID == "" || it.ContentHash != it.Hash() {
			t.Fatalf("item %+v", it)
		}
	}
	// Again: everything in the window is seen.
	if err := h.c.Backfill(ctx, src.ID, from, to, nil); err != nil || len(h.sink.Items()) != 27 {
		t.Errorf("second backfill: %v, %d items", err, len(h.sink.Items()))
	}
	// The last page has no rel="next": the walk ends there.
	h2 := newHarness(t, []sources.Source{src}, fetch.Options{Transport: a.transport()})
	progress.Reset()
	if err := h2.c.Backfill(ctx, src.ID, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), to, &progress); err != nil ||
		len(h2.sink.Items()) != 19+3*20 || !strings.Contains(progress.String(), "[4/~50 pages") || !strings.Contains(progress.String(), "page 4: last page") {
		t.Errorf("walk to the last page: %v, %d items\n%s", err, len(h2.sink.Items()), progress.String())
	}
}

// B4/B5: a page that answers 429 is waited for (Retry-After) and asked
// again, not skipped; the walk then goes on.
func TestBackfillWaitsOutRetryAfter(t *testing.T) {
	a := newFeedArchive(t, 3)
	src := archiveSource(t)
	var once sync.Once
	orig := a.srv.Config.Handler
	a.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		throttled := false
		if r.URL.Path == allFeed+"/page/2" {
			once.Do(func() { throttled = true })
		}
		if throttled {
			a.mu.Lock()
			a.hits[r.URL.Path]++
			a.mu.Unlock()
			serveStatus(http.StatusTooManyRequests, "1")(w, r)
			return
		}
		orig.ServeHTTP(w, r)
	})
	h := newHarness(t, []sources.Source{src}, fetch.Options{Transport: a.transport()})
	from := time.Date(2017, 12, 15, 0, 0, 0, 0, time.UTC)
	if err := h.c.Backfill(context.Background(), src.ID, from, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if a.hitsOf(allFeed+"/page/2") != 2 || len(h.sink.Items()) != 20+20+inWindow(t, src, a.page(t, allFeed+"/page/3"), from, time.Now()) {
		t.Errorf("page 2 asked %d times, %d items", a.hitsOf(allFeed+"/page/2"), len(h.sink.Items()))
	}
	if got := h.counter(t, "readout_crawler_responses_total", "code", "429"); got != 1 {
		t.Errorf("responses{429} = %v", got)
	}
}

func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, "kremlin-en-all", time.Date(2017, 12, 1, 0, 0, 0, 0, time.UTC), 2000)
	p.tty = true // as on a terminal
	p.setLast(1390)
	msk := time.FixedZone("", 4*3600)
	p.page(1, pageReport{listed: 20, inRange: 20, published: 20, oldest: time.Date(2017, 12, 29, 12, 50, 0, 0, msk), newest: time.Date(2018, 1, 7, 9, 0, 0, 0, msk)})
	p.page(2, pageReport{listed: 20, inRange: 20, published: 18, oldest: time.Date(2017, 12, 19, 12, 50, 0, 0, msk), newest: time.Date(2017, 12, 28, 9, 0, 0, 0, msk)})
	p.finish(nil)
	out := b.String()
	// Two pages reach back 19 days of the 37 to Dec 1: about 4 pages in all.
	if p.estimate() != 4 || !strings.Contains(out, "\r\x1b[K") || !strings.Contains(out, "2/~4 pages") ||
		!strings.Contains(out, "["+strings.Repeat("#", barWidth/2)+strings.Repeat(".", barWidth/2)+"]") ||
		!strings.Contains(out, "40 items") || !strings.Contains(out, "38 published") || !strings.Contains(out, "back to 2017-12-19") ||
		!strings.HasSuffix(out, "\nkremlin-en-all backfill done: 38 items published, 2 pages, 0s\n") {
		t.Errorf("estimate %d, output %q", p.estimate(), out)
	}
	if strings.Contains(out, "page 1:") {
		t.Error("plain page lines on a terminal")
	}
	// Bounds: the archive's last page, then MaxPages; a reached --from ends it.
	q := newProgress(nil, "s", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), 50)
	if q.estimate() != 50 {
		t.Errorf("MaxPages bound: %d", q.estimate())
	}
	q.setLast(30)
	if q.estimate() != 30 {
		t.Errorf("rel=last bound: %d", q.estimate())
	}
	q.page(1, pageReport{oldest: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), newest: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)})
	if q.estimate() != 1 {
		t.Errorf("after reaching from: %d", q.estimate())
	}
	if isTerminal(&b) {
		t.Error("a buffer is not a terminal")
	}
}

// B3: `crawler backfill` keeps its own record in the Kafka state topic and
// the live crawler keeps its: neither overwrites the other, a backfill does
// not re-send what the live crawler sent, and a restart knows both.
func TestBackfillAndLiveCrawlerShareKafkaState(t *testing.T) {
	env, prod, sink, ctx := kafkaSink(t)
	store := func(writer string) *RecordStore { return kafkaState(env, prod, writer) }
	a := newFeedArchive(t, 3)
	src := archiveSource(t)
	crawlerWith := func(st StateStore) *harness {
		return newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) {
			c.Sink, c.DLQ, c.State = sink, sink, st
		})
	}
	live := crawlerWith(store(""))
	if res := live.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 20 {
		t.Fatalf("live poll: %+v", res)
	}
	from := time.Date(2017, 12, 19, 0, 0, 0, 0, time.UTC) // page 2 in full, page 3 older
	backfill := crawlerWith(store("backfill"))
	if err := backfill.c.Backfill(ctx, src.ID, from, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	// The live crawler sees a new item and saves its record after the backfill saved its own.
	a.set(allFeed, replaceOnce(t, a.page(t, allFeed), "/news/56626</id>", "/news/56627</id>"))
	if res := live.c.Poll(ctx, src.ID); res.Err != nil || res.New != 1 || res.Published != 1 {
		t.Fatalf("live poll 2: %+v", res)
	}
	raw := map[string]int{}
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(r bus.Record) error { raw[string(r.Key)]++; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(raw) != 41 {
		t.Errorf("raw topic holds %d keys, want 20 live + 20 backfilled + 1 new", len(raw))
	}
	for k, n := range raw {
		if n != 1 {
			t.Errorf("%s sent %d times", k, n)
		}
	}
	// Two records, one per writer; a restart of either knows every key.
	records := map[string]SourceState{}
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.CrawlerState, func(r bus.Record) error {
		var st SourceState
		if err := json.Unmarshal(r.Value, &st); err != nil {
			return err
		}
		records[string(r.Key)] = st
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 || len(records[src.ID].Seen) != 21 || len(records[src.ID+"#backfill"].Seen) != 40 {
		t.Errorf("records: %d; live %d keys, backfill %d keys", len(records), len(records[src.ID].Seen), len(records[src.ID+"#backfill"].Seen))
	}
	for _, writer := range []string{"", "backfill"} {
		loaded, err := store(writer).Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st := loaded[src.ID]; len(st.Seen) != 41 || st.ETag == "" || st.URL != "http://en.kremlin.ru/events/all/feed" {
			t.Errorf("writer %q loads %d keys, validators %q %q", writer, len(st.Seen), st.URL, st.ETag)
		}
	}
	again := crawlerWith(store("backfill"))
	if err := again.c.Backfill(ctx, src.ID, from, time.Now(), nil); err != nil || len(again.sink.Items()) != 0 {
		t.Errorf("second backfill: %v", err)
	}
	n, _ := bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(bus.Record) error { return nil })
	if n != 41 {
		t.Errorf("raw topic holds %d after a second backfill, want 41", n)
	}
}

func TestSourceStateMerge(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	live := SourceState{SourceID: "s", URL: "http://kremlin.ru/feed", ETag: `"v9"`, PolledAt: t0.Add(time.Hour), NewestPublished: t0,
		PublishIntervalSeconds: 3600, Seen: map[string]string{"a": "h1", "b": "h2"}, SeenAt: map[string]time.Time{"a": t0, "b": t0.Add(time.Hour)}}
	bf := SourceState{SourceID: "s", URL: "http://kremlin.ru/feed", ETag: `"v1"`, PolledAt: t0, NewestPublished: t0.Add(-time.Hour),
		Seen: map[string]string{"a": "h1-new", "b": "h2-old", "c": "h3"}, SeenAt: map[string]time.Time{"a": t0.Add(2 * time.Hour), "b": t0, "c": t0}}
	m := live.clone()
	m.merge(bf)
	if len(m.Seen) != 3 || m.Seen["a"] != "h1-new" || m.Seen["b"] != "h2" || m.Seen["c"] != "h3" || m.ETag != `"v9"` ||
		!m.NewestPublished.Equal(t0) || m.PublishIntervalSeconds != 3600 {
		t.Errorf("merged %+v", m)
	}
	m2 := bf.clone()
	m2.merge(live)
	if len(m2.Seen) != 3 || m2.Seen["a"] != "h1-new" || m2.Seen["b"] != "h2" || m2.ETag != `"v9"` {
		t.Errorf("merged the other way %+v", m2)
	}
	// The live record carries the backfill progress it loaded at its start;
	// the backfill's own record, updated since, wins whatever the order.
	stale := &BackfillProgress{Covered: []Span{{From: t0.AddDate(-1, 0, 0), To: t0}}, UpdatedAt: t0}
	fresh := &BackfillProgress{Covered: []Span{{From: t0.AddDate(-2, 0, 0), To: t0}}, Resume: &ResumePoint{URL: "http://kremlin.ru/feed/page/9", Page: 9},
		UpdatedAt: t0.Add(time.Minute)}
	live.Backfill, live.UpdatedAt, bf.Backfill = stale, t0.Add(time.Hour), fresh
	for _, pair := range [][2]SourceState{{live, bf}, {bf, live}} {
		m := pair[0].clone()
		m.merge(pair[1])
		if m.Backfill == nil || !m.Backfill.UpdatedAt.Equal(fresh.UpdatedAt) || m.Backfill.Resume == nil || m.Backfill.Resume.Page != 9 {
			t.Errorf("merged backfill progress %+v", m.Backfill)
		}
	}
	if c := bf.clone(); c.Backfill == bf.Backfill || c.Backfill.Resume == bf.Backfill.Resume {
		t.Error("clone shares the backfill progress")
	}
}

// downtimeArchive is a 4-page feed archive whose crawler last polled the
// feed long ago, when its first page was what page `last` is now; it
// returns the archive, the source (catch_up_pages as given) and the state.
func downtimeArchive(t *testing.T, last int, catchUp string) (*feedArchive, sources.Source, *MemoryStore) {
	t.Helper()
	a := newFeedArchive(t, 4)
	srcs, err := sources.Parse([]byte(`
sources:
  - id: kremlin-en-all
    kind: feed
    url: http://en.kremlin.ru/events/all/feed
    lang: en
    publisher: kremlin.ru
    zone: Europe/Moscow
    external_id_pattern: '/(\d+)/?$'
` + catchUp))
	if err != nil {
		t.Fatal(err)
	}
	src, store := srcs[0], NewMemoryStore()
	cur := a.page(t, allFeed)
	a.set(allFeed, a.page(t, fmt.Sprintf("%s/page/%d", allFeed, last)))
	before := newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) { c.State = store })
	if res := before.c.Poll(context.Background(), src.ID); res.Err != nil || res.Published != 20 {
		t.Fatalf("poll before the downtime: %+v", res)
	}
	a.set(allFeed, cur)
	a.mu.Lock()
	a.hits = map[string]int{}
	a.mu.Unlock()
	return a, src, store
}

// After downtime in which more items were published than the feed's first
// page holds, the crawler reads the older pages (rel="next") until it
// reaches items it has seen: none is missed (it used to read page 1 only,
// and the rest were never fetched).
func TestCatchUpAfterDowntime(t *testing.T) {
	ctx := context.Background()
	a, src, store := downtimeArchive(t, 3, "") // pages 1 and 2 published while it was down
	h := newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) { c.State = store })
	res := h.c.Poll(ctx, src.ID)
	if res.Err != nil || res.New != 40 || res.Published != 40 || res.Unchanged != 20 || res.CatchUp != 2 || res.PossibleGap {
		t.Fatalf("poll after the downtime: %+v", res)
	}
	if a.hitsOf(allFeed+"/page/2") != 1 || a.hitsOf(allFeed+"/page/3") != 1 || a.hitsOf(allFeed+"/page/4") != 0 {
		t.Errorf("page requests %v", a.hits)
	}
	seen := map[string]bool{}
	for _, it := range h.sink.Items() {
		seen[it.Key()] = true
	}
	for _, page := range []string{allFeed, allFeed + "/page/2"} {
		items, err := feeds.Parse(src, a.page(t, page), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if !seen[it.Key()] {
				t.Errorf("%s of %s not sent", it.Key(), page)
			}
		}
	}
	if dls := h.sink.DeadLetters(); len(dls) != 0 {
		t.Errorf("dead letters %+v", dls)
	}
	// Caught up: the next poll is an ordinary one.
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || !res.NotModified || res.CatchUp != 0 {
		t.Errorf("next poll: %+v", res)
	}
}

// The catch-up is bounded by catch_up_pages: past it the poll sends what it
// read and reports a possible gap (a possible_gap dead letter: logged,
// counted, with the times the gap lies between; PollResult.PossibleGap).
func TestCatchUpBoundReportsPossibleGap(t *testing.T) {
	ctx := context.Background()
	a, src, store := downtimeArchive(t, 4, "    catch_up_pages: 1\n") // pages 1 to 3 published while it was down
	h := newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) { c.State = store })
	res := h.c.Poll(ctx, src.ID)
	if res.Err != nil || res.Published != 40 || res.CatchUp != 1 || !res.PossibleGap {
		t.Fatalf("poll: %+v", res)
	}
	if a.hitsOf(allFeed+"/page/2") != 1 || a.hitsOf(allFeed+"/page/3") != 0 {
		t.Errorf("page requests %v", a.hits)
	}
	dls := h.sink.DeadLetters()
	var g possibleGap
	if len(dls) != 1 || dls[0].Reason != "possible_gap" || dls[0].Stage != "crawler.catch_up" || json.Unmarshal(dls[0].Payload, &g) != nil ||
		g.Why != "catch_up_limit" || g.PagesRead != 2 || g.ItemsRead != 40 || !g.NewestSeenBefore.Before(g.OldestRead) {
		t.Errorf("dead letters %+v (gap %+v)", dls, g)
	}
	if got := h.counter(t, "readout_crawler_dead_letters_total", "source", src.ID, "reason", "possible_gap"); got != 1 {
		t.Errorf("dead_letters_total{possible_gap} = %v", got)
	}
	// catch_up_pages: -1 reads page 1 only, and says so.
	a2, src2, store2 := downtimeArchive(t, 3, "    catch_up_pages: -1\n")
	h2 := newHarnessWith(t, []sources.Source{src2}, fetch.Options{Transport: a2.transport()}, func(c *Config) { c.State = store2 })
	if res := h2.c.Poll(ctx, src2.ID); res.Err != nil || res.Published != 20 || res.CatchUp != 0 || !res.PossibleGap || a2.hitsOf(allFeed+"/page/2") != 0 {
		t.Errorf("catch-up off: %+v, page requests %v", res, a2.hits)
	}
}

// archiveEntries are n entries built from the 20 of the real captured feed,
// newest first: entry i is fixture entry i%20 moved back 10 days and its id
// lowered by 1000 for each block of 20 (as newFeedArchive's pages).
func archiveEntries(t *testing.T, n int) [][]byte {
	t.Helper()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	var base [][]byte
	for rest := feed; ; {
		i, j := bytes.Index(rest, []byte("<entry>")), bytes.Index(rest, []byte("</entry>"))
		if i < 0 || j < 0 {
			break
		}
		base, rest = append(base, rest[i:j+len("</entry>")]), rest[j+len("</entry>"):]
	}
	if len(base) != 20 {
		t.Fatalf("fixture has %d entries", len(base))
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = shiftEntry(t, base[i%20], -10*(i/20), -1000*(i/20))
	}
	return out
}

// shiftEntry moves every time of entry (or of a whole feed) by days and its
// numeric ids by ids.
func shiftEntry(t *testing.T, entry []byte, days, ids int) []byte {
	t.Helper()
	e := feedTimeRE.ReplaceAllFunc(entry, func(b []byte) []byte {
		tm, err := time.Parse(time.RFC3339, string(b))
		if err != nil {
			t.Fatal(err)
		}
		return []byte(tm.AddDate(0, 0, days).Format(time.RFC3339))
	})
	return feedIDRE.ReplaceAllFunc(e, func(b []byte) []byte {
		m := feedIDRE.FindSubmatch(b)
		id, _ := strconv.Atoi(string(m[2]))
		return []byte(fmt.Sprintf("%s%d", m[1], id+ids))
	})
}

// serveEntries replaces a's pages by entries, 20 a page, each linking the
// next with rel="next" as kremlin.ru's feed does.
func serveEntries(t *testing.T, a *feedArchive, entries [][]byte) {
	t.Helper()
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	head := feed[:bytes.Index(feed, []byte("<entry>"))]
	head = replaceOnce(t, head, `<link href="http://en.kremlin.ru/events/all/feed/page/2" rel="next" />`, "%s")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pages = map[string][]byte{}
	for p := 0; p*20 < len(entries); p++ {
		next := ""
		if (p+1)*20 < len(entries) {
			next = fmt.Sprintf(`<link href="http://en.kremlin.ru/events/all/feed/page/%d" rel="next" />`, p+2)
		}
		page := append(fmt.Appendf(nil, string(head), next), bytes.Join(entries[p*20:min(len(entries), (p+1)*20)], nil)...)
		path := allFeed
		if p > 0 {
			path = fmt.Sprintf("%s/page/%d", allFeed, p+1)
		}
		a.pages[path] = append(page, "</feed>"...)
	}
}

// A backfill rerun over an archive larger than the seen-state bound sends
// nothing again and reads one page: the walk's progress records the times
// it handled (the bound used to drop the newest pages' keys first, and the
// rerun sent the whole archive again).
func TestBackfillRerunAtArchiveScaleSendsNothing(t *testing.T) {
	ctx := context.Background()
	a := newFeedArchive(t, 1)
	serveEntries(t, a, archiveEntries(t, 60*20)) // 1200 items, over DefaultMaxSeen
	src := archiveSource(t)
	src.Archive.MaxPages = 100
	store := NewMemoryStore()
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	first := newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) { c.State = store })
	if err := first.c.Backfill(ctx, src.ID, from, time.Now(), nil); err != nil || len(first.sink.Items()) != 1200 {
		t.Fatalf("first backfill: %v, %d items", err, len(first.sink.Items()))
	}
	a.mu.Lock()
	a.hits = map[string]int{}
	a.mu.Unlock()
	var progress bytes.Buffer
	again := newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) { c.State = store })
	if err := again.c.Backfill(ctx, src.ID, from, time.Now(), &progress); err != nil {
		t.Fatal(err)
	}
	if n := len(again.sink.Items()); n != 0 || len(a.hits) != 1 || a.hitsOf(allFeed) != 1 {
		t.Errorf("rerun sent %d items, page requests %v\n%s", n, a.hits, progress.String())
	}
	// The same fixed range once more: nothing is even fetched.
	progress.Reset()
	to := time.Date(2018, 1, 7, 0, 0, 0, 0, time.UTC)
	if err := again.c.Backfill(ctx, src.ID, from, to, &progress); err != nil || len(again.sink.Items()) != 0 || a.hitsOf(allFeed) != 1 ||
		!strings.Contains(progress.String(), "was backfilled before") {
		t.Errorf("fixed range: %v, %d items, page requests %v\n%s", err, len(again.sink.Items()), a.hits, progress.String())
	}
}

// A backfill interrupted at page 12 and run again, after 7 new items pushed
// every entry further down the archive, goes on from the page where it
// stopped (pages 2 to 10 are not read again) and sends every item exactly
// once, with the progress kept in its Kafka state record and a seen-state
// bound far below the items walked.
func TestBackfillResumesInterruptedWalk(t *testing.T) {
	env, prod, sink, ctx := kafkaSink(t)
	store := kafkaState(env, prod, "backfill")
	a := newFeedArchive(t, 1)
	entries := archiveEntries(t, 25*20)
	serveEntries(t, a, entries)
	src := archiveSource(t)
	walkCtx, interrupt := context.WithCancel(ctx)
	var once sync.Once
	serve := a.srv.Config.Handler
	a.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == allFeed+"/page/12" {
			stop := false
			once.Do(func() { stop = true })
			if stop { // Ctrl-C while page 12 is on its way
				interrupt()
				<-r.Context().Done()
				return
			}
		}
		serve.ServeHTTP(w, r)
	})
	backfill := func(ctx context.Context) error {
		h := newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) {
			c.Sink, c.DLQ, c.State, c.MaxSeen = sink, sink, store, 50
		})
		return h.c.Backfill(ctx, src.ID, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Now(), nil)
	}
	if err := backfill(walkCtx); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted backfill: %v", err)
	}
	// Meanwhile the site publishes 7 items: every entry moves 7 places down.
	var fresh [][]byte
	for k := range 7 {
		fresh = append(fresh, shiftEntry(t, entries[0], 1, 20000+k))
	}
	serveEntries(t, a, append(fresh, entries...))
	a.mu.Lock()
	before := maps.Clone(a.hits)
	a.hits = map[string]int{}
	a.mu.Unlock()
	if err := backfill(ctx); err != nil {
		t.Fatal(err)
	}
	for n := 2; n <= 10; n++ {
		if a.hitsOf(fmt.Sprintf("%s/page/%d", allFeed, n)) != 0 {
			t.Fatalf("page %d read again on resume: first run %v, second %v", n, before, a.hits)
		}
	}
	if a.hitsOf(allFeed) != 1 || a.hitsOf(allFeed+"/page/11") != 1 || a.hitsOf(allFeed+"/page/26") != 1 {
		t.Errorf("resumed walk's requests %v", a.hits)
	}
	sent := map[string]int{}
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(r bus.Record) error { sent[string(r.Key)]++; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, e := range append(fresh, entries...) {
		items, err := feeds.Parse(src, []byte(`<feed xmlns="http://www.w3.org/2005/Atom">`+string(e)+`</feed>`), time.Now())
		if err != nil || len(items) != 1 {
			t.Fatalf("entry: %v", err)
		}
		if n := sent[items[0].Key()]; n != 1 {
			t.Errorf("%s sent %d times", items[0].Key(), n)
		}
	}
	if len(sent) != 507 {
		t.Errorf("%d keys sent, want 507", len(sent))
	}
}

// When entries were removed from the archive after an interrupted backfill,
// so that the page it stopped at now holds only older entries, the rerun
// does not jump there (the entries between would be skipped): it walks on
// page by page and still sends every item once.
func TestBackfillResumeFallsBackWhenPagesMovedUp(t *testing.T) {
	ctx := context.Background()
	a := newFeedArchive(t, 1)
	entries := archiveEntries(t, 10*20)
	serveEntries(t, a, entries)
	src := archiveSource(t)
	store := NewMemoryStore()
	walkCtx, interrupt := context.WithCancel(ctx)
	var once sync.Once
	serve := a.srv.Config.Handler
	a.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == allFeed+"/page/6" {
			stop := false
			once.Do(func() { stop = true })
			if stop {
				interrupt()
				<-r.Context().Done()
				return
			}
		}
		serve.ServeHTTP(w, r)
	})
	run := func(ctx context.Context, progress io.Writer) (*harness, error) {
		h := newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) { c.State, c.MaxSeen = store, 30 })
		return h, h.c.Backfill(ctx, src.ID, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Now(), progress)
	}
	first, err := run(walkCtx, nil)
	if !errors.Is(err, context.Canceled) || len(first.sink.Items()) != 100 {
		t.Fatalf("interrupted backfill: %v, %d items", err, len(first.sink.Items()))
	}
	// 25 of the newest entries are withdrawn: page 5 now starts 5 entries below where the walk stopped.
	serveEntries(t, a, entries[25:])
	var progress bytes.Buffer
	second, err := run(ctx, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "page 5 no longer reaches back") {
		t.Errorf("progress:\n%s", progress.String())
	}
	sent := map[string]int{}
	for _, h := range []*harness{first, second} {
		for _, it := range h.sink.Items() {
			sent[it.Key()]++
		}
	}
	for k, n := range sent {
		if n != 1 {
			t.Errorf("%s sent %d times", k, n)
		}
	}
	if len(sent) != 200 {
		t.Errorf("%d items sent in all, want 200", len(sent))
	}
}

func TestSpans(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2018, 1, day, 0, 0, 0, 0, time.UTC) }
	var s []Span
	s = addSpan(s, Span{d(10), d(12)})
	s = addSpan(s, Span{d(1), d(3)})
	s = addSpan(s, Span{d(5), d(6)})
	s = addSpan(s, Span{d(3).Add(time.Nanosecond), d(4)}) // touches [1, 3]
	if want := []Span{{d(1), d(4)}, {d(5), d(6)}, {d(10), d(12)}}; !slices.Equal(s, want) {
		t.Fatalf("spans %v", s)
	}
	s = addSpan(s, Span{d(6), d(11)}) // bridges two
	if want := []Span{{d(1), d(4)}, {d(5), d(12)}}; !slices.Equal(s, want) {
		t.Fatalf("bridged %v", s)
	}
	left := subtractSpans(Span{d(0), d(20)}, s)
	want := []Span{{d(0), d(1).Add(-time.Nanosecond)}, {d(4).Add(time.Nanosecond), d(5).Add(-time.Nanosecond)}, {d(12).Add(time.Nanosecond), d(20)}}
	if !slices.Equal(left, want) {
		t.Fatalf("uncovered %v", left)
	}
	if subtractSpans(Span{d(2), d(3)}, s) != nil || !inSpans(s, d(4)) || inSpans(s, d(4).Add(time.Nanosecond)) {
		t.Error("covered checks")
	}
	// A walk covers what its pages did, but for the entries that failed.
	w := newWalk(d(1), d(20), nil)
	w.pageDone(cursor{1, "p1"}, pageReport{newest: d(15), last: d(9), failed: []time.Time{d(12)}})
	if !w.covers(d(10)) || w.covers(d(12)) || !w.covers(d(14)) || w.covers(d(16)) || w.covers(d(9)) {
		t.Errorf("covered %v", w.covered)
	}
	if rem := w.remaining(); len(rem) != 1 || !rem[0].From.Equal(d(1)) || !rem[0].To.Equal(d(9)) {
		t.Errorf("remaining %v", rem)
	}
	w.archiveEnds()
	if p := w.progress(d(21)); p.Resume != nil || !w.covers(d(1)) || w.covers(d(12)) {
		t.Errorf("after the end: %+v", p)
	}
}
