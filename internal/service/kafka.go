package service

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/internal/retry"
	"github.com/readout/readout/pkg/bus"
)

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
	attempts := 0
	var last string
	var lastErr error
	err := retry.Do(ctx, kafkaRetry, func() error {
		attempts++
		lastErr = bus.EnsureTopics(ctx, c, specs)
		return lastErr
	}, func(attempt int, err error, wait time.Duration) {
		if onRetry != nil {
			onRetry(err)
		}
		if msg := err.Error(); msg != last || remindAt(attempt) {
			last = msg
			log.Warn("kafka not ready; retrying", zap.String("kafka", c.String()), zap.Error(err),
				zap.Int("attempt", attempt), zap.Duration("waited", time.Since(start).Round(time.Second)),
				zap.Duration("next_attempt_in", wait))
		}
	})
	if err != nil && lastErr == nil {
		return fmt.Errorf("stopped while waiting for Kafka at %s: %w", c.String(), ctx.Err())
	}
	if err != nil {
		return fmt.Errorf("stopped while waiting for Kafka at %s (last error: %v): %w", c.String(), lastErr, ctx.Err())
	}
	if attempts > 1 {
		log.Info("kafka reachable: topics ready", zap.String("kafka", c.String()), zap.Int("attempts", attempts))
	}
	return nil
}

// remindAt reports whether attempt repeats the log line of an unchanged
// error: attempts 1, 2, 4, ... 32, then every 60th (about 5 minutes apart).
func remindAt(attempt int) bool {
	return attempt&(attempt-1) == 0 && attempt <= 32 || attempt%60 == 0
}

// maxKafkaBackoff bounds the wait between attempts to reach Kafka.
const maxKafkaBackoff = 5 * time.Second

// kafkaRetry waits 500 ms after the first failure to reach Kafka at start, doubling up to 5 s.
var kafkaRetry = retry.Policy{Initial: 500 * time.Millisecond, Max: maxKafkaBackoff}

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
