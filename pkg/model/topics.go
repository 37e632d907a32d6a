package model

// Topic names of the Readout contract. Versioned: an incompatible change gets a new topic.
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
)

// Newsroom output topics.
const (
	TopicNinjs  = "readout.ninjs.v1"  // IPTC ninjs 3.1 documents, key = event id (compacted)
	TopicPlover = "readout.plover.v1" // PLOVER JSON records, key = event id
)
