package reliability_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// fetchTimeout is the crawler's HTTP timeout in the bad-feed scenario; the
// slow answer takes longer.
const fetchTimeout = 2 * time.Second

// misbehaviour is what one source's first poll gets before the real feed.
type misbehaviour struct {
	name string
	// reason is the dead letter the crawler must park, "" for a transient failure.
	reason string
}

var misbehaviours = []misbehaviour{
	{"http-500", ""},
	{"http-503-retry-after", ""},
	{"http-429", ""},
	{"slow", ""},
	{"truncated-xml", "truncated_feed"},
	{"html", "not_a_feed"},
	{"redirect-loop", "too_many_redirects"},
	{"redirect-other-host", "host_not_allowed"},
	{"good", ""},
}

// A feed server that answers each source's first poll with a failure (5xx,
// 429, a timeout, broken XML, HTML, a redirect loop, a redirect off the
// source's host) and the real feed afterwards: the services keep running,
// every good item arrives, and the malformed answers are dead letters.
func TestFailingFeedServer(t *testing.T) {
	e := newEnv(t, "badfeed")
	s := loadStream(t)
	var offHost atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offHost.Add(1)
		_, _ = w.Write(s.Feed(99, 0, feedWindow))
	}))
	t.Cleanup(other.Close)
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) // another host name, same machine

	var mu sync.Mutex
	requests := map[string]int{} // by source, requests before the good feed
	firstDone := map[string]bool{}
	mux := http.NewServeMux()
	for v, m := range misbehaviours {
		mux.HandleFunc("/"+m.name+"/feed", func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			requests[m.name]++
			bad := !firstDone[m.name]
			// A poll starts here; a redirect hop is the same poll. The loop's
			// first poll is done once it has reached the crawler's redirect
			// bound (the hop after it is refused): a poll cut short (the host paused by the 429 source's
			// Retry-After, all sources share it) starts the loop again.
			if m.name != "redirect-loop" || len(r.URL.Query().Get("hop")) >= fetch.DefaultMaxRedirects {
				firstDone[m.name] = true
			}
			mu.Unlock()
			if !bad && (m.name != "redirect-loop" || r.URL.Query().Get("hop") == "") {
				w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
				_, _ = w.Write(s.Feed(10+v, 0, feedWindow))
				return
			}
			feed := s.Feed(10+v, 0, feedWindow)
			switch m.name {
			case "http-500":
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
			case "http-503-retry-after":
				w.Header().Set("Retry-After", "1")
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			case "http-429":
				w.Header().Set("Retry-After", "1")
				http.Error(w, "Too Many Requests", http.StatusTooManyRequests)
			case "slow":
				select { // past the crawler's timeout, or until it hangs up
				case <-r.Context().Done():
				case <-time.After(2 * fetchTimeout):
				}
				_, _ = w.Write(feed)
			case "truncated-xml":
				w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
				_, _ = w.Write(feed[:len(feed)*2/3])
			case "html":
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = w.Write(htmlPage(feed))
			case "redirect-loop":
				hop := len(r.URL.Query().Get("hop"))
				http.Redirect(w, r, fmt.Sprintf("/%s/feed?hop=%s", m.name, strings.Repeat("x", hop+1)), http.StatusFound)
			case "redirect-other-host":
				http.Redirect(w, r, otherURL+"/feed", http.StatusMovedPermanently)
			default:
				w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
				_, _ = w.Write(feed)
			}
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	var srcs []sources.Source
	want := map[string]bool{} // item keys of the good feeds
	for v, m := range misbehaviours {
		src := feedSource(t, m.name, srv.URL+"/"+m.name+"/feed")
		srcs = append(srcs, src)
		items, err := feeds.Parse(src, s.Feed(10+v, 0, feedWindow), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			want[it.Key()] = true
		}
	}
	group := e.prefix + "processor"
	log := logger(t)
	crawler := start(t, "crawler", func(ctx context.Context) error {
		return service.RunCrawler(ctx, service.CrawlerOptions{Bus: e.cfg, Topics: e.topics, Sources: srcs,
			Fetch: fetch.Options{Timeout: fetchTimeout}, Logger: log.Named("crawler")})
	})
	proc := start(t, "processor", func(ctx context.Context) error {
		return service.RunProcessor(ctx, service.ProcessorOptions{Bus: e.cfg, Topics: e.topics, Group: group, Logger: log.Named("processor")})
	})

	var pair *statesPair
	waitFor(t, 2*time.Minute, "every good item and a dead letter per malformed answer", func() (bool, string) {
		requireRunning(t, crawler, proc)
		p, err := readPair(e)
		if err != nil {
			return false, err.Error()
		}
		pair = p
		got := p.statements.itemKeys()
		n := 0
		for k := range want {
			if got[k] {
				n++
			}
		}
		var missingReasons []string
		for _, m := range misbehaviours {
			if m.reason != "" && !hasDeadLetter(p.dlq.dead, m.name, m.reason) {
				missingReasons = append(missingReasons, m.name+"="+m.reason)
			}
		}
		return n == len(want) && len(missingReasons) == 0,
			fmt.Sprintf("%d of %d good items; dead letters missing: %v", n, len(want), missingReasons)
	})
	requireRunning(t, crawler, proc)

	var reasons []string
	for _, dl := range pair.dlq.dead {
		reasons = append(reasons, dl.Source+"="+dl.Reason)
		m := misbehaviourOf(dl.Source)
		if m.reason == "" {
			t.Errorf("dead letter for %s (a transient failure, retried): %s %s", dl.Source, dl.Reason, dl.Error)
		}
		if dl.Stage == "" || dl.Error == "" {
			t.Errorf("dead letter for %s without stage or error: %+v", dl.Source, dl)
		}
	}
	for _, dl := range pair.dlq.dead {
		if dl.Reason == "truncated_feed" || dl.Reason == "not_a_feed" {
			if len(dl.Payload) == 0 {
				t.Errorf("%s dead letter keeps no payload", dl.Reason)
			}
		}
	}
	if n := offHost.Load(); n != 0 {
		t.Errorf("the crawler followed a redirect to another host (%d requests there)", n)
	}
	sort.Strings(reasons)
	mu.Lock()
	polls := fmt.Sprint(requests)
	mu.Unlock()
	report(t, "%d misbehaving sources + 1 good; good items %d/%d as statements; dead letters %d [%s]; requests per source %s; crawler and processor kept running",
		len(misbehaviours)-1, len(pair.statements.statements), len(want), len(pair.dlq.dead), strings.Join(reasons, " "), polls)
}

func hasDeadLetter(dls []model.DeadLetter, source, reason string) bool {
	for _, dl := range dls {
		if dl.Source == source && dl.Reason == reason {
			return true
		}
	}
	return false
}

func misbehaviourOf(source string) misbehaviour {
	for _, m := range misbehaviours {
		if m.name == source {
			return m
		}
	}
	return misbehaviour{name: source, reason: "?"}
}

var contentRE = regexp.MustCompile(`(?s)<content type="html">(.*?)</content>`)

// htmlPage is what a site answers instead of its feed: an HTML page, here
// built from the feed's own article HTML.
func htmlPage(feed []byte) []byte {
	body := ""
	if m := contentRE.FindSubmatch(feed); m != nil {
		body = html.UnescapeString(string(m[1]))
	}
	return []byte("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>President of Russia</title></head><body><main>" +
		body + "</main></body></html>\n")
}
