package model

import "time"

// MaxDeadLetterPayload bounds the payload kept in a dead letter, so it fits a Kafka message.
const MaxDeadLetterPayload = 256 << 10

// TruncatePayload returns b cut to MaxDeadLetterPayload.
func TruncatePayload(b []byte) []byte {
	if len(b) > MaxDeadLetterPayload {
		return b[:MaxDeadLetterPayload]
	}
	return b
}

// DeadLetter is a message that could not be processed: the value of readout.dlq.v1.
// Nothing is dropped silently: the original payload is kept, with the reason.
type DeadLetter struct {
	Reason    string `json:"reason"`           // machine-readable reason, e.g. "malformed_json"
	Error     string `json:"error"`            // human-readable detail
	Stage     string `json:"stage"`            // "crawler.fetch", "crawler.parse", "processor.decode", ...
	Source    string `json:"source,omitempty"` // source id or URL, when known
	Topic     string `json:"topic,omitempty"`  // original topic, for Kafka messages
	Partition int    `json:"partition,omitempty"`
	Offset    int64  `json:"offset,omitempty"`
	Key       string `json:"key,omitempty"`
	Payload   []byte `json:"payload,omitempty"` // original bytes (base64 in JSON), at most MaxDeadLetterPayload
	// PayloadBytes is the original payload's size; larger than len(Payload) when it was truncated.
	PayloadBytes int       `json:"payload_bytes"`
	At           time.Time `json:"at"`
}
