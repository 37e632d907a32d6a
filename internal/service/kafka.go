package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
)

// TopicWebhookState is the compacted topic of webhook delivery state: one
// record per subscriber and event (key webhook.EntryKey, value webhook.Entry).
const TopicWebhookState = "readout.webhook-state.v1"

// WebhookStateTopic is the webhook-state topic of a deployment: the
// contract's name behind the same prefix as t's other topics.
func WebhookStateTopic(t bus.Topics) string {
	if prefix, ok := strings.CutSuffix(t.LeaderCalls, model.TopicLeaderCalls); ok {
		return prefix + TopicWebhookState
	}
	return t.LeaderCalls + ".webhook-state"
}

// TopicSpecs are all the topics the services need: the bus contract and the
// webhook delivery state. The services create them at start; compose and
// the tests of deploy/ read them from here.
func TopicSpecs(t bus.Topics, partitions int) []bus.TopicSpec {
	return append(t.Specs(partitions), bus.TopicSpec{Name: WebhookStateTopic(t), Partitions: 1, Compact: true})
}

// waitForTopics creates the topics, retrying while Kafka is not reachable
// yet; each failure is told to onRetry (for /readyz) and logged.
func waitForTopics(ctx context.Context, log *zap.Logger, c bus.Config, specs []bus.TopicSpec, onRetry func(error)) error {
	backoff := 500 * time.Millisecond
	for {
		err := bus.EnsureTopics(ctx, c, specs)
		if err == nil {
			return nil
		}
		if onRetry != nil {
			onRetry(err)
		}
		log.Warn("kafka not ready; retrying", zap.String("kafka", c.String()), zap.Error(err))
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for kafka: %w", err)
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxKafkaBackoff)
	}
}

// maxKafkaBackoff bounds the wait between attempts to reach Kafka at start.
const maxKafkaBackoff = 5 * time.Second

// KafkaMetrics are the write metrics of a service's Kafka producer.
type KafkaMetrics struct {
	service  string
	errors   *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewKafkaMetrics registers readout_kafka_write_errors_total and
// readout_kafka_write_duration_seconds for service ("crawler", "processor")
// on reg, with a zero series for each of topics.
func NewKafkaMetrics(reg prometheus.Registerer, service string, topics ...string) *KafkaMetrics {
	m := &KafkaMetrics{
		service: service,
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_kafka_write_errors_total",
			Help: "Failed Kafka writes."}, []string{"service", "topic"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "readout_kafka_write_duration_seconds",
			Help: "Kafka write latency (acks=all).", Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}, []string{"service", "topic"}),
	}
	reg.MustRegister(m.errors, m.duration)
	for _, t := range topics {
		m.errors.WithLabelValues(service, t)
	}
	return m
}

// Observe is the producer's bus.WriteObserver.
func (m *KafkaMetrics) Observe(topic string, _ int, d time.Duration, err error) {
	m.duration.WithLabelValues(m.service, topic).Observe(d.Seconds())
	if err != nil {
		m.errors.WithLabelValues(m.service, topic).Inc()
	}
}
