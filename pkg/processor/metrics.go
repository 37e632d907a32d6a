package processor

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/readout/readout/pkg/model"
)

// Metrics are the processor's Prometheus metrics.
type Metrics struct {
	Messages       *prometheus.CounterVec // outcome
	DedupHits      *prometheus.CounterVec // level
	Events         *prometheus.CounterVec // status
	DeadLetters    *prometheus.CounterVec // reason
	ConsumerLag    *prometheus.GaugeVec   // partition (of readout.raw.v1)
	StageLag       *prometheus.GaugeVec   // topic, partition (of the internal topics)
	StateEntries   *prometheus.GaugeVec   // kind
	RestoreSkipped *prometheus.CounterVec // topic
	Rebalances     prometheus.Counter
	OffsetResets   *prometheus.CounterVec // topic, reason
	PublishToEvent prometheus.Histogram   // statement publication → event emitted
	FetchToEvent   prometheus.Histogram   // fetch → event emitted
}

// NewMetrics registers the processor metrics on reg (nil: unregistered, for tests and replay).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_messages_total",
			Help: "Raw messages processed, by outcome (statement, duplicate, dead_letter)."}, []string{"outcome"}),
		DedupHits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_dedup_hits_total",
			Help: "Deduplications by level: redelivery (a statement with content it had), version (edit), translation (ru/en copy), event (another report of a known call), report (a call report its event holds already: redelivered, or an edit that changed nothing)."}, []string{"level"}),
		Events: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_events_total",
			Help: "Leader-call event versions written (acknowledged by Kafka), by status."}, []string{"status"}),
		DeadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_dead_letters_total",
			Help: "Messages parked on the dead-letter topic, by reason."}, []string{"reason"}),
		ConsumerLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "readout_processor_consumer_lag",
			Help: "Messages behind the high watermark of the raw topic."}, []string{"partition"}),
		StageLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "readout_processor_stage_lag",
			Help: "Messages behind the high watermark of the processor's internal topics (prepared statements, call reports)."}, []string{"topic", "partition"}),
		StateEntries: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "readout_processor_state_entries",
			Help: "Entries in this instance's dedup and merge state, by kind: statements and events held as they are (recent), statement_index (evicted statements: id, latest version, recent hashes) and event_index (evicted events, kept whole); both indexes are bounded."}, []string{"kind"}),
		RestoreSkipped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_restore_skipped_total",
			Help: "Records of the compacted topics that could not be decoded while rebuilding state, by topic."}, []string{"topic"}),
		Rebalances: prometheus.NewCounter(prometheus.CounterOpts{Name: "readout_processor_rebalances_total",
			Help: "Consumer-group generations this instance joined (each rebuilds the state of its partitions)."}),
		OffsetResets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_processor_offset_resets_total",
			Help: "Committed offsets found outside their partition's log and reset to its start, by topic and reason (past_end: the topic was recreated; before_start: retention deleted records before they were read)."}, []string{"topic", "reason"}),
		PublishToEvent: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "readout_processor_publish_to_event_seconds",
			Help:    "From a statement's publication to its event being emitted.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 12)}),
		FetchToEvent: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "readout_processor_fetch_to_event_seconds",
			Help:    "From a statement's fetch to its event being emitted.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 12)}),
	}
	// Series an absence alert watches exist from the start, at zero.
	for _, s := range []string{model.StatusHeld, model.StatusAnnounced} {
		m.Events.WithLabelValues(s)
	}
	for _, o := range []string{outcomeStatement, outcomeDuplicate, outcomeDeadLetter} {
		m.Messages.WithLabelValues(o)
	}
	for _, k := range []string{"statements", "statement_index", "events", "event_index"} {
		m.StateEntries.WithLabelValues(k)
	}
	if reg != nil {
		reg.MustRegister(m.Messages, m.DedupHits, m.Events, m.DeadLetters, m.ConsumerLag, m.StageLag, m.StateEntries,
			m.RestoreSkipped, m.Rebalances, m.OffsetResets, m.PublishToEvent, m.FetchToEvent)
	}
	return m
}
