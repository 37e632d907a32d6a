package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// countingServer counts requests and serves body (an article page) to each.
func countingServer(t *testing.T, body string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// A source fetches only from its own hosts and ports: the item pages of a
// partial feed on another port of its host, or on the host of another
// source, are not fetched (counted as not_allowed), and neither is a
// redirect there.
func TestSourceFetchesOnlyItsOwnHostsAndPorts(t *testing.T) {
	ctx := context.Background()
	const page = `<html><head><title>internal</title></head><body><p>not for this source</p></body></html>`
	t.Run("article on another port", func(t *testing.T) {
		other, hits := countingServer(t, page)
		feed := newFeedServer(t, partialFeed(other.URL))
		h := newHarness(t, []sources.Source{kremlinFeedSource(t, "a", feed.srv.URL+"/feed")}, fetch.Options{})
		if res := h.c.Poll(ctx, "a"); res.Err != nil {
			t.Fatalf("poll: %+v", res)
		}
		if hits.Load() != 0 || h.counter(t, "readout_crawler_article_fetch_failures_total", "source", "a", "code", "not_allowed") != 2 {
			t.Errorf("another port got %d requests; not_allowed %v", hits.Load(), h.counter(t, "readout_crawler_article_fetch_failures_total", "source", "a", "code", "not_allowed"))
		}
	})
	t.Run("article on another source's host", func(t *testing.T) {
		theirs, hits := countingServer(t, page)
		theirsURL := strings.Replace(theirs.URL, "127.0.0.1", "localhost", 1) // another host, as its source names it
		feed := newFeedServer(t, partialFeed(theirsURL))
		h := newHarness(t, []sources.Source{kremlinFeedSource(t, "a", feed.srv.URL+"/feed"), kremlinFeedSource(t, "b", theirsURL+"/feed")}, fetch.Options{})
		if res := h.c.Poll(ctx, "a"); res.Err != nil {
			t.Fatalf("poll: %+v", res)
		}
		if hits.Load() != 0 || h.counter(t, "readout_crawler_article_fetch_failures_total", "source", "a", "code", "not_allowed") != 2 {
			t.Errorf("the other source's host got %d requests", hits.Load())
		}
	})
	t.Run("redirect to another source's host", func(t *testing.T) {
		theirs, hits := countingServer(t, "")
		theirsURL := strings.Replace(theirs.URL, "127.0.0.1", "localhost", 1)
		feed := newFeedServer(t, nil)
		feed.setHandler(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, theirsURL+"/feed", http.StatusFound)
		})
		h := newHarness(t, []sources.Source{kremlinFeedSource(t, "a", feed.srv.URL+"/feed"), kremlinFeedSource(t, "b", theirsURL+"/feed")}, fetch.Options{})
		if res := h.c.Poll(ctx, "a"); !errors.Is(res.Err, fetch.ErrHostNotAllowed) {
			t.Errorf("poll: %+v, want host not allowed", res)
		}
		if hits.Load() != 0 {
			t.Errorf("the other source's host got %d requests", hits.Load())
		}
	})
}
