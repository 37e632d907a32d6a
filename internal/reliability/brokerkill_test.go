package reliability_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/readout/readout/internal/reliability"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// The growing feeds of the broker-kill scenario: each poll of a source
// publishes growStep new entries and lists the newest feedWindow, so a
// crawler may miss feedWindow/growStep-1 polls in a row without the feed
// dropping an item it has not seen.
const (
	growSources = 4
	growStep    = 3
	feedWindow  = 20
)

// growingFeeds serves one growing feed per source and records every item it served.
type growingFeeds struct {
	stream *reliability.Stream
	srcs   []sources.Source

	mu       sync.Mutex
	n        [growSources]int // entries published so far
	requests [growSources]int
	frozen   bool
	served   map[string]model.RawItem // by item key
	order    []string                 // keys in the order first served
}

func (g *growingFeeds) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/feed/"))
	if err != nil || v < 0 || v >= growSources {
		http.NotFound(w, r)
		return
	}
	g.mu.Lock()
	if g.requests[v] > 0 && !g.frozen {
		g.n[v] += growStep
	}
	g.requests[v]++
	body := g.stream.Feed(v, g.n[v]-feedWindow, g.n[v])
	items, err := feeds.Parse(g.srcs[v], body, time.Now())
	if err == nil {
		for i := len(items) - 1; i >= 0; i-- {
			if _, ok := g.served[items[i].Key()]; !ok {
				g.served[items[i].Key()] = items[i]
				g.order = append(g.order, items[i].Key())
			}
		}
	}
	g.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, _ = w.Write(body)
}

// requestsEach returns the requests per source.
func (g *growingFeeds) requestsEach() [growSources]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests
}

func (g *growingFeeds) freeze() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.frozen = true
}

func (g *growingFeeds) items() []model.RawItem {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]model.RawItem, 0, len(g.order))
	for _, k := range g.order {
		out = append(out, g.served[k])
	}
	return out
}

// everyMore reports whether every source was requested at least k times since before.
func everyMore(now, before [growSources]int, k int) bool {
	for i := range now {
		if now[i]-before[i] < k {
			return false
		}
	}
	return true
}

// The broker is killed with kill -9 while the crawler and the processor
// stream items, and restarted on the same storage after the crawler failed
// to publish: both services recover on their own, and every item the feeds
// published ends as a statement or a dead letter, with its call events.
func TestBrokerKill9MidStream(t *testing.T) {
	e := newEnv(t, "kill9")
	g := &growingFeeds{stream: loadStream(t), served: map[string]model.RawItem{}}
	for i := range g.n {
		g.n[i] = feedWindow
	}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	for v := range growSources {
		g.srcs = append(g.srcs, feedSource(t, fmt.Sprintf("stream-%d", v), fmt.Sprintf("%s/feed/%d", srv.URL, v)))
	}
	group := e.prefix + "processor"
	log := logger(t)
	crawler := start(t, "crawler", func(ctx context.Context) error {
		return service.RunCrawler(ctx, service.CrawlerOptions{Bus: e.cfg, Topics: e.topics, Sources: g.srcs, Logger: log.Named("crawler")})
	})
	proc := start(t, "processor", func(ctx context.Context) error {
		return service.RunProcessor(ctx, service.ProcessorOptions{Bus: e.cfg, Topics: e.topics, Group: group, Logger: log.Named("processor")})
	})
	statementCount := func() (int, error) {
		s, err := read(e, e.topics.Statements)
		if err != nil {
			return 0, err
		}
		return len(s.statements), nil
	}

	// Items flow.
	waitFor(t, 90*time.Second, "items to flow before the kill", func() (bool, string) {
		requireRunning(t, crawler, proc)
		n, err := statementCount()
		return err == nil && n >= 2*feedWindow*growSources, fmt.Sprintf("%d statements (err %v)", n, err)
	})
	beforeKill, _ := statementCount()

	// kill -9, and keep the broker away until every source was polled (and failed to publish) during the outage.
	killedAt := time.Now()
	if _, err := kafkaScript("kill9"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !brokerServing() { // leave a broker for the next scenarios even when this one fails
			if _, err := kafkaScript("restart"); err != nil {
				t.Errorf("restart after a failed scenario: %v", err)
			}
		}
	})
	waitFor(t, 15*time.Second, "the killed broker to stop serving", func() (bool, string) {
		return !brokerServing(), "still accepting connections"
	})
	atKill := g.requestsEach()
	waitFor(t, 90*time.Second, "every source to be polled while the broker is down", func() (bool, string) {
		requireRunning(t, crawler, proc)
		now := g.requestsEach()
		return everyMore(now, atKill, 1), fmt.Sprintf("requests %v since kill at %v", now, atKill)
	})
	restartAt := time.Now()
	if _, err := kafkaScript("restart"); err != nil {
		t.Fatal(err)
	}
	outage := time.Since(killedAt)
	restarted := time.Now()
	afterRestart := g.requestsEach()
	pollsInOutage := 0
	for i := range afterRestart {
		pollsInOutage += afterRestart[i] - atKill[i]
	}

	// The services recover on their own: new statements arrive and every source is polled again.
	var firstAfter time.Duration
	waitFor(t, 2*time.Minute, "statements after the restart", func() (bool, string) {
		requireRunning(t, crawler, proc)
		n, err := statementCount()
		if err == nil && n > beforeKill && firstAfter == 0 {
			firstAfter = time.Since(restarted)
		}
		return err == nil && n > beforeKill && everyMore(g.requestsEach(), afterRestart, 1),
			fmt.Sprintf("%d statements (%d before the kill), requests %v (%v at restart), err %v", n, beforeKill, g.requestsEach(), afterRestart, err)
	})
	g.freeze()
	frozenAt := g.requestsEach()

	// Every published item is accounted for: a statement or a dead letter.
	var pair *statesPair
	waitFor(t, 2*time.Minute, "every served item to be a statement or a dead letter", func() (bool, string) {
		requireRunning(t, crawler, proc)
		p, err := readPair(e)
		if err != nil {
			return false, err.Error()
		}
		pair = p
		missing := p.missing(g.items())
		// After the freeze, one more poll of each source must have happened: it publishes what the outage left.
		return len(missing) == 0 && everyMore(g.requestsEach(), frozenAt, 1),
			fmt.Sprintf("%d of %d items missing, e.g. %v", len(missing), len(g.items()), first(missing, 3))
	})
	served := g.items()

	// The leader-call events of the calls in the data are there, as a clean replay makes them.
	wantEvents, _ := replay(t, served)
	var got map[string]model.LeaderCall
	waitFor(t, time.Minute, "the events of every call", func() (bool, string) {
		s, err := read(e, e.topics.LeaderCalls)
		if err != nil {
			return false, err.Error()
		}
		got = s.latest()
		var missing []string
		for id := range wantEvents {
			if _, ok := got[id]; !ok {
				missing = append(missing, id)
			}
		}
		sort.Strings(missing)
		return len(missing) == 0, fmt.Sprintf("%d of %d events missing, e.g. %v", len(missing), len(wantEvents), first(missing, 3))
	})
	if len(wantEvents) == 0 {
		t.Fatal("the served items contain no call: the scenario checks nothing")
	}
	for id, ev := range got {
		want, ok := wantEvents[id]
		if !ok {
			t.Errorf("event %s is not in the clean replay", id)
			continue
		}
		if d := sameEvent(ev, want); d != "" {
			t.Errorf("event %s differs from the clean replay: %s", id, d)
		}
	}
	requireRunning(t, crawler, proc)
	raw := readRecords(t, e, e.topics.Raw)
	report(t, "%d sources, feeds served %d items; kill -9 after %d statements, outage %s (restart took %s), %d polls during it; first statement %s after the restart; raw records %d (%d republished), statements %d, dead letters %d, lost %d; events %d/%d of the clean replay",
		growSources, len(served), beforeKill, outage.Round(time.Second), restarted.Sub(restartAt).Round(time.Second), pollsInOutage,
		firstAfter.Round(100*time.Millisecond), len(raw), len(raw)-len(served), len(pair.statements.statements), len(pair.dlq.dead),
		len(pair.missing(served)), len(got), len(wantEvents))
}

// statesPair is the statements and dead-letter topics read together.
type statesPair struct {
	statements, dlq *topicState
}

func readPair(e *env) (*statesPair, error) {
	s, err := read(e, e.topics.Statements)
	if err != nil {
		return nil, err
	}
	d, err := read(e, e.topics.DLQ)
	if err != nil {
		return nil, err
	}
	return &statesPair{statements: s, dlq: d}, nil
}

// missing returns the keys of items that are neither a statement nor a dead letter.
func (p *statesPair) missing(items []model.RawItem) []string {
	done := p.statements.itemKeys()
	for _, dl := range p.dlq.dead {
		done[dl.Key] = true
	}
	var out []string
	for _, it := range items {
		if !done[it.Key()] {
			out = append(out, it.Key())
		}
	}
	return out
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }
