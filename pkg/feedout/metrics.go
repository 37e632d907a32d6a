package feedout

import "github.com/prometheus/client_golang/prometheus"

// Reasons a reader is refused (readout_feed_rejected_total) or a stream is
// cut short or resumed with a gap (readout_feed_stream_resets_total).
const (
	RejectUnauthorized       = "unauthorized"         // no or a wrong bearer token
	RejectTooManyConnections = "too_many_connections" // the listener's connection cap
	ResetExpired             = "expired"              // Last-Event-ID no longer (or never) in the replay buffer
	ResetLagged              = "lagged"               // the client fell further behind than the replay buffer holds
)

// Metrics count what the feeds refuse and the streams that lose messages.
// A nil *Metrics counts nothing.
type Metrics struct {
	rejected *prometheus.CounterVec
	resets   *prometheus.CounterVec
	clients  prometheus.Gauge
}

// NewMetrics registers readout_feed_rejected_total{reason},
// readout_feed_stream_resets_total{reason} and readout_feed_stream_clients
// on reg, every reason's series at zero.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_feed_rejected_total",
			Help: "Requests to the newsroom feeds refused, by reason (unauthorized, too_many_connections)."}, []string{"reason"}),
		resets: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_feed_stream_resets_total",
			Help: "SSE streams told that messages are missing, by reason (expired Last-Event-ID, lagged client)."}, []string{"reason"}),
		clients: prometheus.NewGauge(prometheus.GaugeOpts{Name: "readout_feed_stream_clients",
			Help: "SSE clients connected."}),
	}
	reg.MustRegister(m.rejected, m.resets, m.clients)
	for _, r := range []string{RejectUnauthorized, RejectTooManyConnections} {
		m.rejected.WithLabelValues(r)
	}
	for _, r := range []string{ResetExpired, ResetLagged} {
		m.resets.WithLabelValues(r)
	}
	return m
}

// Rejected counts a refused request.
func (m *Metrics) Rejected(reason string) {
	if m != nil {
		m.rejected.WithLabelValues(reason).Inc()
	}
}

func (m *Metrics) reset(reason string) {
	if m != nil {
		m.resets.WithLabelValues(reason).Inc()
	}
}

func (m *Metrics) streams(delta float64) {
	if m != nil {
		m.clients.Add(delta)
	}
}
