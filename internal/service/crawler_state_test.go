package service_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/kafkatest"
	"github.com/readout/readout/pkg/sources"
)

// A crawler restarted anywhere resumes from the seen-state kept in the
// compacted Kafka topic: no re-sending of what was sent, an edited item sent
// again as a new version, a new item sent, and conditional requests from the
// first poll on.
func TestCrawlerStateSurvivesRestart(t *testing.T) {
	env := kafkatest.New(t)
	orig, err := os.ReadFile("testdata/kremlin-en-events-all.atom.xml")
	if err != nil {
		t.Fatal(err)
	}
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
