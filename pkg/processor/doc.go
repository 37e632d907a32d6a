// Package processor turns raw items into normalized statements and leader-call
// events in three steps: prepare (stateless), dedupe (per partition of
// statement ids) and merge (per partition of the calls' parties). Handle and
// Replay run them in-process; pkg/processor/kafkarun runs each step on its own
// Kafka topic partitions, with any number of instances, on the same sharding:
// one code path for live processing, backfill and evaluation. This package
// does not touch Kafka.
package processor
