package service_test

import (
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

	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/cli"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/embedded"
	"github.com/readout/readout/pkg/sources"
)

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// freePort returns a loopback port nothing listens on (just now).
func freePort(t *testing.T) int {
	t.Helper()
	ln := listen(t)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// Both services answer /healthz at once and /readyz with 503 and the reason
// while Kafka is unreachable, so startup and liveness probes pass and only
// readiness waits; once a broker comes up they become ready on their own.
func TestHealthWhileKafkaIsUnreachable(t *testing.T) {
	port := freePort(t)
	cfg := bus.Config{Brokers: []string{"127.0.0.1:" + strconv.Itoa(port)}}
	topics := bus.PrefixedTopics("health.")
	srv := feedServer(t)
	srcs, err := sources.Parse([]byte("sources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/events/all/feed', lang: en, publisher: kremlin.ru, interval: 60s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	log := zaptest.NewLogger(t)
	crawlerLn, procLn := listen(t), listen(t)
	var wg sync.WaitGroup
	for name, run := range map[string]func() error{
		"crawler": func() error {
			return service.RunCrawler(ctx, service.CrawlerOptions{Bus: cfg, Topics: topics, Sources: srcs, HTTPListener: crawlerLn, Logger: log.Named("crawler")})
		},
		"processor": func() error {
			return service.RunProcessor(ctx, service.ProcessorOptions{Bus: cfg, Topics: topics, Group: "health-p", HTTPListener: procLn, Logger: log.Named("processor")})
		},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(); err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
	stop := func() { cancel(); wg.Wait() }
	defer stop()
	bases := map[string]string{"crawler": "http://" + crawlerLn.Addr().String(), "processor": "http://" + procLn.Addr().String()}

	for name, base := range bases {
		if code, body := get(t, base+"/healthz"); code != http.StatusOK || body != "ok\n" {
			t.Errorf("%s /healthz without Kafka: %d %q", name, code, body)
		}
		code, body := get(t, base+"/readyz")
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "waiting for Kafka") {
			t.Errorf("%s /readyz without Kafka: %d %q", name, code, body)
		}
		code, body = get(t, base+"/metrics")
		if code != http.StatusOK || !strings.Contains(body, `readout_build_info{goversion="`) || !strings.Contains(body, `version="`+cli.BuildVersion()+`"`) {
			t.Errorf("%s /metrics without Kafka: %d, build info missing", name, code)
		}
	}

	b, err := embedded.Start(embedded.Options{Port: port, Partitions: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close() // after the services stopped (defers run last first)
	defer stop()
	for name, base := range bases {
		until(ctx, t, name+" ready once Kafka is up", func() bool {
			code, _ := get(t, base+"/readyz")
			return code == http.StatusOK
		})
		if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
			t.Errorf("%s /healthz with Kafka: %d", name, code)
		}
	}
}
