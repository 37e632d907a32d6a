package crawler

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the crawler's Prometheus series; names are fixed for alert rules.
type metrics struct {
	fetchDuration     *prometheus.HistogramVec
	responses         *prometheus.CounterVec
	bytes             *prometheus.CounterVec
	items             *prometheus.CounterVec
	lastSuccess       *prometheus.GaugeVec
	failures          *prometheus.GaugeVec
	lastItem          *prometheus.GaugeVec
	expectedInterval  *prometheus.GaugeVec
	deadLetters       *prometheus.CounterVec
	articleFailures   *prometheus.CounterVec
	publishFailures   *prometheus.CounterVec
	stateSaveFailures *prometheus.CounterVec
	stateUnsaved      *prometheus.GaugeVec
	stateBytes        *prometheus.GaugeVec
	pending           *prometheus.GaugeVec
	pendingDropped    *prometheus.CounterVec
	invalidUTF8       *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	src := []string{"source"}
	m := &metrics{
		fetchDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "readout_crawler_fetch_duration_seconds",
			Help:    "Duration of one source fetch, including fallbacks.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, src),
		responses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_responses_total",
			Help: "HTTP responses by status code (\"error\" when no response).",
		}, []string{"source", "code"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_bytes_total",
			Help: "Bytes read from the wire.",
		}, src),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_items_total",
			Help: "Items seen by state: new, changed, unchanged, or invalid (dead-lettered entries that cannot become items).",
		}, []string{"source", "state"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "readout_crawler_last_success_timestamp_seconds",
			Help: "Unix time of the last successful poll.",
		}, src),
		failures: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "readout_crawler_consecutive_failures",
			Help: "Failed polls since the last success.",
		}, src),
		lastItem: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "readout_crawler_last_item_published_timestamp_seconds",
			Help: "Publication time of the newest item in the source.",
		}, src),
		pending: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "readout_crawler_pending_items",
			Help: "Fetched items held in memory because the sink (Kafka) has not acknowledged them.",
		}, src),
		pendingDropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_pending_dropped_total",
			Help: "Unsent items dropped from the full pending buffer (re-fetched while the source lists them).",
		}, src),
		expectedInterval: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "readout_crawler_expected_publish_interval_seconds",
			Help: "Median gap between the publication times of recent items.",
		}, src),
		deadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_dead_letters_total",
			Help: "Dead letters by reason.",
		}, []string{"source", "reason"}),
		articleFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_article_fetch_failures_total",
			Help: "Article pages that could not be fetched or read (the feed item is kept).",
		}, []string{"source", "code"}),
		publishFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_publish_failures_total",
			Help: "Failed publishes to the sink (state not advanced).",
		}, src),
		stateSaveFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_state_save_failures_total",
			Help: "Failed saves of the source state (refused as too large, or not acknowledged by the store).",
		}, src),
		stateUnsaved: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "readout_crawler_state_unsaved",
			Help: "1 while the last save of the source state failed: its new items are held back and /readyz fails.",
		}, src),
		stateBytes: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "readout_crawler_state_bytes",
			Help: "Encoded size of the source state last saved or refused (bounded by the crawler's max state bytes).",
		}, src),
		invalidUTF8: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "readout_crawler_invalid_utf8_total",
			Help: "Invalid UTF-8 sequences replaced by U+FFFD in fetched bodies (feeds and pages).",
		}, src),
	}
	for _, c := range []prometheus.Collector{m.fetchDuration, m.responses, m.bytes, m.items,
		m.lastSuccess, m.failures, m.lastItem, m.expectedInterval, m.deadLetters,
		m.articleFailures, m.publishFailures, m.stateSaveFailures, m.stateUnsaved, m.stateBytes, m.pending, m.pendingDropped, m.invalidUTF8} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("crawler: register metrics: %w", err)
		}
	}
	return m, nil
}
