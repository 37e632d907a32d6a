package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/webhook"
)

// WebhookOptions configure webhook delivery.
type WebhookOptions struct {
	// ConfigFile lists subscribers (YAML, see pkg/webhook); empty disables webhooks.
	ConfigFile string
	// StateDir may hold webhooks.json, the delivery state of versions that
	// kept it on local disk: it is imported once into the state topic when
	// that topic is empty, then renamed webhooks.json.imported. Delivery
	// state itself lives in Kafka (TopicWebhookState).
	StateDir string
	// StateTopic overrides the state topic (default WebhookStateTopic(Topics)).
	StateTopic string
	// Delivery tunes retries and timeouts; DeadLetters and Metrics are set by the service.
	Delivery webhook.Options
}

// legacyStateFile is the file name of the delivery state kept on disk before.
const legacyStateFile = "webhooks.json"

// webhooks is the processor's webhook delivery: a consumer group on the
// leader-calls topic feeding a Dispatcher whose state is kept in the
// compacted state topic, so a pod that moves to another node resumes every
// pending delivery.
//
// Order of durability: an event's offset is committed only after Enqueue
// returned, that is after its delivery state was acknowledged by Kafka
// (acks=all). A crash before the commit redelivers the event, and Enqueue
// drops what is already pending or acknowledged. A crash after a POST but
// before its acknowledgement was saved re-sends it: at least once, with the
// signed webhook-id for the receiver to deduplicate on.
type webhooks struct {
	subs        []webhook.Subscriber
	opts        WebhookOptions
	leaderCalls string // consumed
	stateTopic  string
	metrics     *webhook.Metrics
	ready       atomic.Bool
}

// newWebhooks loads and validates the subscribers; an error here fails the
// processor's start.
func newWebhooks(o WebhookOptions, t bus.Topics, reg prometheus.Registerer) (*webhooks, error) {
	subs, err := webhook.LoadConfig(o.ConfigFile, os.Getenv)
	if err != nil {
		return nil, err
	}
	if len(subs) == 0 {
		return nil, fmt.Errorf("%s lists no subscribers (leave the webhooks setting empty to disable them)", o.ConfigFile)
	}
	w := &webhooks{subs: subs, opts: o, leaderCalls: t.LeaderCalls, stateTopic: o.StateTopic, metrics: webhook.NewMetrics(reg)}
	if w.stateTopic == "" {
		w.stateTopic = WebhookStateTopic(t)
	}
	return w, nil
}

// Ready is true once the delivery state is restored and events are consumed.
func (w *webhooks) Ready() error {
	if !w.ready.Load() {
		return errors.New("webhooks: restoring delivery state")
	}
	return nil
}

// run restores the delivery state, then delivers until ctx is done.
func (w *webhooks) run(ctx context.Context, log *zap.Logger, c bus.Config, group string, prod *bus.Producer, dlq webhook.DeadLetterer) error {
	store := &kafkaWebhookStore{bus: c, topic: w.stateTopic, prod: prod, dlq: dlq, metrics: w.metrics, log: log}
	opts := w.opts.Delivery
	opts.DeadLetters, opts.Metrics = dlq, w.metrics
	var d *webhook.Dispatcher
	err := retry(ctx, log, "restore webhook delivery state", func() error {
		if err := w.importLegacy(ctx, log, store); err != nil {
			return err
		}
		var err error
		d, err = webhook.NewDispatcher(ctx, w.subs, store, opts)
		return err
	})
	if err != nil {
		return nil // ctx is done
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = d.Run(ctx)
	}()
	defer func() { <-done }()
	cons, err := bus.NewConsumer(c, group, w.leaderCalls)
	if err != nil {
		return err
	}
	defer cons.Close()
	w.ready.Store(true)
	defer w.ready.Store(false)
	names := make([]string, len(w.subs))
	for i, s := range w.subs {
		names[i] = s.String()
	}
	log.Info("webhooks enabled", zap.Strings("subscribers", names), zap.String("state_topic", w.stateTopic))
	for {
		rec, err := cons.Fetch(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			log.Warn("webhook consumer", zap.Error(err))
			if !bus.Sleep(ctx, time.Second) {
				return nil
			}
			continue
		}
		if err := retry(ctx, log, "enqueue webhook deliveries", func() error { return w.handle(ctx, d, dlq, rec) }); err != nil {
			return nil // ctx is done; the record is not committed
		}
		if err := cons.Commit(ctx, rec); err != nil && ctx.Err() == nil {
			log.Warn("webhook commit", zap.Error(err)) // redelivered, and dropped by Enqueue as already queued
		}
	}
}

// handle queues one leader-calls record, or dead-letters it when it is not an event.
func (w *webhooks) handle(ctx context.Context, d *webhook.Dispatcher, dlq webhook.DeadLetterer, rec bus.Record) error {
	var ev model.LeaderCall
	err := json.Unmarshal(rec.Value, &ev)
	if err == nil && ev.ID == "" {
		err = errors.New("event without id")
	}
	if err != nil {
		return deadLetterRecord(ctx, dlq, w.metrics, webhook.ReasonMalformedEvent, webhook.StageEnqueue, rec, err)
	}
	_, err = d.Enqueue(ctx, &ev)
	return err
}

// deadLetterRecord parks a Kafka record that cannot be used on the DLQ, with
// its origin, and counts it.
func deadLetterRecord(ctx context.Context, dlq webhook.DeadLetterer, m *webhook.Metrics, reason, stage string, r bus.Record, cause error) error {
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

// importLegacy moves a webhooks.json left by versions that kept delivery
// state on disk into the state topic, once, while the topic is empty.
func (w *webhooks) importLegacy(ctx context.Context, log *zap.Logger, store *kafkaWebhookStore) error {
	if w.opts.StateDir == "" {
		return nil
	}
	path := filepath.Join(w.opts.StateDir, legacyStateFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	old, err := (&webhook.FileStore{Path: path}).Load(ctx)
	if err != nil {
		return err
	}
	cur, err := store.Load(ctx)
	if err != nil {
		return err
	}
	if len(cur.Entries()) == 0 {
		entries := old.Entries()
		if err := store.Save(ctx, entries); err != nil {
			return err
		}
		log.Info("imported webhook delivery state from disk into Kafka", zap.String("file", path), zap.Int("entries", len(entries)))
	}
	if err := os.Rename(path, path+".imported"); err != nil {
		log.Warn("imported webhook state file not renamed; it is ignored while the state topic has entries", zap.Error(err))
	}
	return nil
}

// retry runs fn until it succeeds or ctx is done, with backoff; each
// failure is logged. It returns ctx's error when it gave up.
func retry(ctx context.Context, log *zap.Logger, what string, fn func() error) error {
	backoff := 200 * time.Millisecond
	for {
		err := fn()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.Warn(what+" failed; retrying", zap.Error(err), zap.Duration("in", backoff))
		if !bus.Sleep(ctx, backoff) {
			return ctx.Err()
		}
		backoff = min(backoff*2, maxKafkaBackoff)
	}
}

// kafkaWebhookStore keeps webhook delivery state in a compacted topic, one
// record per subscriber and event: key webhook.EntryKey, value the
// webhook.Entry as JSON, a tombstone when the entry is deleted. Save returns
// once Kafka acknowledged (acks=all), so the state survives the pod.
type kafkaWebhookStore struct {
	bus     bus.Config
	topic   string
	prod    *bus.Producer
	dlq     webhook.DeadLetterer
	metrics *webhook.Metrics
	log     *zap.Logger
}

// schemaWebhookState is the readout-schema header of state records.
const schemaWebhookState = "webhook-state/1"

// Load reads the whole topic; the last record of a key wins. A record that
// does not decode is dead-lettered and skipped.
func (s *kafkaWebhookStore) Load(ctx context.Context) (*webhook.State, error) {
	st := webhook.NewState()
	_, err := bus.ReadAll(ctx, s.bus, s.topic, func(r bus.Record) error {
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
		return nil, fmt.Errorf("webhook state: read %s: %w", s.topic, err)
	}
	return st, nil
}

func (s *kafkaWebhookStore) malformed(ctx context.Context, r bus.Record, cause error) error {
	if err := deadLetterRecord(ctx, s.dlq, s.metrics, webhook.ReasonMalformedState, webhook.StageRestore, r, cause); err != nil {
		return err
	}
	s.log.Warn("malformed webhook state record dead-lettered", zap.String("key", string(r.Key)), zap.Int64("offset", r.Offset), zap.Error(cause))
	return nil
}

// Save writes the entries and waits for Kafka's acknowledgement.
func (s *kafkaWebhookStore) Save(ctx context.Context, entries []webhook.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	msgs := make([]bus.Message, 0, len(entries))
	for _, e := range entries {
		m := bus.Message{Topic: s.topic, Key: []byte(e.Key()), Headers: map[string]string{model.HeaderSchema: schemaWebhookState}}
		if !e.Deleted() {
			b, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("webhook state: encode %s: %w", e.Key(), err)
			}
			m.Value = b
		}
		msgs = append(msgs, m)
	}
	return s.prod.Write(ctx, msgs...)
}
