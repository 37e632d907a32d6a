package bus_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/pkg/bus"
)

// Per-topic partitions and replication reach the specs by key, under any prefix.
func TestTopicsSized(t *testing.T) {
	topics := bus.PrefixedTopics("team-a.")
	topics.Partitions = map[string]int{bus.AllTopics: 6, "leader-calls": 4, "dlq": 2}
	topics.Replication = map[string]int{bus.AllTopics: 3, "crawler-state": 5}
	got := map[string]bus.TopicSpec{}
	for _, s := range topics.Specs(0) {
		got[s.Key] = s
	}
	for key, want := range map[string]bus.TopicSpec{
		"raw":           {Name: "team-a.readout.raw.v1", Partitions: 6, Replication: 3},
		"leader-calls":  {Name: "team-a.readout.leader-calls.v1", Partitions: 4, Replication: 3},
		"dlq":           {Name: "team-a.readout.dlq.v1", Partitions: 2, Replication: 3},
		"crawler-state": {Name: "team-a.readout.crawler-state.v1", Partitions: 1, Replication: 5},
	} {
		s := got[key]
		if s.Name != want.Name || s.Partitions != want.Partitions || s.Replication != want.Replication {
			t.Errorf("%s: %s %d partitions replication %d, want %s %d, %d", key, s.Name, s.Partitions, s.Replication, want.Name, want.Partitions, want.Replication)
		}
	}
	if keys := bus.TopicKeys(); len(keys) != 10 || !slices.Contains(keys, "webhook-state") || !slices.Contains(keys, "call-reports") {
		t.Errorf("TopicKeys = %v", keys)
	}
}

// Every topic of a deployment is in Topics and its Specs, the webhook
// delivery state too: behind the prefix, compacted, one partition unless
// sized by its key.
func TestTopicsHoldTheWebhookState(t *testing.T) {
	topics := bus.PrefixedTopics("team-a.")
	if topics.WebhookState != "team-a.readout.webhook-state.v1" {
		t.Errorf("WebhookState = %q", topics.WebhookState)
	}
	topics.Partitions = map[string]int{bus.AllTopics: 6}
	topics.Replication = map[string]int{"webhook-state": 2}
	specs := topics.Specs(0)
	if len(specs) != len(bus.TopicKeys()) {
		t.Fatalf("%d specs for %d keys", len(specs), len(bus.TopicKeys()))
	}
	for i, s := range specs {
		if s.Key != bus.TopicKeys()[i] {
			t.Errorf("spec %d: key %s, TopicKeys says %s", i, s.Key, bus.TopicKeys()[i])
		}
		if s.Key != "webhook-state" {
			continue
		}
		if s.Name != topics.WebhookState || !s.Compact || s.Partitions != 1 || s.Replication != 2 {
			t.Errorf("webhook state spec %+v", s)
		}
	}
}

// CreateTopics creates what is missing with the spec's size and configs and
// reports what it created; CheckTopics then finds nothing, and finds a
// missing topic, a topic of the wrong size and one of the wrong cleanup policy.
func TestCreateAndCheckTopics(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	topics := env.Topics
	topics.Partitions = map[string]int{"raw": 5}
	specs := topics.Specs(2)
	created, err := bus.CreateTopics(ctx, env.Config, specs)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != len(specs) {
		t.Errorf("created %v, want all %d", created, len(specs))
	}
	if again, err := bus.CreateTopics(ctx, env.Config, specs); err != nil || len(again) != 0 {
		t.Errorf("second CreateTopics created %v, %v; want nothing, no error", again, err)
	}
	problems, err := bus.CheckTopics(ctx, env.Config, specs, true)
	if err != nil || len(problems) != 0 {
		t.Fatalf("check after create: %v, %v", problems, err)
	}

	// What a hand-made cluster gets wrong: a topic created with the wrong
	// size and policy, one not created at all.
	wrong := env.Prefix + "wrong"
	conn, err := kafka.Dial("tcp", env.Config.Brokers[0])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.CreateTopics(kafka.TopicConfig{Topic: wrong, NumPartitions: 1, ReplicationFactor: 1,
		ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "delete"}}}); err != nil {
		t.Fatal(err)
	}
	check := []bus.TopicSpec{
		{Name: wrong, Partitions: 3, Replication: 1, Compact: true},
		{Name: env.Prefix + "missing", Partitions: 1},
	}
	visible(ctx, t, env.Config, wrong)
	problems, err = bus.CheckTopics(ctx, env.Config, check, true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	want := []string{wrong + ": partitions is 1, want 3", env.Prefix + "missing: missing", wrong + ": cleanup.policy is delete, want compact"}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%q\nwant\n%q", got, want)
	}
	// Metadata only: no config is read, the missing topic is still found.
	problems, err = bus.CheckTopics(ctx, env.Config, check, false)
	if err != nil || len(problems) != 2 {
		t.Errorf("metadata-only check: %v, %v", problems, err)
	}
}

// A replication factor the cluster cannot give is an error that says what to lower.
func TestCreateTopicsTooManyReplicas(t *testing.T) {
	env := kafkatest.New(t)
	if env.Real {
		t.Skip("the real test broker's replica count is not known here")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := bus.CreateTopics(ctx, env.Config, []bus.TopicSpec{{Name: env.Prefix + "r3", Partitions: 1, Replication: 3}})
	if err == nil {
		t.Fatal("3 replicas on one broker: no error")
	}
	t.Log(err)
	if want := "lower --topic-replication"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
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
