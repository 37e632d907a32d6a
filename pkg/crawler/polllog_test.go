package crawler

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/readout/readout/pkg/fetch"
)

// A failed poll says when the source is polled next, and names a
// Retry-After only when the site sent one.
func TestPollFailureLogsNextPoll(t *testing.T) {
	fs := newFeedServer(t, nil)
	var retryAfter atomic.Value
	retryAfter.Store("")
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if v := retryAfter.Load().(string); v != "" {
			w.Header().Set("Retry-After", v)
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	core, logs := observer.New(zap.WarnLevel)
	src := feedSource(t, "down", fs.srv.URL+"/feed") // interval: the default minute
	h := newHarnessWith(t, nil, fetch.Options{}, func(c *Config) {
		c.Sources = append(c.Sources, src)
		c.Logger = zap.New(core)
		c.MaxBackoff = 30 * time.Minute
	})
	for _, want := range []map[string]any{
		{"consecutive_failures": int64(1), "next_poll_in": "30s to 1m0s"},
		{"consecutive_failures": int64(2), "next_poll_in": "1m0s to 2m0s"},
	} {
		if res := h.c.Poll(context.Background(), "down"); res.Err == nil {
			t.Fatal("the poll of a 503 did not fail")
		}
		got := logs.FilterMessage("poll failed").All()
		fields := got[len(got)-1].ContextMap()
		for k, v := range want {
			if fields[k] != v {
				t.Errorf("%s = %v, want %v (%v)", k, fields[k], v, fields)
			}
		}
		if _, ok := fields["retry_after"]; ok {
			t.Errorf("retry_after logged though the site sent none: %v", fields)
		}
	}
	retryAfter.Store("600")
	h.c.Poll(context.Background(), "down")
	got := logs.FilterMessage("poll failed").All()
	fields := got[len(got)-1].ContextMap()
	if fields["retry_after"] != 10*time.Minute || fields["next_poll_in"] != "10m0s to 10m0s" {
		t.Errorf("after Retry-After: 600: %v", fields)
	}
}

// The window the logs give holds every delay the schedule draws.
func TestDelayWindowHoldsNextDelay(t *testing.T) {
	for _, failures := range []int{0, 1, 2, 5, 20} {
		for _, ra := range []time.Duration{0, 90 * time.Second, time.Hour} {
			lo, hi := delayWindow(time.Minute, failures, ra, 30*time.Minute)
			for range 200 {
				if d := nextDelay(time.Minute, failures, ra, 30*time.Minute); d < lo || d > hi {
					t.Fatalf("%d failures, Retry-After %s: nextDelay %s outside [%s, %s]", failures, ra, d, lo, hi)
				}
			}
		}
	}
}
