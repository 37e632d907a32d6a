// Package embedded runs an in-process Kafka-protocol broker (franz-go's kfake)
// so Readout works on a machine with no Kafka: `make run` and fast tests.
// Any Kafka client (kcat, kafka-go, franz-go) can attach to its address.
package embedded

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Broker is a running embedded broker.
type Broker struct {
	c *kfake.Cluster
}

// Options configure the embedded broker.
type Options struct {
	// Port to listen on 127.0.0.1; 0 picks a free port.
	Port int
	// DataDir, if set, persists the log across restarts.
	DataDir string
	// Partitions is the default partition count of auto-created topics.
	Partitions int
}

// Start starts a single-node broker.
func Start(o Options) (*Broker, error) {
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.Ports(o.Port),
		kfake.AllowAutoTopicCreation(),
		kfake.ClusterID("readout-embedded"),
	}
	if o.Partitions > 0 {
		opts = append(opts, kfake.DefaultNumPartitions(o.Partitions))
	}
	if o.DataDir != "" {
		opts = append(opts, kfake.DataDir(o.DataDir))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("embedded: start broker on port %d: %w", o.Port, err)
	}
	return &Broker{c: c}, nil
}

// Addrs returns the listen addresses (host:port).
func (b *Broker) Addrs() []string { return b.c.ListenAddrs() }

// Compact runs log compaction on compacted topics now.
func (b *Broker) Compact() { b.c.Compact() }

// Close stops the broker.
func (b *Broker) Close() { b.c.Close() }
