package service

import (
	"context"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/extract"
	"github.com/readout/readout/pkg/feedout"
	"github.com/readout/readout/pkg/gazetteer"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/processor"
)

// ProcessorOptions configure the processor service.
type ProcessorOptions struct {
	Bus        bus.Config
	Topics     bus.Topics
	Group      string // consumer group (default "readout-processor")
	HTTPAddr   string
	Logger     *zap.Logger
	Registry   *prometheus.Registry
	Partitions int
	// OnEvent is called with each acknowledged event version (printing, feeds, webhooks).
	OnEvent func(*model.LeaderCall)
	// Encoders add derived outputs (ninjs, PLOVER) per event version.
	Encoders []processor.EventEncoder
	// HTTPHandlers are mounted beside /metrics, in addition to the event feeds.
	HTTPHandlers map[string]http.Handler
	// NoNewsroom turns off the ninjs and PLOVER topics.
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

// RunProcessor restores state from Kafka and consumes readout.raw.v1 until ctx is done.
func RunProcessor(ctx context.Context, o ProcessorOptions) error {
	log := o.Logger
	if log == nil {
		log = zap.NewNop()
	}
	if o.Registry == nil {
		o.Registry = NewRegistry()
	}
	if o.Group == "" {
		o.Group = "readout-processor"
	}
	p, err := NewProcessor(log, o.Registry)
	if err != nil {
		return err
	}
	if err := waitForTopics(ctx, log, o.Bus, o.Topics, o.Partitions); err != nil {
		return err
	}
	m := newKafkaMetrics(o.Registry, "processor")
	prod, err := bus.NewProducer(o.Bus, m.observe)
	if err != nil {
		return err
	}
	defer prod.Close()
	hub := feedout.New(feedout.Options{})
	encoders := o.Encoders
	if !o.NoNewsroom {
		encoders = append(encoders, NewsroomEncoders(o.Topics)...)
	}
	r := &processor.Runner{Processor: p, Bus: o.Bus, Topics: o.Topics, Group: o.Group, Producer: prod, Logger: log,
		Encoders: encoders, OnRestore: hub.Publish,
		OnEvent: func(ev *model.LeaderCall) {
			hub.Publish(ev)
			if o.OnEvent != nil {
				o.OnEvent(ev)
			}
		}}
	handlers := map[string]http.Handler{"/events.atom": hub.AtomHandler(), "/events/stream": hub.SSEHandler()}
	for k, h := range o.HTTPHandlers {
		handlers[k] = h
	}
	if o.Webhooks.ConfigFile != "" {
		go func() {
			err := runWebhooks(ctx, log.Named("webhooks"), o.Bus, o.Topics, o.Group+"-webhooks", o.Webhooks, dlqWriter{p: prod, topic: o.Topics.DLQ})
			if err != nil {
				log.Error("webhooks stopped", zap.Error(err))
			}
		}()
	}
	if err := ServeHTTP(ctx, log, o.HTTPAddr, o.Registry, r.Ready, handlers); err != nil {
		return fmt.Errorf("processor: http: %w", err)
	}
	if err := r.Restore(ctx); err != nil {
		return err
	}
	log.Info("processor running", zap.String("group", o.Group), zap.String("kafka", o.Bus.String()))
	return r.Run(ctx)
}
