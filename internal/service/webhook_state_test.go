package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap/zaptest"

	"github.com/readout/readout/internal/fixture"
	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/internal/service"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outbound"
	"github.com/readout/readout/pkg/webhook"
)

// hookReceiver is a subscriber endpoint that records every request and
// answers with the status its respond function gives.
type hookReceiver struct {
	srv    *httptest.Server
	secret []byte

	mu      sync.Mutex
	status  int
	got     []hookRequest
	arrived chan struct{}
}

type hookRequest struct {
	delivery string // webhook-id
	attempt  int
	status   int
	sigErr   error
	event    model.LeaderCall
}

func newHookReceiver(t *testing.T, secret string, status int) *hookReceiver {
	h := &hookReceiver{secret: []byte(secret), status: status, arrived: make(chan struct{}, 100)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev model.LeaderCall
		_ = json.Unmarshal(body, &ev)
		attempt, _ := strconv.Atoi(r.Header.Get(webhook.HeaderAttempt))
		h.mu.Lock()
		status := h.status
		h.got = append(h.got, hookRequest{
			delivery: r.Header.Get(webhook.HeaderID), attempt: attempt, status: status, event: ev,
			sigErr: webhook.Verify(h.secret, r.Header, body, time.Now(), 0),
		})
		h.mu.Unlock()
		w.WriteHeader(status)
		select {
		case h.arrived <- struct{}{}:
		default:
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) setStatus(s int) {
	h.mu.Lock()
	h.status = s
	h.mu.Unlock()
}

func (h *hookReceiver) requests() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookRequest(nil), h.got...)
}

// accepted counts the requests for key that were answered 2xx.
func (h *hookReceiver) accepted(key string) int {
	n := 0
	for _, r := range h.requests() {
		if r.delivery == key && r.status < 300 {
			n++
		}
	}
	return n
}

// until polls cond until it holds; the test fails when ctx ends first.
func until(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// metricValue returns the value of the series of name whose labels include labels.
func metricValue(t *testing.T, reg prometheus.Gatherer, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue series
				}
			}
			return value(m), true
		}
	}
	return 0, false
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return 0
}

func writeConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "subscribers.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func loadEvent(t *testing.T, name string) *model.LeaderCall {
	t.Helper()
	raw := fixture.Read(t, name)
	var ev model.LeaderCall
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	return &ev
}

// processorLife runs one processor process (as cmd/processor does) until stop.
type processorLife struct {
	reg  *prometheus.Registry
	stop func()
}

// A pending delivery survives the pod moving to another node: its state is
// in Kafka, not on the pod's disk. The first processor commits the event's
// offset once the delivery is owed (its receiver is down), and stops; the
// second starts with a fresh, empty state directory, restores the state
// from the topic and delivers the same version with the same webhook-id. A third delivers only what is new.
func TestPendingWebhookSurvivesReschedule(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const secret = "reschedule-secret"
	rcv := newHookReceiver(t, secret, http.StatusServiceUnavailable)
	cfg := writeConfig(t, "subscribers:\n  - {name: desk, url: '"+rcv.srv.URL+"/hook', secret_env: TEST_RESCHEDULE_SECRET, allow_private: true}\n")
	t.Setenv("TEST_RESCHEDULE_SECRET", secret)
	group := env.Prefix + "p"

	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(1)); err != nil {
		t.Fatal(err)
	}
	prod, err := bus.NewProducer(env.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	publish := func(ev *model.LeaderCall) {
		b, _ := json.Marshal(ev)
		if err := prod.Write(ctx, bus.Message{Topic: env.Topics.LeaderCalls, Key: []byte(ev.ID), Value: b}); err != nil {
			t.Fatal(err)
		}
	}
	// A record that is not an event goes to the DLQ and does not stop the stream.
	if err := prod.Write(ctx, bus.Message{Topic: env.Topics.LeaderCalls, Key: []byte("garbage"), Value: []byte("{not json")}); err != nil {
		t.Fatal(err)
	}
	trump := loadEvent(t, "putin-trump-2017-01-28.json")
	publish(trump)
	key := trump.ID + "@v" + strconv.Itoa(trump.Version)

	start := func(name string) *processorLife {
		reg := service.NewRegistry()
		lctx, lcancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() {
			done <- service.RunProcessor(lctx, service.ProcessorOptions{Bus: env.Config, Topics: env.Topics, Group: group,
				Logger: zaptest.NewLogger(t).Named(name), Registry: reg, NoNewsroom: true,
				Webhooks: service.WebhookOptions{ConfigFile: cfg, StateDir: t.TempDir(), // a new, empty disk each time
					Delivery: webhook.Options{BaseDelay: 10 * time.Millisecond, MaxDelay: 40 * time.Millisecond, MaxAttempts: 1000}}})
		}()
		return &processorLife{reg: reg, stop: func() {
			lcancel()
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("%s: %v", name, err)
			}
		}}
	}
	committed := func() bool {
		lag, err := bus.GroupLag(ctx, env.Config, group+"-webhooks", env.Topics.LeaderCalls)
		if err != nil {
			return false
		}
		total := int64(0)
		for _, l := range lag {
			total += l
		}
		return len(lag) > 0 && total == 0
	}

	// First life: the receiver is down. The offset is committed while the delivery is owed.
	first := start("first")
	until(ctx, t, "failed attempts and the committed offset", func() bool { return len(rcv.requests()) >= 2 && committed() })
	first.stop()
	before := rcv.requests()
	for _, r := range before {
		if r.delivery != key || r.status < 500 {
			t.Fatalf("first life: request %+v", r)
		}
	}
	if v, _ := metricValue(t, first.reg, "readout_webhook_dead_letters_total", map[string]string{"reason": webhook.ReasonMalformedEvent}); v != 1 {
		t.Errorf("malformed leader-calls record counted %v times, want 1", v)
	}
	var dlqReasons []string
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.DLQ, func(r bus.Record) error {
		var dl model.DeadLetter
		_ = json.Unmarshal(r.Value, &dl)
		dlqReasons = append(dlqReasons, dl.Reason)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(dlqReasons) != 1 || dlqReasons[0] != webhook.ReasonMalformedEvent {
		t.Errorf("DLQ reasons %v, want the malformed record only", dlqReasons)
	}

	// Second life on another "node": nothing on disk, the receiver is back.
	rcv.setStatus(http.StatusNoContent)
	second := start("second")
	until(ctx, t, "the pending delivery after the move", func() bool { return rcv.accepted(key) == 1 })
	until(ctx, t, "no delivery pending", func() bool {
		v, ok := metricValue(t, second.reg, "readout_webhook_pending", map[string]string{"subscriber": "desk"})
		return ok && v == 0
	})
	second.stop()
	got := rcv.requests()
	last := got[len(got)-1]
	if last.status >= 300 || last.delivery != key || last.sigErr != nil || last.event.ID != trump.ID || last.event.Version != trump.Version {
		t.Fatalf("delivery after the move: %+v", last)
	}
	// The attempt count came back with the state: this is a retry, not a first
	// attempt. The first life's last request may have been in flight when it
	// stopped (its outcome unrecorded), so the count resumes at least there.
	if last.attempt < len(before) {
		t.Errorf("attempt %d after the move, %d attempts before: the state was not restored", last.attempt, len(before))
	}

	// Third life: the acknowledged version is not sent again; a new version is.
	third := start("third")
	trump.Version++
	publish(trump)
	key2 := trump.ID + "@v" + strconv.Itoa(trump.Version)
	until(ctx, t, "the new version", func() bool { return rcv.accepted(key2) == 1 })
	third.stop()
	if n := rcv.accepted(key); n != 1 {
		t.Errorf("version %s accepted %d times, want once", key, n)
	}
	for _, r := range rcv.requests() {
		if r.sigErr != nil {
			t.Errorf("request %s attempt %d: %v", r.delivery, r.attempt, r.sigErr)
		}
	}
}

// A webhook configuration that does not load fails the processor at once,
// before it waits for Kafka, with an error that says so.
func TestBadWebhookConfigFailsStart(t *testing.T) {
	cfg := writeConfig(t, "subscribers:\n  - {name: desk, url: 'https://hooks.example/readout', secret_env: TEST_UNSET_WEBHOOK_SECRET}\n")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// No broker listens here: the error must come before any Kafka work.
	err := service.RunProcessor(ctx, service.ProcessorOptions{Bus: bus.Config{Brokers: []string{"127.0.0.1:1"}},
		Topics: bus.PrefixedTopics("badcfg."), Logger: zaptest.NewLogger(t), Webhooks: service.WebhookOptions{ConfigFile: cfg}})
	if !errors.Is(err, webhook.ErrNoSecret) || !strings.Contains(err.Error(), "webhooks") || ctx.Err() != nil {
		t.Fatalf("RunProcessor = %v, want a prompt webhooks config error", err)
	}
	err = service.RunProcessor(ctx, service.ProcessorOptions{Bus: bus.Config{Brokers: []string{"127.0.0.1:1"}},
		Topics: bus.PrefixedTopics("badcfg."), Logger: zaptest.NewLogger(t), Webhooks: service.WebhookOptions{ConfigFile: filepath.Join(t.TempDir(), "missing.yaml")}})
	if !errors.Is(err, os.ErrNotExist) || ctx.Err() != nil {
		t.Fatalf("RunProcessor with a missing file = %v", err)
	}
	// A receiver on a loopback address needs allow_private.
	cfg = writeConfig(t, "subscribers:\n  - {name: desk, url: 'http://127.0.0.1:8080/readout', secret: s}\n")
	err = service.RunProcessor(ctx, service.ProcessorOptions{Bus: bus.Config{Brokers: []string{"127.0.0.1:1"}},
		Topics: bus.PrefixedTopics("badcfg."), Logger: zaptest.NewLogger(t), Webhooks: service.WebhookOptions{ConfigFile: cfg}})
	if !errors.Is(err, outbound.ErrPrivateAddress) || !strings.Contains(err.Error(), "allow_private") || ctx.Err() != nil {
		t.Fatalf("RunProcessor with a loopback subscriber = %v", err)
	}
}

// A webhooks.json left on disk by versions that kept delivery state there is
// imported into the state topic once: its pending delivery goes out, and the
// file is renamed so that it is never imported again.
func TestLegacyWebhookStateIsImported(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rcv := newHookReceiver(t, "legacy-secret", http.StatusOK)
	cfg := writeConfig(t, "subscribers:\n  - {name: desk, url: '"+rcv.srv.URL+"', secret: legacy-secret, allow_private: true}\n")
	ev := loadEvent(t, "putin-modi-2018-01-03.json")
	body, _ := json.Marshal(ev)
	dir := t.TempDir()
	legacy := map[string]any{"subscribers": map[string]any{"desk": map[string]any{
		"delivered": map[string]any{},
		"pending": []any{map[string]any{"event_id": ev.ID, "version": ev.Version, "body": body, // []byte: base64, as written then
			"attempts": 4, "next_attempt": time.Now().UTC(), "enqueued_at": time.Now().UTC()}},
	}}}
	raw, _ := json.Marshal(legacy)
	if err := os.WriteFile(filepath.Join(dir, "webhooks.json"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	lctx, lcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- service.RunProcessor(lctx, service.ProcessorOptions{Bus: env.Config, Topics: env.Topics, Group: env.Prefix + "p",
			Logger: zaptest.NewLogger(t), NoNewsroom: true, Webhooks: service.WebhookOptions{ConfigFile: cfg, StateDir: dir}})
	}()
	key := ev.ID + "@v" + strconv.Itoa(ev.Version)
	until(ctx, t, "the imported delivery", func() bool { return rcv.accepted(key) == 1 })
	lcancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	got := rcv.requests()[0]
	if got.attempt != 5 || got.sigErr != nil || got.event.ID != ev.ID {
		t.Errorf("imported delivery %+v, want attempt 5 of %s, signed", got, ev.ID)
	}
	if _, err := os.Stat(filepath.Join(dir, "webhooks.json.imported")); err != nil {
		t.Errorf("legacy file not renamed: %v", err)
	}
	n, err := bus.ReadAll(ctx, env.Config, env.Topics.WebhookState, func(bus.Record) error { return nil })
	if err != nil || n == 0 {
		t.Errorf("state topic holds %d records (%v)", n, err)
	}
}
