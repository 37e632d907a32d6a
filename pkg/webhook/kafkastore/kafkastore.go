// Package kafkastore keeps webhook delivery state (pkg/webhook) in a
// compacted Kafka topic, so that a processor moved to another node resumes
// every pending delivery.
package kafkastore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/webhook"
)

// Store is a webhook.Store on a compacted topic, one record per subscriber
// and event: key webhook.EntryKey, value the webhook.Entry as JSON, a
// tombstone when the entry is deleted. Save returns once Kafka acknowledged
// (acks=all), so the state survives the pod.
type Store struct {
	Bus      bus.Config
	Topic    string
	Producer *bus.Producer
	// DeadLetters and Metrics take the records that do not decode.
	DeadLetters webhook.DeadLetterer
	Metrics     *webhook.Metrics
	Logger      *zap.Logger // optional
}

// Load reads the whole topic; the last record of a key wins. A record that
// does not decode is dead-lettered and skipped.
func (s *Store) Load(ctx context.Context) (*webhook.State, error) {
	st := webhook.NewState()
	_, err := bus.ReadAll(ctx, s.Bus, s.Topic, func(r bus.Record) error {
		sub, id, err := webhook.ParseEntryKey(string(r.Key))
		if err == nil && len(r.Value) == 0 {
			st.Apply(webhook.Entry{Subscriber: sub, EventID: id}) // tombstone
			return nil
		}
		var e webhook.Entry
		if err == nil {
			err = json.Unmarshal(r.Value, &e)
		}
		if err == nil && (e.Subscriber != sub || e.EventID != id) {
			err = fmt.Errorf("record for %s/%s under key %q", e.Subscriber, e.EventID, r.Key)
		}
		if err != nil {
			return s.malformed(ctx, r, err)
		}
		st.Apply(e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("webhook state: read %s: %w", s.Topic, err)
	}
	return st, nil
}

func (s *Store) malformed(ctx context.Context, r bus.Record, cause error) error {
	if err := DeadLetter(ctx, s.DeadLetters, s.Metrics, webhook.ReasonMalformedState, webhook.StageRestore, r, cause); err != nil {
		return err
	}
	if s.Logger != nil {
		s.Logger.Warn("malformed webhook state record dead-lettered", zap.String("key", string(r.Key)), zap.Int64("offset", r.Offset), zap.Error(cause))
	}
	return nil
}

// Save writes the entries and waits for Kafka's acknowledgement.
func (s *Store) Save(ctx context.Context, entries []webhook.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	msgs := make([]bus.Message, 0, len(entries))
	for _, e := range entries {
		m := bus.Message{Topic: s.Topic, Key: []byte(e.Key()), Headers: map[string]string{model.HeaderSchema: model.SchemaWebhookState}}
		if !e.Deleted() {
			b, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("webhook state: encode %s: %w", e.Key(), err)
			}
			m.Value = b
		}
		msgs = append(msgs, m)
	}
	return s.Producer.Write(ctx, msgs...)
}

// DeadLetter parks a Kafka record that webhook delivery cannot use on the
// DLQ, with its origin, and counts it by reason.
func DeadLetter(ctx context.Context, dlq webhook.DeadLetterer, m *webhook.Metrics, reason, stage string, r bus.Record, cause error) error {
	if err := dlq.DeadLetter(ctx, model.DeadLetter{
		Reason: reason, Error: cause.Error(), Stage: stage,
		Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Key: string(r.Key),
		Payload: model.TruncatePayload(r.Value), PayloadBytes: len(r.Value), At: time.Now().UTC(),
	}); err != nil {
		return err
	}
	m.DeadLetter(reason)
	return nil
}
