package bus

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// Group is a member of a consumer group that sees its partition
// assignments, for consumers whose state is partitioned like their input:
// each generation (the time between two rebalances) says which partitions
// of which topics this member owns, so the caller can rebuild the state of
// exactly those before reading them. kafka-go's Reader hides the
// assignments; Group is built on its ConsumerGroup.
type Group struct {
	c      Config
	dialer *kafka.Dialer
	cg     *kafka.ConsumerGroup
	// OnOffsetReset, if set, is told of every committed offset Open or a
	// reader found outside its partition's log, and where reading resumed.
	OnOffsetReset func(OffsetReset)
}

// Session settings of a Group. kafka-go stops heartbeating as soon as a
// generation ends (a rebalance began) and rejoins once every function the
// generation started has returned; the broker drops a member that has not
// heartbeated or rejoined within SessionTimeout, and gives its partitions to
// others. A member must therefore finish with a generation's partitions
// (its last writes acknowledged or failed) well within SessionTimeout of the
// generation's end: the processor drains for at most 10 s, then its last
// write rounds end within AttemptTimeout.
const (
	HeartbeatInterval = 3 * time.Second
	SessionTimeout    = 30 * time.Second
	// RebalanceTimeout is how long the broker waits for the members to rejoin.
	RebalanceTimeout = 45 * time.Second
)

// NewGroup joins group as a consumer of topics. A partition the group has
// not committed yet is read from its earliest offset.
func NewGroup(c Config, group string, topics ...string) (*Group, error) {
	d, err := c.dialer()
	if err != nil {
		return nil, err
	}
	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:                     group,
		Brokers:                c.Brokers,
		Dialer:                 d,
		Topics:                 topics,
		StartOffset:            kafka.FirstOffset,
		HeartbeatInterval:      HeartbeatInterval,
		SessionTimeout:         SessionTimeout,
		RebalanceTimeout:       RebalanceTimeout,
		JoinGroupBackoff:       time.Second,
		WatchPartitionChanges:  true,
		PartitionWatchInterval: 5 * time.Second,
		RetentionTime:          7 * 24 * time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: join group %s: %w", group, err)
	}
	return &Group{c: c, dialer: d, cg: cg}, nil
}

// Next waits for the next generation. Errors joining the group are
// returned; the caller may call Next again (the group retries by itself).
func (g *Group) Next(ctx context.Context) (*Generation, error) {
	gen, err := g.cg.Next(ctx)
	if err != nil {
		return nil, err
	}
	out := &Generation{ID: int(gen.ID), gen: gen, group: g}
	for topic, parts := range gen.Assignments {
		for _, p := range parts {
			out.Claims = append(out.Claims, Claim{Topic: topic, Partition: p.ID, Offset: p.Offset})
		}
	}
	sort.Slice(out.Claims, func(i, j int) bool {
		a, b := out.Claims[i], out.Claims[j]
		return a.Topic < b.Topic || a.Topic == b.Topic && a.Partition < b.Partition
	})
	return out, nil
}

// Close leaves the group.
func (g *Group) Close() error { return g.cg.Close() }

// Generation is one assignment of partitions to this member. It ends at the
// next rebalance: the contexts given to Start are then cancelled, and the
// group moves on once every function started has returned.
type Generation struct {
	ID     int
	Claims []Claim // sorted by topic and partition

	gen    *kafka.Generation
	group  *Group
	commit sync.Mutex
}

// Claim is one partition of one topic assigned to this member, and the
// committed offset to resume from (kafka.FirstOffset when none).
type Claim struct {
	Topic     string
	Partition int
	Offset    int64
}

// Start runs fn for the lifetime of the generation: ctx ends when the
// generation does. fn must return promptly after that; when fn returns
// the generation ends for all (the member rejoins the group).
func (gen *Generation) Start(fn func(ctx context.Context)) { gen.gen.Start(fn) }

// Commit marks rec and everything before it in its partition as done.
// It fails once the generation has ended: the next owner of the partition
// reads the records again from the last committed offset.
func (gen *Generation) Commit(rec Record) error {
	gen.commit.Lock()
	defer gen.commit.Unlock()
	err := gen.gen.CommitOffsets(map[string]map[int]int64{rec.Topic: {rec.Partition: rec.Offset + 1}})
	if err != nil {
		return fmt.Errorf("bus: commit %s/%d@%d: %w", rec.Topic, rec.Partition, rec.Offset, err)
	}
	return nil
}

// Partitions returns the number of partitions of topic.
func Partitions(ctx context.Context, c Config, topic string) (int, error) {
	d, err := c.dialer()
	if err != nil {
		return 0, err
	}
	parts, err := partitions(ctx, c, d, topic)
	return len(parts), err
}

// ReadPartitions is ReadAll for some partitions of topic only.
func ReadPartitions(ctx context.Context, c Config, topic string, parts []int, fn func(Record) error) (int, error) {
	d, err := c.dialer()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range parts {
		k, err := readPartition(ctx, c, d, topic, p, fn)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// ReadFirst calls fn with the first record of a partition of topic, if it has any.
func ReadFirst(ctx context.Context, c Config, topic string, part int, fn func(Record)) error {
	d, err := c.dialer()
	if err != nil {
		return err
	}
	_, err = readPartition(ctx, c, d, topic, part, func(rec Record) error {
		fn(rec)
		return errStopReading
	})
	if errors.Is(err, errStopReading) {
		return nil
	}
	return err
}

var errStopReading = errors.New("bus: stop reading")

// ErrGenerationEnded is how a context of a generation ends at a rebalance.
var ErrGenerationEnded = kafka.ErrGenerationEnded

// IsGenerationEnded reports whether err says the generation ended.
func IsGenerationEnded(err error) bool {
	return errors.Is(err, kafka.ErrGenerationEnded) || errors.Is(err, kafka.RebalanceInProgress) ||
		errors.Is(err, kafka.IllegalGeneration) || errors.Is(err, kafka.UnknownMemberId)
}
