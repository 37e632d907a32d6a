package service_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/sources"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Sync() error { return nil }

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Secrets never reach the logs: the services run against a broker that
// requires SASL, with webhooks whose secrets come from the environment and
// a file and whose URL carries credentials, a receiver that fails and then
// rejects, and every log line at debug level captured as production writes
// it (JSON). Neither the dead letters nor the logs contain any secret.
func TestSecretsAreNotLogged(t *testing.T) {
	const (
		saslPassword  = "sasl-pw-7Qx9"
		envSecret     = "hook-env-secret-41"
		fileSecret    = "hook-file-secret-42"
		urlPassword   = "url-pw-43"
		urlQueryToken = "url-token-44"
	)
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-512", "readout", saslPassword),
		kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(3))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cfg := bus.Config{Brokers: c.ListenAddrs(), SASLMechanism: "SCRAM-SHA-512", Username: "readout", Password: saslPassword}
	topics := bus.PrefixedTopics("secrets.")

	rcv := newHookReceiver(t, envSecret, http.StatusInternalServerError)
	gone := newHookReceiver(t, fileSecret, http.StatusGone)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gone.secret"), []byte(fileSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEST_HOOK_SECRET", envSecret)
	withCreds := strings.Replace(rcv.srv.URL, "http://", "http://desk:"+urlPassword+"@", 1) + "/hook?token=" + urlQueryToken
	hooks := filepath.Join(dir, "subscribers.yaml")
	if err := os.WriteFile(hooks, []byte("subscribers:\n"+
		"  - {name: desk, url: '"+withCreds+"', secret_env: TEST_HOOK_SECRET, allow_private: true}\n"+
		"  - {name: gone, url: '"+gone.srv.URL+"/?key="+urlQueryToken+"', secret_file: gone.secret, allow_private: true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	var logs syncBuffer
	enc := zap.NewProductionEncoderConfig()
	log := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(enc), &logs, zapcore.DebugLevel))
	srv := feedServer(t)
	srcs, err := sources.Parse([]byte("sources:\n  - {id: kremlin-en-all, kind: feed, url: '" + srv.URL + "/events/all/feed', lang: en, publisher: kremlin.ru, interval: 5s}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for name, run := range map[string]func() error{
		"crawler": func() error {
			return service.RunCrawler(ctx, service.CrawlerOptions{Bus: cfg, Topics: topics, Sources: srcs, HTTPListener: listen(t), Logger: log.Named("crawler")})
		},
		"processor": func() error {
			return service.RunProcessor(ctx, service.ProcessorOptions{Bus: cfg, Topics: topics, Group: "secrets-p", HTTPListener: listen(t), Logger: log.Named("processor"),
				Webhooks: service.WebhookOptions{ConfigFile: hooks}})
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
	// Failures first (500: retried; 410: dead-lettered), then success.
	until(ctx, t, "failed and rejected deliveries", func() bool { return len(rcv.requests()) >= 1 && len(gone.requests()) >= 1 })
	rcv.setStatus(http.StatusOK)
	until(ctx, t, "a delivery", func() bool {
		for _, r := range rcv.requests() {
			if r.status == http.StatusOK {
				return true
			}
		}
		return false
	})
	var dlq bytes.Buffer
	until(ctx, t, "the rejected delivery's dead letter", func() bool {
		dlq.Reset()
		_, err := bus.ReadAll(ctx, cfg, topics.DLQ, func(r bus.Record) error { dlq.Write(r.Value); return nil })
		return err == nil && strings.Contains(dlq.String(), "webhook_rejected")
	})
	cancel()
	wg.Wait()

	out := logs.String()
	if !strings.Contains(out, "webhooks enabled") || !strings.Contains(out, "SCRAM-SHA-512") {
		t.Fatalf("the captured logs lack the start-up lines: capture broken?\n%s", out)
	}
	for what, secret := range map[string]string{"SASL password": saslPassword, "webhook secret from env": envSecret,
		"webhook secret from file": fileSecret, "URL password": urlPassword, "URL query token": urlQueryToken} {
		if strings.Contains(out, secret) {
			t.Errorf("the logs contain the %s", what)
		}
		if strings.Contains(dlq.String(), secret) {
			t.Errorf("a dead letter contains the %s", what)
		}
	}
}
