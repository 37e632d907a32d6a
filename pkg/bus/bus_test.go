package bus_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/kafkatest"
)

func TestProduceConsumeCommit(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(3)); err != nil {
		t.Fatal(err)
	}
	// Creating again is a no-op, not an error.
	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(3)); err != nil {
		t.Fatalf("second EnsureTopics: %v", err)
	}
	p, err := bus.NewProducer(env.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const n = 50
	var msgs []bus.Message
	for i := 0; i < n; i++ {
		msgs = append(msgs, bus.Message{Topic: env.Topics.Raw, Key: []byte(fmt.Sprintf("k%d", i)), Value: []byte(fmt.Sprintf("v%d", i)),
			Headers: map[string]string{"readout-schema": "raw/1"}})
	}
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}

	group := env.Prefix + "g"
	c, err := bus.NewConsumer(env.Config, group, env.Topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var half []bus.Record
	for len(seen) < n {
		r, err := c.Fetch(ctx)
		if err != nil {
			t.Fatalf("fetch after %d: %v", len(seen), err)
		}
		if r.Headers["readout-schema"] != "raw/1" {
			t.Fatalf("header lost: %v", r.Headers)
		}
		seen[string(r.Key)] = true
		if len(seen) <= n/2 {
			half = append(half, r)
		}
	}
	// Commit only the first half: a new member of the group must see the rest again.
	if err := c.Commit(ctx, half...); err != nil {
		t.Fatal(err)
	}
	c.Close()

	c2, err := bus.NewConsumer(env.Config, group, env.Topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	committed := map[string]bool{}
	for _, r := range half {
		committed[string(r.Key)] = true
	}
	redelivered := map[string]bool{}
	for len(redelivered) < n-len(half) {
		r, err := c2.Fetch(ctx)
		if err != nil {
			t.Fatalf("refetch: %v", err)
		}
		redelivered[string(r.Key)] = true
	}
	// Every uncommitted message came back; committed ones may come back only if
	// they share a partition with an uncommitted earlier one (at-least-once).
	for k := range seen {
		if !committed[k] && !redelivered[k] {
			t.Errorf("uncommitted %s not redelivered", k)
		}
	}

	// ReadAll sees everything in the topic.
	got := 0
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.Raw, func(bus.Record) error { got++; return nil }); err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Fatalf("ReadAll read %d, want %d", got, n)
	}
}
