package bus

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/segmentio/kafka-go"
)

// Message is one record to write. Topic is required: one producer writes to
// every Readout topic.
type Message struct {
	Topic   string
	Key     []byte
	Value   []byte
	Headers map[string]string
	// Partition, when set, is the partition to write to (modulo the topic's
	// partition count) instead of the one the key hashes to. A key must
	// always go to the same partition, or compaction keeps a record of it
	// in each.
	Partition *int
}

// ToPartition is the Message.Partition of partition p.
func ToPartition(p int) *int { return &p }

// balancer writes a message to the partition it names (kafka.Message.Partition
// carries it, plus one: zero is unset), else to the partition its key hashes to.
type balancer struct{ hash kafka.Hash }

func (b *balancer) Balance(m kafka.Message, parts ...int) int {
	if m.Partition > 0 && len(parts) > 0 {
		return parts[(m.Partition-1)%len(parts)]
	}
	return b.hash.Balance(m, parts...)
}

// WriteObserver is told the outcome of every write, for metrics.
type WriteObserver func(topic string, n int, d time.Duration, err error)

// Producer writes messages and returns only when the broker acknowledged them
// with acks=all. kafka-go has no idempotent producer: a retried write can
// duplicate a message, so every consumer of Readout topics is idempotent by key.
type Producer struct {
	w       *kafka.Writer
	tr      *kafka.Transport
	addr    net.Addr
	observe WriteObserver
}

// MaxBatchBytes bounds the messages sent to one partition in one request.
// The broker rejects a whole record batch larger than its message.max.bytes
// (default 1048588) with MESSAGE_TOO_LARGE: a larger bound would let several
// big messages that fit one by one (e.g. dead letters carrying 256 KiB
// payloads) fail together forever. kafka-go splits batches at this bound;
// a single message larger than it fails with kafka.MessageTooLargeError.
const MaxBatchBytes = 1<<20 - 1024

// NewProducer returns a producer with acks=all and key-hash partitioning.
func NewProducer(c Config, observe WriteObserver) (*Producer, error) {
	tr, err := c.transport()
	if err != nil {
		return nil, err
	}
	w := &kafka.Writer{
		Addr:                   kafka.TCP(c.Brokers...),
		Balancer:               &balancer{},
		RequiredAcks:           kafka.RequireAll,
		MaxAttempts:            5,
		WriteBackoffMin:        100 * time.Millisecond,
		WriteBackoffMax:        2 * time.Second,
		BatchSize:              maxBatchMessages,
		BatchBytes:             MaxBatchBytes,
		BatchTimeout:           2 * time.Millisecond,
		WriteTimeout:           15 * time.Second,
		ReadTimeout:            15 * time.Second,
		AllowAutoTopicCreation: false,
		Transport:              tr,
	}
	if observe == nil {
		observe = func(string, int, time.Duration, error) {}
	}
	return &Producer{w: w, tr: tr, addr: w.Addr, observe: observe}, nil
}

// Write writes msgs and waits for their acknowledgement. When ctx ends
// first it returns ctx's error while kafka-go may still be sending them (and
// retrying): a caller that must know nothing is left on its way uses
// WriteAttempts.
func (p *Producer) Write(ctx context.Context, msgs ...Message) error {
	if len(msgs) == 0 {
		return nil
	}
	return p.write(ctx, p.w, msgs)
}

// AttemptTimeout bounds one round of WriteAttempts.
const AttemptTimeout = 10 * time.Second

// WriteAttempts writes msgs and waits for their acknowledgement in rounds
// of at most one record batch per partition (MaxBatchBytes, 1000 messages),
// in order. A round is a single attempt that runs to its end, acknowledged,
// failed or timed out after AttemptTimeout, whatever ctx does, and kafka-go
// retries nothing behind the caller's back: when WriteAttempts returns, no
// message of msgs is on its way any more. Once ctx is done, no further round
// starts and it returns ctx's error. A failed round fails the call; the
// caller retries it (messages of rounds already acknowledged are then
// written twice: consumers are idempotent by key).
//
// This is how a consumer-group member bounds its writes after its
// generation ended: it stops starting rounds at a deadline, and all are over
// at most AttemptTimeout later.
func (p *Producer) WriteAttempts(ctx context.Context, msgs ...Message) error {
	// A writer of its own: kafka-go queues the batches of one partition
	// behind one another, so a shared writer would make a round wait for
	// other callers' rounds.
	w := &kafka.Writer{
		Addr:         p.addr,
		Balancer:     &balancer{},
		RequiredAcks: kafka.RequireAll,
		MaxAttempts:  1,
		BatchSize:    maxBatchMessages,
		BatchBytes:   MaxBatchBytes,
		BatchTimeout: time.Millisecond,
		WriteTimeout: AttemptTimeout,
		ReadTimeout:  AttemptTimeout,
		Transport:    p.tr,
	}
	defer w.Close()
	for len(msgs) > 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("bus: %d messages not written: %w", len(msgs), err)
		}
		n, size := 0, 0
		for n < len(msgs) && n < maxBatchMessages {
			m := msgs[n]
			sz := len(m.Key) + len(m.Value) + 64
			for k, v := range m.Headers {
				sz += len(k) + len(v) + 8
			}
			if n > 0 && size+sz > MaxBatchBytes {
				break
			}
			n, size = n+1, size+sz
		}
		if err := p.write(context.WithoutCancel(ctx), w, msgs[:n]); err != nil {
			return err
		}
		msgs = msgs[n:]
	}
	return nil
}

// maxBatchMessages bounds the messages of one record batch.
const maxBatchMessages = 1000

func (p *Producer) write(ctx context.Context, w *kafka.Writer, msgs []Message) error {
	km := make([]kafka.Message, len(msgs))
	for i, m := range msgs {
		km[i] = kafka.Message{Topic: m.Topic, Key: m.Key, Value: m.Value}
		if m.Partition != nil {
			km[i].Partition = *m.Partition + 1
		}
		for k, v := range m.Headers {
			km[i].Headers = append(km[i].Headers, kafka.Header{Key: k, Value: []byte(v)})
		}
	}
	start := time.Now()
	err := w.WriteMessages(ctx, km...)
	d := time.Since(start)
	perTopic := map[string]int{}
	for _, m := range msgs {
		perTopic[m.Topic]++
	}
	for t, n := range perTopic {
		p.observe(t, n, d, err)
	}
	if err != nil {
		return fmt.Errorf("bus: write %d messages: %w", len(msgs), err)
	}
	return nil
}

// Close flushes and closes the producer.
func (p *Producer) Close() error { return p.w.Close() }
