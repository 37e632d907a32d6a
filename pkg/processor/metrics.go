package processor

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the processor's Prometheus metrics.
type Metrics struct {
	Messages       *prometheus.CounterVec // outcome
	DedupHits      *prometheus.CounterVec // level
	Events         *prometheus.CounterVec // status
	DeadLetters    *prometheus.CounterVec // reason
	ConsumerLag    *prometheus.GaugeVec   // partition
	StateEntries   *prometheus.GaugeVec   // kind
	PublishToEvent prometheus.Histogram   // statement publication → event emitted
	FetchToEvent   prometheus.Histogram   // fetch → event emitted
}

// NewMetrics registers the processor metrics on reg (nil: unregistered, for tests and replay).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_messages_total",
			Help: "Raw messages processed, by outcome (statement, duplicate, dead_letter)."}, []string{"outcome"}),
		DedupHits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_dedup_hits_total",
			Help: "Deduplications by level: redelivery (same content), version (edit), translation (ru/en copy), event (another report of a known call)."}, []string{"level"}),
		Events: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_events_total",
			Help: "Leader-call event versions emitted, by status."}, []string{"status"}),
		DeadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_dead_letters_total",
			Help: "Messages parked on the dead-letter topic, by reason."}, []string{"reason"}),
		ConsumerLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "readout_processor_consumer_lag",
			Help: "Messages behind the high watermark of the raw topic."}, []string{"partition"}),
		StateEntries: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "readout_processor_state_entries",
			Help: "Entries in the dedup state, by kind (statements, events)."}, []string{"kind"}),
		PublishToEvent: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "readout_processor_publish_to_event_seconds",
			Help:    "From a statement's publication to its event being emitted.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 12)}),
		FetchToEvent: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "readout_processor_fetch_to_event_seconds",
			Help:    "From a statement's fetch to its event being emitted.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 12)}),
	}
	if reg != nil {
		reg.MustRegister(m.Messages, m.DedupHits, m.Events, m.DeadLetters, m.ConsumerLag, m.StateEntries,
			m.PublishToEvent, m.FetchToEvent)
	}
	return m
}
