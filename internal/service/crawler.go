package service

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/crawler"
	"github.com/readout/readout/pkg/fetch"
	"github.com/readout/readout/pkg/sources"
)

// CrawlerOptions configure the crawler service.
type CrawlerOptions struct {
	Bus     bus.Config
	Topics  bus.Topics
	Sources []sources.Source
	// Fetch configures HTTP (user agent, timeouts, limits); zero values take defaults.
	Fetch    fetch.Options
	HTTPAddr string
	Logger   *zap.Logger
	Registry *prometheus.Registry
	// Partitions of topics created at start (default 3).
	Partitions int
}

// Crawler is a running crawler service.
type Crawler struct {
	c *crawler.Crawler
}

// Ready reports readiness for /readyz.
func (c *Crawler) Ready() bool { return c.c.Ready() }

// NewCrawler prepares the crawler: topics, producer, Kafka sink and state store.
func NewCrawler(ctx context.Context, o CrawlerOptions) (*Crawler, func(), error) {
	log := o.Logger
	if log == nil {
		log = zap.NewNop()
	}
	if o.Registry == nil {
		o.Registry = NewRegistry()
	}
	if err := waitForTopics(ctx, log, o.Bus, o.Topics, o.Partitions); err != nil {
		return nil, nil, err
	}
	m := newKafkaMetrics(o.Registry, "crawler")
	prod, err := bus.NewProducer(o.Bus, m.observe)
	if err != nil {
		return nil, nil, err
	}
	sink := &crawler.KafkaSink{Producer: prod, Topics: o.Topics}
	c, err := crawler.New(crawler.Config{
		Sources:    o.Sources,
		Fetch:      o.Fetch,
		Sink:       sink,
		DLQ:        sink,
		State:      &crawler.KafkaStateStore{Producer: prod, Bus: o.Bus, Topic: o.Topics.CrawlerState},
		Logger:     log,
		Registerer: o.Registry,
	})
	if err != nil {
		prod.Close()
		return nil, nil, err
	}
	return &Crawler{c: c}, func() { prod.Close() }, nil
}

// RunCrawler runs the crawler service until ctx is done.
func RunCrawler(ctx context.Context, o CrawlerOptions) error {
	if o.Registry == nil {
		o.Registry = NewRegistry()
	}
	log := o.Logger
	if log == nil {
		log = zap.NewNop()
	}
	c, closeFn, err := NewCrawler(ctx, o)
	if err != nil {
		return err
	}
	defer closeFn()
	if err := ServeHTTP(ctx, log, o.HTTPAddr, o.Registry, c.Ready, nil); err != nil {
		return fmt.Errorf("crawler: http: %w", err)
	}
	log.Info("crawler running", zap.Int("sources", len(c.c.Sources())), zap.String("kafka", o.Bus.String()))
	return c.c.Run(ctx)
}

// waitForTopics creates the topics, retrying while Kafka is not reachable yet.
func waitForTopics(ctx context.Context, log *zap.Logger, c bus.Config, t bus.Topics, partitions int) error {
	backoff := 500 * time.Millisecond
	for {
		err := bus.EnsureTopics(ctx, c, t.Specs(partitions))
		if err == nil {
			return nil
		}
		log.Warn("kafka not ready; retrying", zap.String("kafka", c.String()), zap.Error(err))
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for kafka: %w", err)
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

type kafkaMetrics struct {
	service  string
	errors   *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newKafkaMetrics(reg prometheus.Registerer, service string) *kafkaMetrics {
	m := &kafkaMetrics{
		service: service,
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_kafka_write_errors_total",
			Help: "Failed Kafka writes."}, []string{"service", "topic"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "readout_kafka_write_duration_seconds",
			Help: "Kafka write latency (acks=all).", Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}, []string{"service", "topic"}),
	}
	reg.MustRegister(m.errors, m.duration)
	return m
}

func (m *kafkaMetrics) observe(topic string, _ int, d time.Duration, err error) {
	m.duration.WithLabelValues(m.service, topic).Observe(d.Seconds())
	if err != nil {
		m.errors.WithLabelValues(m.service, topic).Inc()
	}
}

// Poll polls one source now (tests, operators).
func (c *Crawler) Poll(ctx context.Context, id string) crawler.PollResult { return c.c.Poll(ctx, id) }
