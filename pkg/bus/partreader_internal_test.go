package bus

import (
	"context"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
)

// A new group's reader sits at kafka.FirstOffset (-2) until its first
// record: a probe then (kafka-go met an error, or nothing arrived) finds
// no offset outside the log and reports no reset.
func TestProbeOfNewGroupReportsNoReset(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := Config{Brokers: c.ListenAddrs()}
	topics := PrefixedTopics("probe.")
	if err := EnsureTopics(ctx, cfg, topics.Specs(1)); err != nil {
		t.Fatal(err)
	}
	g, err := NewGroup(cfg, "probe-new-group", topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	var resets []OffsetReset
	g.OnOffsetReset = func(o OffsetReset) { resets = append(resets, o) }
	gen, err := g.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gen.Claims) != 1 || gen.Claims[0].Offset != kafka.FirstOffset {
		t.Fatalf("claims %+v, want one at kafka.FirstOffset", gen.Claims)
	}
	r, err := gen.Open(gen.Claims[0])
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.probe(ctx); err != nil {
		t.Fatal(err)
	}
	if len(resets) != 0 {
		t.Errorf("a new group's reader reported resets %+v", resets)
	}
	if at := r.r.Offset(); at != kafka.FirstOffset {
		t.Errorf("reader moved to %d, want it left at kafka.FirstOffset", at)
	}
}
