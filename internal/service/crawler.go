package service

import (
	"context"
	"fmt"
	"net"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/crawler"
	"github.com/readout/readout/pkg/crawler/kafkasink"
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
	// HTTPListener, when set, serves HTTP instead of HTTPAddr (tests bind port 0).
	HTTPListener net.Listener
	Logger       *zap.Logger
	Registry     *prometheus.Registry
	// Partitions of topics created at start (default 3).
	Partitions int
	// NoCreateTopics leaves topic creation to `readout topics create`: the
	// service waits until its topics exist instead of creating them, so its
	// Kafka user needs no Create permission.
	NoCreateTopics bool
	// MaxSeen, MaxItemsPerPoll and MaxStateBytes bound the seen-state and
	// the items per poll of each source (crawler.Config); 0 takes defaults.
	MaxSeen, MaxItemsPerPoll, MaxStateBytes int
}

// Crawler is a running crawler service.
type Crawler struct {
	c *crawler.Crawler
}

// Ready reports readiness for /readyz.
func (c *Crawler) Ready() bool { return c.c.Ready() }

// Readiness says why the crawler is not ready, or nil: for /readyz.
func (c *Crawler) Readiness() error { return c.c.Readiness() }

// NewCrawler prepares the crawler: topics, producer, Kafka sink and state store.
func NewCrawler(ctx context.Context, o CrawlerOptions) (*Crawler, func(), error) {
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	if o.Registry == nil {
		o.Registry = NewRegistry()
	}
	if err := waitForTopics(ctx, o.Logger, o.Bus, o.Topics.Specs(o.Partitions), !o.NoCreateTopics, nil); err != nil {
		return nil, nil, err
	}
	return newCrawler(o, NewKafkaMetrics(o.Registry, "crawler", o.Topics.Raw, o.Topics.DLQ, o.Topics.CrawlerState))
}

func newCrawler(o CrawlerOptions, m *KafkaMetrics) (*Crawler, func(), error) {
	prod, err := bus.NewProducer(o.Bus, m.Observe)
	if err != nil {
		return nil, nil, err
	}
	sink := &kafkasink.Sink{Producer: prod, Topics: o.Topics}
	c, err := crawler.New(crawler.Config{
		Sources:    o.Sources,
		Fetch:      o.Fetch,
		Sink:       sink,
		DLQ:        sink,
		State:      &crawler.RecordStore{Records: &kafkasink.Records{Producer: prod, Bus: o.Bus, Topic: o.Topics.CrawlerState}},
		Logger:     o.Logger,
		Registerer: o.Registry,

		MaxSeen:         o.MaxSeen,
		MaxItemsPerPoll: o.MaxItemsPerPoll,
		MaxStateBytes:   o.MaxStateBytes,
	})
	if err != nil {
		prod.Close()
		return nil, nil, err
	}
	return &Crawler{c: c}, func() { prod.Close() }, nil
}

// RunCrawler runs the crawler service until ctx is done. HTTP is served at
// once: /healthz answers while Kafka is unreachable, /readyz says what the
// crawler waits for until its state is loaded and every source was polled,
// and fails again while the state of a source cannot be saved.
func RunCrawler(ctx context.Context, o CrawlerOptions) error {
	if o.Registry == nil {
		o.Registry = NewRegistry()
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	log := o.Logger
	m := NewKafkaMetrics(o.Registry, "crawler", o.Topics.Raw, o.Topics.DLQ, o.Topics.CrawlerState)
	st := newStartup("waiting for Kafka")
	if err := ServeHTTP(ctx, log, HTTP{Addr: o.HTTPAddr, Listener: o.HTTPListener}, o.Registry, st.Ready, nil); err != nil {
		return fmt.Errorf("crawler: http: %w", err)
	}
	err := waitForTopics(ctx, log, o.Bus, o.Topics.Specs(o.Partitions), !o.NoCreateTopics, func(err error) {
		st.waiting(waitReason(o.Bus, err))
	})
	if err != nil {
		return err
	}
	c, closeFn, err := newCrawler(o, m)
	if err != nil {
		return err
	}
	defer closeFn()
	st.running(c.Readiness)
	log.Info("crawler running", zap.Int("sources", len(c.c.Sources())), zap.String("kafka", o.Bus.String()))
	return c.c.Run(ctx)
}

// Poll polls one source now (tests, operators).
func (c *Crawler) Poll(ctx context.Context, id string) crawler.PollResult { return c.c.Poll(ctx, id) }
