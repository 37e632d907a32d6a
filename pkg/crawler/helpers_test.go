package crawler

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/crawler/kafkasink"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// feedServer serves a document with ETag/Last-Modified validators and lets a
// test swap it, or replace the handler, while it runs.
type feedServer struct {
	mu          sync.Mutex
	body        []byte
	contentType string
	etag        string
	handler     http.HandlerFunc // overrides when set
	requests    []*http.Request
	srv         *httptest.Server
}

func newFeedServer(t testing.TB, body []byte) *feedServer {
	t.Helper()
	fs := &feedServer{body: body, contentType: "application/atom+xml; charset=utf-8", etag: `"v1"`}
	fs.srv = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.srv.Close)
	return fs
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	fs.requests = append(fs.requests, r.Clone(context.Background()))
	h, body, ct, etag := fs.handler, fs.body, fs.contentType, fs.etag
	fs.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	if etag != "" && r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", ct)
	if etag != "" {
		w.Header().Set("ETag", etag)
	}
	w.Write(body)
}

func (fs *feedServer) set(body []byte, etag string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.body, fs.etag = body, etag
}

func (fs *feedServer) setHandler(h http.HandlerFunc) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.handler = h
}

func (fs *feedServer) requestCount() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.requests)
}

func (fs *feedServer) lastRequest() *http.Request {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if len(fs.requests) == 0 {
		return nil
	}
	return fs.requests[len(fs.requests)-1]
}

// feedSource is a feed source on the test server.
func feedSource(t testing.TB, id, url string) sources.Source {
	t.Helper()
	srcs, err := sources.Parse([]byte(fmt.Sprintf(`
sources:
  - id: %s
    kind: feed
    url: %s
    lang: en
    publisher: kremlin.ru
    zone: Europe/Moscow
    external_id_pattern: '/(\d+)/?$'
`, id, url)))
	if err != nil {
		t.Fatal(err)
	}
	return srcs[0]
}

type harness struct {
	c     *Crawler
	sink  *MemorySink
	reg   *prometheus.Registry
	state *MemoryStore
}

func newHarness(t testing.TB, srcs []sources.Source, opts fetch.Options) *harness {
	t.Helper()
	return newHarnessWith(t, srcs, opts, nil)
}

// newHarnessWith is newHarness with cfg adjusted by edit before New (another
// sink or state store, limits).
func newHarnessWith(t testing.TB, srcs []sources.Source, opts fetch.Options, edit func(*Config)) *harness {
	t.Helper()
	if opts.PerHostRate == 0 {
		opts.PerHostRate = -1 // no pacing in tests
	}
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	h := &harness{sink: &MemorySink{}, reg: prometheus.NewRegistry(), state: NewMemoryStore()}
	var log *zap.Logger
	if tt, ok := t.(*testing.T); ok {
		log = zaptest.NewLogger(tt, zaptest.Level(zap.WarnLevel))
	}
	cfg := Config{
		Sources: srcs, Fetch: opts, Sink: h.sink, DLQ: h.sink, State: h.state,
		Logger: log, Registerer: h.reg,
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	return h
}

func (h *harness) counter(t testing.TB, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := h.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metric:
		for _, m := range mf.GetMetric() {
			lp := map[string]string{}
			for _, l := range m.GetLabel() {
				lp[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if lp[labels[i]] != labels[i+1] {
					continue metric
				}
			}
			switch {
			case m.Counter != nil:
				sum += m.Counter.GetValue()
			case m.Gauge != nil:
				sum += m.Gauge.GetValue()
			case m.Histogram != nil:
				sum += float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return sum
}

func replaceOnce(t testing.TB, b []byte, old, new string) []byte {
	t.Helper()
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("fixture lacks %q", old)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

// kafkaSink returns a Kafka for the test (kfake, or the real broker under
// `make test`) with the topics created, its producer and a kafkasink.Sink on it.
func kafkaSink(t *testing.T) (*kafkatest.Env, *bus.Producer, *kafkasink.Sink, context.Context) {
	t.Helper()
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(1)); err != nil {
		t.Fatal(err)
	}
	prod, err := bus.NewProducer(env.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { prod.Close() })
	return env, prod, &kafkasink.Sink{Producer: prod, Topics: env.Topics}, ctx
}

// kafkaState is the state store of writer on env's crawler-state topic.
func kafkaState(env *kafkatest.Env, prod *bus.Producer, writer string) *RecordStore {
	return &RecordStore{Records: &kafkasink.Records{Producer: prod, Bus: env.Config, Topic: env.Topics.CrawlerState}, Writer: writer}
}

// enrichingFeed serves partialFeed at /feed and answers its article pages
// with article.
func enrichingFeed(t *testing.T, article http.HandlerFunc) *feedServer {
	t.Helper()
	fs := newFeedServer(t, nil)
	base := fs.srv.URL
	fs.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			w.Write(partialFeed(base))
			return
		}
		article(w, r)
	})
	return fs
}
