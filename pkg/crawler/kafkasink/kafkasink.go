// Package kafkasink connects the crawler (pkg/crawler) to Kafka: raw items
// to readout.raw.v1, dead letters to readout.dlq.v1, and the seen-state
// records to the compacted readout.crawler-state.v1.
package kafkasink

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
)

// Sink publishes raw items and dead letters; it is a crawler.Sink and a
// crawler.DeadLetterSink. Each call returns when the broker acknowledged
// (acks=all).
type Sink struct {
	Producer *bus.Producer
	Topics   bus.Topics
}

// Publish writes items keyed by their stable item key. An item too large
// for a Kafka message is dead-lettered (item_too_large) instead.
func (s *Sink) Publish(ctx context.Context, items []model.RawItem) error {
	msgs := make([]bus.Message, 0, len(items))
	for i := range items {
		it := &items[i]
		if it.ContentHash == "" {
			it.ContentHash = it.Hash()
		}
		b, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("crawler: encode item %s: %w", it.Key(), err)
		}
		if len(b) > model.MaxMessageBytes {
			// Kafka would refuse it forever: park it with the reason instead.
			dl := model.DeadLetter{Reason: "item_too_large", Stage: "crawler.publish", Source: it.Source, Key: it.Key(),
				Error:   fmt.Sprintf("item encodes to %d bytes, over the %d a Kafka message may carry", len(b), model.MaxMessageBytes),
				Payload: model.TruncatePayload(b), PayloadBytes: len(b), At: time.Now().UTC()}
			if err := s.DeadLetter(ctx, dl); err != nil {
				return err
			}
			continue
		}
		msgs = append(msgs, bus.Message{Topic: s.Topics.Raw, Key: []byte(it.Key()), Value: b,
			Headers: map[string]string{model.HeaderSchema: model.SchemaRaw, model.HeaderSource: it.Source}})
	}
	return s.Producer.Write(ctx, msgs...)
}

// DeadLetter parks dl on the dead-letter topic.
func (s *Sink) DeadLetter(ctx context.Context, dl model.DeadLetter) error {
	b, err := json.Marshal(dl)
	if err != nil {
		return err
	}
	return s.Producer.Write(ctx, bus.Message{Topic: s.Topics.DLQ, Key: []byte(dl.Source), Value: b,
		Headers: map[string]string{model.HeaderSchema: model.SchemaDeadLetter, model.HeaderSource: dl.Source, "readout-reason": dl.Reason}})
}

// Records is a compacted topic as crawler.Records: the store of the
// crawler's seen-state (crawler.RecordStore).
type Records struct {
	Producer *bus.Producer
	Bus      bus.Config
	Topic    string
}

// Read calls fn with every record of the topic, in the order written within a key.
func (r *Records) Read(ctx context.Context, fn func(key string, value []byte)) error {
	_, err := bus.ReadAll(ctx, r.Bus, r.Topic, func(rec bus.Record) error {
		fn(string(rec.Key), rec.Value)
		return nil
	})
	return err
}

// Write writes one record and returns when it is acknowledged.
func (r *Records) Write(ctx context.Context, key string, value []byte) error {
	return r.Producer.Write(ctx, bus.Message{Topic: r.Topic, Key: []byte(key), Value: value})
}
