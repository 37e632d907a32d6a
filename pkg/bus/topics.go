package bus

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/segmentio/kafka-go"

	"github.com/readout/readout/pkg/model"
)

// TopicSpec describes a topic Readout needs.
type TopicSpec struct {
	Name       string
	Partitions int
	Compact    bool
	Retention  string // retention.ms, "" = broker default
}

// Topics names the topics one deployment uses. Tests prefix them so runs
// against a shared broker do not see each other.
type Topics struct {
	Raw, Statements, LeaderCalls, DLQ, CrawlerState, Ninjs, Plover string
	// Prepared and CallReports are internal to the processor: they carry
	// statements to the partition that numbers their versions and calls to
	// the partition that merges them.
	Prepared, CallReports string
}

// DefaultTopicNames is the production topic contract.
func DefaultTopicNames() Topics { return PrefixedTopics("") }

// PrefixedTopics returns the contract's topic names with prefix prepended.
func PrefixedTopics(prefix string) Topics {
	return Topics{
		Raw:          prefix + model.TopicRaw,
		Statements:   prefix + model.TopicStatements,
		LeaderCalls:  prefix + model.TopicLeaderCalls,
		DLQ:          prefix + model.TopicDLQ,
		CrawlerState: prefix + model.TopicCrawlerState,
		Ninjs:        prefix + model.TopicNinjs,
		Plover:       prefix + model.TopicPlover,
		Prepared:     prefix + model.TopicPrepared,
		CallReports:  prefix + model.TopicCallReports,
	}
}

// Specs returns the topics with their partitioning and cleanup policy.
func (t Topics) Specs(partitions int) []TopicSpec {
	if partitions <= 0 {
		partitions = 3
	}
	week, month := strconv.Itoa(7*24*3600*1000), strconv.Itoa(30*24*3600*1000)
	return []TopicSpec{
		{Name: t.Raw, Partitions: partitions, Retention: week},
		{Name: t.Statements, Partitions: partitions, Compact: true},
		{Name: t.LeaderCalls, Partitions: partitions, Compact: true},
		{Name: t.DLQ, Partitions: 1, Retention: month},
		{Name: t.CrawlerState, Partitions: 1, Compact: true},
		{Name: t.Ninjs, Partitions: partitions, Compact: true},
		{Name: t.Plover, Partitions: partitions, Retention: month},
		// As many partitions as the statements topic: the processor then
		// rebuilds a prepared partition's dedup state from the statements
		// partition of the same number alone.
		{Name: t.Prepared, Partitions: partitions, Retention: week},
		{Name: t.CallReports, Partitions: partitions, Retention: week},
	}
}

// EnsureTopics creates the topics that do not exist yet; existing ones are left alone.
func EnsureTopics(ctx context.Context, c Config, specs []TopicSpec) error {
	tr, err := c.transport()
	if err != nil {
		return err
	}
	defer tr.CloseIdleConnections()
	addr, err := firstReachable(ctx, c)
	if err != nil {
		return err
	}
	cl := &kafka.Client{Addr: addr, Transport: tr}
	req := &kafka.CreateTopicsRequest{}
	for _, s := range specs {
		tc := kafka.TopicConfig{Topic: s.Name, NumPartitions: s.Partitions, ReplicationFactor: -1}
		if s.Compact {
			tc.ConfigEntries = append(tc.ConfigEntries, kafka.ConfigEntry{ConfigName: "cleanup.policy", ConfigValue: "compact"})
		}
		if s.Retention != "" {
			tc.ConfigEntries = append(tc.ConfigEntries, kafka.ConfigEntry{ConfigName: "retention.ms", ConfigValue: s.Retention})
		}
		req.Topics = append(req.Topics, tc)
	}
	resp, err := cl.CreateTopics(ctx, req)
	if err != nil {
		return fmt.Errorf("bus: create topics: %w", err)
	}
	for name, terr := range resp.Errors {
		if terr != nil && !errors.Is(terr, kafka.TopicAlreadyExists) {
			return fmt.Errorf("bus: create topic %s: %w", name, terr)
		}
	}
	return nil
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
