package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// While Kafka refuses items, the crawler keeps what it fetched (bounded, one
// copy per version) and publishes it when Kafka is back, even if the source
// has meanwhile stopped serving those items.
func TestPendingItemsSurviveSourceLoss(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	h.sink.SetErr(errors.New("broker down"))
	for range 3 { // three polls during the outage
		if err := h.c.Once(ctx); !errors.Is(err, ErrPublish) {
			t.Fatalf("Once = %v", err)
		}
	}
	if got := h.counter(t, "readout_crawler_pending_items", "kremlin-en-news"); got != 20 {
		t.Fatalf("pending = %v, want 20 (one copy of each item)", got)
	}
	// The site goes away, then Kafka comes back.
	fs.setHandler(func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "gone", http.StatusServiceUnavailable) })
	h.sink.SetErr(nil)
	_ = h.c.Once(ctx) // the fetch fails; the buffered items are published anyway
	if n := len(h.sink.Items()); n != 20 {
		t.Fatalf("published %d after Kafka came back, want the 20 buffered items", n)
	}
	if got := h.counter(t, "readout_crawler_pending_items", "kremlin-en-news"); got != 0 {
		t.Errorf("pending = %v after the flush", got)
	}
	st, _ := h.state.Load(ctx)
	if s := st["kremlin-en-news"]; len(s.Seen) != 20 {
		t.Errorf("seen-state %d keys after the flush, want 20", len(s.Seen))
	}
	// The site is back: nothing is sent twice.
	fs.setHandler(nil)
	if err := h.c.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(h.sink.Items()); n != 20 {
		t.Errorf("published %d in all, want 20: the buffered items were sent again", n)
	}
}

func TestPendingBufferIsBounded(t *testing.T) {
	ctx := context.Background()
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	h := newHarness(t, []sources.Source{src}, fetch.Options{})
	h.c.cfg.MaxPending = 5
	h.sink.SetErr(errors.New("broker down"))
	_ = h.c.Once(ctx)
	if got := h.counter(t, "readout_crawler_pending_items", "kremlin-en-news"); got != 5 {
		t.Errorf("pending = %v, want the bound 5", got)
	}
	if got := h.counter(t, "readout_crawler_pending_dropped_total", "kremlin-en-news"); got != 15 {
		t.Errorf("dropped = %v, want 15", got)
	}
}

// On shutdown the crawler publishes what the sink refused during its last
// polls: Kafka back in time, nothing is lost and the seen-state records it.
// Kafka still away, every unsent item is logged by key, not dropped
// silently.
func TestShutdownDrainsPending(t *testing.T) {
	fs := newFeedServer(t, fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml"))
	src := feedSource(t, "kremlin-en-news", fs.srv.URL+"/feed")
	stopped, stop := context.WithCancel(context.Background())
	stop()
	for _, kafkaBack := range []bool{true, false} {
		core, logs := observer.New(zap.InfoLevel)
		h := newHarnessWith(t, []sources.Source{src}, fetch.Options{}, func(c *Config) { c.Logger = zap.New(core) })
		h.sink.SetErr(errors.New("broker down"))
		if res := h.c.Poll(context.Background(), src.ID); !errors.Is(res.Err, ErrPublish) {
			t.Fatalf("poll: %+v", res)
		}
		if kafkaBack {
			h.sink.SetErr(nil)
		}
		if err := h.c.Run(stopped); err != nil { // SIGTERM right away
			t.Fatal(err)
		}
		unsent := logs.FilterMessageSnippet("never acknowledged").All()
		st, _ := h.state.Load(context.Background())
		switch {
		case kafkaBack && (len(h.sink.Items()) != 20 || len(st[src.ID].Seen) != 20 || len(unsent) != 0):
			t.Errorf("Kafka back: %d published, %d seen, %d unsent logs", len(h.sink.Items()), len(st[src.ID].Seen), len(unsent))
		case !kafkaBack:
			if len(unsent) != 1 || unsent[0].Level != zap.ErrorLevel || unsent[0].ContextMap()["unsent"] != int64(20) ||
				!strings.Contains(fmt.Sprint(unsent[0].ContextMap()["keys"]), "kremlin-en-news|http://en.kremlin.ru/events/president/news/56626") {
				t.Errorf("Kafka away: logs %+v", unsent)
			}
			if got := h.counter(t, "readout_crawler_pending_items", "source", src.ID); got != 20 {
				t.Errorf("pending = %v", got)
			}
		}
	}
}
