package service_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/sources"
)

// feedsProcessor runs a processor whose Kafka is unreachable (its listeners
// start before Kafka is reached) and returns the base URLs of its admin and
// public listeners and its registry.
func feedsProcessor(t *testing.T, public service.Public) (admin, feeds string, reg *prometheus.Registry) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	adminLn, publicLn := listen(t), listen(t)
	public.Listener = publicLn
	reg = service.NewRegistry()
	cfg := bus.Config{Brokers: []string{"127.0.0.1:" + strconv.Itoa(freePort(t))}}
	done := make(chan error, 1)
	go func() {
		done <- service.RunProcessor(ctx, service.ProcessorOptions{Bus: cfg, Topics: bus.PrefixedTopics("feeds."), Group: "feeds-p",
			HTTPListener: adminLn, Public: public, Registry: reg, Logger: zaptest.NewLogger(t)})
	}()
	t.Cleanup(func() {
		if ctx.Err() == nil {
			select {
			case err := <-done:
				t.Errorf("processor stopped: %v", err)
			default:
			}
		}
		cancel()
		<-done
	})
	return "http://" + adminLn.Addr().String(), "http://" + publicLn.Addr().String(), reg
}

// do sends a GET with the given headers and returns the response, body read.
func do(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// The feeds and the admin endpoints are on separate listeners: neither
// serves the other's paths.
func TestPublicAndAdminListenersAreSplit(t *testing.T) {
	admin, feeds, _ := feedsProcessor(t, service.Public{})
	for _, p := range []string{"/events.atom", "/events.plover.jsonl"} {
		if resp, _ := do(t, feeds+p); resp.StatusCode != http.StatusOK {
			t.Errorf("public %s: %d", p, resp.StatusCode)
		}
		if resp, _ := do(t, admin+p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("admin serves %s: %d", p, resp.StatusCode)
		}
	}
	for _, p := range []string{"/metrics", "/healthz", "/readyz"} {
		if resp, _ := do(t, feeds+p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("public serves %s: %d", p, resp.StatusCode)
		}
	}
	if resp, _ := do(t, admin+"/metrics"); resp.StatusCode != http.StatusOK {
		t.Errorf("admin /metrics: %d", resp.StatusCode)
	}
}

// With a token, the feeds answer 401 to a request without it or with
// another, count and log the refusal, and serve the one that carries it.
func TestPublicBearerToken(t *testing.T) {
	const token = "s3cret-feeds-token-0123456789"
	_, feeds, reg := feedsProcessor(t, service.Public{Token: token})
	for name, header := range map[string][]string{
		"no header":   nil,
		"wrong token": {"Authorization", "Bearer not-the-token-0123456789"},
		"basic":       {"Authorization", "Basic " + token},
	} {
		resp, body := do(t, feeds+"/events.atom", header...)
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") || strings.Contains(body, "<feed") {
			t.Errorf("%s: %d %q %q", name, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
		}
	}
	if resp, body := do(t, feeds+"/events.atom", "Authorization", "Bearer "+token); resp.StatusCode != http.StatusOK || !strings.Contains(body, "<feed") {
		t.Errorf("with the token: %d %q", resp.StatusCode, body)
	}
	if v, _ := metricValue(t, reg, "readout_feed_rejected_total", map[string]string{"reason": "unauthorized"}); v != 3 {
		t.Errorf("readout_feed_rejected_total{reason=unauthorized} = %v, want 3", v)
	}
}

// openStream opens an SSE stream on its own connection and reads its first line.
func openStream(t *testing.T, url string) (*http.Response, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	tr := &http.Transport{}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: %v %v", resp, err)
	}
	if line, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil || !strings.HasPrefix(line, "retry:") {
		t.Fatalf("stream first line %q %v", line, err)
	}
	return resp, func() { cancel(); resp.Body.Close(); tr.CloseIdleConnections() }
}

// The public listener caps open connections: past the cap a request is
// answered 503 with Retry-After (and counted); once a connection closes,
// requests are served again.
func TestPublicConnectionCap(t *testing.T) {
	_, feeds, reg := feedsProcessor(t, service.Public{MaxConns: 2})
	_, close1 := openStream(t, feeds+"/events/stream")
	_, close2 := openStream(t, feeds+"/events/stream")
	defer close2()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	resp, err := client.Get(feeds + "/events.atom")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), "too many connections") {
		t.Errorf("third connection: %d Retry-After %q %q", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if v, _ := metricValue(t, reg, "readout_feed_rejected_total", map[string]string{"reason": "too_many_connections"}); v != 1 {
		t.Errorf("readout_feed_rejected_total{reason=too_many_connections} = %v, want 1", v)
	}
	close1()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	until(ctx, t, "a request served once a stream closed", func() bool {
		resp, err := client.Get(feeds + "/events.atom")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// An idle keep-alive connection is closed after the idle timeout.
func TestPublicIdleTimeout(t *testing.T) {
	_, feeds, _ := feedsProcessor(t, service.Public{HTTP: service.HTTP{Timeouts: service.Timeouts{Idle: 100 * time.Millisecond}}})
	conn, err := net.Dial("tcp", strings.TrimPrefix(feeds, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /events.atom HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	// A bound on the test, not a measurement: the server closes long before.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := r.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("idle connection: read %v, want EOF (closed by the server)", err)
	}
}

// The Atom self link is the configured public base URL, whatever Host the
// client sends; a base URL that is not an absolute http(s) URL fails start.
func TestPublicBaseURL(t *testing.T) {
	_, feeds, _ := feedsProcessor(t, service.Public{BaseURL: "https://readout.example.org/"})
	req, _ := http.NewRequest(http.MethodGet, feeds+"/events.atom", nil)
	req.Host = "attacker.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `href="https://readout.example.org/events.atom"`) || strings.Contains(string(body), "attacker") {
		t.Errorf("feed:\n%s", body)
	}

	for _, bad := range []string{"readout.example.org", "ftp://readout.example.org", "https://u:p@readout.example.org", "https://readout.example.org/?x=1"} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := service.RunProcessor(ctx, service.ProcessorOptions{Bus: bus.Config{Brokers: []string{"127.0.0.1:1"}}, Topics: bus.PrefixedTopics("bad."),
			Public: service.Public{HTTP: service.HTTP{Listener: listen(t)}, BaseURL: bad}})
		cancel()
		if err == nil || !strings.Contains(err.Error(), "public base URL") {
			t.Errorf("base URL %q: %v", bad, err)
		}
	}
}

// /readyz says what a service waits for without Kafka's brokers, TLS
// setting or SASL user; the log keeps them.
func TestReadyzHidesKafkaConfig(t *testing.T) {
	port := strconv.Itoa(freePort(t))
	cfg := bus.Config{Brokers: []string{"127.0.0.1:" + port}, SASLMechanism: "SCRAM-SHA-512", Username: "readout-sasl-user", Password: "pw-0123456789"}
	srv := feedServer(t)
	srcs, err := sources.Parse([]byte("sources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/events/all/feed', lang: en, publisher: kremlin.ru, interval: 60s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zap.InfoLevel)
	log := zap.New(core)
	ctx, cancel := context.WithCancel(context.Background())
	crawlerLn, procLn := listen(t), listen(t)
	topics := bus.PrefixedTopics("readyz.")
	var wg sync.WaitGroup
	for _, run := range []func() error{
		func() error {
			return service.RunCrawler(ctx, service.CrawlerOptions{Bus: cfg, Topics: topics, Sources: srcs, HTTPListener: crawlerLn, Logger: log})
		},
		func() error {
			return service.RunProcessor(ctx, service.ProcessorOptions{Bus: cfg, Topics: topics, Group: "readyz-p", HTTPListener: procLn, Logger: log})
		},
	} {
		wg.Add(1)
		go func() { defer wg.Done(); _ = run() }()
	}
	defer func() { cancel(); wg.Wait() }()
	wait, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	// Both have failed to reach Kafka at least once: /readyz had the details to show.
	until(wait, t, "two failed attempts to reach Kafka", func() bool {
		return logs.FilterMessage("kafka not ready; retrying").Len() >= 2
	})
	for _, base := range []string{"http://" + crawlerLn.Addr().String(), "http://" + procLn.Addr().String()} {
		resp, body := do(t, base+"/readyz")
		if resp.StatusCode != http.StatusServiceUnavailable || body != "not ready: waiting for Kafka\n" {
			t.Errorf("%s/readyz: %d %q", base, resp.StatusCode, body)
		}
		for _, secret := range []string{"readout-sasl-user", port, "SCRAM", "brokers"} {
			if strings.Contains(body, secret) {
				t.Errorf("%s/readyz shows %q: %q", base, secret, body)
			}
		}
	}
	if !strings.Contains(logs.FilterMessage("kafka not ready; retrying").All()[0].ContextMap()["kafka"].(string), "readout-sasl-user") {
		t.Error("the log lost the Kafka settings")
	}
}
