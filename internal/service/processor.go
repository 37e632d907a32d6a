package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/feedout"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/outputs/all"
	"github.com/readout/readout/pkg/processor"
	"github.com/readout/readout/pkg/processor/kafkarun"
)

// ProcessorOptions configure the processor service.
type ProcessorOptions struct {
	Bus    bus.Config
	Topics bus.Topics
	Group  string // consumer group (default "readout-processor")
	// HTTPAddr is the admin listener: /metrics, /healthz, /readyz.
	HTTPAddr string
	// HTTPListener, when set, serves admin HTTP instead of HTTPAddr (tests bind port 0).
	HTTPListener net.Listener
	// Public serves the newsroom feeds (/events.atom, /events/stream and the
	// output formats' feeds, such as /events.plover.jsonl); without an address
	// or listener there are none.
	Public     Public
	Logger     *zap.Logger
	Registry   *prometheus.Registry
	Partitions int
	// NoCreateTopics leaves topic creation to `readout topics create`: the
	// service waits until its topics exist instead of creating them, so its
	// Kafka user needs no Create permission.
	NoCreateTopics bool
	// OnEvent is called with each acknowledged event version (printing, feeds, webhooks).
	OnEvent func(*model.LeaderCall)
	// Encoders add derived outputs per event version, before the output formats'.
	Encoders []kafkarun.EventEncoder
	// HTTPHandlers are mounted on the admin listener beside /metrics.
	HTTPHandlers map[string]http.Handler
	// NoNewsroom turns off the output formats' topics (ninjs, PLOVER).
	NoNewsroom bool
	// Webhooks configures signed event delivery; zero disables it.
	Webhooks WebhookOptions
}

// NewProcessor builds a processor with the default gazetteer and extractor.
func NewProcessor(log *zap.Logger, reg prometheus.Registerer) (*processor.Processor, error) {
	g, err := gazetteer.Default()
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	return processor.New(processor.Config{Extractor: extract.New(g), Logger: log, Metrics: processor.NewMetrics(reg)})
}

// RunProcessor restores state from Kafka and consumes readout.raw.v1 until
// ctx is done. A webhook configuration that does not load fails it at once.
// HTTP is served before Kafka is reached: /healthz answers while Kafka is
// unreachable, /readyz says what the processor waits for until its state is
// restored and it consumes (and, with webhooks, their state too).
func RunProcessor(ctx context.Context, o ProcessorOptions) error {
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	log := o.Logger
	if o.Registry == nil {
		o.Registry = NewRegistry()
	}
	if o.Group == "" {
		o.Group = "readout-processor"
	}
	var hooks *webhooks
	if o.Webhooks.ConfigFile != "" {
		var err error
		if hooks, err = newWebhooks(o.Webhooks, o.Topics, o.Registry); err != nil {
			return fmt.Errorf("processor: webhooks: %w", err)
		}
	}
	p, err := NewProcessor(log, o.Registry)
	if err != nil {
		return err
	}
	topics := []string{o.Topics.Statements, o.Topics.LeaderCalls, o.Topics.DLQ}
	if !o.NoNewsroom {
		for _, f := range all.Formats {
			topics = append(topics, o.Topics.Outputs[f.Spec().Key])
		}
	}
	if hooks != nil {
		topics = append(topics, hooks.stateTopic)
	}
	m := NewKafkaMetrics(o.Registry, "processor", topics...)
	hub, err := serveFeeds(ctx, log, o.Public, o.Registry)
	if err != nil {
		return fmt.Errorf("processor: feeds: %w", err)
	}
	st := newStartup("waiting for Kafka")
	if err := ServeHTTP(ctx, log, HTTP{Addr: o.HTTPAddr, Listener: o.HTTPListener}, o.Registry, st.Ready, o.HTTPHandlers); err != nil {
		return fmt.Errorf("processor: http: %w", err)
	}
	err = waitForTopics(ctx, log, o.Bus, o.Topics.Specs(o.Partitions), !o.NoCreateTopics, func(err error) {
		st.waiting(waitReason(o.Bus, err))
	})
	if err != nil {
		return err
	}
	prod, err := bus.NewProducer(o.Bus, m.Observe)
	if err != nil {
		return err
	}
	defer prod.Close()
	encoders := o.Encoders
	if !o.NoNewsroom {
		encoders = append(encoders, NewsroomEncoders(o.Topics)...)
	}
	r := &kafkarun.Runner{Processor: p, Bus: o.Bus, Topics: o.Topics, Group: o.Group, Producer: prod, Logger: log,
		Encoders: encoders, OnEvent: o.OnEvent}
	checks := []ReadyFunc{func() error {
		if !r.Ready() {
			return errors.New("processor: not consuming")
		}
		return nil
	}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, 3)
	running := 1
	if hub != nil {
		running++
		go func() { errs <- followFeeds(ctx, log, o.Bus, o.Topics.LeaderCalls, hub) }()
	}
	if hooks != nil {
		checks = append(checks, hooks.Ready)
		running++
		go func() {
			errs <- hooks.run(ctx, log.Named("webhooks"), o.Bus, o.Group+"-webhooks", prod, dlqWriter{p: prod, topic: o.Topics.DLQ})
		}()
	}
	st.running(checks...)
	log.Info("processor running", zap.String("group", o.Group), zap.String("kafka", o.Bus.String()), zap.Bool("webhooks", hooks != nil))
	go func() { errs <- r.Run(ctx) }()
	// The first part to stop (an error, or ctx) stops the other.
	var first error
	for range running {
		err := <-errs
		if first == nil && err != nil && !errors.Is(err, context.Canceled) {
			first = err
		}
		cancel()
	}
	return first
}

// serveFeeds serves the newsroom feeds on the public listener and returns
// the hub that holds them; nil when p has no listener.
func serveFeeds(ctx context.Context, log *zap.Logger, p Public, reg prometheus.Registerer) (*feedout.Hub, error) {
	if p.Addr == "" && p.Listener == nil {
		return nil, nil
	}
	self, err := p.selfURL("/events.atom")
	if err != nil {
		return nil, err
	}
	m := feedout.NewMetrics(reg)
	hub := feedout.New(feedout.Options{SelfURL: self, WriteTimeout: p.Timeouts.orDefault().Write, Metrics: m})
	handlers, err := feedHandlers(hub)
	if err != nil {
		return nil, err
	}
	if err := ServePublic(ctx, log, p, handlers, m); err != nil {
		return nil, err
	}
	return hub, nil
}

// feedHandlers are the feeds of hub by path: Atom, SSE and the feed of each
// output format that has one.
func feedHandlers(hub *feedout.Hub) (map[string]http.Handler, error) {
	handlers := map[string]http.Handler{
		"/events.atom":   hub.AtomHandler(),
		"/events/stream": hub.SSEHandler(),
	}
	for _, f := range all.Formats {
		s := f.Spec()
		if s.Feed == "" {
			continue
		}
		if _, taken := handlers[s.Feed]; taken {
			return nil, fmt.Errorf("output format %s: feed path %s is taken: give the format another Feed in its Spec", s.Key, s.Feed)
		}
		handlers[s.Feed] = hub.JSONLinesHandler(f)
	}
	return handlers, nil
}

// followFeeds publishes every event of the whole leader-calls topic to hub:
// an instance owns only some partitions of the merge step, its feeds serve
// every call.
func followFeeds(ctx context.Context, log *zap.Logger, c bus.Config, topic string, hub *feedout.Hub) error {
	return bus.Follow(ctx, c, topic, func(rec bus.Record) {
		var ev model.LeaderCall
		if err := json.Unmarshal(rec.Value, &ev); err != nil || ev.ID == "" {
			return // not an event the processor wrote: nothing to serve (the webhooks reader dead-letters it)
		}
		hub.Publish(&ev)
	}, func(err error) {
		log.Warn("newsroom feeds: reading the leader-calls topic failed; retrying", zap.Error(err))
	})
}
