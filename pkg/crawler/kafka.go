package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
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
// topic: a crawler restarted anywhere resumes where it stopped.
//
// Each writer keeps its own record of a source: the live crawler under the
// source id, another writer (Writer "backfill") under "<source id>#<writer>".
// Load merges every record of a source (union of the seen keys, see
// SourceState.merge), so `crawler backfill` and a running crawler never
// overwrite each other's record, and each one's next start knows what both
// sent. A save writes only its own record; no read is needed before it.
type KafkaStateStore struct {
	Producer *bus.Producer
	Bus      bus.Config
	Topic    string
	// Writer names this store's records; "" for the live crawler.
	Writer string
}

// stateKeySep separates the source id from the writer in a record key;
// source ids cannot contain it (sources.Source ids are [a-z0-9._-]).
const stateKeySep = "#"

func (s *KafkaStateStore) key(sourceID string) string {
	if s.Writer == "" {
		return sourceID
	}
	return sourceID + stateKeySep + s.Writer
}

// Load reads the latest record of every writer and returns, per source,
// their merge.
func (s *KafkaStateStore) Load(ctx context.Context) (map[string]SourceState, error) {
	latest := map[string]SourceState{} // by record key
	_, err := bus.ReadAll(ctx, s.Bus, s.Topic, func(r bus.Record) error {
		var st SourceState
		if err := json.Unmarshal(r.Value, &st); err != nil || st.SourceID == "" {
			return nil // a foreign or damaged record: the next save replaces it
		}
		key := string(r.Key)
		if old, ok := latest[key]; !ok || !st.UpdatedAt.Before(old.UpdatedAt) {
			latest[key] = st
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: load state: %w", err)
	}
	// Records merge in key order, whatever order the topic returned them in.
	keys := make([]string, 0, len(latest))
	for k := range latest {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[string]SourceState{}
	for _, k := range keys {
		st := latest[k].clone()
		if cur, ok := out[st.SourceID]; ok {
			cur.merge(st)
			st = cur
		}
		out[st.SourceID] = st
	}
	return out, nil
}

// Save writes st as this writer's record and returns when it is acknowledged.
func (s *KafkaStateStore) Save(ctx context.Context, st SourceState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.Producer.Write(ctx, bus.Message{Topic: s.Topic, Key: []byte(s.key(st.SourceID)), Value: b})
}
