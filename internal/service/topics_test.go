package service_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/sources"
)

// With topic creation off the crawler creates nothing: /readyz names the
// missing topics and the command that creates them, and once they exist
// (created by someone else, as `readout topics create` does) it runs.
func TestNoCreateTopicsWaitsForTopics(t *testing.T) {
	env := kafkatest.New(t)
	topics := env.Topics
	topics.Partitions = map[string]int{"raw": 2}
	srv := feedServer(t)
	srcs, err := sources.Parse([]byte("sources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/events/all/feed', lang: en, publisher: kremlin.ru, interval: 60s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ln := listen(t)
	done := make(chan error, 1)
	go func() {
		done <- service.RunCrawler(ctx, service.CrawlerOptions{Bus: env.Config, Topics: topics, Sources: srcs, HTTPListener: ln,
			Logger: zaptest.NewLogger(t), NoCreateTopics: true})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("crawler: %v", err)
		}
	}()
	base := "http://" + ln.Addr().String()
	var body string
	until(ctx, t, "readyz names the missing topics", func() bool {
		_, body = get(t, base+"/readyz")
		return strings.Contains(body, "waiting for its topics")
	})
	if !strings.Contains(body, "readout topics create") {
		t.Errorf("/readyz %q: want the command that creates the topics", body)
	}
	specs := topics.Specs(0)
	problems, err := bus.CheckTopics(ctx, env.Config, specs, false)
	if err != nil || len(problems) != len(specs) {
		t.Fatalf("the crawler created topics itself: %d of %d missing (%v)", len(problems), len(specs), err)
	}
	if _, err := bus.CreateTopics(ctx, env.Config, specs); err != nil {
		t.Fatal(err)
	}
	until(ctx, t, "crawler ready once the topics exist", func() bool {
		code, _ := get(t, base+"/readyz")
		return code == http.StatusOK
	})
}
