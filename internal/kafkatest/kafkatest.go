// Package kafkatest gives tests a Kafka to talk to: the real broker named by
// READOUT_TEST_KAFKA (started by `make test` from deploy/kafka), or else an
// in-process kfake broker. Each call gets its own topic prefix and group names.
package kafkatest

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/embedded"
)

var seq atomic.Int64

// Env is a test's Kafka.
type Env struct {
	Config bus.Config
	Topics bus.Topics
	// Prefix is unique per Env; use it for group names too.
	Prefix string
	// Real is true against a real Apache Kafka broker.
	Real bool
	// Broker is the embedded broker, nil when Real.
	Broker *embedded.Broker
}

// New returns a Kafka for t, closed when t ends.
func New(t testing.TB) *Env {
	t.Helper()
	prefix := fmt.Sprintf("t%d-%d-%d.", os.Getpid(), time.Now().UnixNano()%1e6, seq.Add(1))
	if addr := os.Getenv("READOUT_TEST_KAFKA"); addr != "" {
		return &Env{Config: bus.Config{Brokers: bus.SplitBrokers(addr)}, Topics: bus.PrefixedTopics(prefix), Prefix: prefix, Real: true}
	}
	b, err := embedded.Start(embedded.Options{Partitions: 3})
	if err != nil {
		t.Fatalf("start embedded broker: %v", err)
	}
	t.Cleanup(b.Close)
	return &Env{Config: bus.Config{Brokers: b.Addrs()}, Topics: bus.PrefixedTopics(prefix), Prefix: prefix, Broker: b}
}

// RequireReal skips t unless a real broker is configured.
func RequireReal(t testing.TB) *Env {
	t.Helper()
	if os.Getenv("READOUT_TEST_KAFKA") == "" {
		t.Skip("READOUT_TEST_KAFKA not set: real-broker test skipped (make test starts one)")
	}
	return New(t)
}

// Producer creates the Env's topics (3 partitions each) and returns a
// producer on them, closed when t ends.
func (e *Env) Producer(ctx context.Context, t testing.TB) *bus.Producer {
	t.Helper()
	if err := bus.EnsureTopics(ctx, e.Config, e.Topics.Specs(3)); err != nil {
		t.Fatal(err)
	}
	p, err := bus.NewProducer(e.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
