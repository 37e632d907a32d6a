package service

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
	"github.com/readout/readout/pkg/ninjs"
	"github.com/readout/readout/pkg/plover"
	"github.com/readout/readout/pkg/processor"
	"github.com/readout/readout/pkg/webhook"
)

// NewsroomEncoders derive the newsroom outputs of each event version: its
// IPTC ninjs 3.1 document (validated against the schema) and its PLOVER record.
func NewsroomEncoders(t bus.Topics) []processor.EventEncoder {
	return []processor.EventEncoder{
		func(ev *model.LeaderCall) (bus.Message, error) {
			doc, err := ninjs.FromLeaderCall(ev)
			if err != nil {
				return bus.Message{}, fmt.Errorf("ninjs: %w", err)
			}
			return bus.Message{Topic: t.Ninjs, Key: []byte(ev.ID), Value: doc, Headers: map[string]string{model.HeaderSchema: "ninjs/3.1"}}, nil
		},
		func(ev *model.LeaderCall) (bus.Message, error) {
			// PLOVER records dyadic events that happened: announced calls and calls
			// whose counterpart is not resolved stay on the leader-calls topic only.
			if ev.Status != model.StatusHeld || len(ev.Participants) < 2 {
				return bus.Message{}, processor.ErrSkip
			}
			rec, err := plover.FromLeaderCall(ev)
			if err != nil {
				return bus.Message{}, fmt.Errorf("plover: %w", err)
			}
			b, err := json.Marshal(rec)
			if err != nil {
				return bus.Message{}, err
			}
			return bus.Message{Topic: t.Plover, Key: []byte(ev.ID), Value: b, Headers: map[string]string{model.HeaderSchema: "plover/1"}}, nil
		},
	}
}

// WebhookOptions configure webhook delivery.
type WebhookOptions struct {
	// ConfigFile lists subscribers (YAML, see pkg/webhook); empty disables webhooks.
	ConfigFile string
	// StateDir keeps delivery state across restarts.
	StateDir string
}

// runWebhooks delivers each event version to the configured subscribers. It
// consumes readout.leader-calls.v1 with its own consumer group and commits an
// event only after the dispatcher persisted it in its queue, so a restart
// neither loses nor re-sends a delivered version.
func runWebhooks(ctx context.Context, log *zap.Logger, c bus.Config, t bus.Topics, group string, o WebhookOptions, dlq webhook.DeadLetterer) error {
	subs, err := webhook.LoadConfig(o.ConfigFile, os.Getenv)
	if err != nil {
		return err
	}
	if o.StateDir == "" {
		o.StateDir = "."
	}
	if err := os.MkdirAll(o.StateDir, 0o755); err != nil {
		return err
	}
	d, err := webhook.NewDispatcher(ctx, subs, &webhook.FileStore{Path: filepath.Join(o.StateDir, "webhooks.json")}, webhook.Options{DeadLetters: dlq})
	if err != nil {
		return err
	}
	go func() {
		if err := d.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("webhook dispatcher stopped", zap.Error(err))
		}
	}()
	cons, err := bus.NewConsumer(c, group, t.LeaderCalls)
	if err != nil {
		return err
	}
	defer cons.Close()
	log.Info("webhooks enabled", zap.Int("subscribers", len(subs)))
	for {
		rec, err := cons.Fetch(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			log.Warn("webhook consumer", zap.Error(err))
			time.Sleep(time.Second)
			continue
		}
		var ev model.LeaderCall
		if err := json.Unmarshal(rec.Value, &ev); err == nil && ev.ID != "" {
			if _, err := d.Enqueue(ctx, &ev); err != nil {
				return fmt.Errorf("webhook enqueue: %w", err)
			}
		}
		if err := cons.Commit(ctx, rec); err != nil && ctx.Err() == nil {
			log.Warn("webhook commit", zap.Error(err))
		}
	}
}

// dlqWriter parks dead letters of the processor's helpers on the DLQ topic.
type dlqWriter struct {
	p     *bus.Producer
	topic string
}

func (w dlqWriter) DeadLetter(ctx context.Context, dl model.DeadLetter) error {
	b, err := json.Marshal(dl)
	if err != nil {
		return err
	}
	return w.p.Write(ctx, bus.Message{Topic: w.topic, Key: []byte(dl.Key), Value: b,
		Headers: map[string]string{model.HeaderSchema: model.SchemaDeadLetter, "readout-reason": dl.Reason}})
}
