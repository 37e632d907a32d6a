package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/pkg/bus"
)

// `readout topics create` creates every topic of the deployment under its
// prefix with the configured sizes and configs; `readout topics check` then
// passes, and fails naming the topic and setting once one differs.
func TestTopicsCreateAndCheck(t *testing.T) {
	env := kafkatest.New(t)
	flags := []string{"--kafka-brokers", strings.Join(env.Config.Brokers, ","), "--topic-prefix", env.Prefix, "--topic-partitions", "2,raw=5"}
	var out bytes.Buffer
	if err := topicsCommand(append([]string{"check"}, flags...), &out); err == nil || !strings.Contains(out.String(), env.Prefix+"readout.raw.v1: missing") {
		t.Errorf("check before create: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := topicsCommand(append([]string{"create"}, flags...), &out); err != nil {
		t.Fatalf("create: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "created "+env.Prefix+"readout.webhook-state.v1\n") || !strings.Contains(out.String(), "10 topics created, 0 existed") {
		t.Errorf("create printed:\n%s", out.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	topics := bus.PrefixedTopics(env.Prefix)
	if n, err := bus.Partitions(ctx, env.Config, topics.Raw); err != nil || n != 5 {
		t.Errorf("%s has %d partitions (%v), want 5", topics.Raw, n, err)
	}
	if n, err := bus.Partitions(ctx, env.Config, topics.Statements); err != nil || n != 2 {
		t.Errorf("%s has %d partitions (%v), want 2", topics.Statements, n, err)
	}
	out.Reset()
	if err := topicsCommand(append([]string{"check"}, flags...), &out); err != nil {
		t.Fatalf("check after create: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := topicsCommand(append([]string{"create"}, flags...), &out); err != nil || !strings.Contains(out.String(), "0 topics created, 10 existed") {
		t.Errorf("create again: %v\n%s", err, out.String())
	}

	// Another setting for the same prefix: check names what differs.
	out.Reset()
	err := topicsCommand([]string{"check", "--kafka-brokers", strings.Join(env.Config.Brokers, ","), "--topic-prefix", env.Prefix, "--topic-partitions", "2,raw=6"}, &out)
	if err == nil || !strings.Contains(out.String(), env.Prefix+"readout.raw.v1: partitions is 5, want 6") {
		t.Errorf("check with other partitions: %v\n%s", err, out.String())
	}
	// A topic someone created by hand with the wrong cleanup policy.
	conn, err := kafka.Dial("tcp", env.Config.Brokers[0])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	other := env.Prefix + "b."
	otherTopics := bus.PrefixedTopics(other)
	for _, s := range otherTopics.Specs(0) {
		policy := "compact"
		if s.Key == "statements" {
			policy = "delete"
		}
		if err := conn.CreateTopics(kafka.TopicConfig{Topic: s.Name, NumPartitions: s.Partitions, ReplicationFactor: 1,
			ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: policy}}}); err != nil {
			t.Fatal(err)
		}
		visible(ctx, t, env.Config, s.Name)
	}
	out.Reset()
	err = topicsCommand([]string{"check", "--kafka-brokers", strings.Join(env.Config.Brokers, ","), "--topic-prefix", other}, &out)
	if err == nil || !strings.Contains(out.String(), otherTopics.Statements+": cleanup.policy is delete, want compact") ||
		!strings.Contains(out.String(), otherTopics.Raw+": cleanup.policy is compact, want delete") {
		t.Errorf("check of hand-made topics: %v\n%s", err, out.String())
	}
}

func TestTopicsNeedsSubcommand(t *testing.T) {
	err := topicsCommand(nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "readout topics create") {
		t.Errorf("no subcommand: %v", err)
	}
}

// `readout health URL` succeeds on 2xx and fails with the answer otherwise.
func TestHealth(t *testing.T) {
	var ready atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !ready.Load() {
			http.Error(w, "not ready: waiting for Kafka", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	}))
	defer srv.Close()
	err := healthCommand([]string{srv.URL + "/readyz"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "waiting for Kafka") {
		t.Errorf("not ready: %v", err)
	}
	ready.Store(true)
	var out bytes.Buffer
	if err := healthCommand([]string{srv.URL + "/readyz"}, &out); err != nil || out.String() != "ok\n" {
		t.Errorf("ready: %v %q", err, out.String())
	}
	if err := healthCommand([]string{"localhost:9101"}, &bytes.Buffer{}); err == nil {
		t.Error("a URL without scheme: no error")
	}
}

// visible waits until the cluster's metadata lists topic: a real broker
// answers CreateTopics before every broker knows the topic.
func visible(ctx context.Context, t *testing.T, c bus.Config, topic string) {
	t.Helper()
	for {
		if _, err := bus.Partitions(ctx, c, topic); err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("topic %s never became visible", topic)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
