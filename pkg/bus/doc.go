// Package bus connects Readout to Kafka with segmentio/kafka-go: connection
// settings (TLS, SASL), topic creation, an acknowledged producer, a consumer
// group reader that commits only what the caller has finished, and a reader
// that loads a whole compacted topic to rebuild state.
package bus
