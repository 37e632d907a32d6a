package bus

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs/all"
)

// TopicSpec describes a topic Readout needs.
type TopicSpec struct {
	// Key is the topic's short name, the same under every prefix: "raw", "leader-calls".
	Key        string
	Name       string
	Partitions int
	// Replication is the replication factor; 0 takes the broker's default.
	Replication int
	Compact     bool
	Retention   string // retention.ms, "" = broker default
	// External topics are created by someone else (`readout topics create`):
	// EnsureTopics only checks that they exist, which needs no Create permission.
	External bool
}

// Configs are the topic configs Readout relies on: cleanup.policy, and
// retention.ms where the spec sets one.
func (s TopicSpec) Configs() map[string]string {
	c := map[string]string{"cleanup.policy": "delete"}
	if s.Compact {
		c["cleanup.policy"] = "compact"
	}
	if s.Retention != "" {
		c["retention.ms"] = s.Retention
	}
	return c
}

// Topics names the topics one deployment uses and may size them. Tests
// prefix them so runs against a shared broker do not see each other.
type Topics struct {
	Raw, Statements, LeaderCalls, DLQ, CrawlerState string
	// Outputs name the topics of the output formats (pkg/outputs/all) by
	// their key: Outputs["plover"].
	Outputs map[string]string
	// Prepared and CallReports are internal to the processor: they carry
	// statements to the partition that numbers their versions and calls to
	// the partition that merges them.
	Prepared, CallReports string
	// WebhookState holds the webhook delivery state of the processor.
	WebhookState string
	// Partitions and Replication override the size of topics by key
	// (TopicSpec.Key); key AllTopics sets the default: of Replication for
	// every topic, of Partitions for the topics that are partitioned at all.
	Partitions, Replication map[string]int
}

// AllTopics is the key of Topics.Partitions and Topics.Replication that
// applies to every topic not named.
const AllTopics = "*"

// Retention of the topics that are not compacted.
const (
	week  = 7 * 24 * time.Hour
	month = 30 * 24 * time.Hour
)

// topic is one topic of the contract: its contract name, its key, the field
// of Topics that names it (nil: Topics.Outputs names it) and its shape. A
// partitioned topic takes the deployment's partition count, the others one.
type topic struct {
	name, key   string
	field       func(*Topics) *string
	partitioned bool
	compact     bool
	retention   time.Duration // 0: the broker's default
}

// pipeline are the topics before the output formats' in the contract.
var pipeline = []topic{
	{model.TopicRaw, "raw", func(t *Topics) *string { return &t.Raw }, true, false, week},
	{model.TopicStatements, "statements", func(t *Topics) *string { return &t.Statements }, true, true, 0},
	{model.TopicLeaderCalls, "leader-calls", func(t *Topics) *string { return &t.LeaderCalls }, true, true, 0},
	{model.TopicDLQ, "dlq", func(t *Topics) *string { return &t.DLQ }, false, false, month},
	{model.TopicCrawlerState, "crawler-state", func(t *Topics) *string { return &t.CrawlerState }, false, true, 0},
}

// internal are the processor's topics, after the output formats' in the contract.
var internal = []topic{
	// As many partitions as the statements topic: the processor then
	// rebuilds a prepared partition's dedup state from the statements
	// partition of the same number alone.
	{model.TopicPrepared, "prepared", func(t *Topics) *string { return &t.Prepared }, true, false, week},
	{model.TopicCallReports, "call-reports", func(t *Topics) *string { return &t.CallReports }, true, false, week},
	{model.TopicWebhookState, "webhook-state", func(t *Topics) *string { return &t.WebhookState }, false, true, 0},
}

// contract is every topic of a deployment, in the order of Specs: the
// pipeline's, one per output format of pkg/outputs/all, the internal ones.
func contract() []topic {
	c := slices.Clone(pipeline)
	for _, f := range all.Formats {
		s := f.Spec()
		c = append(c, topic{name: s.Topic, key: s.Key, partitioned: true, compact: s.Compact, retention: s.Retention})
	}
	return append(c, internal...)
}

// nameIn is the name t gives the topic.
func (c topic) nameIn(t *Topics) string {
	if c.field == nil {
		return t.Outputs[c.key]
	}
	return *c.field(t)
}

// TopicKeys are the keys of every topic of a deployment.
func TopicKeys() []string {
	var keys []string
	for _, c := range contract() {
		keys = append(keys, c.key)
	}
	return keys
}

// DefaultTopicNames is the production topic contract.
func DefaultTopicNames() Topics { return PrefixedTopics("") }

// PrefixedTopics returns the contract's topic names with prefix prepended.
func PrefixedTopics(prefix string) Topics {
	t := Topics{Outputs: map[string]string{}}
	for _, c := range contract() {
		if c.field == nil {
			t.Outputs[c.key] = prefix + c.name
		} else {
			*c.field(&t) = prefix + c.name
		}
	}
	return t
}

// Specs returns the topics with their partitioning and cleanup policy:
// partitions (default 3) for the partitioned topics unless t overrides it,
// then t's overrides per topic.
func (t Topics) Specs(partitions int) []TopicSpec {
	if n := t.Partitions[AllTopics]; n > 0 {
		partitions = n
	}
	if partitions <= 0 {
		partitions = 3
	}
	var specs []TopicSpec
	for _, c := range contract() {
		s := TopicSpec{Key: c.key, Name: c.nameIn(&t), Partitions: 1, Compact: c.compact}
		if c.partitioned {
			s.Partitions = partitions
		}
		if c.retention > 0 {
			s.Retention = strconv.FormatInt(c.retention.Milliseconds(), 10)
		}
		specs = append(specs, t.Sized(s))
	}
	return specs
}

// Sized applies t's partition and replication overrides to s, found by s.Key.
func (t Topics) Sized(s TopicSpec) TopicSpec {
	if n := t.Partitions[s.Key]; n > 0 {
		s.Partitions = n
	}
	if n := t.Replication[s.Key]; n > 0 {
		s.Replication = n
	} else if n := t.Replication[AllTopics]; n > 0 {
		s.Replication = n
	}
	return s
}

// External returns specs marked External: topics someone else creates.
func External(specs []TopicSpec) []TopicSpec {
	out := make([]TopicSpec, len(specs))
	for i, s := range specs {
		s.External = true
		out[i] = s
	}
	return out
}

// ErrTopicsMissing is the error of EnsureTopics while an External topic does not exist.
var ErrTopicsMissing = errors.New("bus: topics missing")

// EnsureTopics creates the topics that do not exist yet; existing ones are
// left alone. External topics are not created: it fails with
// ErrTopicsMissing while one does not exist.
func EnsureTopics(ctx context.Context, c Config, specs []TopicSpec) error {
	var create, external []TopicSpec
	for _, s := range specs {
		if s.External {
			external = append(external, s)
		} else {
			create = append(create, s)
		}
	}
	if len(create) > 0 {
		if _, err := CreateTopics(ctx, c, create); err != nil {
			return err
		}
	}
	if len(external) == 0 {
		return nil
	}
	problems, err := CheckTopics(ctx, c, external, false)
	if err != nil {
		return err
	}
	var missing []string
	for _, p := range problems {
		if p.Setting == "exists" {
			missing = append(missing, p.Topic)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s (topic creation is off: create them with `readout topics create` and the same --topic-* settings)",
			ErrTopicsMissing, strings.Join(missing, ", "))
	}
	return nil
}

// CreateTopics creates the topics of specs that do not exist yet, with their
// partitions, replication factor and Configs, and returns the names it
// created; existing topics are left alone (TopicsCheck tells how they differ).
func CreateTopics(ctx context.Context, c Config, specs []TopicSpec) ([]string, error) {
	cl, done, err := client(ctx, c)
	if err != nil {
		return nil, err
	}
	defer done()
	req := &kafka.CreateTopicsRequest{}
	for _, s := range specs {
		tc := kafka.TopicConfig{Topic: s.Name, NumPartitions: s.Partitions, ReplicationFactor: -1}
		if s.Replication > 0 {
			tc.ReplicationFactor = s.Replication
		}
		for k, v := range s.Configs() {
			tc.ConfigEntries = append(tc.ConfigEntries, kafka.ConfigEntry{ConfigName: k, ConfigValue: v})
		}
		req.Topics = append(req.Topics, tc)
	}
	resp, err := cl.CreateTopics(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bus: create topics: %w", err)
	}
	var created []string
	for _, s := range specs {
		switch terr := resp.Errors[s.Name]; {
		case terr == nil:
			created = append(created, s.Name)
		case errors.Is(terr, kafka.TopicAlreadyExists):
		default:
			return created, fmt.Errorf("bus: create topic %s (%d partitions, replication %s): %w%s",
				s.Name, s.Partitions, replicationString(s.Replication), terr, createHint(terr))
		}
	}
	return created, nil
}

// createHint says how to fix the errors of CreateTopics a user causes.
func createHint(err error) string {
	switch {
	case errors.Is(err, kafka.TopicAuthorizationFailed), errors.Is(err, kafka.ClusterAuthorizationFailed):
		return " (the Kafka user may not create topics: grant it Create, or create them with `readout topics create` as a user who may, " +
			"and start the services with --create-topics=false)"
	case errors.Is(err, kafka.InvalidReplicationFactor):
		return " (more replicas than brokers: lower --topic-replication)"
	}
	return ""
}

func replicationString(n int) string {
	if n <= 0 {
		return "broker default"
	}
	return strconv.Itoa(n)
}

// firstReachable returns the first broker that accepts a connection.
func firstReachable(ctx context.Context, c Config) (net.Addr, error) {
	d, err := c.dialer()
	if err != nil {
		return nil, err
	}
	var last error
	for _, b := range c.Brokers {
		conn, err := d.DialContext(ctx, "tcp", b)
		if err != nil {
			last = err
			continue
		}
		conn.Close()
		return kafka.TCP(b), nil
	}
	return nil, fmt.Errorf("bus: no broker reachable of %v: %w", c.Brokers, last)
}
