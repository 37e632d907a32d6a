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
	return append(t.Specs(partitions), t.Sized(bus.TopicSpec{Key: bus.WebhookStateKey, Name: WebhookStateTopic(t), Partitions: 1, Compact: true}))
}

// waitForTopics creates the topics (with create false: waits until someone
// else has), retrying while Kafka is not reachable yet; each failure is told to onRetry (for /readyz). It logs what it waits
// for and when it tries next: at the first failure, whenever the error
// changes, and then less and less often (see remindAt). A cancelled ctx ends
// it with an error that wraps ctx's.
func waitForTopics(ctx context.Context, log *zap.Logger, c bus.Config, specs []bus.TopicSpec, create bool, onRetry func(error)) error {
	if !create {
		specs = bus.External(specs)
	}
	start := time.Now()
	backoff := 500 * time.Millisecond
	var last string
	for attempt := 1; ; attempt++ {
		err := bus.EnsureTopics(ctx, c, specs)
		if err == nil {
			if attempt > 1 {
				log.Info("kafka reachable: topics ready", zap.String("kafka", c.String()), zap.Int("attempts", attempt))
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("stopped while waiting for Kafka at %s: %w", c.String(), ctx.Err())
		}
		if onRetry != nil {
			onRetry(err)
		}
		if msg := err.Error(); msg != last || remindAt(attempt) {
			last = msg
			log.Warn("kafka not ready; retrying", zap.String("kafka", c.String()), zap.Error(err),
				zap.Int("attempt", attempt), zap.Duration("waited", time.Since(start).Round(time.Second)),
				zap.Duration("next_attempt_in", backoff))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("stopped while waiting for Kafka at %s (last error: %v): %w", c.String(), err, ctx.Err())
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, maxKafkaBackoff)
	}
}

// remindAt reports whether attempt repeats the log line of an unchanged
// error: attempts 1, 2, 4, ... 32, then every 60th (about 5 minutes apart).
func remindAt(attempt int) bool {
	return attempt&(attempt-1) == 0 && attempt <= 32 || attempt%60 == 0
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
