package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
)

// maxItemMessageBytes bounds a raw item message: the broker's default
// message.max.bytes is about 1 MiB, and headers and framing need room.
const maxItemMessageBytes = bus.MaxBatchBytes - 16<<10

// KafkaSink publishes raw items to readout.raw.v1 and dead letters to
// readout.dlq.v1. Publish returns when the broker acknowledged (acks=all).
type KafkaSink struct {
	Producer *bus.Producer
	Topics   bus.Topics
}

// Publish writes items keyed by their stable item key.
func (s *KafkaSink) Publish(ctx context.Context, items []model.RawItem) error {
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
		if len(b) > maxItemMessageBytes {
			// Kafka would refuse it forever: park it with the reason instead.
			dl := model.DeadLetter{Reason: "item_too_large", Stage: "crawler.publish", Source: it.Source, Key: it.Key(),
				Error:   fmt.Sprintf("item encodes to %d bytes, over the %d a Kafka message may carry", len(b), maxItemMessageBytes),
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
func (s *KafkaSink) DeadLetter(ctx context.Context, dl model.DeadLetter) error {
	b, err := json.Marshal(dl)
	if err != nil {
		return err
	}
	return s.Producer.Write(ctx, bus.Message{Topic: s.Topics.DLQ, Key: []byte(dl.Source), Value: b,
		Headers: map[string]string{model.HeaderSchema: model.SchemaDeadLetter, model.HeaderSource: dl.Source, "readout-reason": dl.Reason}})
}

// KafkaStateStore keeps source states in the compacted readout.crawler-state.v1
// topic, key = source id: a crawler restarted anywhere resumes where it stopped.
type KafkaStateStore struct {
	Producer *bus.Producer
	Bus      bus.Config
	Topic    string
}

// Load reads the latest state of every source.
func (s *KafkaStateStore) Load(ctx context.Context) (map[string]SourceState, error) {
	out := map[string]SourceState{}
	_, err := bus.ReadAll(ctx, s.Bus, s.Topic, func(r bus.Record) error {
		var st SourceState
		if err := json.Unmarshal(r.Value, &st); err != nil || st.SourceID == "" {
			return nil // a foreign or damaged record: the next save replaces it
		}
		if old, ok := out[st.SourceID]; !ok || !st.UpdatedAt.Before(old.UpdatedAt) {
			out[st.SourceID] = st
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: load state: %w", err)
	}
	return out, nil
}

// Save writes st and returns when it is acknowledged.
func (s *KafkaStateStore) Save(ctx context.Context, st SourceState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.Producer.Write(ctx, bus.Message{Topic: s.Topic, Key: []byte(st.SourceID), Value: b})
}
