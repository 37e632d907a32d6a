package crawler

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRunPollsUntilCancelled(t *testing.T) {
	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	a := newFeedServer(t, feed)
	b := newFeedServer(t, nil)
	b.setHandler(serveStatus(500, "")) // a failing source does not stop the others
	srcA := feedSource(t, "kremlin-en-news", a.srv.URL+"/feed")
	srcB := feedSource(t, "broken", b.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{srcA, srcB}, fetch.Options{})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.c.Run(ctx) }()
	waitFor(t, "items and readiness", func() bool { return len(h.sink.Items()) == 20 && h.c.Ready() })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if got := h.counter(t, "readout_crawler_consecutive_failures", "source", "broken"); got < 1 {
		t.Errorf("broken source failures = %v", got)
	}
}

func TestNextDelay(t *testing.T) {
	const interval = time.Minute
	tests := []struct {
		failures   int
		retryAfter time.Duration
		lo, hi     time.Duration
	}{
		{0, 0, 54 * time.Second, 66 * time.Second},
		{1, 0, 30 * time.Second, time.Minute},
		{3, 0, 2 * time.Minute, 4 * time.Minute},
		{20, 0, 15 * time.Minute, 30 * time.Minute},
		{1, 10 * time.Minute, 10 * time.Minute, 10 * time.Minute},
	}
	for _, tt := range tests {
		for range 50 {
			if d := nextDelay(interval, tt.failures, tt.retryAfter, 30*time.Minute); d < tt.lo || d > tt.hi {
				t.Fatalf("nextDelay(%d failures, retry-after %s) = %s, want [%s, %s]", tt.failures, tt.retryAfter, d, tt.lo, tt.hi)
			}
		}
	}
}

func TestBackfill(t *testing.T) {
	listing := fixture.Read(t, "kremlin-listing-page-1.html")
	page := fixture.Read(t, "kremlin-article-76857.html")
	older := bytes.ReplaceAll(listing, []byte("2025-05-0"), []byte("2025-04-0"))
	older = bytes.ReplaceAll(older, []byte("/news/768"), []byte("/news/767"))
	fs := newFeedServer(t, nil)
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/events/president/news/page/1":
			w.Write(listing)
		case p == "/events/president/news/page/2":
			w.Write(older)
		case strings.HasPrefix(p, "/events/president/news/page/"):
			http.NotFound(w, r)
		case p == "/events/president/news/76851":
			http.Error(w, "Forbidden", http.StatusForbidden)
		case strings.HasPrefix(p, "/events/president/news/7"):
			w.Write(bytes.ReplaceAll(page, []byte("76857"), []byte(strings.TrimPrefix(p, "/events/president/news/"))))
		default:
			http.NotFound(w, r)
		}
	})
	srcs, err := sources.Parse([]byte(`
sources:
  - id: kremlin-ru-news
    kind: feed
    url: ` + fs.srv.URL + `/events/president/news/feed
    lang: ru
    publisher: kremlin.ru
    zone: Europe/Moscow
    external_id_pattern: '/(\d+)/?$'
    selectors: {item: div.hentry.h-entry.hentry_event, link: "h3 > a[href]", item_time: "time[datetime]", title: h1.entry-title, body: div.read__internal_content, time: time.read__published, clock: div.read__time}
    archive: {url: "` + fs.srv.URL + `/events/president/news/page/{n}"}
`))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, srcs, fetch.Options{})
	ctx := context.Background()
	from := time.Date(2025, 4, 6, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 5, 6, 12, 0, 0, 0, time.UTC) // excludes 76857 (17:45 MSK)
	var progress bytes.Buffer
	if err := h.c.Backfill(ctx, "kremlin-ru-news", from, to, &progress); err != nil {
		t.Fatalf("Backfill: %v\n%s", err, progress.String())
	}
	var ids []string
	for _, it := range h.sink.Items() {
		ids = append(ids, it.ExternalID)
	}
	// page 1: 76851 is in range but 403, 76841 in range; page 2: 76757 and 76751 in range,
	// 76741 (2025-04-05) is older than from: the walk ends there.
	if strings.Join(ids, ",") != "76841,76757,76751" {
		t.Errorf("published %v\n%s", ids, progress.String())
	}
	out := progress.String()
	if !strings.Contains(out, "page 1: 4 listed, 2 in range, 1 published") || !strings.Contains(out, "page 2: 4 listed, 2 in range, 2 published") ||
		strings.Contains(out, "page 3") || !strings.Contains(out, "3 items published") {
		t.Errorf("progress:\n%s", out)
	}
	// Again: everything in range is seen, nothing is published twice.
	progress.Reset()
	if err := h.c.Backfill(ctx, "kremlin-ru-news", from, to, &progress); err != nil {
		t.Fatal(err)
	}
	if n := len(h.sink.Items()); n != 3 {
		t.Errorf("%d items after a second backfill", n)
	}
	// A window within page 1: page 2 is all older, the walk stops there.
	h2 := newHarness(t, srcs, fetch.Options{})
	progress.Reset()
	if err := h2.c.Backfill(ctx, "kremlin-ru-news", time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), time.Now(), &progress); err != nil {
		t.Fatal(err)
	}
	if out := progress.String(); !strings.Contains(out, "page 2: 4 listed, 0 in range") || strings.Contains(out, "page 3") ||
		len(h2.sink.Items()) != 2 {
		t.Errorf("%d items, progress:\n%s", len(h2.sink.Items()), out)
	}
	if err := h.c.Backfill(ctx, "nope", from, to, nil); !errors.Is(err, ErrUnknownSource) {
		t.Errorf("unknown source: %v", err)
	}
}

func TestJSONLSinkAndFileStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "out.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	sink := NewJSONLSink(f)
	items := []model.RawItem{{Source: "s", URL: "http://kremlin.ru/d/1", Title: "Телефонный разговор <b>", Tags: []string{}}}
	if err := sink.Publish(ctx, items); err != nil {
		t.Fatal(err)
	}
	if err := sink.DeadLetter(ctx, model.DeadLetter{Reason: "not_a_feed", Payload: []byte("<html>")}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	data, _ := os.ReadFile(f.Name())
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var got model.RawItem
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &got) != nil || got.Title != items[0].Title || !strings.Contains(lines[0], "<b>") {
		t.Fatalf("jsonl = %s", data)
	}

	store, err := NewFileStore(filepath.Join(dir, "state"))
	if err != nil {
		t.Fatal(err)
	}
	st := SourceState{SourceID: "kremlin-en-news", ETag: `"v1"`, Seen: map[string]string{"k": "h"},
		SeenAt: map[string]time.Time{"k": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}
	if err := store.Save(ctx, st); err != nil {
		t.Fatal(err)
	}
	loaded, err := store.Load(ctx)
	if err != nil || loaded["kremlin-en-news"].ETag != `"v1"` || loaded["kremlin-en-news"].Seen["k"] != "h" ||
		!loaded["kremlin-en-news"].SeenAt["k"].Equal(st.SeenAt["k"]) {
		t.Fatalf("loaded %+v, %v", loaded, err)
	}
	if err := store.Save(ctx, SourceState{SourceID: "../x"}); err == nil {
		t.Error("path traversal in source id accepted")
	}

	// A crawler restarted on the same store sends conditional requests at once.
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	for i := range 2 {
		c, err := New(Config{Sources: []sources.Source{src}, Sink: &MemorySink{}, State: store,
			Fetch: fetch.Options{PerHostRate: -1}})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Once(ctx); err != nil {
			t.Fatal(err)
		}
		if i == 1 && fs.lastRequest().Header.Get("If-None-Match") != `"v1"` {
			t.Error("restarted crawler did not reuse the stored ETag")
		}
	}
}

// A JSONL sink on a pipe (`crawler once | jq`) publishes: a pipe cannot be
// synced (Sync answers EINVAL), which used to fail every publish.
func TestJSONLSinkWritesToPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	read := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(r)
		read <- b
	}()
	sink := NewJSONLSink(w)
	items := []model.RawItem{{Source: "s", URL: "http://kremlin.ru/d/1", Title: "Телефонный разговор", Tags: []string{}}}
	if err := sink.Publish(context.Background(), items); err != nil {
		t.Fatalf("Publish to a pipe: %v", err)
	}
	if err := sink.DeadLetter(context.Background(), model.DeadLetter{Reason: "not_a_feed"}); err != nil {
		t.Fatalf("DeadLetter to a pipe: %v", err)
	}
	w.Close()
	lines := strings.Split(strings.TrimSpace(string(<-read)), "\n")
	var got model.RawItem
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &got) != nil || got.Title != items[0].Title {
		t.Errorf("read from the pipe: %q", lines)
	}
}

func TestPrune(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	st := SourceState{Seen: map[string]string{}, SeenAt: map[string]time.Time{}}
	for i, age := range []time.Duration{0, time.Hour, 2 * time.Hour, 100 * 24 * time.Hour, 200 * 24 * time.Hour} {
		k := string(rune('a' + i))
		st.Seen[k], st.SeenAt[k] = "h", now.Add(-age)
	}
	st.prune(now, 90*24*time.Hour, 2, map[string]bool{"e": true})
	// d is too old; e is too old but still in the feed; of a, b, c only the newest fits next to e.
	if len(st.Seen) != 2 || st.Seen["a"] == "" || st.Seen["e"] == "" {
		t.Errorf("seen after prune = %v", st.Seen)
	}
}

func TestNewValidates(t *testing.T) {
	src := feedSource(t, "s", "http://kremlin.ru/feed")
	if _, err := New(Config{Sources: []sources.Source{src}}); !errors.Is(err, ErrNoSink) {
		t.Errorf("no sink: %v", err)
	}
	src.Disabled = true
	if _, err := New(Config{Sources: []sources.Source{src}, Sink: &MemorySink{}}); !errors.Is(err, ErrNoSources) {
		t.Errorf("no enabled sources: %v", err)
	}
}

// blockingSink holds Publish until released, to observe shutdown.
type blockingSink struct {
	MemorySink
	entered chan struct{}
	release chan struct{}
}

func (s *blockingSink) Publish(ctx context.Context, items []model.RawItem) error {
	close(s.entered)
	<-s.release
	if ctx.Err() != nil {
		return ctx.Err() // the publish must not see the Run context's cancellation
	}
	return s.MemorySink.Publish(ctx, items)
}

func TestRunDrainsInFlightPublishOnCancel(t *testing.T) {
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	sink := &blockingSink{entered: make(chan struct{}), release: make(chan struct{})}
	state := NewMemoryStore()
	c, err := New(Config{Sources: []sources.Source{src}, Sink: sink, State: state, Fetch: fetch.Options{PerHostRate: -1}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	<-sink.entered
	cancel()
	select {
	case <-done:
		t.Fatal("Run returned while a publish was in flight")
	default:
	}
	close(sink.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st, _ := state.Load(context.Background())
	if len(sink.Items()) != 20 || len(st[src.ID].Seen) != 20 {
		t.Errorf("after drain: %d items published, %d seen", len(sink.Items()), len(st[src.ID].Seen))
	}
}

func TestMedianGap(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(mins ...int) []time.Time {
		var ts []time.Time
		for _, m := range mins {
			ts = append(ts, t0.Add(time.Duration(m)*time.Minute))
		}
		return ts
	}
	tests := []struct {
		ts   []time.Time
		want time.Duration
		ok   bool
	}{
		{at(0, 10, 20, 90), 10 * time.Minute, true},
		{at(0, 10, 30, 60, 100), 25 * time.Minute, true},
		{at(0, 0, 0), 0, false},
		{at(5), 0, false},
	}
	for _, tt := range tests {
		if got, ok := medianGap(tt.ts); got != tt.want || ok != tt.ok {
			t.Errorf("medianGap(%v) = %s %v, want %s %v", tt.ts, got, ok, tt.want, tt.ok)
		}
	}
}
