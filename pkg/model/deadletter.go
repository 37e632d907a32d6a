package model

import "time"

// DeadLetter is a message that could not be processed: the value of readout.dlq.v1.
// Nothing is dropped silently: the original payload is kept, with the reason.
type DeadLetter struct {
	Reason    string    `json:"reason"`           // machine-readable reason, e.g. "malformed_json"
	Error     string    `json:"error"`            // human-readable detail
	Stage     string    `json:"stage"`            // "crawler.fetch", "crawler.parse", "processor.decode", ...
	Source    string    `json:"source,omitempty"` // source id or URL, when known
	Topic     string    `json:"topic,omitempty"`  // original topic, for Kafka messages
	Partition int       `json:"partition,omitempty"`
	Offset    int64     `json:"offset,omitempty"`
	Key       string    `json:"key,omitempty"`
	Payload   []byte    `json:"payload,omitempty"` // original bytes (base64 in JSON)
	At        time.Time `json:"at"`
}
