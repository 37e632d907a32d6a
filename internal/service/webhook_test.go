package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/sources"
	"github.com/readout/readout/pkg/webhook"
)

// Subscribers receive every event of the pipeline as a signed POST, and a
// filter narrows what one subscriber gets.
func TestWebhooksDeliverEvents(t *testing.T) {
	env := kafkatest.New(t)
	srv := feedServer(t)
	const secret = "test-secret"
	type delivery struct {
		ev    model.LeaderCall
		valid bool
	}
	var mu sync.Mutex
	got := map[string][]delivery{}
	receiver := func(name string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var ev model.LeaderCall
			_ = json.Unmarshal(body, &ev)
			mu.Lock()
			valid := webhook.Verify([]byte(secret), r.Header, body, time.Now(), 0) == nil
			got[name] = append(got[name], delivery{ev, valid})
			mu.Unlock()
		}))
		t.Cleanup(s.Close)
		return s
	}
	all, india := receiver("all"), receiver("india")
	dir := t.TempDir()
	cfg := "subscribers:\n" +
		"  - {name: all, url: '" + all.URL + "', secret: " + secret + ", allow_private: true}\n" +
		"  - {name: india, url: '" + india.URL + "', secret: " + secret + ", allow_private: true, filter: {countries: [IN]}}\n"
	if err := os.WriteFile(filepath.Join(dir, "subscribers.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	srcs, err := sources.Parse([]byte("sources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/events/all/feed', lang: en, publisher: kremlin.ru, interval: 5s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	log := zaptest.NewLogger(t)
	var wg sync.WaitGroup
	for _, run := range []func() error{
		func() error {
			return service.RunCrawler(ctx, service.CrawlerOptions{Bus: env.Config, Topics: env.Topics, Sources: srcs, Logger: log})
		},
		func() error {
			return service.RunProcessor(ctx, service.ProcessorOptions{Bus: env.Config, Topics: env.Topics, Group: env.Prefix + "p", Logger: log,
				Webhooks: service.WebhookOptions{ConfigFile: filepath.Join(dir, "subscribers.yaml")}})
		},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(); err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
				t.Error(err)
			}
		}()
	}
	defer func() { cancel(); wg.Wait() }()
	for {
		mu.Lock()
		n, m := len(got["all"]), len(got["india"])
		mu.Unlock()
		if n >= 3 && m >= 1 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("deliveries: all=%d india=%d, want 3 and 1", n, m)
		case <-time.After(100 * time.Millisecond):
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for name, ds := range got {
		for _, d := range ds {
			if !d.valid {
				t.Errorf("%s: delivery of %s has an invalid signature", name, d.ev.ID)
			}
		}
	}
	for _, d := range got["india"] {
		hasIN := false
		for _, p := range d.ev.Participants {
			hasIN = hasIN || p.Country == "IN"
		}
		if !hasIN {
			t.Errorf("india subscriber got %s without an Indian participant", d.ev.ID)
		}
	}
}
