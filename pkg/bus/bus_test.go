package bus_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/readout/readout/internal/kafkatest"
	"github.com/readout/readout/pkg/bus"
	"github.com/readout/readout/pkg/model"
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

// model.PartitionOf says where the producer writes a key: the processor relies on
// it to rebuild the state of exactly the partitions it was assigned.
func TestPartitionOfMatchesProducer(t *testing.T) {
	env, ctx := withTopics(t)
	var msgs []bus.Message
	for i := range 200 {
		k := fmt.Sprintf("Q%d+RU+?FI:president-%d", i*7919, i)
		msgs = append(msgs, bus.Message{Topic: env.Topics.CallReports, Key: []byte(k), Value: []byte("v")})
	}
	produce(t, ctx, env, msgs)
	n, err := bus.Partitions(ctx, env.Config, env.Topics.CallReports)
	if err != nil || n != 3 {
		t.Fatalf("partitions %d, %v", n, err)
	}
	seen := map[int]int{}
	got, err := bus.ReadAll(ctx, env.Config, env.Topics.CallReports, func(r bus.Record) error {
		if want := model.PartitionOf(r.Key, n); r.Partition != want {
			t.Errorf("key %s on partition %d, PartitionOf says %d", r.Key, r.Partition, want)
		}
		seen[r.Partition]++
		return nil
	})
	if err != nil || got != len(msgs) || len(seen) != 3 {
		t.Fatalf("read %d of %d (%v), partitions %v", got, len(msgs), err, seen)
	}
	// ReadPartitions reads only the partitions asked for.
	one, err := bus.ReadPartitions(ctx, env.Config, env.Topics.CallReports, []int{1}, func(r bus.Record) error {
		if r.Partition != 1 {
			t.Errorf("record of partition %d", r.Partition)
		}
		return nil
	})
	if err != nil || one != seen[1] {
		t.Errorf("ReadPartitions read %d, partition 1 holds %d (%v)", one, seen[1], err)
	}
}

// A message that names its partition goes there (modulo the partition
// count), whatever its key hashes to; the others go where the key hashes.
func TestProducerWritesToTheNamedPartition(t *testing.T) {
	env, ctx := withTopics(t)
	var msgs []bus.Message
	want := map[string]int{}
	for i := range 60 {
		k := fmt.Sprint("lc-", i)
		m := bus.Message{Topic: env.Topics.LeaderCalls, Key: []byte(k), Value: []byte("v")}
		switch i % 3 {
		case 0:
			want[k] = model.PartitionOf(m.Key, 3)
		case 1:
			m.Partition, want[k] = bus.ToPartition(i%2), i%2
		case 2:
			m.Partition, want[k] = bus.ToPartition(5), 2
		}
		msgs = append(msgs, m)
	}
	produce(t, ctx, env, msgs)
	moved := 0
	if _, err := bus.ReadAll(ctx, env.Config, env.Topics.LeaderCalls, func(r bus.Record) error {
		if w := want[string(r.Key)]; r.Partition != w {
			t.Errorf("%s in partition %d, want %d", r.Key, r.Partition, w)
		}
		if r.Partition != model.PartitionOf(r.Key, 3) {
			moved++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if moved == 0 {
		t.Fatal("every named partition was the key's own: the test proves nothing")
	}
}

// A Group member sees its assignment; a second member splits the
// partitions; commits survive into the next generation.
func TestGroupAssignmentsAndCommit(t *testing.T) {
	env, ctx := withTopics(t)
	var msgs []bus.Message
	for i := range 30 {
		msgs = append(msgs, bus.Message{Topic: env.Topics.Raw, Key: []byte(fmt.Sprint("k", i)), Value: []byte(fmt.Sprint(i))})
	}
	produce(t, ctx, env, msgs)
	group := env.Prefix + "g"
	a, err := bus.NewGroup(env.Config, group, env.Topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := a.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gen.Claims) != 3 {
		t.Fatalf("one member: %d claims, want 3", len(gen.Claims))
	}
	// Read and commit everything of partition 0 in this generation.
	c := gen.Claims[0]
	r, err := gen.Open(c)
	if err != nil {
		t.Fatal(err)
	}
	var last bus.Record
	for {
		fctx, fcancel := context.WithTimeout(ctx, 2*time.Second)
		rec, err := r.Fetch(fctx)
		fcancel()
		if err != nil {
			break
		}
		last = rec
	}
	r.Close()
	if last.Value == nil {
		t.Fatal("partition 0 is empty")
	}
	if err := gen.Commit(last); err != nil {
		t.Fatal(err)
	}
	// A second member joins: the next generation splits the partitions.
	b, err := bus.NewGroup(env.Config, group, env.Topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	genB := make(chan *bus.Generation, 1)
	go func() {
		g, err := b.Next(ctx)
		if err != nil {
			t.Error(err)
		}
		genB <- g
	}()
	gen2, err := a.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gb := <-genB
	if gb == nil || len(gen2.Claims)+len(gb.Claims) != 3 || len(gen2.Claims) == 0 || len(gb.Claims) == 0 {
		t.Fatalf("two members: claims %v and %v", gen2.Claims, gb)
	}
	for _, g := range []*bus.Generation{gen2, gb} {
		for _, c := range g.Claims {
			if c.Partition == 0 && c.Offset != last.Offset+1 {
				t.Errorf("partition 0 resumes at %d, want %d", c.Offset, last.Offset+1)
			}
		}
	}
	a.Close()
}

// withTopics is a Kafka with the Readout topics, and a context bounding the test.
func withTopics(t *testing.T) (*kafkatest.Env, context.Context) {
	t.Helper()
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(3)); err != nil {
		t.Fatal(err)
	}
	return env, ctx
}

func produce(t *testing.T, ctx context.Context, env *kafkatest.Env, msgs []bus.Message) {
	t.Helper()
	p, err := bus.NewProducer(env.Config, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

// TestFollow reads what a topic holds on every partition, then what arrives
// later, and returns when its context ends.
func TestFollow(t *testing.T) {
	env := kafkatest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	p := env.Producer(ctx, t)
	write := func(from, to int) {
		var msgs []bus.Message
		for i := from; i < to; i++ {
			msgs = append(msgs, bus.Message{Topic: env.Topics.LeaderCalls, Key: []byte(fmt.Sprintf("k%d", i)), Value: []byte("v")})
		}
		if err := p.Write(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
	}
	write(0, 30)
	seen := make(chan string, 100)
	fctx, fcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- bus.Follow(fctx, env.Config, env.Topics.LeaderCalls, func(r bus.Record) { seen <- string(r.Key) }, nil)
	}()
	got := map[string]bool{}
	wait := func(n int) {
		for len(got) < n {
			select {
			case k := <-seen:
				got[k] = true
			case <-ctx.Done():
				t.Fatalf("followed %d of %d records", len(got), n)
			}
		}
	}
	wait(30)
	write(30, 40) // after Follow reached the end: it keeps reading
	wait(40)
	fcancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("Follow returned %v, want context.Canceled", err)
	}
	partitions := map[int]bool{}
	for i := 0; i < 40; i++ {
		partitions[model.PartitionOf([]byte(fmt.Sprintf("k%d", i)), 3)] = true
	}
	if len(partitions) < 2 {
		t.Fatalf("the keys hit %d partition(s): the test does not cover several", len(partitions))
	}
}

// A committed offset past the end of the log (the topic was deleted and
// created again) is reset to the log's start and reported: kafka-go alone
// waits there for ever, the partition silently unread.
func TestOpenResetsACommittedOffsetPastTheEnd(t *testing.T) {
	env, ctx := withTopics(t)
	var msgs []bus.Message
	for i := range 5 {
		msgs = append(msgs, bus.Message{Topic: env.Topics.Raw, Key: []byte(fmt.Sprint("k", i)), Value: []byte("v"), Partition: bus.ToPartition(0)})
	}
	produce(t, ctx, env, msgs)
	group := env.Prefix + "g"
	a, err := bus.NewGroup(env.Config, group, env.Topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := a.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.Commit(bus.Record{Topic: env.Topics.Raw, Partition: 0, Offset: 999}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	b, err := bus.NewGroup(env.Config, group, env.Topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var resets []bus.OffsetReset
	b.OnOffsetReset = func(o bus.OffsetReset) { resets = append(resets, o) }
	gen, err = b.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var claim bus.Claim
	for _, c := range gen.Claims {
		if c.Partition == 0 {
			claim = c
		}
	}
	if claim.Offset != 1000 {
		t.Fatalf("partition 0 resumes at %d, want the committed 1000", claim.Offset)
	}
	r, err := gen.Open(claim)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rec, err := r.Fetch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Offset != 0 || string(rec.Key) != "k0" {
		t.Errorf("read %s at %d, want k0 at 0", rec.Key, rec.Offset)
	}
	if len(resets) != 1 || resets[0].Reason != bus.ResetPastEnd || resets[0].Offset != 1000 || resets[0].First != 0 || resets[0].End != 5 {
		t.Errorf("resets %+v, want one past_end from 1000 to 0 (end 5)", resets)
	}
}

// A topic deleted and created again while a partition is read: the reader
// finds its position past the new log's end, starts again from its start
// and reports it, instead of waiting at the old position for ever.
func TestReaderResetsWhenTheTopicIsRecreated(t *testing.T) {
	env, ctx := withTopics(t)
	write := func(prefix string, n int) {
		var msgs []bus.Message
		for i := range n {
			msgs = append(msgs, bus.Message{Topic: env.Topics.Raw, Key: []byte(fmt.Sprint(prefix, i)), Value: []byte("v"), Partition: bus.ToPartition(0)})
		}
		produce(t, ctx, env, msgs)
	}
	write("old", 10)
	g, err := bus.NewGroup(env.Config, env.Prefix+"g", env.Topics.Raw)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	resets := make(chan bus.OffsetReset, 4)
	g.OnOffsetReset = func(o bus.OffsetReset) { resets <- o }
	gen, err := g.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var claim bus.Claim
	for _, c := range gen.Claims {
		if c.Partition == 0 {
			claim = c
		}
	}
	r, err := gen.Open(claim)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for range 10 {
		if _, err := r.Fetch(ctx); err != nil {
			t.Fatal(err)
		}
	}
	deleteTopic(t, ctx, env, env.Topics.Raw, 10)
	if err := bus.EnsureTopics(ctx, env.Config, env.Topics.Specs(3)); err != nil {
		t.Fatal(err)
	}
	write("new", 3)
	rec, err := r.Fetch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(rec.Key) != "new0" || rec.Offset != 0 {
		t.Errorf("after the topic was recreated: %s at %d, want new0 at 0", rec.Key, rec.Offset)
	}
	select {
	case o := <-resets:
		if o.Reason != bus.ResetPastEnd || o.Offset != 10 {
			t.Errorf("reset %+v, want past_end from 10", o)
		}
	default:
		t.Error("the reset was not reported")
	}
}

// deleteTopic deletes topic and waits until its partition 0 is no longer
// the old log: gone, or created anew (brokers that create topics on demand
// do so as soon as a client asks for it again).
func deleteTopic(t *testing.T, ctx context.Context, env *kafkatest.Env, topic string, oldEnd int64) {
	t.Helper()
	cl := &kafka.Client{Addr: kafka.TCP(env.Config.Brokers...)}
	resp, err := cl.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: []string{topic}})
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Errors[topic]; err != nil {
		t.Fatal(err)
	}
	for {
		lo, err := cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: {kafka.LastOffsetOf(0)}}})
		if err != nil {
			t.Fatal(err)
		}
		if ps := lo.Topics[topic]; len(ps) == 0 || ps[0].Error != nil || ps[0].LastOffset < oldEnd {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("topic %s not deleted: %v", topic, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// A message of model.MaxMessageBytes fits a producer batch with room for
// its headers and framing.
func TestMaxMessageFitsABatch(t *testing.T) {
	if room := bus.MaxBatchBytes - model.MaxMessageBytes; room != 16<<10 {
		t.Errorf("a batch leaves %d bytes beside the largest message, want 16 KiB", room)
	}
}
