package model

import "hash/fnv"

// Topic names of the Readout contract. Versioned: an incompatible change gets a new topic.
// The output formats name their own topics (pkg/outputs/all).
const (
	TopicRaw         = "readout.raw.v1"
	TopicStatements  = "readout.statements.v1"
	TopicLeaderCalls = "readout.leader-calls.v1"
	TopicDLQ         = "readout.dlq.v1"
	// TopicCrawlerState is the crawler's compacted seen-state (key = source id + item key).
	TopicCrawlerState = "readout.crawler-state.v1"
	// TopicPrepared is internal to the processor: normalized statements and
	// their calls before deduplication (key = statement id).
	TopicPrepared = "readout.prepared.v1"
	// TopicCallReports is internal to the processor: one record per reported
	// call (key = the call's partition key), merged into leader calls.
	TopicCallReports = "readout.call-reports.v1"
	// TopicWebhookState is the processor's webhook delivery state (compacted):
	// one record per subscriber and event (key webhook.EntryKey, value webhook.Entry).
	TopicWebhookState = "readout.webhook-state.v1"
)

// Kafka header names carried by every Readout message.
const (
	HeaderSchema = "readout-schema" // e.g. "raw/1"
	HeaderSource = "readout-source" // configured source id
	// HeaderCallPartition, on readout.leader-calls.v1, is the partition of
	// readout.call-reports.v1 whose merge state holds the event (decimal);
	// the event is written to the leader-calls partition of that number
	// (modulo the partition count), so that rebuilding the state of some
	// call-reports partitions reads only their share of the topic.
	HeaderCallPartition = "readout-call-partition"
)

// Schema versions written into HeaderSchema.
const (
	SchemaRaw        = "raw/1"
	SchemaStatement  = "statement/1"
	SchemaLeaderCall = "leader-call/1"
	SchemaDeadLetter = "dead-letter/1"
	SchemaPrepared   = "prepared/1"
	SchemaCallReport = "call-report/1"
	// SchemaWebhookState marks a record of TopicWebhookState.
	SchemaWebhookState = "webhook-state/1"
)

// MaxMessageBytes bounds a message Readout writes: the broker's default
// message.max.bytes is about 1 MiB, and batch framing and headers need room.
const MaxMessageBytes = 1<<20 - 1024 - 16<<10

// PartitionOf is the partition a key is written to in a topic of n
// partitions (FNV-1a, as kafka-go's Hash balancer and Sarama): the processor
// relies on it to find the records of the partitions it owns.
func PartitionOf(key []byte, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write(key)
	p := int32(h.Sum32()) % int32(n)
	if p < 0 {
		p = -p
	}
	return int(p)
}
