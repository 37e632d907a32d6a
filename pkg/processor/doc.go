// Package processor turns raw items into normalized statements and leader-call
// events in three steps: prepare (stateless), dedupe (per partition of
// statement ids) and merge (per partition of the calls' parties). The Kafka
// Runner runs each step on its own topic partitions, with any number of
// instances; Handle and Replay run the same steps in-process on the same
// sharding: one code path for live processing, backfill and evaluation.
package processor
