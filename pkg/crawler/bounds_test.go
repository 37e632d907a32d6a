package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// hugeFeed is an RSS feed listing n entries, newest first.
func hugeFeed(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title><link>http://kremlin.ru/</link>`)
	for i := n; i > 0; i-- {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>http://kremlin.ru/events/president/news/%d</link><guid>http://kremlin.ru/events/president/news/%d</guid></item>\n", i, i, i)
	}
	b.WriteString("</channel></rss>")
	return []byte(b.String())
}

// kafkaRecords reads every record of topic.
func kafkaRecords(ctx context.Context, t *testing.T, cfg bus.Config, topic string) []bus.Record {
	t.Helper()
	var recs []bus.Record
	if _, err := bus.ReadAll(ctx, cfg, topic, func(r bus.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return recs
}

// A feed listing 20,000 entries, through Kafka: the crawler reads the first
// MaxSeen, sends them DefaultMaxItemsPerPoll a poll, dead-letters the rest
// once, keeps its state record within bounds and, restarted from that
// record, sends nothing again. (Before: all 20,000 went out in one poll and
// the 2.7 MB state record was refused by Kafka on every poll.)
func TestHugeFeedBoundedThroughKafka(t *testing.T) {
	const entries = 20_000
	env, prod, sink, ctx := kafkaSink(t)
	fs := newFeedServer(t, hugeFeed(entries))
	fs.contentType = "application/rss+xml"
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	start := func() *harness {
		return newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) {
			c.Sink, c.DLQ = sink, sink
			c.State = kafkaState(env, prod, "")
		})
	}
	h := start()

	res := h.c.Poll(ctx, src.ID)
	if res.Err != nil || res.Published != DefaultMaxItemsPerPoll || res.Skipped != entries-DefaultMaxSeen ||
		res.Capped != DefaultMaxSeen-DefaultMaxItemsPerPoll {
		t.Fatalf("first poll: %+v", res)
	}
	if err := h.c.Readiness(); err != nil {
		t.Errorf("readiness after a saved poll: %v", err)
	}
	published := res.Published
	for range DefaultMaxSeen/DefaultMaxItemsPerPoll - 1 {
		res = h.c.Poll(ctx, src.ID)
		if res.Err != nil || res.Published != DefaultMaxItemsPerPoll {
			t.Fatalf("poll: %+v", res)
		}
		published += res.Published
	}
	if res.Capped != 0 {
		t.Errorf("last poll left %d waiting", res.Capped)
	}
	if res = h.c.Poll(ctx, src.ID); !res.NotModified {
		t.Errorf("validators not recorded once the window was sent: %+v", res)
	}
	if got := h.counter(t, "readout_crawler_state_save_failures_total"); got != 0 {
		t.Errorf("state save failures = %v", got)
	}
	if got := h.counter(t, "readout_crawler_state_bytes"); got <= 0 || got > DefaultMaxStateBytes {
		t.Errorf("state record of %v bytes", got)
	}

	// A restart reads the record back: nothing is sent again, even when the
	// document has to be read in full.
	fs.set(hugeFeed(entries), `"v2"`)
	h2 := start()
	if res = h2.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 0 || res.Unchanged != DefaultMaxSeen {
		t.Fatalf("poll after restart: %+v", res)
	}
	raw := kafkaRecords(ctx, t, env.Config, env.Topics.Raw)
	keys := map[string]bool{}
	for _, r := range raw {
		keys[string(r.Key)] = true
	}
	if len(raw) != DefaultMaxSeen || len(keys) != DefaultMaxSeen || published != DefaultMaxSeen {
		t.Errorf("raw topic holds %d records of %d keys, want each of the %d newest once", len(raw), len(keys), DefaultMaxSeen)
	}
	if !keys[src.ID+"|http://kremlin.ru/events/president/news/20000"] || keys[src.ID+"|http://kremlin.ru/events/president/news/19000"] {
		t.Error("the window is not the newest entries as listed")
	}
	var dls []model.DeadLetter
	for _, r := range kafkaRecords(ctx, t, env.Config, env.Topics.DLQ) {
		var dl model.DeadLetter
		if err := json.Unmarshal(r.Value, &dl); err != nil {
			t.Fatal(err)
		}
		dls = append(dls, dl)
	}
	if len(dls) != 1 || dls[0].Reason != "too_many_entries" || dls[0].Source != src.ID || !strings.Contains(dls[0].Error, "20000 entries") {
		t.Fatalf("dead letters: %+v", dls)
	}
	var over tooManyEntries
	if err := json.Unmarshal(dls[0].Payload, &over); err != nil || over.Listed != entries || over.Read != DefaultMaxSeen ||
		over.FirstSkipped != src.ID+"|http://kremlin.ru/events/president/news/19000" || over.LastSkipped != src.ID+"|http://kremlin.ru/events/president/news/1" {
		t.Errorf("dead letter payload %s (%v)", dls[0].Payload, err)
	}
}

// Items over MaxItemsPerPoll are not lost: they go out in the next polls,
// and the validators are recorded only once all went out.
func TestItemsOverCapTakenByLaterPolls(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	h := newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) { c.MaxItemsPerPoll = 8 })
	for i, want := range [][2]int{{8, 12}, {8, 4}, {4, 0}} { // sent, left waiting
		res := h.c.Poll(ctx, src.ID)
		if res.Err != nil || res.Published != want[0] || res.Capped != want[1] {
			t.Fatalf("poll %d: %+v", i+1, res)
		}
		if r := fs.lastRequest(); r.Header.Get("If-None-Match") != "" {
			t.Errorf("poll %d was conditional while items waited", i+1)
		}
	}
	if res := h.c.Poll(ctx, src.ID); !res.NotModified {
		t.Errorf("poll after all were sent: %+v", res)
	}
	items := h.sink.Items()
	keys := map[string]bool{}
	for _, it := range items {
		keys[it.Key()] = true
	}
	if len(items) != 20 || len(keys) != 20 {
		t.Errorf("sent %d items of %d keys, want the 20 once each", len(items), len(keys))
	}
	if got := h.counter(t, "readout_crawler_items_total", "state", "capped"); got != 12+4 {
		t.Errorf("items_total{capped} = %v", got)
	}
}

// After downtime the first page and the older pages the catch-up read hold
// more new items than a poll sends: the oldest go first, so that the next
// poll, whose first page reaches back to what was sent, finds the rest on
// it. (Sending the newest first would leave older pages' items unsent, and
// never read again.)
func TestCatchUpOverCapSendsOldestFirst(t *testing.T) {
	ctx := context.Background()
	a, src, store := downtimeArchive(t, 3, "") // pages 1 and 2 published while it was down
	h := newHarnessWith(t, []sources.Source{src}, fetch.Options{Transport: a.transport()}, func(c *Config) {
		c.State, c.MaxItemsPerPoll = store, 25
	})
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 25 || res.Capped != 15 || res.CatchUp != 2 {
		t.Fatalf("poll after the downtime: %+v", res)
	}
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 15 || res.CatchUp != 0 {
		t.Fatalf("next poll: %+v", res)
	}
	sent := map[string]int{}
	for _, it := range h.sink.Items() {
		sent[it.Key()]++
	}
	for _, page := range []string{allFeed, allFeed + "/page/2"} {
		items, err := feeds.Parse(src, a.page(t, page), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if sent[it.Key()] != 1 {
				t.Errorf("%s of %s sent %d times", it.Key(), page, sent[it.Key()])
			}
		}
	}
}

// A state record that cannot be saved holds the source's new items back
// and makes the crawler unready, with the reason, counted and exported;
// a restart then sends again at most what the first failing poll sent, not
// the whole feed. Once the record fits, the source goes on.
func TestUnsavableStateHoldsSourceBack(t *testing.T) {
	env, prod, sink, ctx := kafkaSink(t)
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	start := func(maxStateBytes int) *harness {
		return newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) {
			c.Sink, c.DLQ = sink, sink
			c.State = kafkaState(env, prod, "")
			c.MaxItemsPerPoll, c.MaxStateBytes = 5, maxStateBytes
		})
	}
	h := start(600) // less than the five keys of a poll need
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 5 {
		t.Fatalf("first poll: %+v", res)
	}
	err := h.c.Readiness()
	if !errors.Is(err, ErrStateTooLarge) || !strings.Contains(err.Error(), "state of source kremlin-en-news not saved") {
		t.Errorf("readiness while the state is not saved: %v", err)
	}
	if got := h.counter(t, "readout_crawler_state_unsaved", "source", src.ID); got != 1 {
		t.Errorf("state_unsaved = %v", got)
	}
	if got := h.counter(t, "readout_crawler_state_bytes", "source", src.ID); got <= 600 {
		t.Errorf("state_bytes = %v, want the refused record's size", got)
	}
	// Held back: the next poll reads the feed and sends nothing.
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Published != 0 || res.Capped != 15 {
		t.Fatalf("poll while the state is not saved: %+v", res)
	}
	if got := h.counter(t, "readout_crawler_state_save_failures_total", "source", src.ID); got != 2 {
		t.Errorf("state_save_failures_total = %v", got)
	}
	if recs := kafkaRecords(ctx, t, env.Config, env.Topics.CrawlerState); len(recs) != 0 {
		t.Errorf("%d state records written", len(recs))
	}

	// Restarted with a bound the record fits: the five sent before the
	// failure go out again (nothing recorded them), the rest once each.
	h2 := start(0)
	total := 0
	for range 4 {
		res := h2.c.Poll(ctx, src.ID)
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		total += res.Published
	}
	if err := h2.c.Readiness(); err != nil {
		t.Errorf("readiness once saved: %v", err)
	}
	if got := h2.counter(t, "readout_crawler_state_unsaved", "source", src.ID); got != 0 {
		t.Errorf("state_unsaved = %v once saved", got)
	}
	if raw := kafkaRecords(ctx, t, env.Config, env.Topics.Raw); total != 20 || len(raw) != 25 {
		t.Errorf("after restart: %d sent, raw topic holds %d, want 20 and 5+20", total, len(raw))
	}
}

// A source whose server redirects to a file: URL fails the poll with a
// dead letter that says why, and the redirect is not followed.
func TestFileRedirectDeadLettered(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, nil)
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	res := h.c.Poll(ctx, src.ID)
	if !errors.Is(res.Err, fetch.ErrUnsupportedScheme) {
		t.Fatalf("poll: %+v", res)
	}
	dls := h.sink.DeadLetters()
	if len(dls) != 1 || dls[0].Reason != "unsupported_scheme" || dls[0].Stage != "crawler.fetch" || dls[0].Source != src.ID ||
		!strings.Contains(dls[0].Error, "file:///etc/passwd") {
		t.Fatalf("dead letters: %+v", dls)
	}
	if got := h.counter(t, "readout_crawler_dead_letters_total", "source", src.ID, "reason", "unsupported_scheme"); got != 1 {
		t.Errorf("dead_letters_total{unsupported_scheme} = %v", got)
	}
}

// fit drops the least recently seen keys no longer listed until the record
// fits, and never a listed one.
func TestStateFit(t *testing.T) {
	st := newSourceState("s")
	now := time.Now()
	for i := range 100 {
		k := fmt.Sprintf("s|http://kremlin.ru/events/president/news/%d", i)
		st.Seen[k], st.SeenAt[k] = strings.Repeat("a", 64), now.Add(-time.Duration(100-i)*time.Minute)
	}
	keep := map[string]bool{"s|http://kremlin.ru/events/president/news/0": true}
	before, _ := encodedSize(st)
	dropped := st.fit(before/2, keep)
	after, _ := encodedSize(st)
	if after > before/2 || dropped == 0 || len(st.Seen) != 100-dropped || len(st.SeenAt) != len(st.Seen) {
		t.Fatalf("fit to %d: %d bytes, %d dropped, %d left", before/2, after, dropped, len(st.Seen))
	}
	if _, ok := st.Seen["s|http://kremlin.ru/events/president/news/0"]; !ok {
		t.Error("a listed key was dropped")
	}
	if _, ok := st.Seen["s|http://kremlin.ru/events/president/news/99"]; !ok {
		t.Error("the most recently seen key was dropped")
	}
	if st.fit(10, keep); len(st.Seen) != 1 {
		t.Errorf("fit below the listed keys left %d keys", len(st.Seen))
	}
}

// A feed of hundreds of bad entries: the rejections the state remembers are
// bounded like its seen keys; past MaxSeen the rest are counted as skipped,
// not dead-lettered one by one on the first poll.
func TestInvalidEntriesBounded(t *testing.T) {
	ctx := context.Background()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>bad</title><link>http://kremlin.ru/</link>`)
	b.WriteString(`<item><title>Good</title><link>http://kremlin.ru/events/president/news/1</link></item>`)
	for i := range 300 {
		fmt.Fprintf(&b, "<item><title>Bad %d</title><link>javascript:alert(%d)</link></item>\n", i, i)
	}
	b.WriteString("</channel></rss>")
	fs := newFeedServer(t, []byte(b.String()))
	fs.contentType = "application/rss+xml"
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	h := newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) { c.MaxSeen = 100 })
	res := h.c.Poll(ctx, src.ID)
	if res.Err != nil || res.Published != 1 || res.Invalid != 100 || res.Skipped != 200 {
		t.Fatalf("poll: %+v", res)
	}
	if dls := h.sink.DeadLetters(); len(dls) != 100 || dls[0].Reason != "invalid_item" {
		t.Fatalf("%d dead letters", len(dls))
	}
	st, _ := h.state.Load(ctx)
	if n := len(st[src.ID].Rejected); n != 100 {
		t.Errorf("state remembers %d rejections", n)
	}
	fs.set([]byte(b.String()), `"v2"`)
	if res := h.c.Poll(ctx, src.ID); res.Err != nil || res.Invalid != 0 || len(h.sink.DeadLetters()) != 100 {
		t.Errorf("second poll: %+v, %d dead letters", res, len(h.sink.DeadLetters()))
	}
	if got := h.counter(t, "readout_crawler_items_total", "state", "skipped"); got != 400 {
		t.Errorf("items_total{skipped} = %v", got)
	}
}
