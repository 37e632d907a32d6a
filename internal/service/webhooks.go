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

	"github.com/readout/readout/internal/retry"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/webhook"
	"github.com/readout/readout/pkg/webhook/kafkastore"
)

// WebhookOptions configure webhook delivery.
type WebhookOptions struct {
	// ConfigFile lists subscribers (YAML, see pkg/webhook); empty disables webhooks.
	ConfigFile string
	// StateDir may hold webhooks.json, the delivery state of versions that
	// kept it on local disk: it is imported once into the state topic when
	// that topic is empty, then renamed webhooks.json.imported. Delivery
	// state itself lives in Kafka (bus.Topics.WebhookState).
	StateDir string
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
	return &webhooks{subs: subs, opts: o, leaderCalls: t.LeaderCalls, stateTopic: t.WebhookState, metrics: webhook.NewMetrics(reg)}, nil
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
	store := &kafkastore.Store{Bus: c, Topic: w.stateTopic, Producer: prod, DeadLetters: dlq, Metrics: w.metrics, Logger: log}
	opts := w.opts.Delivery
	opts.DeadLetters, opts.Metrics = dlq, w.metrics
	var d *webhook.Dispatcher
	err := retryLogged(ctx, log, "restore webhook delivery state", func() error {
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
			if !retry.Sleep(ctx, time.Second) {
				return nil
			}
			continue
		}
		if err := retryLogged(ctx, log, "enqueue webhook deliveries", func() error { return w.handle(ctx, d, dlq, rec) }); err != nil {
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
		return kafkastore.DeadLetter(ctx, dlq, w.metrics, webhook.ReasonMalformedEvent, webhook.StageEnqueue, rec, err)
	}
	_, err = d.Enqueue(ctx, &ev)
	return err
}

// importLegacy moves a webhooks.json left by versions that kept delivery
// state on disk into the state topic, once, while the topic is empty.
func (w *webhooks) importLegacy(ctx context.Context, log *zap.Logger, store webhook.Store) error {
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

// serviceRetry waits 200 ms after the first failure, doubling up to 5 s.
var serviceRetry = retry.Policy{Initial: 200 * time.Millisecond, Max: maxKafkaBackoff}

// retryLogged runs fn until it succeeds or ctx is done, with backoff; each
// failure is logged. It returns ctx's error when it gave up.
func retryLogged(ctx context.Context, log *zap.Logger, what string, fn func() error) error {
	err := retry.Do(ctx, serviceRetry, fn, func(_ int, err error, wait time.Duration) {
		log.Warn(what+" failed; retrying", zap.Error(err), zap.Duration("in", wait))
	})
	if err != nil {
		return ctx.Err()
	}
	return nil
}
