package kafkasink_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/crawler/kafkasink"
	"github.com/readout/readout/pkg/model"
)

// An item too large for a Kafka message is parked on the DLQ with its reason;
// the items beside it are published; nothing blocks.
func TestKafkaSinkParksOversizeItems(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(1)); err != nil {
		t.Fatal(err)
	}
	p, err := bus.NewProducer(env.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	sink := &kafkasink.Sink{Producer: p, Topics: env.Topics}
	items := []model.RawItem{
		{Source: "s", URL: "http://en.kremlin.ru/events/president/news/1", Title: "small", Body: "text"},
		{Source: "s", URL: "http://en.kremlin.ru/events/president/news/2", Title: "huge", Body: strings.Repeat("x", 2<<20)},
		{Source: "s", URL: "http://en.kremlin.ru/events/president/news/3", Title: "small too", Body: "text"},
	}
	if err := sink.Publish(ctx, items); err != nil {
		t.Fatalf("publish: %v", err)
	}
	var raw []string
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(r bus.Record) error { raw = append(raw, string(r.Key)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(raw) != 2 {
		t.Errorf("raw topic keys %v, want the two small items", raw)
	}
	var dls []model.DeadLetter
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.DLQ, func(r bus.Record) error {
		var dl model.DeadLetter
		if err := json.Unmarshal(r.Value, &dl); err != nil {
			t.Error(err)
		}
		dls = append(dls, dl)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(dls) != 1 || dls[0].Reason != "item_too_large" || dls[0].PayloadBytes <= 2<<20 || len(dls[0].Payload) != model.MaxDeadLetterPayload {
		t.Fatalf("dead letters %d: %+v", len(dls), dls)
	}
}
