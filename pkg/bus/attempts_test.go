package bus_test

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/readout/readout/pkg/bus"
)

// controlled is a kfake broker whose requests a test can intercept.
func controlled(t *testing.T, topic string) (*kfake.Cluster, bus.Config) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, topic))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, bus.Config{Brokers: c.ListenAddrs()}
}

func count(t *testing.T, ctx context.Context, c bus.Config, topic string) int {
	t.Helper()
	n, err := bus.ReadAll(ctx, c, topic, func(bus.Record) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A write round runs to its end however the caller's context ends:
// WriteAttempts does not return while its request is still with the broker
// (kafka-go's WriteMessages returns ctx's error and leaves the batch in
// flight, to land whenever it lands).
func TestWriteAttemptsWaitsForTheRoundInFlight(t *testing.T) {
	const topic = "attempts"
	cl, cfg := controlled(t, topic)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	received, release := make(chan struct{}), make(chan struct{})
	var released atomic.Bool
	cl.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		close(received)
		cl.SleepControl(func() { <-release })
		return nil, nil, false // then the broker handles it
	})
	p, err := bus.NewProducer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	wctx, wcancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		err := p.WriteAttempts(wctx, bus.Message{Topic: topic, Key: []byte("k"), Value: []byte("v")})
		if !released.Load() {
			err = errors.Join(err, errors.New("returned while its request was held by the broker"))
		}
		done <- err
	}()
	<-received
	wcancel()
	time.Sleep(200 * time.Millisecond) // room for a wrong early return to show
	released.Store(true)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := count(t, ctx, cfg, topic); n != 1 {
		t.Errorf("%d records written, want 1", n)
	}
}

// Once the context is done no further round starts: messages of a later
// round are not written after the deadline (they would be a zombie's).
func TestWriteAttemptsStartsNoRoundAfterTheDeadline(t *testing.T) {
	const topic = "rounds"
	cl, cfg := controlled(t, topic)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wctx, wcancel := context.WithCancel(ctx)
	var produces atomic.Int32
	cl.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		cl.KeepControl()
		produces.Add(1)
		wcancel() // the deadline passes while the first round is on its way
		return nil, nil, false
	})
	p, err := bus.NewProducer(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	big := bytes.Repeat([]byte("x"), 600<<10) // two do not fit one round
	var msgs []bus.Message
	for i := range 3 {
		msgs = append(msgs, bus.Message{Topic: topic, Key: []byte{byte('a' + i)}, Value: big, Partition: bus.ToPartition(0)})
	}
	err = p.WriteAttempts(wctx, msgs...)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("WriteAttempts returned %v, want the context's error", err)
	}
	if n := count(t, ctx, cfg, topic); n != 1 || produces.Load() != 1 {
		t.Errorf("%d records written in %d produce requests, want the first round's one", n, produces.Load())
	}
}
