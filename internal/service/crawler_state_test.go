package service_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/sources"
)

// A crawler restarted anywhere resumes from the seen-state kept in the
// compacted Kafka topic: no re-sending of what was sent, an edited item sent
// again as a new version, a new item sent, and conditional requests from the
// first poll on.
func TestCrawlerStateSurvivesRestart(t *testing.T) {
	env := kafkatest.New(t)
	orig := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	var mu sync.Mutex
	feed, etag := orig, `"v1"`
	var conditional atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("If-None-Match") != "" {
			conditional.Add(1)
		}
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		_, _ = w.Write(feed)
	}))
	defer srv.Close()
	srcs, err := sources.Parse([]byte("sources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/feed', lang: en, publisher: kremlin.ru, interval: 60s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := func() (*service.Crawler, func()) {
		c, closeFn, err := service.NewCrawler(ctx, service.CrawlerOptions{Bus: env.Config, Topics: env.Topics, Sources: srcs, Logger: zaptest.NewLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		return c, closeFn
	}
	rawCount := func() int {
		n, err := bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(bus.Record) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	c1, close1 := start()
	if res := c1.Poll(ctx, "kremlin-en-all"); res.Err != nil || res.Published != 20 {
		t.Fatalf("first poll: %+v", res)
	}
	close1()
	if n := rawCount(); n != 20 {
		t.Fatalf("raw topic holds %d, want 20", n)
	}

	// A new process: state comes from Kafka, the first request is conditional.
	c2, close2 := start()
	res := c2.Poll(ctx, "kremlin-en-all")
	if res.Err != nil || !res.NotModified || res.Published != 0 || conditional.Load() != 1 {
		t.Fatalf("poll after restart: %+v (conditional requests %d)", res, conditional.Load())
	}
	close2()

	// The publisher edits one item and the feed changes validator: only the edit goes out.
	mu.Lock()
	feed = bytes.Replace(orig, []byte("top-level contacts."), []byte("top-level contacts and to meet soon."), -1)
	etag = `"v2"`
	mu.Unlock()
	c3, close3 := start()
	defer close3()
	res = c3.Poll(ctx, "kremlin-en-all")
	if res.Err != nil || res.Changed != 1 || res.Published != 1 || res.Unchanged != 19 {
		t.Fatalf("poll after edit: %+v", res)
	}
	if n := rawCount(); n != 21 {
		t.Fatalf("raw topic holds %d, want 21 (20 + one new version)", n)
	}
	var edited int
	_, _ = bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(r bus.Record) error {
		if strings.Contains(string(r.Value), "and to meet soon") {
			edited++
		}
		return nil
	})
	if edited != 1 {
		t.Errorf("edited version found %d times", edited)
	}
}

// A state record Kafka refuses (here the state topic's max.message.bytes is
// below what the record needs; in the field, a seen-state grown past the
// broker's limit) keeps the crawler unready with the reason, exported as
// readout_crawler_state_unsaved, and holds the source's new items back:
// a restart sends again only what the failing poll sent, never the whole
// feed.
func TestCrawlerUnreadyWhileStateCannotBeSaved(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cl := &kafka.Client{Addr: kafka.TCP(env.Config.Brokers...)}
	resp, err := cl.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: env.Topics.CrawlerState, NumPartitions: 3, ReplicationFactor: -1,
		ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}, {ConfigName: "max.message.bytes", ConfigValue: "1024"}},
	}}})
	if err != nil || resp.Errors[env.Topics.CrawlerState] != nil {
		t.Fatalf("create the state topic: %v %v", err, resp)
	}
	srv := feedServer(t)
	srcs, err := sources.Parse([]byte("sources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/events/all/feed', lang: en, publisher: kremlin.ru, interval: 60s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	opts := service.CrawlerOptions{Bus: env.Config, Topics: env.Topics, Sources: srcs, Logger: zaptest.NewLogger(t), MaxItemsPerPoll: 5}
	rawCount := func() int {
		n, err := bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(bus.Record) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// The running service: its first poll sends 5 items, Kafka refuses the
	// state record, /readyz fails and says why.
	run := opts
	run.Registry, run.HTTPListener = service.NewRegistry(), listen(t)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- service.RunCrawler(runCtx, run) }()
	until(ctx, t, "a failed state save", func() bool {
		n, _ := metricValue(t, run.Registry, "readout_crawler_state_save_failures_total", map[string]string{"source": "kremlin-en-all"})
		return n >= 1
	})
	code, body := get(t, "http://"+run.HTTPListener.Addr().String()+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "state of source kremlin-en-all not saved") {
		t.Errorf("/readyz while the state cannot be saved: %d %q", code, body)
	}
	if v, _ := metricValue(t, run.Registry, "readout_crawler_state_unsaved", map[string]string{"source": "kremlin-en-all"}); v != 1 {
		t.Errorf("readout_crawler_state_unsaved = %v", v)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("crawler: %v", err)
	}

	// Restarted twice, each polled twice while Kafka still refuses the
	// record: each start sends the same 5 again, and no poll after a failed
	// save sends anything.
	for range 2 {
		c, closeFn, err := service.NewCrawler(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res := c.Poll(ctx, "kremlin-en-all"); res.Err != nil || res.Published != 5 {
			t.Fatalf("first poll after a restart: %+v", res)
		}
		if res := c.Poll(ctx, "kremlin-en-all"); res.Err != nil || res.Published != 0 || res.Capped != 15 {
			t.Fatalf("poll after a failed save: %+v", res)
		}
		if c.Readiness() == nil {
			t.Error("ready while the state cannot be saved")
		}
		closeFn()
	}
	if n := rawCount(); n != 15 {
		t.Errorf("raw topic holds %d, want 3 × the same 5", n)
	}
}
