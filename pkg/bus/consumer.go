package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/readout/readout/internal/retry"
)

// Record is a consumed message.
type Record struct {
	Topic     string
	Partition int
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   map[string]string
	Time      time.Time
	msg       kafka.Message
}

// Consumer reads a topic as a member of a consumer group. Offsets are committed
// only by Commit, after the caller's outputs were acknowledged: at-least-once.
type Consumer struct {
	r *kafka.Reader
}

// NewConsumer joins group on topic. New groups start at the earliest offset.
func NewConsumer(c Config, group, topic string) (*Consumer, error) {
	d, err := c.dialer()
	if err != nil {
		return nil, err
	}
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers:                c.Brokers,
		GroupID:                group,
		Topic:                  topic,
		Dialer:                 d,
		MinBytes:               1,
		MaxBytes:               16 << 20,
		MaxWait:                250 * time.Millisecond,
		ReadBatchTimeout:       5 * time.Second,
		StartOffset:            kafka.FirstOffset,
		CommitInterval:         0, // synchronous commits
		HeartbeatInterval:      time.Second,
		SessionTimeout:         10 * time.Second,
		RebalanceTimeout:       10 * time.Second,
		JoinGroupBackoff:       time.Second,
		ReadBackoffMin:         50 * time.Millisecond,
		ReadBackoffMax:         time.Second,
		WatchPartitionChanges:  true,
		PartitionWatchInterval: 5 * time.Second,
		MaxAttempts:            1 << 30, // keep retrying while the broker is away
	})
	return &Consumer{r: r}, nil
}

// Fetch returns the next record, blocking until one arrives or ctx is done.
func (c *Consumer) Fetch(ctx context.Context) (Record, error) {
	m, err := c.r.FetchMessage(ctx)
	if err != nil {
		return Record{}, err
	}
	return record(m), nil
}

func record(m kafka.Message) Record {
	rec := Record{Topic: m.Topic, Partition: m.Partition, Offset: m.Offset, Key: m.Key, Value: m.Value, Time: m.Time, msg: m}
	if len(m.Headers) > 0 {
		rec.Headers = make(map[string]string, len(m.Headers))
		for _, h := range m.Headers {
			rec.Headers[h.Key] = string(h.Value)
		}
	}
	return rec
}

// Commit commits the offsets of recs (the highest per partition wins).
func (c *Consumer) Commit(ctx context.Context, recs ...Record) error {
	if len(recs) == 0 {
		return nil
	}
	msgs := make([]kafka.Message, len(recs))
	for i := range recs {
		msgs[i] = recs[i].msg
	}
	if err := c.r.CommitMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("bus: commit: %w", err)
	}
	return nil
}

// Lag is the reader's current lag (messages behind the high watermark), as kafka-go reports it.
func (c *Consumer) Lag() int64 { return c.r.Stats().Lag }

// Close leaves the group.
func (c *Consumer) Close() error { return c.r.Close() }

// ReadAll reads every record currently in topic (all partitions, from the
// earliest offset to the high watermark at call time) and calls fn for each.
// It is how state is rebuilt from compacted topics.
func ReadAll(ctx context.Context, c Config, topic string, fn func(Record) error) (int, error) {
	d, err := c.dialer()
	if err != nil {
		return 0, err
	}
	parts, err := partitions(ctx, c, d, topic)
	if err != nil {
		if errors.Is(err, kafka.UnknownTopicOrPartition) {
			return 0, nil
		}
		return 0, err
	}
	n := 0
	for _, p := range parts {
		k, err := readPartition(ctx, c, d, topic, p.ID, fn)
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Follow reads every record of topic, all partitions from the earliest
// offset on, and keeps reading as records arrive, until ctx is done; fn is
// called for each, from one goroutine per partition (it must be safe for
// concurrent use). It serves outputs every instance needs whole, such as the
// newsroom feeds of a processor that owns only some partitions. Errors (the
// broker down, a leader moving) are passed to onErr, if set, and retried
// with backoff from the next offset: Follow returns only ctx's error.
func Follow(ctx context.Context, c Config, topic string, fn func(Record), onErr func(error)) error {
	report := func(err error) {
		if onErr != nil && ctx.Err() == nil {
			onErr(err)
		}
	}
	d, err := c.dialer()
	if err != nil {
		return err
	}
	var parts []kafka.Partition
	if err := retry.Do(ctx, followRetry, func() (err error) {
		parts, err = partitions(ctx, c, d, topic)
		return err
	}, func(_ int, err error, _ time.Duration) { report(err) }); err != nil {
		return ctx.Err()
	}
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func(part int) {
			defer wg.Done()
			next := kafka.FirstOffset
			backoff := followRetry.Backoff()
			for ctx.Err() == nil {
				r := kafka.NewReader(kafka.ReaderConfig{
					Brokers: c.Brokers, Topic: topic, Partition: part, Dialer: d,
					MinBytes: 1, MaxBytes: 16 << 20, MaxWait: time.Second,
				})
				err := r.SetOffset(next)
				for err == nil {
					var m kafka.Message
					if m, err = r.ReadMessage(ctx); err == nil {
						fn(record(m))
						next = m.Offset + 1
						backoff.Reset()
					}
				}
				r.Close()
				report(fmt.Errorf("bus: follow %s/%d: %w", topic, part, err))
				if !retry.Sleep(ctx, backoff.NextBackOff()) {
					return
				}
			}
		}(p.ID)
	}
	wg.Wait()
	return ctx.Err()
}

// followRetry is Follow's schedule between attempts to read a topic.
var followRetry = retry.Policy{Initial: 200 * time.Millisecond, Max: 5 * time.Second}

// partitions lists the partitions of topic.
func partitions(ctx context.Context, c Config, d *kafka.Dialer, topic string) ([]kafka.Partition, error) {
	addr, err := firstReachable(ctx, c)
	if err != nil {
		return nil, err
	}
	conn, err := d.DialContext(ctx, "tcp", addr.String())
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions(topic)
	if err != nil {
		return nil, fmt.Errorf("bus: partitions of %s: %w", topic, err)
	}
	return parts, nil
}

func readPartition(ctx context.Context, c Config, d *kafka.Dialer, topic string, part int, fn func(Record) error) (int, error) {
	first, last, err := partitionOffsets(ctx, c, d, topic, part)
	if err != nil {
		return 0, err
	}
	if last <= first {
		return 0, nil
	}
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: c.Brokers, Topic: topic, Partition: part, Dialer: d,
		MinBytes: 1, MaxBytes: 16 << 20, MaxWait: 200 * time.Millisecond,
	})
	defer r.Close()
	if err := r.SetOffset(first); err != nil {
		return 0, err
	}
	n := 0
	for {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			return n, fmt.Errorf("bus: read %s/%d: %w", topic, part, err)
		}
		if err := fn(record(m)); err != nil {
			return n, err
		}
		n++
		if m.Offset >= last-1 {
			return n, nil
		}
	}
}

// offsetsRetryFor bounds how long partitionOffsets retries temporary errors.
const offsetsRetryFor = 30 * time.Second

// partitionOffsets returns the first and last offsets of a partition. It
// retries temporary errors (no leader yet just after the topic was created,
// a leader moving while a broker restarts) for up to offsetsRetryFor.
func partitionOffsets(ctx context.Context, c Config, d *kafka.Dialer, topic string, part int) (first, last int64, err error) {
	deadline := time.Now().Add(offsetsRetryFor)
	err = retry.Do(ctx, offsetsRetry, func() error {
		first, last, err = readOffsets(ctx, c, d, topic, part)
		var kerr kafka.Error
		if err != nil && (!errors.As(err, &kerr) || !kerr.Temporary() || time.Now().After(deadline)) {
			return retry.Permanent(err)
		}
		return err
	}, nil)
	if err != nil {
		return 0, 0, err
	}
	return first, last, nil
}

// offsetsRetry is partitionOffsets' schedule between attempts.
var offsetsRetry = retry.Policy{Initial: 50 * time.Millisecond, Max: time.Second}

// readOffsets asks the leader of a partition for its first and last offsets once.
func readOffsets(ctx context.Context, c Config, d *kafka.Dialer, topic string, part int) (first, last int64, err error) {
	pc, err := d.DialLeader(ctx, "tcp", c.Brokers[0], topic, part)
	if err != nil {
		return 0, 0, fmt.Errorf("bus: leader of %s/%d: %w", topic, part, err)
	}
	defer pc.Close()
	if first, last, err = pc.ReadOffsets(); err != nil {
		return 0, 0, fmt.Errorf("bus: offsets of %s/%d: %w", topic, part, err)
	}
	return first, last, nil
}
