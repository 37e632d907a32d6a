// Package processor turns raw items into normalized statements and leader-call
// events. The same Processor serves the Kafka consumer (Run) and the offline
// replay (Replay): one code path for live processing, backfill and evaluation.
package processor
