package webhook

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Delivery outcomes, the outcome label of readout_webhook_deliveries_total.
const (
	OutcomeDelivered    = "delivered"     // the receiver answered 2xx
	OutcomeFailed       = "failed"        // an attempt failed; retried unless dead-lettered
	OutcomeDeadLettered = "dead_lettered" // given up: parked on the dead-letter topic
)

// Metrics are the webhook dispatcher's Prometheus metrics.
type Metrics struct {
	Deliveries  *prometheus.CounterVec // subscriber, outcome
	Pending     *prometheus.GaugeVec   // subscriber
	DeadLetters *prometheus.CounterVec // reason
}

// NewMetrics registers the webhook metrics on reg (nil: unregistered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_webhook_deliveries_total",
			Help: "Webhook delivery attempts by subscriber and outcome (delivered, failed, dead_lettered)."}, []string{"subscriber", "outcome"}),
		Pending: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "readout_webhook_pending",
			Help: "Event versions owed to a subscriber and not yet acknowledged."}, []string{"subscriber"}),
		DeadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "readout_webhook_dead_letters_total",
			Help: "Webhook deliveries and events parked on the dead-letter topic, by reason."}, []string{"reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.Deliveries, m.Pending, m.DeadLetters)
	}
	return m
}

// DeadLetterReasons are every reason readout_webhook_dead_letters_total counts;
// their series exist from the start so that rate() and alerts see them.
var DeadLetterReasons = []string{ReasonExhausted, ReasonRejected, ReasonTooLarge, ReasonMalformedEvent, ReasonMalformedState}

// init creates the series of every subscriber and reason at zero.
func (m *Metrics) init(subs []Subscriber) {
	if m == nil {
		return
	}
	for _, s := range subs {
		for _, o := range []string{OutcomeDelivered, OutcomeFailed, OutcomeDeadLettered} {
			m.Deliveries.WithLabelValues(s.Name, o)
		}
		m.Pending.WithLabelValues(s.Name)
	}
	for _, r := range DeadLetterReasons {
		m.DeadLetters.WithLabelValues(r)
	}
}

func (m *Metrics) delivery(sub, outcome string) {
	if m != nil {
		m.Deliveries.WithLabelValues(sub, outcome).Inc()
	}
}

func (m *Metrics) pending(sub string, n int) {
	if m != nil {
		m.Pending.WithLabelValues(sub).Set(float64(n))
	}
}

// DeadLetter counts one dead letter of reason.
func (m *Metrics) DeadLetter(reason string) {
	if m != nil {
		m.DeadLetters.WithLabelValues(reason).Inc()
	}
}
