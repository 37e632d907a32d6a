package crawler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/feeds"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
)

// B11: the fault cases of the issue through the real Kafka sink (kfake, or
// the real broker under `make test`). Each source misbehaves first and then
// serves the real feed; what reaches readout.raw.v1 and readout.dlq.v1 is
// asserted per source, and the crawler keeps going after every fault.
func TestFaultsThroughKafka(t *testing.T) {
	env, _, sink, ctx := kafkaSink(t)

	feed := fixture.Read(t, "kremlin-en-events-all-2018-01-07.atom.xml")
	cp1252, err := charmap.Windows1252.NewEncoder().Bytes(feed)
	if err != nil {
		t.Fatal(err)
	}
	undeclared := regexp.MustCompile(` encoding="UTF-8"`).ReplaceAll(cp1252, nil)
	rekeyed := bytes.ReplaceAll(feed, []byte("<id>http://en.kremlin.ru/"), []byte("<id>https://en.kremlin.ru/"))
	invalid := replaceOnce(t, feed, "<id>http://en.kremlin.ru/events/president/news/56624</id>", "")
	invalid = replaceOnce(t, invalid, `<link href="http://en.kremlin.ru/events/president/news/56624" hreflang="en" rel="alternate" type="text/html" />`, "")
	// What the real feed yields: every case must deliver exactly these.
	src0 := feedSource(t, "x", "http://en.kremlin.ru/events/all/feed")
	want, err := feeds.Parse(src0, feed, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wantHash := map[string]bool{}
	for _, it := range want {
		wantHash[it.ContentHash] = true
	}
	other := newFeedServer(t, feed) // a host no source names
	otherURL := strings.Replace(other.srv.URL, "127.0.0.1", "localhost", 1)

	type step struct {
		handler http.HandlerFunc // nil: the real feed, with an ETag
		body    []byte           // with handler nil: another document, ETag "v2"
	}
	tests := []struct {
		id      string
		opts    fetch.Options
		steps   []step
		raw     int    // messages on readout.raw.v1
		sameAs  bool   // their content hashes are the real feed's
		dlq     string // reasons on readout.dlq.v1, comma-separated
		retryAt bool   // the first poll carries Retry-After: wait it out
	}{
		{id: "not-modified", steps: []step{{}, {}}, raw: 20, sameAs: true},
		{id: "too-many-requests", steps: []step{{handler: serveStatus(429, "1")}, {}}, raw: 20, sameAs: true, retryAt: true},
		{id: "unavailable-retry-after", steps: []step{{handler: serveStatus(503, "1")}, {}}, raw: 20, sameAs: true, retryAt: true},
		{id: "server-error", steps: []step{{handler: serveStatus(500, "")}, {}}, raw: 20, sameAs: true},
		{id: "unavailable", steps: []step{{handler: serveStatus(503, "")}, {}}, raw: 20, sameAs: true},
		{id: "timeout", opts: fetch.Options{Timeout: 200 * time.Millisecond}, steps: []step{{handler: hang}, {}}, raw: 20, sameAs: true},
		{id: "slow-trickle", opts: fetch.Options{Timeout: 300 * time.Millisecond}, steps: []step{{handler: trickle(feed)}, {}}, raw: 20, sameAs: true},
		{id: "truncated", steps: []step{{handler: serveBytes("application/atom+xml", feed[:len(feed)*2/3])}, {}}, raw: 20, sameAs: true, dlq: "truncated_feed"},
		{id: "malformed", steps: []step{{handler: serveBytes("application/atom+xml", replaceOnce(t, feed, "</entry><entry>", "</entry><<entry>>&&"))}, {}},
			raw: 20, sameAs: true, dlq: "malformed_feed"},
		{id: "html-page", steps: []step{{handler: serveBytes("text/html", []byte("<!DOCTYPE html><html><body><h1>403 Forbidden</h1></body></html>"))}, {}},
			raw: 20, sameAs: true, dlq: "not_a_feed"},
		{id: "huge-body", opts: fetch.Options{MaxBodyBytes: 2 << 20}, steps: []step{{handler: serveHuge(50 << 20)}, {}}, raw: 20, sameAs: true, dlq: "body_too_large"},
		{id: "wrong-charset", steps: []step{{handler: serveBytes("application/atom+xml; charset=utf-8", cp1252)}}, raw: 20, sameAs: true},
		{id: "missing-charset", steps: []step{{handler: serveBytes("application/atom+xml", undeclared)}}, raw: 20, sameAs: true},
		{id: "redirect-loop", opts: fetch.Options{MaxRedirects: 4}, steps: []step{{handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
		}}, {}}, raw: 20, sameAs: true, dlq: "too_many_redirects"},
		{id: "redirect-other-host", steps: []step{{handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, otherURL+"/feed", http.StatusMovedPermanently)
		}}, {}}, raw: 20, sameAs: true, dlq: "host_not_allowed"},
		{id: "ids-change", steps: []step{{}, {body: rekeyed}}, raw: 40},
		{id: "invalid-item", steps: []step{{body: invalid}, {body: invalid}}, raw: 19, dlq: "invalid_item"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			fs := newFeedServer(t, feed)
			src := feedSource(t, tt.id, fs.srv.URL+"/feed")
			h := newHarnessWith(t, []sources.Source{src}, tt.opts, func(c *Config) {
				c.Sink, c.DLQ = sink, sink
				c.MaxDeadLetterBytes = model.MaxDeadLetterPayload
			})
			for i, s := range tt.steps {
				fs.setHandler(s.handler)
				if s.body != nil {
					fs.set(s.body, `"v2"`)
				}
				res := h.c.Poll(ctx, src.ID)
				if i == 0 && tt.retryAt {
					if res.RetryAfter != time.Second {
						t.Fatalf("Retry-After not reported: %+v", res)
					}
					fs.setHandler(nil)
					waitFor(t, "the Retry-After to pass", func() bool { return h.c.Poll(ctx, src.ID).Err == nil })
					break
				}
				if i == len(tt.steps)-1 && res.Err != nil {
					t.Fatalf("last poll: %v", res.Err)
				}
			}
			if other.requestCount() != 0 {
				t.Error("a host no source names was contacted")
			}
		})
	}

	raw := map[string][]model.RawItem{}
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(r bus.Record) error {
		var it model.RawItem
		if err := json.Unmarshal(r.Value, &it); err != nil {
			return fmt.Errorf("raw value: %w", err)
		}
		if r.Headers[model.HeaderSource] != it.Source || string(r.Key) != it.Key() || it.Validate() != "" {
			return fmt.Errorf("raw record %s: header %q, item %+v", r.Key, r.Headers, it)
		}
		raw[it.Source] = append(raw[it.Source], it)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	dlq := map[string][]model.DeadLetter{}
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.DLQ, func(r bus.Record) error {
		var dl model.DeadLetter
		if err := json.Unmarshal(r.Value, &dl); err != nil {
			return fmt.Errorf("dlq value: %w", err)
		}
		dlq[dl.Source] = append(dlq[dl.Source], dl)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		items := raw[tt.id]
		if len(items) != tt.raw {
			t.Errorf("%s: %d raw messages, want %d", tt.id, len(items), tt.raw)
		}
		if tt.sameAs {
			for _, it := range items {
				if !wantHash[it.ContentHash] {
					t.Errorf("%s: item %q differs from the real feed's", tt.id, it.Title)
					break
				}
			}
		}
		var reasons []string
		for _, dl := range dlq[tt.id] {
			reasons = append(reasons, dl.Reason)
			if dl.Error == "" || dl.Stage == "" || dl.PayloadBytes < len(dl.Payload) || dl.Stage == "crawler.parse" && len(dl.Payload) == 0 {
				t.Errorf("%s: dead letter %+v", tt.id, dl)
			}
		}
		if got := strings.Join(reasons, ","); got != tt.dlq {
			t.Errorf("%s: dead letters %q, want %q", tt.id, got, tt.dlq)
		}
	}
	// A truncated feed's dead letter carries its payload and true size.
	if dls := dlq["truncated"]; len(dls) == 1 && (dls[0].PayloadBytes != len(feed)*2/3 || len(dls[0].Payload) != len(feed)*2/3) {
		t.Errorf("truncated: payload %d of %d bytes", len(dls[0].Payload), dls[0].PayloadBytes)
	}
}

// hang answers nothing until the client gives up.
func hang(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// trickle sends the headers and the start of body at once, then a byte
// every 20 ms: a read timeout, not a connect or header one.
func trickle(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Write(body[:1024])
		w.(http.Flusher).Flush()
		for _, b := range body[1024:] {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
			w.Write([]byte{b})
			w.(http.Flusher).Flush()
		}
	}
}
